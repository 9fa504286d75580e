{% extends "configure.sh" %}
{% comment %} Only the program: lib/ (gnulib) and src/. The top-level make would also visit doc/
   (m4.1 is remade by help2man from the built m4 whenever m4.c looks newer), checks/ and
   examples/, none of which a build needs. syscmd's shell is named: configure would otherwise take
   the first sh on `getconf PATH`, which can be /usr/bin/sh, and /usr is not in the sandboxes that
   run this m4 (only /bin and /usr/bin as links to busybox). {% endcomment %}
{% block prepare %}
# The unpacker gives each file the time it was written, so a generated file (configure,
# Makefile.in, config.h.in, m4.1) can look older than what it is made from, and make would then
# run autoconf, automake or help2man, which are not here. One time for all: none is out of date.
find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
{% endblock %}
{% block configure_flags %}--disable-nls --disable-rpath --with-syscmd-shell=/bin/sh{% endblock %}
{% block build %}
make -C lib
make -C src
{% endblock %}
{% block install %}
make -C src install
{% endblock %}
