{% extends "configure.sh" %}
{% comment %} ncursesw through pkg-config, UTF-8 on. No libmagic (syntax colouring is chosen by file name
   and first line, which covers the shipped syntaxes) and no spell checker. The syntax files are
   installed; an /etc/nanorc may include them from /usr/share/nano. {% endcomment %}
{% block configure_flags %}--enable-utf8 --disable-libmagic --disable-speller{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/doc" "$out/share/info"
{% endblock %}
