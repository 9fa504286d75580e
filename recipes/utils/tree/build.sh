{% extends "make.sh" %}
{% comment %} tree's Makefile sets CC=gcc and adds its own flags to CFLAGS, so the compiler and ours go on
   the command line; its DESTDIR is the bin directory itself. {% endcomment %}
{% block make_flags %}CC="$CC" CFLAGS="$CFLAGS -std=c11 -Wall -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64" LDFLAGS="$LDFLAGS"{% endblock %}
{% block install_flags %}CC="$CC" PREFIX="$out" DESTDIR="$out/bin" MANDIR="$out/share/man"{% endblock %}
