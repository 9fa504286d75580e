{% extends "configure.sh" %}
{% comment %} Only src/: flex, libfl.a and FlexLexer.h. The top-level make would also visit doc/
   (flex.1 is remade by help2man from the built flex whenever options.c looks newer), examples/,
   tests/ and tools/, none of which a build needs. The bootstrap stays on: stage1flex, built from
   the shipped scan.c, runs here (with our m4) to make stage1scan.c, from which flex is built.
   M4 is our m4's store path. configure would otherwise take the seed's /usr/bin/m4, which no
   sandbox without the seed has. flex runs the first "m4" on PATH and falls back to this path
   only when none is found; $M4 overrides both. {% endcomment %}
{% block prepare %}
# The unpacker gives each file the time it was written, so a generated file (configure,
# Makefile.in, scan.c, parse.c, skel.c, flex.1) can look older than what it is made from, and make
# would then run autoconf, automake, bison or help2man. One time for all: none is out of date.
find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
{% endblock %}
{% block configure_flags %}--disable-nls --disable-rpath --disable-shared M4={{ deps.m4 }}/bin/m4{% endblock %}
{% block build %}
make -C src
{% endblock %}
{% block install %}
make -C src install
# What the top-level install and Debian's package add: flex++ (flex's own hook) and lex.
ln -s flex "$out/bin/flex++"
ln -s flex "$out/bin/lex"
{% endblock %}
