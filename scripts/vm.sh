#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the kernel under QEMU TCG with edu + igb behind VT-d interrupt remapping.
#   vm.sh check   every run of scripts/guest/runs.list; TAP summary; exit 1 on
#                 any failure, kernel splat or timeout
#   vm.sh demo    one boot in demo mode, its table printed
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
kernel="$BUILD/kobj/arch/x86/boot/bzImage"
initrd="$BUILD/initramfs.cpio"
VM_TIMEOUT=${VM_TIMEOUT:-1500}
[ -f "$kernel" ] && [ -f "$initrd" ] || die "build the kernel and initramfs first"

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
		-accel tcg,thread=single -M q35,kernel-irqchip=split -cpu max -smp 2 -m ${VM_MEM:-1536M} \
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

stage_begin "vm-check"
# Single-threaded TCG keeps one host core busy per VM, so each run is split
# into VM_SHARDS boots (default: one per host core, at most 2) that run at once.
shards=${VM_SHARDS:-$(( $(nproc) >= 2 ? 2 : 1 ))}
dirs=()
while IFS='|' read -r run qextra aextra; do
	case "$run" in ''|'#'*) continue ;; esac
	run=$(trim "$run"); qextra=$(trim "$qextra"); aextra=$(trim "$aextra")
	[ "$qextra" = - ] && qextra=""
	[ "$aextra" = - ] && aextra=""
	ntests=$(awk -v r="$run" '$1 !~ /^#/ && $2 == r { print $1 }' "$TOP/scripts/guest/tests.list" |
		 grep -cE "${TESTS:-.}" || true)
	# Skip a run none of whose tests is selected (KUnit results come with 'main').
	[ "$run" = main ] || [ "$ntests" -gt 0 ] || continue
	n=$(( ntests < shards ? (ntests > 0 ? ntests : 1) : shards ))
	t0=$(date +%s)
	pids=()
	for ((i = 0; i < n; i++)); do
		dir="$BUILD/check/$run.$i"
		[ "$n" = 1 ] && dir="$BUILD/check/$run"
		msg "run '$run' shard $i/$n: booting (guest log: $dir/guest.log)"
		( rc=0
		  boot "$dir" "$qextra" "vfio_intr.run=$run vfio_intr.shard=$i/$n $aextra $(common_args)" || rc=$?
		  echo "$rc" > "$dir/qemu.rc" ) &
		pids+=($!)
		dirs+=("$dir")
	done
	wait "${pids[@]}" || true
	msg "run '$run': done after $(( $(date +%s) - t0 ))s"
done < "$TOP/scripts/guest/runs.list"
stage_end

python3 "$TOP/scripts/tap-summary.py" "${dirs[@]}"
