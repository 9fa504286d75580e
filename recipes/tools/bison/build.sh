{% extends "configure.sh" %}
{% comment %} Only what bison runs with: bin/bison, the yacc script, liby.a, and share/bison (the
   skeletons, m4sugar and the XSLT files it reads at run time). "make all" is not usable on
   Debian's repack: the manual's sources are gone, yet the info page, the examples extracted from
   it (a perl script) and the man pages (help2man) are all part of it. So the generated sources
   of BUILT_SOURCES are made first, minus the examples, then the three programs, then only the
   install targets of those and of the data.
   M4 is our m4's store path; configure would otherwise take the seed's /usr/bin/m4, which no
   sandbox without the seed has. $M4 still overrides it at run time. {% endcomment %}
{% block prepare %}
# The unpacker gives each file the time it was written, so a generated file (configure,
# Makefile.in, parse-gram.c, scan-gram.c, bison.1) can look older than what it is made from, and
# make would then run autoconf, automake, bison, flex or help2man. One time for all: none is out
# of date.
find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
{% endblock %}
{% block configure_flags %}--disable-nls --disable-rpath M4={{ deps.m4 }}/bin/m4{% endblock %}
{% block build %}
built=$(make -s -f Makefile -f - built <<'EOT'
built: ; @echo $(filter-out examples/%,$(BUILT_SOURCES))
EOT
)
make $built
make src/bison src/yacc lib/liby.a
{% endblock %}
{% block install %}
make install-binPROGRAMS install-nodist_binSCRIPTS install-libLIBRARIES \
  install-dist_pkgdataDATA install-dist_m4sugarDATA install-dist_skeletonsDATA \
  install-dist_xsltDATA
{% endblock %}
