{% extends "configure.sh" %}
{% comment %} PCRE2 (for -P) through pkg-config from [deps] libs. egrep and fgrep are upstream's warning
   scripts. The info manual is documentation only. {% endcomment %}
{% block configure_flags %}--enable-perl-regexp{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/info"
{% endblock %}
