#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure (x86_64 tinyconfig + configs/*.config) and build the kernel in build/kobj.
# The configuration is regenerated only when the fragments or a Kconfig file of
# the tree changed; afterwards every symbol the fragments ask for is checked.
# scripts/bench.sh builds its kernels with this script too, through
# KTREE (source tree), KOBJ (output directory), CONFIGS (fragments) and
# KMANIFEST (the tree's overlay manifest, empty for a pristine tree).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=${KTREE:-$BUILD/linux}
kobj=${KOBJ:-$BUILD/kobj}
log="$BUILD/kernel-build.log"
[ -z "${KOBJ:-}" ] || log="$kobj.build.log"
mkdir -p "$kobj"
cd "$TOP"
frags=${CONFIGS:-$(ls configs/*.config | sort)}
kmake() { make -s -C "$tree" O="$kobj" ARCH=x86_64 "$@"; }

# Hash of everything the configuration depends on.
kconfigs=$(grep -E '(^|/)Kconfig' "${KMANIFEST-$BUILD/tree.manifest}" 2>/dev/null || true)
cfghash=$(cd "$tree" && cat $(cd "$TOP" && realpath $frags) $kconfigs | sha256sum | cut -d' ' -f1)

if [ ! -f "$kobj/.config" ] || [ "$(cat "$kobj/.vfio-intr-cfghash" 2>/dev/null)" != "$cfghash" ]; then
	stage_begin config
	kmake tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$kobj" "$kobj/.config" $frags >/dev/null
	kmake olddefconfig >/dev/null
	echo "$cfghash" > "$kobj/.vfio-intr-cfghash"
	stage_end
fi

# Every symbol a fragment asks for must have survived olddefconfig.
bad=""
for f in $frags; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}
			grep -qxF -- "$line" "$kobj/.config" ||
				bad="$bad\n  $f: want $line, have: $(grep -E "^(# )?$sym[= ]" "$kobj/.config" || echo unset)" ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$kobj/.config" && bad="$bad\n  $f: want $sym unset, it is set" ;;
		esac
	done < "$f"
done
if [ -n "$bad" ]; then
	rm -f "$kobj/.vfio-intr-cfghash"
	die "$(printf "Kconfig dropped symbols the fragments ask for:$bad")"
fi

# Debug kernel speed (docs/testing.md, "Debug kernel cost"): KASAN and
# kmemleak save the stack of every allocation and free, and walking it is
# most of what the tests cost.  The stack walk itself (the frame-pointer
# unwinder and kernel/stacktrace.c) is built without KASAN checks, as x86
# already builds its stacktrace.o and dumpstack.o: it reads only the
# unwinder's own state and the stack through READ_ONCE_NOCHECK().
nosan=()
if grep -qx 'CONFIG_KASAN=y' "$kobj/.config"; then
	nosan=(KASAN_SANITIZE_unwind_frame.o=n KASAN_SANITIZE_stacktrace.o=n)
fi

stage_begin kernel
msg "building kernel in $kobj ($(sed -n 's/^version=//p' "$BUILD/.source")${KOBJ:+ from $tree}), -j$JOBS"
if ! kmake -j"$JOBS" "${nosan[@]}" bzImage > "$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 40 >&2
	die "kernel build failed; full log: $log"
fi
grep -E 'warning:' "$log" | grep -v '^scripts/' | head -n 20 >&2 || true
stage_end
msg "kernel: $kobj/arch/x86/boot/bzImage"
