#!/usr/bin/env bash
# Makes a small ledger that touches every kind of record and writes it to the directory
# <out>: its whole LMDB environment as `mdb_dump -a` prints it (ledger.dump), and the admin and
# frontend keys that signed it (keys/, test keys only). A fixture of the decision format that
# <rocks> writes; the tests fold it with today's build (fixtures/ledger/README.md).
#   scripts/make-ledger-fixture.sh <rocks executable> <out>
set -euo pipefail
rocks=$(realpath "$1")
out=$2
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export ROCKS_HOME=$home ROCKS_LIBVIRT_URI=test:///default
run() { "$rocks" "$@" >/dev/null; }

run init name=espresso.rocksclusters.org public-ip=137.110.119.117
run add host "membership=VM Container" mac=00:14:4f:80:de:00
run add host "membership=VM Container" mac=00:14:4f:80:de:01
run add cluster 137.110.119.118 2
run add cluster 137.110.119.119 1 container-hosts=vm-container-0-1
run add host vm vm-container-0-0 membership=compute num-macs=2 vlan=none,9
run add host interface vm-container-0-1 eth1 subnet=public ip=137.110.119.200 module=e1000e
run set host interface ip vm-container-0-1 eth1 137.110.119.201
run set host vm compute-0-0-1 mem=2048 disksize=40
run set host vm hosted-vm-0-0-0 physnode=vm-container-0-1
run set host cpus vm-container-0-0 4
run set host boot compute-0-0-1 install
run set host runaction compute-0-0-1 "install headless"
run set host attr vm-container-0-0 vm_disk_pool images
run set host attr vm-container-0-0 note kept
run remove host attr vm-container-0-0 note
"$rocks" create keys key="$home/owner.key" passphrase=no > "$home/owner.pub"
run add host key frontend-0-0-0 key="$home/owner.pub"
run add host key frontend-0-0-1 key="$home/owner.pub" 2>/dev/null || true
run start host vm compute-0-0-1 async=yes
run stop host vm compute-0-0-1 async=yes
run run executor once=yes
run sync host vm
run remove host key frontend-0-0-0 1
run set allocation next-host-key-number 7
run remove host interface vm-container-0-1 eth1
run remove host vm compute-0-0-1 async=yes
run run executor once=yes
run remove cluster frontend-0-0-1 async=yes
run run executor once=yes
run add host membership=Compute rack=1
run remove host compute-1-0
mkdir -p "$out/keys"
mdb_dump -a "$home/ledger" | grep -v "^db_pagesize=" > "$out/ledger.dump"
cp "$home/keys/admin.pem" "$home/keys/frontend.pem" "$out/keys/"
echo "$("$rocks" ledger head) -> $out"
