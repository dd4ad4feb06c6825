#!/usr/bin/env bash
# Installs what this project needs on a Debian 12 machine and starts the services its
# tests and its quick start use. Idempotent: it installs only what is missing and starts
# only what is not running, so CI and a developer can call it before every run.
set -euo pipefail

packages=(
  pkg-config
  golang-go golang-golang-x-mod-dev
  liblmdb-dev lmdb-utils libjemalloc-dev
  libssl-dev openssl libsodium-dev
  libvirt-dev libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-system libvirt-clients
  qemu-system-x86 qemu-utils
  iproute2 ethtool iputils-ping procps socat strace
  openssh-client openssh-server
  curl python3 websockify
)

say() { printf 'setup: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "run as root: it installs Debian packages and starts libvirtd"
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d: PID 1 is not systemd here, so package scripts must not try to start services.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi
command -v swift >/dev/null 2>&1 || { say "the Swift 6 toolchain is not on PATH"; exit 1; }

# libvirtd's QEMU driver runs guests as libvirt-qemu and needs its runtime directories.
getent group kvm >/dev/null || groupadd --system kvm
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
id libvirt-qemu >/dev/null 2>&1 || useradd --system --gid libvirt-qemu --groups kvm \
  --home-dir /var/lib/libvirt --no-create-home --shell /usr/sbin/nologin libvirt-qemu
[ -e /dev/kvm ] && chgrp kvm /dev/kvm 2>/dev/null && chmod 0660 /dev/kvm 2>/dev/null || true
mkdir -p /var/log/libvirt /var/run/libvirt /var/lib/libvirt/images

running() { pgrep -x "$1" >/dev/null 2>&1; }
if ! running virtlogd; then
  say "starting virtlogd"
  virtlogd --daemon
fi
# libvirtd also listens on 127.0.0.1:16509 (TCP, no authentication; see the config file), so
# tests reach a container through libvirt's remote protocol. A libvirtd started without it is
# restarted; running guests keep running, and libvirtd reconnects to them.
libvirtd_conf=$(cd "$(dirname "$0")" && pwd)/libvirtd-loopback.conf
listening() { ss -ltnH 2>/dev/null | grep -q '127.0.0.1:16509 '; }
if running libvirtd && ! listening; then
  say "restarting libvirtd to listen on 127.0.0.1:16509"
  pkill -x libvirtd
  for _ in $(seq 1 100); do running libvirtd || break; sleep 0.1; done
fi
if ! running libvirtd; then
  say "starting libvirtd"
  rm -f /var/run/libvirtd.pid
  libvirtd --daemon --listen --config "$libvirtd_conf"
fi
for _ in $(seq 1 100); do
  [ -S /var/run/libvirt/libvirt-sock ] && listening && break
  sleep 0.1
done
[ -S /var/run/libvirt/libvirt-sock ] || { say "libvirtd did not open its socket"; exit 1; }
listening || { say "libvirtd does not listen on 127.0.0.1:16509"; exit 1; }

# VM disks live in libvirt's `default` storage pool (the host attribute vm_disk_pool names another).
virsh_system() { virsh -q -c qemu:///system "$@"; }
if ! virsh_system pool-info default >/dev/null 2>&1; then
  say "defining the default storage pool in /var/lib/libvirt/images"
  virsh_system pool-define-as default dir --target /var/lib/libvirt/images >/dev/null
  virsh_system pool-autostart default >/dev/null
fi
pool_info=$(virsh_system pool-info default)
if ! grep -q 'State: *running' <<<"$pool_info"; then
  virsh_system pool-start default >/dev/null
fi
