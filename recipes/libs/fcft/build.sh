{% extends "meson.sh" %}
{% comment %} No HarfBuzz shaping: foot draws one glyph per cell. SVG glyphs through the bundled
   nanosvg. {% endcomment %}
{% block meson_off %}-Ddocs=disabled -Dexamples=false -Dtest-text-shaping=false{% endblock %}
{% block meson_flags %}-Dgrapheme-shaping=disabled -Drun-shaping=disabled -Dsvg-backend=nanosvg{% endblock %}
