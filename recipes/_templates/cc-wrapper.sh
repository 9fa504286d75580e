#!/bin/sh
# {{ target.triple }}-{{ tool }}: clang for {{ target.triple }}, static, musl, lld, compiler-rt{% if cxx %},
# libc++ from {{ cxx_dir }}{% endif %}, searching only {{ cc_dir }}{% if cxx %} and that{% endif %}. The host's gcc, glibc and
# /usr/include are never looked at: --gcc-toolchain points at a directory with no gcc in it and
# -nostdinc drops every default include path. Link flags are added only when this call links, so
# compile-only calls (-c, -S, -E) see no unused-argument warnings, and a link of objects alone is
# not warned about the include flags; -r and -nostdlib partial links are left to the driver, which
# adds no start files or libraries for them. The build ID is stated rather than left to the
# driver's default, which differs between Debian's clang and ours: both write the same bits.
d={{ cc_dir }}
{% if cxx %}x={{ cxx_dir }}
driver={% if compiler %}{{ compiler }}/bin/{% endif %}clang++
inc="-isystem $x/include/c++/v1"
lnk="--unwindlib=libunwind -stdlib=libc++ -L$x/lib"
{% else %}driver={% if compiler %}{{ compiler }}/bin/{% endif %}clang
inc=
lnk=--unwindlib=none
{% endif %}link=1
for a do
  case $a in
  -c|-S|-E|-M|-MM|-fsyntax-only) link= ;;
  esac
done
exec $driver --target={{ target.triple }} --sysroot="$d/sysroot" -resource-dir="$d/lib/clang" \
  --gcc-toolchain="$d/no-gcc" -nostdinc $inc -isystem "$d/lib/clang/include" -isystem "$d/sysroot/usr/include" \
  ${link:+-static -fuse-ld=lld --rtlib=compiler-rt $lnk -Wl,--build-id=sha1 -Wno-unused-command-line-argument} "$@"
