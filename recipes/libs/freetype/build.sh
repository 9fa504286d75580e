{% extends "meson.sh" %}
{% comment %} Plain TrueType and OpenType: no compressed fonts (zlib, bzip2, brotli), no PNG colour
   glyphs, no HarfBuzz auto-hinting. {% endcomment %}
{% block meson_off %}-Dtests=disabled{% endblock %}
{% block meson_flags %}-Dbrotli=disabled -Dbzip2=disabled -Dharfbuzz=disabled -Dpng=disabled -Dzlib=disabled -Dmmap=enabled{% endblock %}
