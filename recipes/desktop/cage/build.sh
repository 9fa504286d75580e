{% extends "meson.sh" %}
{% block meson_off %}-Dman-pages=disabled{% endblock %}
{% block meson_flags %}-Dxwayland=false{% endblock %}
