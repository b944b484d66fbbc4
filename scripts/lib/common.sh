# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the xtcp scripts. Source it; do not execute it.
# shellcheck shell=bash

# Repository root: this file lives in scripts/lib/.
XTCP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Everything we download, extract or build goes here (gitignored).
XTCP_CACHE=${XTCP_CACHE:-$XTCP_ROOT/.cache}
XTCP_JOBS=${XTCP_JOBS:-$(nproc)}
export XTCP_ROOT XTCP_CACHE

# The Debian kernel "flavour" we test on and the two header series we build against.
XTCP_FLAVOUR=cloud-amd64
XTCP_HDR_612_META=linux-headers-6.12-$XTCP_FLAVOUR
# shellcheck disable=SC2034 # used by the scripts that source this
XTCP_HDR_61_META=linux-headers-$XTCP_FLAVOUR

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Print the kernel release (uname -r) a headers metapackage pins, e.g.
# linux-headers-6.12-cloud-amd64 -> 6.12.117+deb12-cloud-amd64.  The metapackage
# depends on exactly one linux-headers-<release> package; use the installed one
# if present (that is what we build against), else what apt would install.
meta_release() {
	local meta=$1 deps
	deps=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null) ||
		deps=$(apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: //p' | tr '\n' ',')
	sed -n "s/.*linux-headers-\([^ ,(]*-$XTCP_FLAVOUR\).*/\1/p" <<<"$deps" | head -n1
}

# The kernel release used for "--kernel debian".
debian_release() {
	local rel
	rel=$(meta_release "$XTCP_HDR_612_META")
	[[ -n $rel ]] || die "cannot tell which release $XTCP_HDR_612_META pins (run scripts/deps)"
	echo "$rel"
}

# True if every named Debian package is installed.
pkgs_installed() {
	local p
	for p; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
	done
}

# apt-get install the missing packages among "$@"; apt-get update only if needed.
apt_ensure() {
	local p missing=()
	for p; do pkgs_installed "$p" || missing+=("$p"); done
	((${#missing[@]})) || return 0
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || die "apt-get update failed"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed"
}

# Path of an installed headers tree for a release (the KDIR to build against).
headers_dir() {
	echo "/usr/src/linux-headers-$1"
}

# Extracted Debian kernel image package for a release: prints its root dir.
# Uses apt-get download + dpkg -x so the host's /boot and /lib/modules stay
# untouched and the same works on a fresh machine.
kernel_image_root() {
	local rel=$1 dir="$XTCP_CACHE/kernels/$1" pkg tmp deb
	if [[ ! -f $dir/.done ]]; then
		tmp=$(mktemp -d "$XTCP_CACHE/dl.XXXXXX")
		for pkg in "linux-image-$rel-unsigned" "linux-image-$rel"; do
			(cd "$tmp" && apt-get download "$pkg" >&2 2>/dev/null) && break
		done
		deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n1)
		if [[ -z $deb ]]; then
			log "apt-get download failed; trying apt-get update once"
			apt-get update -qq >&2 || true
			for pkg in "linux-image-$rel-unsigned" "linux-image-$rel"; do
				(cd "$tmp" && apt-get download "$pkg" >&2) && break
			done
			deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n1)
		fi
		[[ -n $deb ]] || { rm -rf "$tmp"; die "cannot download linux-image-$rel"; }
		rm -rf "$dir" && mkdir -p "$dir"
		dpkg -x "$deb" "$dir" || die "dpkg -x $deb failed"
		rm -rf "$tmp"
		# The package leaves modules.dep to its postinst; make our own.
		depmod -b "$dir" "$rel" || die "depmod for $rel failed"
		touch "$dir/.done"
	fi
	echo "$dir"
}

# Serialise concurrent users of one cache entry (e.g. two vm-run at once).
with_lock() {
	local lock=$1; shift
	mkdir -p "$(dirname "$lock")"
	(
		flock 9
		"$@"
	) 9>"$lock"
}

# True once the module author's sources exist.
have_module_sources() {
	[[ -f $XTCP_ROOT/Makefile && -d $XTCP_ROOT/module ]]
}

# Mirror the module sources (not their build products) into DST, so that one
# source tree can be built for several kernels without mixing objects.
sync_module_tree() {
	local dst=$1 f srcs=()
	for f in Kbuild Makefile module include examples; do
		[[ -e $XTCP_ROOT/$f ]] && srcs+=("$XTCP_ROOT/$f")
	done
	mkdir -p "$dst"
	# -q and >&2: rsync reports directories it cannot delete (they hold
	# excluded objects) on stdout, and callers capture stdout.
	rsync -aq --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='modules.order' \
		--exclude='Module.symvers' --exclude='*.a' --exclude='.*.d' \
		--exclude='*.dwo' "${srcs[@]}" "$dst/" >&2
}
