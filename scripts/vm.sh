#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the kernel under QEMU TCG with edu + igb behind VT-d interrupt remapping.
#   vm.sh check   every run of scripts/guest/runs.list; TAP summary; exit 1 on
#                 any failure, kernel splat or timeout
#   vm.sh demo    one boot in demo mode, its table printed
#   vm.sh bench   one boot running the benchmark (scripts/bench.sh sets
#                 VM_KERNEL, VM_INITRD, VM_DIR, VM_SMP and VM_APPEND)
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

# boot OUTDIR QEMU_EXTRA APPEND_EXTRA: one VM, console -> OUTDIR/guest.log,
# guest reports (ttyS1) -> OUTDIR/results.tap.  Returns QEMU's/timeout's status.
boot() {
	local dir=$1 qextra=$2 aextra=$3 rc=0
	mkdir -p "$dir"
	rm -f "$dir/guest.log" "$dir/results.tap" "$dir/qemu.rc"
	: > "$dir/results.tap"
	# Show progress while the VM runs.
	tail -n +1 -F "$dir/results.tap" 2>/dev/null |
		grep --line-buffered -E '^(not )?ok |^# (vfio-intr|kmemleak)|^[^ #].*\|' &
	local tailpid=$!
	# shellcheck disable=SC2086
	timeout --foreground -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
		-accel tcg,thread=single $icount -M q35,kernel-irqchip=split -cpu max -smp ${VM_SMP:-2} -m ${VM_MEM:-1536M} \
		-nographic -no-reboot -monitor none \
		-device intel-iommu,intremap=on \
		-device edu,dma_mask=0xffffffffffffffff \
		-device igb \
		$qextra \
		-chardev file,id=con,path="$dir/guest.log" -serial chardev:con \
		-chardev file,id=res,path="$dir/results.tap" -serial chardev:res \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 intel_iommu=on loglevel=6 printk.time=1 vfio_intr.mode=$mode $aextra ${VM_APPEND:-}" \
		< /dev/null > "$dir/qemu.log" 2>&1 || rc=$?
	sleep 0.2   # let tail print the last lines (cosmetic only)
	kill "$tailpid" 2>/dev/null || true
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
	boot "$dir" "" "$(common_args)" > /dev/null || rc=$?
	tr -d '\r' < "$dir/results.tap" > "$dir/results.txt"
	grep -q '^# vfio-intr: guest done' "$dir/results.txt" ||
		die "the bench VM did not finish (QEMU status $rc); see $dir/guest.log"
	exit 0
fi

# plan_shards RUN N: N lines, the comma-separated tests of each shard of RUN.
# Longest first onto the least loaded shard, using the guest CPU time (what
# the host's TCG thread pays for) earlier runs recorded in $durations, else
# that measured for the project (scripts/guest/durations), else 60 s.
durations="$BUILD/check/durations"
plan_shards() {
	awk -v r="$1" -v pat="${TESTS:-.}" '$1 !~ /^#/ && $2 == r && $1 ~ pat { print $1, ($5 == "SKIP") }' \
		"$TOP/scripts/guest/tests.list" |
		python3 -c '
import sys
n = int(sys.argv[1])
known = {}
for dfile in sys.argv[2:]:
    try:
        for line in open(dfile):
            if line.startswith("#") or not line.strip():
                continue
            name, secs = line.split()
            known[name] = int(secs)
    except OSError:
        pass
tests = [line.split() for line in sys.stdin if line.strip()]
for t, skip in tests:
    if skip == "1":
        known[t] = 0
tests = [t for t, _ in tests]
load, shards = [0] * n, [[] for _ in range(n)]
# shard 0 also reports the KUnit suites
load[0] = 5
for t in sorted(tests, key=lambda t: -known.get(t, 60)):
    i = load.index(min(load))
    shards[i].append(t)
    load[i] += known.get(t, 60)
for s in shards:
    print(",".join(s) or "-")
' "$2" "$TOP/scripts/guest/durations" "$durations"
}

# Remember how much guest CPU time each test took, for plan_shards.
record_durations() {
	local f
	{
		[ ! -f "$durations" ] || cat "$durations"
		for f in "$@"; do
			tr -d '\r' < "$f/results.tap" 2>/dev/null |
				sed -n 's/^# \([^ :]*\): [0-9]*s, cpu \([0-9]*\)s$/\1 \2/p'
		done
	} | awk '{ d[$1] = $2 } END { for (t in d) print t, d[t] }' | sort > "$durations.new"
	mv "$durations.new" "$durations"
}

stage_begin "vm-check"
mkdir -p "$BUILD/check"
# Single-threaded TCG keeps one host core busy per VM, so up to VM_PARALLEL
# VMs (default: one per host core) boot at once.  The main run is split into
# VM_SHARDS boots (default VM_PARALLEL), each running a share of its tests.
parallel=${VM_PARALLEL:-$(nproc)}
shards=${VM_SHARDS:-$parallel}
boots=()	# "run|shard|nshards|qextra|aextra"
while IFS='|' read -r run qextra aextra; do
	case "$run" in ''|'#'*) continue ;; esac
	run=$(trim "$run"); qextra=$(trim "$qextra"); aextra=$(trim "$aextra")
	[ "$qextra" = - ] && qextra=""
	[ "$aextra" = - ] && aextra=""
	ntests=$(awk -v r="$run" '$1 !~ /^#/ && $2 == r { print $1 }' "$TOP/scripts/guest/tests.list" |
		 grep -cE "${TESTS:-.}" || true)
	# Skip a run none of whose tests is selected (KUnit results come with 'main').
	[ "$run" = main ] || [ "$ntests" -gt 0 ] || continue
	# Only the main run is long enough to be worth more than one boot.
	n=1
	[ "$run" != main ] || n=$(( ntests < shards ? (ntests > 0 ? ntests : 1) : shards ))
	if [ "$n" -gt 1 ]; then
		# Shards get whole tests, balanced on the durations of earlier runs.
		mapfile -t plan < <(plan_shards "$run" "$n")
	fi
	for ((i = 0; i < n; i++)); do
		only=""
		[ "$n" = 1 ] || only="vfio_intr.only=${plan[$i]}"
		boots+=("$run|$i|$n|$qextra|$aextra $only")
	done
done < "$TOP/scripts/guest/runs.list"

dirs=()
running=0
for b in "${boots[@]}"; do
	IFS='|' read -r run i n qextra aextra <<< "$b"
	dir="$BUILD/check/$run"
	[ "$n" = 1 ] || dir="$dir.$i"
	dirs+=("$dir")
	if [ "$running" -ge "$parallel" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	msg "run '$run' ($((i + 1))/$n): booting (guest log: $dir/guest.log)"
	( t0=$(date +%s) rc=0
	  boot "$dir" "$qextra" "vfio_intr.run=$run vfio_intr.shard=$i/$n $aextra $(common_args)" || rc=$?
	  echo "$rc" > "$dir/qemu.rc"
	  msg "run '$run' ($((i + 1))/$n): VM exited with status $rc after $(( $(date +%s) - t0 ))s" ) &
	running=$((running + 1))
done
wait || true
record_durations "${dirs[@]}"
stage_end

python3 "$TOP/scripts/tap-summary.py" "${dirs[@]}"
