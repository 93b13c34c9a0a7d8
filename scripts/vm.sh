#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the kernel under QEMU TCG with edu + igb behind VT-d interrupt remapping.
#   vm.sh check   every run of scripts/guest/runs.list; TAP summary; exit 1 on
#                 any failure, kernel splat or timeout
#   vm.sh demo    one boot in demo mode, its table printed
#   vm.sh bench   one boot running the benchmark (scripts/bench.sh sets
#                 VM_KERNEL, VM_INITRD, VM_DIR, VM_SMP and VM_APPEND;
#                 scripts/profile.sh adds QEMU options in VM_QEMU_EXTRA)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
kernel=${VM_KERNEL:-$BUILD/kobj/arch/x86/boot/bzImage}
initrd=${VM_INITRD:-$BUILD/initramfs.cpio}
VM_TIMEOUT=${VM_TIMEOUT:-2700}
[ -f "$kernel" ] && [ -f "$initrd" ] || die "build the kernel and initramfs first"

# Guest time = executed instructions (1 ns each), idle time skipped: timeouts
# inside the guest (kselftest_harness's 30 s per test) then measure work, not
# how loaded the host is.  VM_ICOUNT=0 runs in real time instead.
icount="-icount shift=0,sleep=off"
[ "${VM_ICOUNT:-1}" = 0 ] && icount=""

# With icount shift=0 the TSC runs at exactly 1 GHz of guest time.  TCG
# offers no invariant TSC, so without lpj= every CPU calibrates its delay
# loop at bring-up: ~70 M guest instructions each, 28% of the (then 24-vCPU) scale
# boot (make profile-check PROFILE_BOOT=1).  lpj= skips that on all CPUs.
lpj=""
kconfig="${kernel%/arch/x86/boot/bzImage}/.config"
if [ -n "$icount" ] && hz=$(sed -n 's/^CONFIG_HZ=//p' "$kconfig" 2>/dev/null) && [ -n "$hz" ]; then
	lpj="lpj=$((1000000000 / hz))"
fi

# The debug kernel (make check, demo, profile-check; not the bench kernels)
# skips one initcall no test needs: trace_eval_init() rewrites the print
# format of every trace event for its enum symbols, 0.22 G of the 3.83 G
# guest instructions of a boot to the first test (tracing is built in
# because lockdep's irq-flag tracing selects it; no test reads tracefs).
#
# It also gets 768 MB of RAM instead of 1.5 GB: every boot initialises,
# frees and poisons (KASAN) each page, and kmemleak scans the memory map.
# Measured on noir's boot without tests: 0.31 G fewer guest instructions to
# init, and 0.53 G fewer for the two kmemleak scans at the end.  The tests'
# peak is the 64x64 IMS test (~23 MB of slab); the bench kernels keep 1.5 GB.
quick=""
mem=1536M
if grep -qx 'CONFIG_KASAN=y' "$kconfig" 2>/dev/null; then
	quick="initcall_blacklist=trace_eval_init"
	mem=768M
fi

