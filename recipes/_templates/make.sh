{% extends "base.sh" %}
{# A plain Makefile: parallelism comes from the jobserver in MAKEFLAGS, so no -j here. #}
{% block build %}
make {% block make_flags %}{% endblock %}
{% endblock %}
{% block install %}
make {% block install_flags %}PREFIX="$out" DESTDIR=""{% endblock %} install
{% endblock %}
