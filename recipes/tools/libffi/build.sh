{% extends "configure.sh" %}
{% comment %} --disable-multi-os-directory puts libffi.a in lib/, not lib/../lib64. {% endcomment %}
{% block prepare %}
# Generated files must not look older than their inputs, or make would run autotools.
find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
{% endblock %}
{% block configure_flags %}--disable-docs --disable-multi-os-directory{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share"
{% endblock %}
