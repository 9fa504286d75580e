{% extends "meson.sh" %}
{% comment %} No terminfo: compiling foot's entry needs tic, which is no build tool here, so the
   terminal sets TERM=foot and programs that look it up fall back. No IME, no grapheme clustering
   (it wants utf8proc). {% endcomment %}
{% block meson_off %}-Dtests=false -Ddocs=disabled -Dthemes=false{% endblock %}
{% block meson_flags %}-Dterminfo=disabled -Dime=false -Dgrapheme-clustering=disabled{% endblock %}
