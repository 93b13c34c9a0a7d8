#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Style checks on the kernel C files we own: checkpatch --strict, kernel-doc -Wall,
# and checkpatch on every patch of patches/series.  Exit 1 on any finding.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree="$BUILD/linux"
cd "$TOP"
files=$(for d in arch drivers include samples; do
		[ ! -d "$d" ] || find "$d" -name '*.[ch]'
	done | sort)
rc=0
if [ -n "$files" ]; then
	# shellcheck disable=SC2086
	perl "$tree/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files || rc=1
	# shellcheck disable=SC2086
	out=$(perl "$tree/scripts/kernel-doc" -Wall -none $files 2>&1) || true
	[ -z "$out" ] || { printf '%s\n' "$out"; rc=1; }
fi
if [ -f patches/series ]; then
	# checkpatch reads a git-tracked .patch as a source file: check copies.
	# AVOID_EXTERNS: the selftests' driver table is an extern list upstream.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	while read -r p _; do
		case "$p" in ''|'#'*) continue ;; esac
		cp "patches/$p" "$tmp/"
		(cd "$tmp" && perl "$tree/scripts/checkpatch.pl" --no-tree --strict --terse \
			--ignore FILE_PATH_CHANGES,GIT_COMMIT_ID,MISSING_SIGN_OFF,AVOID_EXTERNS "$p") || rc=1
	done < patches/series
fi
[ $rc = 0 ] && msg "lint: clean" || msg "lint: findings above"
exit $rc