# boot OUTDIR QEMU_EXTRA APPEND_EXTRA: one VM, console -> OUTDIR/guest.log,
# guest reports (ttyS1) -> OUTDIR/results.tap.  Returns QEMU's/timeout's status.
boot() {
	local dir=$1 qextra=$2 aextra=$3 rc=0
	mkdir -p "$dir"
	rm -f "$dir/guest.log" "$dir/results.tap" "$dir/qemu.rc"
	: > "$dir/results.tap"
	# Show progress while the VM runs, and stamp the arrival (host time) of
	# the report lines (record_durations).  tail follows until the sentinel
	# goes, then reads to the end.
	echo "$EPOCHSECONDS # boot" > "$dir/stamps"
	sleep infinity &
	local sentinel=$!
	tail -n +1 -F --pid="$sentinel" "$dir/results.tap" 2>/dev/null |
		while IFS= read -r l; do
			l=${l%$'\r'}
			[[ $l != '# '* ]] || echo "$EPOCHSECONDS $l" >> "$dir/stamps"
			[[ ! $l =~ ^(not\ )?ok\ |^#\ (vfio-intr|kmemleak)|^[^\ #].*\| ]] || echo "$l"
		done &
	local tailpid=$!
	# edu's DMA reaches 64 address bits (dma_mask), which the edu SIOV
	# driver must be told (vfio_siov_edu.dma_bits): its IMS messages are
	# DMA writes to MSI addresses.  -nodefaults: no VGA card and no default
	# NIC, whose option ROMs (VGA BIOS, iPXE) cost each boot 1-2 s of host
	# time in the firmware; igb then warns that it has no network peer.
	# shellcheck disable=SC2086
	timeout --foreground -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
		-accel tcg,thread=single $icount -M q35,kernel-irqchip=split -cpu max -smp ${VM_SMP:-2} -m ${VM_MEM:-$mem} \
		-nodefaults -nographic -no-reboot -monitor none \
		-device intel-iommu,intremap=on \
		-device edu,dma_mask=0xffffffffffffffff \
		-device igb \
		$qextra \
		-chardev file,id=con,path="$dir/guest.log" -serial chardev:con \
		-chardev file,id=res,path="$dir/results.tap" -serial chardev:res \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 intel_iommu=on vfio_siov_edu.dma_bits=64 loglevel=6 printk.time=1 $lpj $quick vfio_intr.mode=$mode $aextra ${VM_APPEND:-}" \
		< /dev/null > "$dir/qemu.log" 2>&1 || rc=$?
	kill "$sentinel"
	wait "$tailpid" 2>/dev/null || true
	return $rc
}

trim() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<< "$1"; }

common_args() {
	local a=""
	[ -n "${TESTS:-}" ] && a="$a vfio_intr.tests=$TESTS"
	[ -n "${FAULT:-}" ] && a="$a vfio_intr.fault=$FAULT"
	echo "$a"
}

if [ "$mode" = demo ]; then
	dir="$BUILD/demo"
	msg "booting the demo VM (log: $dir/guest.log)"
	boot "$dir" "" "$(common_args)" > /dev/null || true
	grep -v '^# vfio-intr' "$dir/results.tap" | tr -d '\r'
	grep -q '^# vfio-intr: guest done' "$dir/results.tap" || die "the demo VM did not finish; see $dir/guest.log"
	exit 0
fi

if [ "$mode" = bench ]; then
	dir=${VM_DIR:-$BUILD/bench/vm}
	rc=0
	boot "$dir" "${VM_QEMU_EXTRA:-}" "$(common_args)" > /dev/null || rc=$?
	tr -d '\r' < "$dir/results.tap" > "$dir/results.txt"
	grep -q '^# vfio-intr: guest done' "$dir/results.txt" ||
		die "the bench VM did not finish (QEMU status $rc); see $dir/guest.log"
	exit 0
fi

# Boots are planned by scripts/plan-boots.py on the host wall seconds earlier
# runs took per test and per boot ($durations, else the measured seed
# scripts/guest/durations): each test's from the host's arrival times of its
# '# selftest: NAME' and '# NAME: ...' lines (boot() stamps them), each boot's
# from QEMU's start to its first test.
durations="$BUILD/check/durations"
record_durations() {
	local f
	{
		[ ! -f "$durations" ] || cat "$durations"
		for f in "$@"; do
			[ -f "$f/stamps" ] || continue
			awk -v run="$(basename "$f" | sed 's/\.[0-9]*$//')" '
				$2 == "#" && $3 == "boot" { t0 = $1; next }
				$2 == "#" && $3 == "selftest:" {
					if (t0 != "") { print "boot:" run, $1 - t0; t0 = "" }
					start[$4] = $1; next }
				$2 == "#" && $5 == "cpu" {
					n = $3; sub(/:$/, "", n)
					if (n in start) print n, $1 - start[n] }' "$f/stamps"
		done
	} | awk '{ d[$1] = $2 } END { for (t in d) print t, d[t] }' | sort > "$durations.new"
	mv "$durations.new" "$durations"
}

stage_begin "vm-check"
mkdir -p "$BUILD/check"
# Single-threaded TCG keeps one host core busy per VM, so up to VM_PARALLEL
# VMs (default: one per host core) boot at once.  The main run is split into
# VM_SHARDS boots (default VM_PARALLEL) for main, one for each other run,
# on VM_PARALLEL slots (default: one per host core), each slot booting its
# share one after the other.
parallel=${VM_PARALLEL:-$(nproc)}
shards=${VM_SHARDS:-$parallel}
declare -A qx ax
runs=() nmain=1 selected=""
while IFS='|' read -r run qextra aextra; do
	case "$run" in ''|'#'*) continue ;; esac
	run=$(trim "$run"); qextra=$(trim "$qextra"); aextra=$(trim "$aextra")
	[ "$qextra" = - ] && qextra=""
	[ "$aextra" = - ] && aextra=""
	sel=$(awk -v r="$run" -v pat="${TESTS:-.}" \
		'$1 !~ /^#/ && $2 == r && $1 ~ pat { print r, $1, ($5 == "SKIP") }' \
		"$TOP/scripts/guest/tests.list")
	# Skip a run none of whose tests is selected (KUnit results come with 'main').
	[ "$run" = main ] || [ -n "$sel" ] || continue
	if [ "$run" = main ]; then
		# Only the main run is long enough to be worth more than one boot.
		ntests=$(grep -c . <<< "$sel" || true)
		nmain=$(( ntests < shards ? (ntests > 0 ? ntests : 1) : shards ))
	fi
	runs+=("$run") qx[$run]=$qextra ax[$run]=$aextra
	selected+="$sel"$'\n'
