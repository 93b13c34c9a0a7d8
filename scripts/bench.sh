#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the same benchmark program (tools/vfio-intr/vfio_intr_bench.c)
# in two VM boots, one on our kernel and one on unmodified upstream 7.3, both
# built with the bench configuration (configs/base.config, configs/mtty.config
# and configs/bench/*.config: the debug fragment is left out, see
# docs/benchmarks.md).  Guest time counts instructions (-icount), so the
# numbers are deterministic guest work, not host time.
#
#   bench.sh kernels   build both kernels (build/bench/kobj-{ours,upstream})
#   bench.sh run       boot both, write build/bench/results.md
#   bench.sh           both steps
#
# BENCH_IMS=auto|1|0: boot the IMS part (auto: if the SIOV driver is there),
# BENCH_IMS_SMP=n: its vCPUs (default 32: the scale row needs >= ~24, one CPU
# vector each of ~200 per x86 CPU for 4096 IMS vectors; NR_CPUS=64 in base.config).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out="$BUILD/bench"
mkdir -p "$out"
cd "$TOP"
frags="configs/base.config configs/mtty.config $(ls configs/bench/*.config | sort)"

# Upstream's tree: a hard-linked copy of the pristine tree, never written
# (kbuild writes only to O=); our tree is the one 'make tree' prepared.
upstream_tree() {
	local src tree="$out/linux-upstream"
	src=$(pristine_dir)
	if [ ! -f "$tree/.vfio-intr-base" ] || [ "$(cat "$tree/.vfio-intr-base")" != "$src" ]; then
		msg "bench: creating the upstream tree from $src"
		rm -rf "$tree"
		cp -al "$src" "$tree" 2>/dev/null || { rm -rf "$tree"; cp -a "$src" "$tree"; }
		echo "$src" > "$tree/.vfio-intr-base"
	fi
}

# Upstream's fragments: ours minus the symbols only our Kconfig files define.
upstream_frags() {
	local src syms f dropped=""
	src=$(pristine_dir)
	syms="$out/upstream-symbols"
	[ -s "$syms" ] || find "$src" -name 'Kconfig*' -type f -print0 |
		xargs -0 sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Za-z0-9_]*\).*/CONFIG_\2/p' |
		sort -u > "$syms"
	mkdir -p "$out/configs-upstream"
	for f in $frags; do
		: > "$out/configs-upstream/$(basename "$f")"
		while IFS= read -r line; do
			sym=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1/p' <<< "$line")
			if [ -n "$sym" ] && ! grep -qxF "$sym" "$syms"; then
				dropped="$dropped $sym"
				continue
			fi
			printf '%s\n' "$line" >> "$out/configs-upstream/$(basename "$f")"
		done < "$f"
	done
	msg "bench: symbols only our Kconfig defines, left out of upstream's config:${dropped:- none}"
	echo "${dropped# }" > "$out/upstream-dropped"
}

# Each kernel's output directory is a direct subdirectory of its source
# tree, so kbuild names the sources relatively ("../include") and the two
# kernels' command lines are identical: our kernel starts from a copy of
# upstream's objects and rebuilds only what the overlay, the patches and
# the extra symbols change.
kernels() {
	local ufrags kup="$out/linux-upstream/kobj-bench" kours="$BUILD/linux/kobj-bench"
	stage_begin bench-kernels
	upstream_tree
	upstream_frags
	ufrags=$(for f in $frags; do echo "$out/configs-upstream/$(basename "$f")"; done)
	msg "bench: upstream kernel (pristine 7.3, no overlay, no patches)"
	KTREE="$out/linux-upstream" KOBJ="$kup" KMANIFEST= CONFIGS="$ufrags" \
		nice scripts/kernel.sh
	if [ ! -d "$kours" ]; then
		msg "bench: our kernel starts from upstream's objects"
		cp -a "$kup" "$kours.tmp"
		rm -f "$kours.tmp/.vfio-intr-cfghash"
		mv "$kours.tmp" "$kours"
		# tools/ builds objtool with absolute paths, so the copy rebuilds
		# it, and every object depends on objtool: rebuild it first, then
		# give it the old time stamp below, or everything recompiles.
		nice make -s -C "$BUILD/linux" O="$kours" ARCH=x86_64 tools/objtool >/dev/null
		# Make compares time stamps: every copied file must be older than
		# every file of our overlay and patches (tree.manifest), or a
		# file we changed but wrote before upstream's objects were
		# compiled is not recompiled.  Pristine sources stay older still.
		t0=$(cd "$BUILD/linux" && xargs stat -c %Y < "$BUILD/tree.manifest" 2>/dev/null |
			sort -n | head -n1)
		find "$kours" -exec touch -h -d "@$((t0 - 1))" {} +
	fi
	msg "bench: our kernel"
	KOBJ="$kours" CONFIGS="$frags" nice scripts/kernel.sh
	ln -sfn "$kup" "$out/kobj-upstream"
	ln -sfn "$kours" "$out/kobj-ours"
	stage_end
}

