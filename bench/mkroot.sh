#!/usr/bin/env bash
# mkroot.sh: build the Debian 12 desktop and server root filesystem that bench/host-scan.sh and bench/pgo.sh
# measure, so that the benchmark tree is the same on every machine.
#
# Usage: sudo bench/mkroot.sh DIR
#
#   DIR   where to build the rootfs; it must not exist yet, or be empty. About 2.7 GB.
#
# Environment:
#   MIRROR            Debian mirror (default http://deb.debian.org/debian)
#   SECURITY_MIRROR   Debian security mirror (default http://deb.debian.org/debian-security)
#
# It runs debootstrap (minbase, bookworm), then apt-get install --no-install-recommends of the package list
# below inside the tree (chroot, /proc mounted for the maintainer scripts, no service started: policy-rc.d
# says no), then empties apt's package cache so that only installed software remains. It needs root,
# debootstrap (apt-get install debootstrap) and the mirror. The result: 533 dpkg packages, about 45,000
# entries, with LibreOffice's zip files, two jars (ca-certificates-java and the JDK's jrt-fs), Go binaries
# (runc) and Python packages; package versions follow the mirror's day.
#
# The list: a desktop (Xfce, Firefox ESR, Thunderbird, LibreOffice Writer and Calc) and a server stack
# (PostgreSQL 15, MariaDB, Redis, nginx, Apache with PHP, OpenSSH, OpenJDK 17, runc), with the everyday tools.
set -euo pipefail

packages=(
	firefox-esr thunderbird libreoffice-writer libreoffice-calc xfce4
	postgresql-15 mariadb-server redis-server nginx apache2 libapache2-mod-php openssh-server
	openjdk-17-jre-headless ca-certificates-java runc
	git ripgrep curl vim rsync sudo gnupg less man-db cups-client python3 python3-requests
)

case "${1:-}" in
-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
root="$1"
[ "$(id -u)" = 0 ] || { echo "mkroot.sh: needs root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "mkroot.sh: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
if [ -e "$root" ] && [ -n "$(ls -A "$root")" ]; then
	echo "mkroot.sh: $root exists and is not empty" >&2; exit 2
fi
mirror="${MIRROR:-http://deb.debian.org/debian}"
security="${SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

mkdir -p "$root"
echo "debootstrap bookworm into $root" >&2
debootstrap --variant=minbase bookworm "$root" "$mirror" >&2
# maintainer scripts must not start services in the tree
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
echo "deb $mirror bookworm-updates main" >> "$root/etc/apt/sources.list"
echo "deb $security bookworm-security main" >> "$root/etc/apt/sources.list"

mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
chroot "$root" apt-get update -q >&2
echo "installing ${#packages[@]} packages and their dependencies" >&2
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends "${packages[@]}" >&2
chroot "$root" apt-get clean
umount "$root/proc"
trap - EXIT

echo "$root: $(chroot "$root" dpkg-query -W | wc -l) packages, $(find "$root" -xdev | wc -l) entries" >&2
