#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sparse (make C=2) on the kernel objects built from files we own, which
# are compiled again with W=1 on the way (the next 'make kernel' compiles
# them once more without it).
#
# Debian 12's sparse 0.6.4 cannot parse 7.3 (no __typeof_unqual__); forky's
# 0.6.5 can.  It and forky's libc (it needs glibc >= 2.38) are downloaded and
# extracted into the cache with a private apt configuration (its own source
# list and state directories), so the host's apt sources are never touched
# and nothing is installed; a wrapper runs sparse with forky's loader.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir="$CACHE/sparse"
bin="$dir/sparse"
if [ ! -x "$bin" ]; then
	msg "fetching sparse from Debian forky (download + extract, not installed)"
	apt=$(mktemp -d)
	trap 'rm -rf "$apt"' EXIT
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	mirror=$(grep -rhoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		 grep -v security | head -n1 | tr -d ' ' || true)
	echo "deb ${mirror:-http://deb.debian.org/debian} forky main" > "$apt/sources.list"
	aptopts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		 -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
		 -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Get::List-Cleanup=0)
	apt-get "${aptopts[@]}" update -q >/dev/null
	(cd "$apt" && apt-get "${aptopts[@]}" download sparse libc6 2>/dev/null >/dev/null)
	rm -rf "$dir"
	for d in "$apt"/sparse_*.deb "$apt"/libc6_*.deb; do
		dpkg-deb -x "$d" "$dir"
	done
	cat > "$bin" <<EOS
#!/bin/sh
exec "$dir/usr/lib64/ld-linux-x86-64.so.2" --library-path "$dir/usr/lib/x86_64-linux-gnu" \
	"$dir/usr/bin/sparse" "\$@"
EOS
	chmod +x "$bin"
fi
"$bin" --version >/dev/null 2>&1 || die "no usable sparse in $dir"

# The directories and objects of ours that the kernel build compiles.
targets="drivers/vfio/pci/ drivers/pci/msi/ samples/vfio-siov-edu/ samples/vfio-mdev/"
log="$BUILD/sparse.log"
msg "sparse and W=1: $targets"
# shellcheck disable=SC2086
make -s -C "$BUILD/linux" O="$BUILD/kobj" ARCH=x86_64 W=1 C=2 CHECK="$bin" \
	-j"$JOBS" $targets > "$log" 2>&1 || { cat "$log"; die "sparse build failed"; }
# Only findings (sparse's or the compiler's) in files we own count.
ours=$(cd "$TOP" && for d in drivers samples; do find "$d" -name '*.[ch]'; done)
found=0
for f in $ours; do
	if grep -F "$f:" "$log"; then found=1; fi
done
[ $found = 0 ] && msg "sparse and W=1: clean" || { msg "sparse and W=1: findings above (full log: $log)"; exit 1; }
