#!/usr/bin/env bash
# The main job, and the README's first command: installs what is missing, builds `rocks` and
# `pilot`, and walks the users guide's story on this machine, printing each command before
# its output:
#   the operator sets up the ledger, the two VM containers, the virtual cluster and its bridges;
#   the cluster's owner makes a key, which the operator adds to the virtual frontend;
#   the operator starts the Airboss; through it, with `pilot`, the owner powers the computes
#   on, lists the cluster's MACs, opens a compute's console and saves a screenshot of it;
#   another cluster's owner is refused the first cluster's VMs; the owner powers the computes off;
#   an audit: the log, the owner's receipt checked offline, a consistency proof from the
#   checkpoint saved at the start, and the whole ledger verified.
# The Airboss keeps running at the end; nothing else does.
#
#   scripts/demo.sh          run it (a second run first removes what the first made)
#   scripts/demo.sh clean    remove everything it made: Airboss, VMs, disks, links, $ROCKS_HOME
#
# This machine's libvirtd stands in for both of the guide's VM containers. Their NICs are
# links this script creates and deletes: veth prk0 under bridge rk0 (private), prk1 under rk1
# (public), and a veth prk0.2 standing in for the VLAN 2 device (kernels without 802.1Q cannot
# make a real one). The machine's own interfaces are never touched. The guests have empty
# disks, so they sit in their firmware's network boot.
#
# Environment: ROCKS_HOME (default /var/tmp/rocks-demo); ROCKS_DEMO_AIRBOSS, the Airboss's
# loopback address (default 127.0.0.1:8677); ROCKS_DEMO_BIN, a directory holding built
# `rocks` and `pilot`, which skips the setup and the build (the tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
if [ -n "${ROCKS_DEMO_BIN:-}" ]; then
  bin=$ROCKS_DEMO_BIN
else
  bash scripts/setup.sh
  export PATH=/opt/swift/usr/bin:$PATH
  swift build --product rocks
  swift build --product pilot
  bin=$PWD/.build/debug
fi
rocks=$bin/rocks
pilot=$bin/pilot
export ROCKS_HOME=${ROCKS_HOME:-/var/tmp/rocks-demo}
airboss=${ROCKS_DEMO_AIRBOSS:-127.0.0.1:8677}
work=$ROCKS_HOME/demo-files
links="prk0 prk1 prk0.2 rk0 rk1"

# What an earlier run made goes through its own ledger and Airboss, then its directory and
# links. A ROCKS_HOME this script did not make is left alone.
clean_up() {
  if [ -e "$ROCKS_HOME" ] && [ ! -d "$work" ]; then
    echo "error - $ROCKS_HOME was not made by this script: set ROCKS_HOME to another directory" >&2
    exit 1
  fi
  if [ -d "$ROCKS_HOME/ledger" ]; then
    echo "removing the previous demo in $ROCKS_HOME"
    [ -f "$ROCKS_HOME/airboss.pid" ] && "$rocks" stop service airboss || true
    for frontend in frontend-0-0-0 $(sed -n 's/^created frontend VM named: //p' "$work/other-cluster.txt" 2>/dev/null); do
      "$rocks" remove cluster "$frontend" delete-disks=yes || true
    done
  fi
  rm -rf "$ROCKS_HOME"
  for link in $links; do ip link del "$link" 2>/dev/null || true; done
}

# Ends a background process: politely, then surely (a parent may have blocked SIGTERM).
stop_process() {
  kill "$1" 2>/dev/null || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
}

# The console's client runs in the background; it must not outlive the script, even a failed one.
console=
trap '[ -z "$console" ] || stop_process "$console"' EXIT

if [ "${1:-}" = clean ]; then
  clean_up
  echo "removed the demo's Airboss, cluster, disks, links and $ROCKS_HOME"
  exit 0
fi
clean_up
ip link add prk0 type veth peer name xrk0
ip link add prk1 type veth peer name xrk1
ip link add prk0.2 type veth peer name xrk0v2
mkdir -p "$work/root" "$work/owner" "$work/stranger"
chmod 700 "$work/owner" "$work/stranger"

say() { printf '\n# %s\n' "$*"; }
step() { printf '\n$ rocks %s\n' "$*"; "$rocks" "$@"; }
# `pilot` as the owner or the stranger (`pilot_as owner <command>`), each with a directory of its
# own for keys, pins and receipts; requests go to this Airboss.
pilot_as() {
  local who=$1; shift
  printf '\n$ pilot %s\n' "$*"
  if [ "$1" = verify ]; then ROCKS_USER_DIR=$work/$who "$pilot" "$@"; else ROCKS_USER_DIR=$work/$who "$pilot" "$@" airboss="$airboss"; fi
}

echo "ROCKS_HOME=$ROCKS_HOME"
say "The operator: a ledger, and a checkpoint saved now for the audit at the end."
step init name=espresso.rocksclusters.org public-ip=137.110.119.117
step ledger checkpoint file="$work/checkpoint.note"

say "Two VM containers, both this machine's libvirtd; their private NIC is the bridge rk0."
for n in 0 1; do
  mac=00:14:4f:80:de:0$n
  step add host membership="VM Container" mac=$mac
  step remove host interface vm-container-0-$n eth0
  step add host interface vm-container-0-$n rk0 mac=$mac ip=10.1.255.25$((4 - n)) subnet=private
  step set host attr vm-container-0-$n libvirt_uri qemu:///system
done
step add host interface vm-container-0-0 rk1 ip=137.110.119.200 subnet=public

