{% extends "make.sh" %}
{% comment %} Upstream's Makefiles read CC, AR and CFLAGS from the environment. BUILD_SHARED=no keeps
   liblz4.so out; the programs link the library's objects statically. {% endcomment %}
{% block make_flags %}BUILD_SHARED=no lib-release lz4-release{% endblock %}
{% block install_flags %}BUILD_SHARED=no PREFIX="$out"{% endblock %}
