#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Obtain a pristine Linux 7.3 tree: KDIR=... or Debian's linux-source-7.3
# (downloaded and extracted, never installed), cached in $CACHE.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$BUILD" "$CACHE"

kver() { make -s --no-print-directory -C "$1" kernelversion 2>/dev/null; }

if [ -n "${KDIR:-}" ]; then
	dir=$(cd "$KDIR" && pwd)
	[ -f "$dir/Makefile" ] || die "KDIR=$KDIR is not a kernel tree"
	ver=$(kver "$dir")
	origin="KDIR=$dir"
else
	dir="$CACHE/linux-source-7.3"
	if [ ! -f "$dir/.vfio-intr-complete" ]; then
		cd "$CACHE"
		if ! ls linux-source-7.3_*.deb >/dev/null 2>&1; then
			msg "downloading Debian linux-source-7.3 (~170 MB)"
			apt-get download -q linux-source-7.3 2>&1 | grep -v '^W: Download is performed unsandboxed' || true
		fi
		deb=$(ls linux-source-7.3_*.deb | sort -V | tail -n1)
		[ -f "$deb" ] || die "could not download linux-source-7.3"
		msg "extracting $deb"
		rm -rf deb "$dir"
		dpkg-deb -x "$deb" deb
		tar xJf deb/usr/src/linux-source-7.3.tar.xz
		rm -rf deb
		basename "$deb" .deb | sed 's/^linux-source-7.3_//; s/_all$//' > "$dir/.vfio-intr-debian-version"
		touch "$dir/.vfio-intr-complete"
	fi
	ver=$(kver "$dir")
	origin="Debian linux-source-7.3 $(cat "$dir/.vfio-intr-debian-version")"
fi

case "$ver" in
7.3|7.3.*) ;;
*) die "expected Linux 7.3, found '$ver' in $dir" ;;
esac

new="dir=$dir
version=$ver
origin=$origin"
if [ ! -f "$BUILD/.source" ] || [ "$(cat "$BUILD/.source")" != "$new" ]; then
	printf '%s\n' "$new" > "$BUILD/.source"
fi
msg "upstream: Linux $ver ($origin)"
