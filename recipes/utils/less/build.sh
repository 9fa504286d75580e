{% extends "configure.sh" %}
{% comment %} Searches use PCRE2 (as Debian's less does); the terminal library is ncurses, found by
   configure's tgetent search through [deps] libs. {% endcomment %}
{% block configure_flags %}--with-regex=pcre2{% endblock %}
