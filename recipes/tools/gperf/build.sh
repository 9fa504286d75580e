{% extends "configure.sh" %}
{% comment %} Its configure knows no --enable-static or --disable-nls: a program with no library and
   no translations. {% endcomment %}
{% block static_flags %}{% endblock %}
