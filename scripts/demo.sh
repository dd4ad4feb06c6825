#!/usr/bin/env bash
# The quick start: installs what is missing, builds `rocks`, and runs the main job: the users
# guide's virtual cluster, provisioned in a fresh ledger and powered on as real KVM guests on
# this machine's libvirtd, which stands in for both of the guide's VM containers.
#
# The containers' NICs are links this script creates (and a later run deletes): veth prk0
# under bridge rk0 for the private network, prk1 under rk1 for the public one, and a veth
# prk0.2 standing in for the VLAN 2 device (kernels without 802.1Q cannot make a real one).
# The machine's own interfaces are never touched. The guests have empty disks, so they sit
# in their firmware's network boot; their VNC consoles listen on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH=/opt/swift/usr/bin:$PATH
swift build --product rocks
rocks=$PWD/.build/debug/rocks
export ROCKS_HOME=${ROCKS_HOME:-/var/tmp/rocks-demo}
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

# A previous run's cluster goes first, through its own ledger: only what the demo made.
if [ -d "$ROCKS_HOME/ledger" ]; then
  echo "removing the previous demo cluster in $ROCKS_HOME"
  "$rocks" remove cluster frontend-0-0-0 delete-disks=yes || true
  rm -rf "$ROCKS_HOME"
fi
for link in prk0 prk1 prk0.2 rk0 rk1; do ip link del "$link" 2>/dev/null || true; done
ip link add prk0 type veth peer name xrk0
ip link add prk1 type veth peer name xrk1
ip link add prk0.2 type veth peer name xrk0v2
mkdir -p "$ROCKS_HOME"
work=$ROCKS_HOME/demo-files
mkdir -p "$work/root"

step() { printf '\n$ rocks %s\n' "$*"; "$rocks" "$@"; }

echo "ROCKS_HOME=$ROCKS_HOME"
step init name=espresso.rocksclusters.org public-ip=137.110.119.117
step ledger checkpoint file="$work/checkpoint.json"
for n in 0 1; do
  mac=00:14:4f:80:de:0$n
  step add host membership="VM Container" mac=$mac
  # This machine is both containers: their private NIC is the bridge rk0, not eth0.
  step remove host interface vm-container-0-$n eth0
  step add host interface vm-container-0-$n rk0 mac=$mac ip=10.1.255.25$((4 - n)) subnet=private
  step set host attr vm-container-0-$n libvirt_uri qemu:///system
done
step add host interface vm-container-0-0 rk1 ip=137.110.119.200 subnet=public
step add cluster ip=137.110.119.118 num-computes=2 fe-container=vm-container-0-0 \
  container-hosts="vm-container-0-0 vm-container-0-1" mem-per-compute=256
step set host vm frontend-0-0-0 mem=512
printf 'demo passphrase\n' > "$work/passphrase"
printf '\n$ rocks create keys key=%s passphrase-file=%s > %s\n' "$work/owner.pem" "$work/passphrase" "$work/owner.pub"
"$rocks" create keys key="$work/owner.pem" passphrase-file="$work/passphrase" > "$work/owner.pub"
cat "$work/owner.pub"
step add host key frontend-0-0-0 key="$work/owner.pub"
step list cluster
step list host vm
step list host interface frontend-0-0-0
step report host interface vm-container-0-0
step sync host network vm-container-0-0 root="$work/root" apply=yes
step report host vm config hosted-vm-0-0-1
step start host vm frontend-0-0-0 hosted-vm-0-0-1 hosted-vm-0-1-0
printf '\n$ virsh list\n'
virsh -c qemu:///system list
step ledger log
step ledger verify since="$work/checkpoint.json"
printf '\nThe cluster is running. Stop it with:  ROCKS_HOME=%s %s stop host vm frontend-0-0-0 hosted-vm-0-0-1 hosted-vm-0-1-0\n' "$ROCKS_HOME" "$rocks"
printf 'Remove it with:     ROCKS_HOME=%s %s remove cluster frontend-0-0-0 delete-disks=yes\n' "$ROCKS_HOME" "$rocks"
