{% extends "configure.sh" %}
{% comment %} Readline (with ncurses) from [deps] libs for gawk's debugger. No dynamic extensions (a static
   gawk cannot load them), no MPFR arbitrary precision, and no persistent memory allocator (it
   wants a non-PIE glibc executable). The info manuals are documentation only; the extension API
   header and the shell profile snippets are for what a static gawk does not do. doc/ and awklib/
   (whose sources are extracted from the manual Debian's tarball lacks), po/ and test/ are left
   out of SUBDIRS.{% endcomment %}
{% block configure_flags %}--disable-extensions --disable-mpfr --disable-pma --with-readline{% endblock %}
{% block make_flags %}SUBDIRS="support . extras"{% endblock %}
{% block install_flags %}SUBDIRS="support . extras"{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/info" "$out/include" "$out/etc"
# gawkbug mails a bug report with the build's compiler flags (the build directory's prefix map
# among them); like bashbug, it is for the maintainers' machines.
rm -f "$out/bin/gawkbug" "$out/share/man/man1/gawkbug.1"
{% endblock %}
