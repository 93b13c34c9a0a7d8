#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build tree = pristine 7.3 + overlay files + patches/series.
#
# The tree in build/linux starts as a hard-linked copy of the pristine tree
# (cheap); every file we own or patch is regenerated in a staging directory
# and copied over with rsync --checksum, which replaces (never writes through)
# the hard link and leaves files whose content did not change untouched, so
# kbuild rebuilds only what really changed.  Files that left the overlay since
# the last run are restored from the pristine tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OVERLAY_DIRS="arch drivers include samples tools"
src=$(pristine_dir)
tree="$BUILD/linux"
manifest="$BUILD/tree.manifest"

if [ ! -f "$tree/.vfio-intr-base" ] || [ "$(cat "$tree/.vfio-intr-base")" != "$src" ]; then
	msg "creating build tree from $src"
	rm -rf "$tree" "$manifest" "$BUILD/kobj"
	cp -al "$src" "$tree" 2>/dev/null || { rm -rf "$tree"; cp -a "$src" "$tree"; }
	echo "$src" > "$tree/.vfio-intr-base"
fi

cd "$TOP"
stage=$(mktemp -d "$BUILD/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Files we own: everything under the overlay directories except build junk.
overlay=$(for d in $OVERLAY_DIRS; do
		[ ! -d "$d" ] || find "$d" -type f ! -name '*.o' ! -name '*.d' ! -name '*~' \
			! -name '*.orig' ! -name '*.rej' ! -name '.*.swp'
	  done | sort)

series=()
if [ -f patches/series ]; then
	while read -r p _; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -f "patches/$p" ] || die "patches/series names a missing patch: $p"
		series+=("$p")
	done < patches/series
fi

patched=$(for p in "${series[@]}"; do
		sed -n 's#^+++ b/\([^\t ]*\).*#\1#p; s#^--- a/\([^\t ]*\).*#\1#p' "patches/$p"
	  done | sort -u)

# Stage: pristine copies of patched files, then the overlay, then the patches.
for f in $patched; do
	[ ! -f "$src/$f" ] || install -D -m 644 "$src/$f" "$stage/$f"
done
for f in $overlay; do
	mkdir -p "$stage/$(dirname "$f")"
	cp "$f" "$stage/$f"
done
for p in "${series[@]}"; do
	if ! out=$(patch -p1 -d "$stage" --forward --batch --no-backup-if-mismatch \
			-r - < "patches/$p" 2>&1); then
		printf '%s\n' "$out" >&2
		die "patch $p does not apply (see above)"
	fi
done

# Copy what changed.
rsync -rc "$stage"/ "$tree"/

# Restore files that left the overlay/patch set since the previous run.
printf '%s\n' $overlay $patched | sort -u > "$stage.manifest"
if [ -f "$manifest" ]; then
	comm -23 "$manifest" "$stage.manifest" | while read -r f; do
		[ -n "$f" ] || continue
		if [ -f "$src/$f" ]; then
			msg "restoring pristine $f"
			rm -f "$tree/$f"
			cp "$src/$f" "$tree/$f"	# fresh mtime: kbuild rebuilds it
		else
			msg "removing $f"
			rm -f "$tree/$f"
		fi
	done
fi
mv "$stage.manifest" "$manifest"
msg "build tree ready: $tree ($(echo "$overlay" | grep -c . || true) overlay files, ${#series[@]} patches)"
