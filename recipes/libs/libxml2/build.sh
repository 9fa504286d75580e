{% extends "configure.sh" %}
{% comment %} zlib and liblzma from [deps] libs read compressed documents; iconv is musl's. No Python
   bindings, and no ICU. The test data Debian drops is only for make check, which is not run.
   The HTML and gtk-doc manuals are documentation only. {% endcomment %}
{% block configure_flags %}--without-python --without-icu --with-zlib --with-lzma --with-threads{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/doc" "$out/share/gtk-doc"
{% endblock %}
