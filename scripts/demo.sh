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
printf 'demo passphrase\n' > "$work/passphrase"
printf '\n$ rocks create keys key=%s passphrase-file=%s > %s\n' "$work/owner.pem" "$work/passphrase" "$work/owner.pub"
"$rocks" create keys key="$work/owner.pem" passphrase-file="$work/passphrase" > "$work/owner.pub"
cat "$work/owner.pub"
step add host key espresso key="$work/owner.pub"
step list host key
step ledger log
step ledger verify since="$work/checkpoint.json"
