#!/bin/sh
# Regenerates the ELF fixtures of elf_test.go with Debian's clang-14 and lld-14
# (apt-get install clang-14 lld-14). They are static, freestanding x86_64
# programs, so no libc is needed; -ffile-prefix-map keeps this directory out.
#   p-buildid  carries a .note.gnu.build-id, as the seed's clang links by default
#   p          the same program without it: differs from p-buildid by layout alone
#   p-changed  like p, with one constant changed: a real difference
set -eu
cd "$(dirname "$0")"
cc() {
	clang-14 --target=x86_64-linux-gnu -O1 -nostdlib -static -fuse-ld=lld \
		-ffile-prefix-map="$PWD"=. "$@" prog.c
}
cc -Wl,--build-id=sha1 -DK=1 -o p-buildid
cc -Wl,--build-id=none -DK=1 -o p
cc -Wl,--build-id=none -DK=2 -o p-changed
