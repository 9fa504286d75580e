{% extends "base.sh" %}
{% comment %} The repository has configure.ac but no configure, and autoconf, automake and libtool
   are no build tools here. The library is five C files with no config.h, so they are compiled as
   src/Makefile.am lists them, and mtdev.pc is written as mtdev.pc.in would be. {% endcomment %}
{% block build %}
for f in caps core iobuf match match_four; do
  $CC $CPPFLAGS $CFLAGS -Iinclude -Isrc -c "src/$f.c" -o "src/$f.o"
done
$AR rcs libmtdev.a src/*.o
{% endblock %}
{% block install %}
mkdir -p "$out/lib/pkgconfig" "$out/include"
cp libmtdev.a "$out/lib/"
cp include/mtdev.h include/mtdev-mapping.h include/mtdev-plumbing.h "$out/include/"
sed -e "s|@prefix@|$out|" -e 's|@exec_prefix@|${prefix}|' -e 's|@libdir@|${prefix}/lib|' \
  -e 's|@includedir@|${prefix}/include|' -e 's|@PACKAGE_VERSION@|{{ version }}|' mtdev.pc.in > "$out/lib/pkgconfig/mtdev.pc"
{% endblock %}
