{% extends "base.sh" %}
{% block install %}mkdir -p {{ out }}/bin{% endblock %}
