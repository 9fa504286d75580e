{% extends "make.sh" %}
{% block make_flags %}GREETING={{ options.greeting }} ZLIB={{ deps.libz }}{% endblock %}
