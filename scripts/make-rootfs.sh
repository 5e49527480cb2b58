#!/usr/bin/env bash
# Builds bundles/busybox/rootfs from Debian's busybox-static: every applet linked,
# the usual top-level directories, and an /etc/passwd and /etc/group with root,
# nobody and a uid 1000 user. Usage: scripts/make-rootfs.sh [ROOTFS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rootfs=${1:-$here/bundles/busybox/rootfs}
if ! dpkg -s busybox-static >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
rm -rf "$rootfs"
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,home/user,var,run}
chmod 1777 "$rootfs/tmp"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list-full); do
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$rootfs/$(dirname "$applet")"
  ln -sf /bin/busybox "$rootfs/$applet"
done
cat > "$rootfs/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > "$rootfs/etc/group" <<'GR'
root:x:0:
tty:x:5:
user:x:1000:
nogroup:x:65534:
GR
chown 1000:1000 "$rootfs/home/user"
echo "rootfs ready: $rootfs ($(ls "$rootfs/bin" | wc -l) applets in /bin)"
