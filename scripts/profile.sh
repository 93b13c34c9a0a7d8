#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make profile: where the guest instructions of the benchmark's SET_IRQS and
# interrupt rows go, by function, counted exactly by a QEMU TCG plugin
# (tools/vfio-intr/insn-profile) in one boot of our bench kernel.  Writes
# build/bench/profile.md (docs/benchmarks.md, "Instruction profile").
#
# make profile-check (profile.sh check): the same count for one guest test
# on the make check (debug) kernel: PROFILE_TEST, a command as in
# scripts/guest/tests.list (default: 300 operations of the igb fuzzer with a
# fixed seed), on the device PROFILE_DEV (edu, igb or none; default igb).
# Writes build/profile-check/profile.md (docs/testing.md, "Debug kernel cost").
#
# The plugin is built against qemu-plugin.h of the installed QEMU, taken
# from Debian's source tarball of that version (download + extract one
# file, cached in $CACHE), with glib's few declarations from a shim.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out="$BUILD/bench"
mkdir -p "$out"
cd "$TOP"

plugin_header() {
	local ver up dir url
	ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) ||
		die "profile: qemu-system-x86 is not installed (make deps)"
	up=${ver#*:}
	up=${up%-*}
	dir="$CACHE/qemu-plugin-$up"
	if [ ! -s "$dir/qemu-plugin.h" ]; then
		url="http://deb.debian.org/debian/pool/main/q/qemu/qemu_${up}.orig.tar.xz"
		msg "profile: qemu-plugin.h of QEMU $up from $url"
		mkdir -p "$dir.tmp"
		curl -fsSL "$url" | tar -xJ -C "$dir.tmp" --wildcards --strip-components=3 \
			'*/include/qemu/qemu-plugin.h' ||
			die "profile: could not get qemu-plugin.h from $url"
		rm -rf "$dir"
		mv "$dir.tmp" "$dir"
	fi
	grep -q 'QEMU_PLUGIN_VERSION' "$dir/qemu-plugin.h" || die "profile: $dir/qemu-plugin.h is not the plugin API"
	echo "$dir"
}

stage_begin profile
hdr=$(plugin_header)
so="$out/insn_profile.so"
gcc -O2 -Wall -Werror -shared -fPIC -I tools/vfio-intr/insn-profile/shim -I "$hdr" \
	-o "$so" tools/vfio-intr/insn-profile/insn_profile.c || die "profile: building the plugin failed"

if [ "${1:-bench}" = check ]; then
	dir="$BUILD/profile-check"
	cmd=${PROFILE_TEST:-FUZZ_SEED=1882533884067960 FUZZ_ITERS=300 vfio_irq_fuzz_test igb @BDF}
	mkdir -p "$dir"
	gcc -static -O2 -Wall -Werror -o "$dir/insn_mark" tools/vfio-intr/insn-profile/insn_mark.c ||
		die "profile-check: building insn_mark failed"
	# PROFILE_BOOT=1: count from the first instruction to the test's end
	# (firmware, boot, init; KUnit with PROFILE_KUNIT=1).
	start="insn_mark start; " plug=""
	[ "${PROFILE_BOOT:-0}" = 1 ] && start="" plug=",boot=1"
	# PROFILE_CALLERS="fn ...": the call chains into those functions.
	if [ -n "${PROFILE_CALLERS:-}" ]; then
		addrs=""
		for fn in $PROFILE_CALLERS; do
			a=$(awk -v f="$fn" '$3 == f { print $1; exit }' "$BUILD/kobj/System.map")
			[ -n "$a" ] || die "profile-check: no function $fn in $BUILD/kobj/System.map"
			addrs="$addrs:$a"
		done
		plug="$plug,callers=${addrs#:},cdepth=${PROFILE_CDEPTH:-6}"
	fi
	printf 'profile  main  %s  3600  %s%s; rc=$?; insn_mark end; exit $rc\n' \
		"${PROFILE_DEV:-igb}" "$start" "$cmd" > "$dir/tests.list"
	sed -e "s#^file /tests.list .*#file /tests.list $dir/tests.list 0644 0 0#" \
		"$BUILD/initramfs.list" > "$dir/initramfs.list"
	echo "file /selftests/insn_mark $dir/insn_mark 0755 0 0" >> "$dir/initramfs.list"
	"$BUILD/kobj/usr/gen_init_cpio" "$dir/initramfs.list" > "$dir/initramfs.cpio"
	rm -f "$dir/counts.txt"
	msg "profile-check: '$cmd' on the make check kernel, log: $dir/vm/guest.log"
	VM_KERNEL="$BUILD/kobj/arch/x86/boot/bzImage" VM_INITRD="$dir/initramfs.cpio" \
	VM_DIR="$dir/vm" VM_QEMU_EXTRA="-plugin $so,out=$dir/counts.txt$plug" \
	VM_APPEND="vfio_intr.mode=check vfio_intr.run=main vfio_intr.tests=profile kunit.enable=${PROFILE_KUNIT:-0} ${VM_APPEND:-}" \
		scripts/vm.sh bench
	grep -q '^ok 1 profile' "$dir/vm/results.txt" ||
		die "profile-check: the test failed; see $dir/vm/results.txt"
	python3 scripts/profile-report.py --flat "$BUILD/kobj/System.map" "$dir/counts.txt" \
		> "$dir/profile.md"
	stage_end
	head -n 30 "$dir/profile.md"
	msg "profile-check: $dir/profile.md"
	exit 0
fi

[ -f "$out/kobj-ours/arch/x86/boot/bzImage" ] || scripts/bench.sh kernels
KOBJ="$out/kobj-ours" scripts/selftests.sh
KOBJ="$out/kobj-ours" INITRAMFS="$out/initramfs.cpio" scripts/initramfs.sh

map="$out/kobj-ours/System.map"
lo=$(awk '$3 == "irq_entries_start" { print $1 }' "$map")
hi=$(awk '$3 == "spurious_entries_start" { print $1 }' "$map")
[ -n "$lo" ] && [ -n "$hi" ] || die "profile: no irq_entries_start/spurious_entries_start in $map"
msg "profile: our bench kernel with the plugin (-smp 32), log: $out/ours-profile/guest.log"
VM_KERNEL="$out/kobj-ours/arch/x86/boot/bzImage" VM_INITRD="$out/initramfs.cpio" \
VM_DIR="$out/ours-profile" VM_SMP=32 \
VM_QEMU_EXTRA="-plugin $so,out=$out/profile-counts.txt,irq_entries=$lo-$hi" \
VM_APPEND="vfio_intr.bench=ims-profile ${VM_APPEND:-}" scripts/vm.sh bench
grep -q '^# vfio_intr_bench exit status 0' "$out/ours-profile/results.txt" ||
	die "profile: the guest program failed; see $out/ours-profile/results.txt"
python3 scripts/profile-report.py "$map" "$out/profile-counts.txt" \
	"$out/ours-profile/results.txt" > "$out/profile.md"
stage_end
cat "$out/profile.md"
msg "profile: $out/profile.md"
