{% extends "base.sh" %}
{% block build %}
make {% block make_flags %}{% endblock %}
{% endblock %}
{% block install %}
make DESTDIR={{ out }} install
{% endblock %}
