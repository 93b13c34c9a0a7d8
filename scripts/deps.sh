#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Idempotent host setup: apt sources/pin and the packages vfio-intr needs.
# Only Debian 12 (bookworm) is supported.  Nothing is ever installed from
# trixie/forky/sid: trixie-backports is added at pin priority 1, used only for
# 'apt-get download linux-source-7.3'.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="build-essential flex bison bc libelf-dev libssl-dev cpio busybox-static uuid-dev python3 rsync
      gzip xz-utils lz4 kmod patch git"
SOURCES=/etc/apt/sources.list.d/vfio-intr-backports.sources
PIN=/etc/apt/preferences.d/vfio-intr-trixie-backports

need_root() {
	[ "$(id -u)" = 0 ] || die "host setup needs root: $*  (or install it yourself and re-run)"
}

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done

qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null || return 1
	local v
	v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${v:-0}" -ge 8 ] || return 1
	qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'
}

need_kernel_deb() {
	[ -z "${KDIR:-}" ] && ! ls "$CACHE"/linux-source-7.3_*.deb >/dev/null 2>&1
}

apt_sources_ok() {
	[ -f "$SOURCES" ] && [ -f "$PIN" ]
}

if [ -z "$missing" ] && qemu_ok && { apt_sources_ok || ! need_kernel_deb; }; then
	exit 0
fi

need_root "missing:${missing:- } $(qemu_ok || echo 'qemu-system-x86_64>=8 with igb')"
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release ||
	msg "warning: not Debian 12; the apt setup below assumes bookworm"

if ! apt_sources_ok; then
	msg "adding bookworm-backports and trixie-backports (pinned at 1) to apt sources"
	mirror=$(grep -rhoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		 grep -v security | head -n1 | tr -d ' ' || true)
	mirror=${mirror:-http://deb.debian.org/debian}
	cat > "$SOURCES" <<EOS
Types: deb
URIs: ${mirror%/}
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
	cat > "$PIN" <<EOS
# vfio-intr: never install from trixie-backports (it would pull trixie's libc);
# only 'apt-get download linux-source-7.3' uses it.
Package: *
Pin: release n=trixie-backports
Pin-Priority: 1
EOS
fi

export DEBIAN_FRONTEND=noninteractive
msg "apt-get update"
apt-get update -q >/dev/null
if [ -n "$missing" ]; then
	msg "installing:$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if ! qemu_ok; then
	msg "installing qemu-system-x86 from bookworm-backports"
	apt-get install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86 >/dev/null
	qemu_ok || die "qemu-system-x86_64 >= 8 with the igb device is still missing"
fi
msg "host dependencies ready"
