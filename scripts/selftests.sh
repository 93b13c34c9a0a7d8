#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build tools/testing/selftests/vfio (upstream's tests and ours) statically,
# against the uapi headers of the build tree, into build/selftests/vfio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree="$BUILD/linux"
kobj=${KOBJ:-$BUILD/kobj}	# its exported uapi headers
out="$BUILD/selftests/vfio"
mkdir -p "$out" "$kobj"

stage_begin selftests
make -s -C "$tree" O="$kobj" ARCH=x86_64 headers >/dev/null
if ! make -C "$tree/tools/testing/selftests/vfio" -j"$JOBS" \
	OUTPUT="$out" KHDR_INCLUDES="-isystem $kobj/usr/include" \
	EXTRA_CFLAGS="-static -O2" > "$BUILD/selftests-build.log" 2>&1; then
	grep -E 'error|Error' "$BUILD/selftests-build.log" | head -n 40 >&2
	die "selftests build failed; full log: $BUILD/selftests-build.log"
fi

# The programs of tools/vfio-intr ('make demo', 'make bench'), linked against
# the same libvfio objects.
sel="$tree/tools/testing/selftests"
for src in "$tree"/tools/vfio-intr/*.c; do
	gcc -static -O2 -Wall -Werror -isystem "$kobj/usr/include" -I"$tree/tools/include" \
		-I"$sel" -I"$sel/vfio/lib/include" -D_GNU_SOURCE \
		-o "$out/$(basename "$src" .c)" "$src" \
		$(find "$out/libvfio" -name '*.o' | sort) -luuid -pthread ||
		die "building tools/vfio-intr/$(basename "$src") failed"
done
stage_end
