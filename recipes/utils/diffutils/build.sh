{% extends "configure.sh" %}
{% comment %} diff -l pipes through pr, which configure would look for on the build machine; it is
   named where an image has it (busybox has no pr, so diff -l needs coreutils). The info manual is
   documentation only. {% endcomment %}
{% block configure_flags %}PR_PROGRAM=/bin/pr{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/info"
{% endblock %}