done < "$TOP/scripts/guest/runs.list"
mapfile -t plan < <(python3 "$TOP/scripts/plan-boots.py" "$parallel" "$nmain" \
	"$(IFS=,; echo "${runs[*]}")" "$TOP/scripts/guest/durations" "$durations" <<< "$selected")
nmain=${plan[0]}
plan=("${plan[@]:1}")

# boot_run RUN SHARD NSHARDS TESTS: one boot, in its own output directory.
boot_run() {
	local run=$1 i=$2 n=$3 only="" dir="$BUILD/check/$1" t0 rc=0
	[ "$n" = 1 ] || { dir="$dir.$i"; only="vfio_intr.only=$4"; }
	msg "run '$run' ($((i + 1))/$n): booting (guest log: $dir/guest.log)"
	t0=$(date +%s)
	boot "$dir" "${qx[$run]}" "vfio_intr.run=$run vfio_intr.shard=$i/$n ${ax[$run]} $only $(common_args)" || rc=$?
	echo "$rc" > "$dir/qemu.rc"
	msg "run '$run' ($((i + 1))/$n): VM exited with status $rc after $(( $(date +%s) - t0 ))s"
}

dirs=()
for p in "${plan[@]}"; do
	IFS='|' read -r shard tests others <<< "$p"
	[ "$shard" = -1 ] || { [ "$nmain" = 1 ] && dirs+=("$BUILD/check/main") || dirs+=("$BUILD/check/main.$shard"); }
	[ "$others" = - ] || for r in ${others//,/ }; do dirs+=("$BUILD/check/$r"); done
	(
		[ "$shard" = -1 ] || boot_run main "$shard" "$nmain" "$tests"
		[ "$others" = - ] || for r in ${others//,/ }; do boot_run "$r" 0 1 ""; done
	) &
done
wait || true
record_durations "${dirs[@]}"
stage_end

python3 "$TOP/scripts/tap-summary.py" "${dirs[@]}"