# One boot: bench.sh's VM_* settings for scripts/vm.sh.
boot() {
	local kernel=$1 part=$2 smp=$3 t0=$(date +%s)
	msg "bench: $part on $kernel (-smp $smp), log: $out/$kernel-$part/guest.log"
	VM_KERNEL="$out/kobj-$kernel/arch/x86/boot/bzImage" VM_INITRD="$out/initramfs.cpio" \
	VM_DIR="$out/$kernel-$part" VM_SMP=$smp \
	VM_APPEND="vfio_intr.bench=$part ${VM_APPEND:-}" scripts/vm.sh bench
	echo "$kernel-$part $(( $(date +%s) - t0 ))s" >> "$out/boot-times"
	grep -E '^(bench|#)' "$out/$kernel-$part/results.txt" | grep -v '^# vfio-intr' >&2 || true
}

run() {
	stage_begin bench-run
	KOBJ="$out/kobj-ours" scripts/selftests.sh
	KOBJ="$out/kobj-ours" INITRAMFS="$out/initramfs.cpio" scripts/initramfs.sh
	: > "$out/boot-times"
	# One boot at a time: the numbers are instructions, but a quiet host
	# keeps the run short.
	boot ours igb 2
	boot upstream igb 2
	# IMS vectors need a CPU vector each (about 200 per x86 CPU): 4096 of
	# them (the scale goal) and 1024 on one virtual device need ~24 CPUs,
	# hence 32 vCPUs by default (docs/benchmarks.md).
	# BENCH_IMS=auto boots it only when the SIOV driver has its sysfs group
	# (docs/siov-edu.rst); its rows are n/a otherwise.
	if [ "${BENCH_IMS:-auto}" = 1 ] ||
	   { [ "${BENCH_IMS:-auto}" = auto ] && grep -rqs '"siov"' "$BUILD/linux/samples/vfio-siov-edu"; }; then
		boot ours ims "${BENCH_IMS_SMP:-32}"
	else
		msg "bench: no SIOV virtual devices in our tree (docs/siov-edu.rst): IMS rows n/a"
		mkdir -p "$out/ours-ims"
		echo "bench irq.ims.irqcpu n/a - needs SIOV" > "$out/ours-ims/results.txt"
	fi
	python3 scripts/bench-table.py "$out/ours-igb/results.txt" "$out/upstream-igb/results.txt" \
		"$out/ours-ims/results.txt" \
		"# make bench: vfio-intr ($(git describe --always --dirty 2>/dev/null || echo '?')) against upstream $(sed -n 's/^version=//p' "$BUILD/.source")" \
		"" \
		"Guest instructions (QEMU TCG, -icount shift=0,sleep=off: 1 ns of guest time = 1 instruction)," \
		"bench config for both kernels: configs/base.config configs/mtty.config configs/bench/*.config;" \
		"left out of upstream's config (only our Kconfig defines them): $(cat "$out/upstream-dropped")." \
		"wall = CLOCK_MONOTONIC, no idle in the loop; busy = sum over CPUs of (wall - idle from /proc/uptime)." \
		"VM boots: $(tr '\n' ' ' < "$out/boot-times")" > "$out/results.md"
	stage_end
	cat "$out/results.md"
	msg "bench: results in $out/results.md"
}

case "${1:-all}" in
kernels) kernels ;;
run) run ;;
all) kernels; run ;;
*) die "usage: bench.sh [kernels|run]" ;;
esac
