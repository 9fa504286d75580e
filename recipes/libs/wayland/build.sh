{% extends "meson.sh" %}
{% comment %} The libraries only. Every meson build here is a cross build, so wayland asks for a
   wayland-scanner of the build machine by pkg-config: the wayland-scanner tool's .pc, which the
   template's native file points at. {% endcomment %}
{% block meson_off %}-Dtests=false -Ddocumentation=false{% endblock %}
{% block meson_flags %}-Dlibraries=true -Dscanner=false -Ddtd_validation=false{% endblock %}
