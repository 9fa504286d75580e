{% extends "cmake.sh" %}
{% comment %} The library and its pkg-config file only: no xmlwf, examples, tests or docs (docbook). {% endcomment %}
{% block cmake_source %}expat{% endblock %}
{% block cmake_flags %}-DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF \
  -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_FUZZERS=OFF{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share"
{% endblock %}
