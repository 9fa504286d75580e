{% extends "meson.sh" %}
{% comment %} make-event-names.py (our python3) reads the event codes from the copy of the kernel's
   input headers the source carries. {% endcomment %}
{% block meson_off %}-Dtests=disabled -Ddocumentation=disabled{% endblock %}
