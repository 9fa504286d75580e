{% extends "meson.sh" %}
{% comment %} XML and a .pc file; the tests are what would compile anything. {% endcomment %}
{% block meson_off %}-Dtests=false{% endblock %}
