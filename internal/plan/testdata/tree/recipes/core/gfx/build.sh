{% extends "make.sh" %}
{% block env %}LIBS="{% for l in libs %}{{ l }};{% endfor %}"{% endblock %}
