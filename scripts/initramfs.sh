#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Guest initramfs: static busybox, our init, the test list and every static
# binary of build/selftests/vfio.  Built with the kernel's gen_init_cpio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kobj=${KOBJ:-$BUILD/kobj}	# for its usr/gen_init_cpio
cpio=${INITRAMFS:-$BUILD/initramfs.cpio}
list="$cpio.list"
[ -n "${INITRAMFS:-}" ] || list="$BUILD/initramfs.list"
bb=$(command -v busybox || true)
[ -n "$bb" ] && file -L "$bb" | grep -q 'statically linked' || bb=/bin/busybox
file -L "$bb" | grep -q 'statically linked' || die "need a static busybox (package busybox-static)"
gen="$kobj/usr/gen_init_cpio"
[ -x "$gen" ] || make -s -C "${KTREE:-$BUILD/linux}" O="$kobj" ARCH=x86_64 usr/gen_init_cpio >/dev/null

{
	for d in /bin /sbin /usr /usr/bin /usr/sbin /dev /proc /sys /tmp /selftests /root; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /bin/busybox $bb 0755 0 0"
	"$bb" --list-full | while read -r a; do
		[ "$a" = bin/busybox ] || echo "slink /$a /bin/busybox 0777 0 0"
	done
	echo "file /init $TOP/scripts/guest/init 0755 0 0"
	echo "file /tests.list $TOP/scripts/guest/tests.list 0644 0 0"
	# Only the binaries a guest test or the demo runs: each static binary
	# costs ~1 MB of initramfs to unpack at every boot.
	for f in "$BUILD"/selftests/vfio/*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		b=$(basename "$f")
		grep -qE "(^|[[:space:]=])$b([[:space:]]|$)" "$TOP/scripts/guest/tests.list" \
			"$TOP/scripts/guest/init" || continue
		echo "file /selftests/$b $f 0755 0 0"
	done
} > "$list"

"$gen" "$list" > "$cpio.tmp"   # uncompressed: gunzip is slow under TCG
mv "$cpio.tmp" "$cpio"
msg "initramfs: $cpio ($(du -h "$cpio" | cut -f1))"
