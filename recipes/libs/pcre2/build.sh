{% extends "configure.sh" %}
{% comment %} The 8-bit library with JIT (both targets have it), and pcre2grep reading .gz and .bz2 files
   through zlib and libbz2 from [deps] libs. The HTML manual is documentation only. {% endcomment %}
{% block configure_flags %}--enable-jit --enable-pcre2grep-libz --enable-pcre2grep-libbz2{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/doc"
{% endblock %}
