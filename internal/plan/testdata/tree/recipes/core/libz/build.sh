{% extends "make.sh" %}
{% block make_flags %}{% if options.shared %}SHARED=1{% endif %}{% endblock %}
