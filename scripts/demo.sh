#!/usr/bin/env bash
# The quick start: installs what is missing, builds `rocks`, and runs the main job on a fresh
# ledger in a temporary ROCKS_HOME (or the one you set), printing each command as it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH=/opt/swift/usr/bin:$PATH
swift build --product rocks
rocks=$PWD/.build/debug/rocks
export ROCKS_HOME=${ROCKS_HOME:-$(mktemp -d /tmp/rocks-demo.XXXXXX)}
work=$(mktemp -d /tmp/rocks-demo-files.XXXXXX)

step() { printf '\n$ rocks %s\n' "$*"; "$rocks" "$@"; }

echo "ROCKS_HOME=$ROCKS_HOME"
step init name=espresso.rocksclusters.org public-ip=137.110.119.117
step ledger checkpoint file="$work/checkpoint.json"
step add host membership="VM Container" mac=00:14:4f:80:de:00
step add host membership="VM Container" mac=00:14:4f:80:de:01
step add cluster ip=137.110.119.118 num-computes=2
printf 'demo passphrase\n' > "$work/passphrase"
printf '\n$ rocks create keys key=%s passphrase-file=%s > %s\n' "$work/owner.pem" "$work/passphrase" "$work/owner.pub"
"$rocks" create keys key="$work/owner.pem" passphrase-file="$work/passphrase" > "$work/owner.pub"
cat "$work/owner.pub"
step add host key frontend-0-0-0 key="$work/owner.pub"
step list host key
step list cluster
step list host vm
step list host interface frontend-0-0-0
step ledger log
step ledger verify since="$work/checkpoint.json"
