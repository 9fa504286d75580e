{% extends "meson.sh" %}
{% comment %} One header and its .pc file. {% endcomment %}
