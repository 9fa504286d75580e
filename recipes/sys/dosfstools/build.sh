{% extends "configure.sh" %}
{% comment %} The compat symlinks add the names installers call: mkfs.vfat, mkdosfs, fsck.vfat,
   dosfsck, dosfslabel. iconv (for codepage conversion of labels) is musl's. {% endcomment %}
{% block configure_flags %}--enable-compat-symlinks{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/doc"
{% endblock %}
