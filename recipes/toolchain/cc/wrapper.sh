#!/bin/sh
# {{ target.triple }}-{{ tool }}: clang for {{ target.triple }}, static, musl, lld, compiler-rt,
# libc++, searching only {{ out }}. The host's gcc, glibc and /usr/include are never looked at:
# --gcc-toolchain points at a directory with no gcc in it and -nostdinc drops every default
# include path. Link flags are added only when this call links, so compile-only calls (-c, -S, -E)
# see no unused-argument warnings, and a link of objects alone is not warned about the include
# flags; -r and -nostdlib partial links are left to the driver, which adds no start files or
# libraries for them.
d={{ out }}
{% if cxx %}
driver={% if compiler %}{{ compiler }}/bin/{% endif %}clang++
cxxinc="-isystem $d/sysroot/usr/include/c++/v1"
cxxlink=-stdlib=libc++
{% else %}
driver={% if compiler %}{{ compiler }}/bin/{% endif %}clang
cxxinc=
cxxlink=
{% endif %}
link=1
for a do
  case $a in
  -c|-S|-E|-M|-MM|-fsyntax-only) link= ;;
  esac
done
exec $driver --target={{ target.triple }} --sysroot="$d/sysroot" -resource-dir="$d/lib/clang" \
  --gcc-toolchain="$d/no-gcc" -nostdinc $cxxinc -isystem "$d/lib/clang/include" -isystem "$d/sysroot/usr/include" \
  ${link:+-static -fuse-ld=lld --rtlib=compiler-rt --unwindlib=libunwind $cxxlink -Wno-unused-command-line-argument} "$@"
