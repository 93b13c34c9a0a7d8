#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The whole change (overlay + patches) as a git-format-patch series against
# pristine 7.3, one patch per logical component, in build/series/.
#
# Components are listed in scripts/series.list: a subject line, then the paths
# (overlay files, or patches/NNNN-*.patch) that make up that patch.  Anything
# owned by the project but not listed goes into a final catch-all patch, so the
# series always reproduces the full build tree, but for the patches marked
# 'check-only' in patches/series (tuning of the make check kernel).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(pristine_dir)
work="$BUILD/series-git"
out="$BUILD/series"
rm -rf "$work" "$out"
mkdir -p "$out"

msg "preparing a pristine git tree of $src"
cp -al "$src" "$work" 2>/dev/null || cp -a "$src" "$work"
cd "$work"
rm -f .vfio-intr-*
git init -q
# Debian's linux-source ships a .gitignore that ignores the whole top level: add with -f.
git config user.name "vfio-intr"
git config user.email "vfio-intr@invalid"
git add -A -f >/dev/null
git commit -qm "Linux $(sed -n 's/^version=//p' "$BUILD/.source") (pristine)" --no-verify
base=$(git rev-parse HEAD)

# apply_paths PATH...: copy overlay files / apply patch files into the tree.
apply_paths() {
	local p
	for p in "$@"; do
		case "$p" in
		patches/*)
			patch -p1 --forward --batch --no-backup-if-mismatch -s < "$TOP/$p" ||
				die "$p does not apply in series order" ;;
		*)
			rm -f "$p"	# never write through the hard link
			install -D -m 644 "$TOP/$p" "$p" ;;
		esac
	done
}

done_list=$(mktemp)
trap 'rm -f "$done_list"' EXIT
if [ -f "$TOP/scripts/series.list" ]; then
	subject="" paths=()
	flush() {
		[ -n "$subject" ] || return 0
		apply_paths "${paths[@]}"
		printf '%s\n' "${paths[@]}" >> "$done_list"
		git add -A -f >/dev/null
		git commit -qm "$subject" -m "Part of vfio-intr; see docs/ in the project." --no-verify ||
			msg "series: '$subject' changes nothing"
		subject="" paths=()
	}
	while IFS= read -r line; do
		case "$line" in
		''|'#'*) ;;
		'  '*|$'\t'*) paths+=($line) ;;
		*) flush; subject=$line ;;
		esac
	done < "$TOP/scripts/series.list"
	flush
fi

# Everything else the build tree has from us.
rest=()
cd "$TOP"
for f in $(find arch drivers include samples tools -type f 2>/dev/null | sort); do
	grep -qxF "$f" "$done_list" || rest+=("$f")
done
if [ -f patches/series ]; then
	while read -r p tag; do
		case "$p" in ''|'#'*) continue ;; esac
		# check-only: tuning of the make check kernel, not part of the change
		[ "$tag" != check-only ] || continue
		grep -qxF "patches/$p" "$done_list" || rest+=("patches/$p")
	done < patches/series
fi
cd "$work"
if [ ${#rest[@]} -gt 0 ]; then
	apply_paths "${rest[@]}"
	git add -A -f >/dev/null
	git commit -qm "vfio-intr: remaining overlay files" -m "Not yet assigned to a component in scripts/series.list." --no-verify || true
fi

git format-patch -q -o "$out" "$base"..HEAD
msg "series: $(ls "$out" | wc -l) patches in $out (git am onto a vanilla 7.3 tree)"
ls "$out" >&2
