{% extends "configure.sh" %}
{% comment %} The terminal library is ncurses (--with-curses), which readline.pc names as a private
   requirement, so pkg-config --static links it after readline. The info manual and the examples
   are documentation only. {% endcomment %}
{% block configure_flags %}--with-curses --disable-install-examples{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/doc" "$out/share/info"
{% endblock %}
