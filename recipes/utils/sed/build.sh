{% extends "configure.sh" %}
{% comment %} No SELinux. The info manual is documentation only. {% endcomment %}
{% block configure_flags %}--without-selinux{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/info"
{% endblock %}
