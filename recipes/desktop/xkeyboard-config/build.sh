{% extends "meson.sh" %}
{% comment %} Data only: share/X11/xkb. merge.py runs on our python3; xml2lst.pl, which writes the
   .lst files X servers read, on the seed's perl. No translations: msgfmt is not among the tools,
   and meson's i18n module then leaves them out. {% endcomment %}
{% block meson_flags %}-Dxorg-rules-symlinks=false{% endblock %}
