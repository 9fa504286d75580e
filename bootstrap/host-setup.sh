#!/bin/sh
# Installs the host packages stalix-build needs and enables Debian source
# packages (deb-src), which the fetcher uses to get pinned upstream tarballs.
# git clones git sources; GNU patch and diff are the oracles of the patch tests.
# nginx (its binary has the WebDAV module) serves the binary cache's tests.
# Idempotent: does nothing when everything is already there.
set -eu

# The last line is for the tests, so that none skips in CI (a skip fails
# it there, internal/testreport): a host cc that links statically, and
# clang-14 with lld, for the policy tests' ELF files; llvm-strip and
# binutils' readelf, ar and strip; bzip2; mount and losetup for the store's
# power-loss test.
PKGS="qemu-system-x86 qemu-system-arm ovmf qemu-efi-aarch64 e2fsprogs dosfstools mtools
      cpio libarchive-tools gdisk fdisk zstd file busybox-static make git patch diffutils chromium nginx
      gcc libc6-dev clang-14 lld-14 llvm-14 binutils bzip2 mount"

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "host-setup: run as root (or with sudo) to $1" >&2
		exit 1
	fi
}

# deb-src: copy each "Types: deb" stanza of the apt sources as "Types: deb-src".
src=/etc/apt/sources.list.d/debian.sources
changed=0
if [ -f "$src" ] && ! grep -q '^Types:.*deb-src' "$src"; then
	need_root "enable deb-src in $src"
	awk 'BEGIN{RS="";ORS="\n\n"} {print} /^Types: deb\n|^Types: deb$/ {sub(/^Types: deb/,"Types: deb-src"); extra=extra $0 "\n\n"} END{printf "%s", extra}' "$src" > "$src.new"
	mv "$src.new" "$src"
	changed=1
elif [ -f /etc/apt/sources.list ] && ! grep -q '^deb-src' /etc/apt/sources.list && grep -q '^deb ' /etc/apt/sources.list; then
	need_root "enable deb-src in /etc/apt/sources.list"
	sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >> /etc/apt/sources.list
	changed=1
fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ] || [ "$changed" = 1 ] || [ ! -d /var/lib/apt/lists ] || [ -z "$(ls /var/lib/apt/lists/*Sources* 2>/dev/null)" ]; then
	need_root "install:$missing"
	apt-get update -q
fi
if [ -n "$missing" ]; then
	echo "host-setup: installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
	# The cache tests run their own nginx on loopback; the packaged
	# service is not wanted.
	case " $missing " in
	*" nginx "*) if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi ;;
	esac
fi