say "The virtual cluster: a frontend and two computes, small because nothing is installed."
step add cluster ip=137.110.119.118 num-computes=2 fe-container=vm-container-0-0 \
  container-hosts="vm-container-0-0 vm-container-0-1" mem-per-compute=256
step set host vm frontend-0-0-0 mem=512
step list cluster
step list host vm
step sync host network vm-container-0-0 root="$work/root" apply=yes

say "The cluster's owner makes a key pair, encrypted with a passphrase this script keeps in a file of mode 0600, and hands the operator the public half."
(umask 077; head -c 24 /dev/urandom | base64 > "$work/owner/passphrase")
printf '\n$ pilot create keys key=%s passphrase-file=%s > %s\n' "$work/owner/owner.pem" "$work/owner/passphrase" "$work/owner/owner.pub"
"$pilot" create keys key="$work/owner/owner.pem" passphrase-file="$work/owner/passphrase" > "$work/owner/owner.pub"
cat "$work/owner/owner.pub"
step add host key frontend-0-0-0 key="$work/owner/owner.pub"
step list host key frontend-0-0-0

say "The Airboss: the owners' signed requests over TLS, with its own executor."
step start service airboss listen="$airboss"

say "The owner, through the Airboss: the computes on, then the cluster's MACs with what each VM is doing."
pilot_as owner set cluster power host=frontend-0-0-0 key="$work/owner/owner.pem" passphrase-file="$work/owner/passphrase" action=on | tee "$work/power-on.txt"
receipt=$(sed -n 's/.*kept in \(.*\)$/\1/p' "$work/power-on.txt")
pilot_as owner list host macs host=frontend-0-0-0 key="$work/owner/owner.pem" passphrase-file="$work/owner/passphrase" status=yes
printf '\n$ virsh list\n'
virsh -c qemu:///system list

say "The owner opens hosted-vm-0-0-1's console (viewer=no: no vncviewer here) and saves its screen through it."
printf '\n$ pilot open host console host=hosted-vm-0-0-1 key=%s passphrase-file=%s viewer=no &\n' "$work/owner/owner.pem" "$work/owner/passphrase"
ROCKS_USER_DIR=$work/owner "$pilot" open host console host=hosted-vm-0-0-1 key="$work/owner/owner.pem" passphrase-file="$work/owner/passphrase" viewer=no airboss="$airboss" \
  > "$work/console.txt" 2>&1 &
console=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*console on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/console.txt" 2>/dev/null || true)
  [ -n "$port" ] || ! kill -0 "$console" 2>/dev/null && break
  sleep 0.1
done
cat "$work/console.txt"
if [ -z "$port" ]; then echo "error - the console did not open" >&2; exit 1; fi
printf '\n$ python3 scripts/rfb-client.py 127.0.0.1 %s --png %s --min-colours 2 --guest-screen\n' "$port" "$work/console.png"
python3 scripts/rfb-client.py 127.0.0.1 "$port" --png "$work/console.png" --min-colours 2 --guest-screen --wait 60
stop_process "$console"
console=
echo "the console's screen: $work/console.png"

say "Another cluster, a frontend alone (never started), and its owner's key: a stranger to the first cluster."
"$rocks" add cluster ip=137.110.119.119 num-computes=0 fe-container=vm-container-0-1 > "$work/other-cluster.txt"
printf '\n$ rocks add cluster ip=137.110.119.119 num-computes=0 fe-container=vm-container-0-1\n'
cat "$work/other-cluster.txt"
other=$(sed -n 's/^created frontend VM named: //p' "$work/other-cluster.txt")
printf '\n$ pilot create keys key=%s passphrase=no > %s\n' "$work/stranger/stranger.pem" "$work/stranger/stranger.pub"
"$pilot" create keys key="$work/stranger/stranger.pem" passphrase=no > "$work/stranger/stranger.pub"
step add host key "$other" key="$work/stranger/stranger.pub"

say "The stranger asks to power off the first cluster's compute: denied, and the denial is on the record."
if pilot_as stranger set host power host=hosted-vm-0-0-1 key="$work/stranger/stranger.pem" action=off; then
  echo "error - the stranger was let in" >&2
  exit 1
fi

say "The owner powers the computes off."
pilot_as owner set cluster power host=frontend-0-0-0 key="$work/owner/owner.pem" passphrase-file="$work/owner/passphrase" action=off
printf '\n$ virsh list --all\n'
virsh -c qemu:///system list --all

say "The audit: who did what, when, and what came of it; the denied requests alone; one record whole."
step ledger log
step ledger log denied=yes
step ledger show "$(sed -n 's/^receipt: record \([0-9]*\),.*/\1/p' "$work/power-on.txt")"

say "The owner's receipt, checked offline against the frontend key the owner pinned."
pilot_as owner verify receipt="$receipt"

say "The log only grew since the checkpoint saved at the start: a consistency proof, checked with the verifier key alone."
printf '\n$ rocks ledger checkpoint vkey=yes\n'
vkey=$("$rocks" ledger checkpoint vkey=yes)
echo "$vkey"
step ledger consistency old="$work/checkpoint.note" out="$work/consistency.proof"
step ledger verify-proof "$work/consistency.proof" vkey="$vkey" old="$work/checkpoint.note"
step ledger verify since="$work/checkpoint.note"

printf '\nThe Airboss still runs. Stop it with:  ROCKS_HOME=%s %s stop service airboss\n' "$ROCKS_HOME" "$rocks"
printf 'Remove everything the demo made with:  ROCKS_HOME=%s scripts/demo.sh clean\n' "$ROCKS_HOME"
