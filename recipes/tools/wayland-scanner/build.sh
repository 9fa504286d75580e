{% extends "meson.sh" %}
{% comment %} The scanner only, from wayland's source (cross-scanner.patch). {% endcomment %}
{% block meson_off %}-Dtests=false -Ddocumentation=false{% endblock %}
{% block meson_flags %}-Dlibraries=false -Dscanner=true -Ddtd_validation=false{% endblock %}
