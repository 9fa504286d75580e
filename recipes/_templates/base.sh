#!/bin/sh -e
# {{ name }}-{{ version }} for {{ target.triple }}, {{ stage }} stage.
# Rendered from recipes/_templates/base.sh; see README.md "The build environment".
{% block env %}
export TARGET="{{ target.triple }}"
{% if stage == "toolchain" %}
# The seed's clang builds the toolchain: it is a cross compiler already, so each toolchain
# recipe passes --target and its own sysroot; nothing here may pick up the seed's libc.
export CC=clang CXX=clang++ AR=llvm-ar RANLIB=llvm-ranlib NM=llvm-nm STRIP=llvm-strip
export OBJCOPY=llvm-objcopy OBJDUMP=llvm-objdump READELF=llvm-readelf LD=ld.lld
{% else %}
# World builds compile only through the toolchain's cc package: static, musl, lld,
# compiler-rt, its own sysroot; the seed's headers and libraries are never searched.
export CC="{{ target.triple }}-cc" CPP="{{ target.triple }}-cc -E"
{% if deps.cxx %}export CXX="{{ target.triple }}-c++"
{% endif %}
export AR="{{ target.triple }}-ar" RANLIB="{{ target.triple }}-ranlib" NM="{{ target.triple }}-nm"
export STRIP="{{ target.triple }}-strip" OBJCOPY="{{ target.triple }}-objcopy"
export OBJDUMP="{{ target.triple }}-objdump" READELF="{{ target.triple }}-readelf" LD="{{ target.triple }}-ld"
{% if libs %}# The libraries of [deps] libs, with theirs, in link order: their headers, archives and .pc
# files reach the build here and nowhere else. pkg-config sees only them and this package's own
# .pc files, never the seed's or the host's, and answers for static linking.
export PKG_CONFIG_LIBDIR="{% for l in libs %}{{ l }}/lib/pkgconfig:{{ l }}/share/pkgconfig:{% endfor %}{{ out }}/lib/pkgconfig" PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR=/
export PKG_CONFIG="pkg-config --static"
export CPPFLAGS="{% for l in libs %}{% if not forloop.First %}{{ " " }}{% endif %}-I{{ l }}/include{% endfor %}"
export CMAKE_PREFIX_PATH="{% for l in libs %}{% if not forloop.First %}:{% endif %}{{ l }}{% endfor %}"
{% else %}export PKG_CONFIG_LIBDIR="{{ out }}/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR=/
{% endif %}{% endif %}
{% if not seed %}# No seed: helpers that run during the build only (kconfig, fixdep, generators) are compiled
# by the build host's cc package, static on musl, like everything else.
export HOSTCC={{ host.triple }}-cc HOSTCXX={{ host.triple }}-c++ BUILD_CC={{ host.triple }}-cc
{% if host_libs %}# Libraries for those helpers (objtool's libelf), in place of the seed's -dev packages.
export HOSTCFLAGS="{% for l in host_libs %}{% if not forloop.First %}{{ " " }}{% endif %}-I{{ l }}/include{% endfor %}"
export HOSTLDFLAGS="{% for l in host_libs %}{% if not forloop.First %}{{ " " }}{% endif %}-L{{ l }}/lib{% endfor %}"
{% endif %}{% else %}# Helpers that run during the build only (kconfig, fixdep, generators) are compiled for the
# build host by the seed's clang until the toolchain can rebuild itself (issue 9).
export HOSTCC={% if compiler %}/usr/bin/{% endif %}clang HOSTCXX={% if compiler %}/usr/bin/{% endif %}clang++ BUILD_CC={% if compiler %}/usr/bin/{% endif %}clang
{% endif %}export CFLAGS="{% block cflags %}-O2 -pipe -ffile-prefix-map=/build/src=.{% endblock %}{% for sym in options.rename_symbols %} -D{{ sym }}=stalix_{{ name|cut:"-" }}_{{ sym }}{% endfor %}"
export CXXFLAGS="$CFLAGS"
export LDFLAGS="{% block ldflags %}{% endblock %}{% for l in libs %} -L{{ l }}/lib{% endfor %}"
{% endblock %}
{% block prepare %}{% endblock %}
{% block configure %}{% endblock %}
{% block build %}{% endblock %}
{% block install %}{% endblock %}
{% block fixup %}
# Libtool archives carry build paths and are useless for static linking.
find "$out" -name '*.la' -delete
{% endblock %}
