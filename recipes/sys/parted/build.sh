{% extends "configure.sh" %}
{% comment %} libuuid and libblkid from util-linux, and readline (with ncurses) for the interactive prompt,
   all from [deps] libs. No device-mapper (LVM's library is not packaged here). {% endcomment %}
{% block configure_flags %}--disable-device-mapper --with-readline --disable-debug{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/info" "$out/share/doc"
{% endblock %}
