{% extends "configure.sh" %}
{% comment %} liblzma and the command-line tools. The Doxygen API pages and the translated man pages are
   documentation only; the English man pages stay. {% endcomment %}
{% block configure_flags %}--disable-doc{% endblock %}
