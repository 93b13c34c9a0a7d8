# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the vfio-intr build scripts.  Sourced, not executed.

: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=$TOP/build}"
: "${CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/vfio-intr}"
: "${JOBS:=$(nproc)}"

msg()  { printf '\033[1m[vfio-intr]\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[vfio-intr] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Directory of the pristine Linux 7.3 tree (set up by source.sh).
pristine_dir() {
	[ -f "$BUILD/.source" ] || die "no kernel source recorded; run 'make source'"
	sed -n 's/^dir=//p' "$BUILD/.source"
}

# Kernel stage timing, appended to build/timings.
stage_begin() { STAGE_NAME=$1; STAGE_T0=$(date +%s); }
stage_end() {
	local t=$(( $(date +%s) - STAGE_T0 ))
	mkdir -p "$BUILD"
	printf '%s %ss\n' "$STAGE_NAME" "$t" >> "$BUILD/timings"
	msg "$STAGE_NAME: ${t}s"
}
