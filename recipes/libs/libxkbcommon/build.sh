{% extends "meson.sh" %}
{% comment %} The library alone: no X11, no tools, no registry (which wants libxml2). The keymap data
   is looked up where an image has it, /usr/share/X11/xkb (/usr is the realm, and the
   xkeyboard-config package puts it there), not in a store path of one build of it. {% endcomment %}
{% block meson_off %}-Denable-docs=false -Denable-tools=false{% endblock %}
{% block meson_flags %}-Denable-x11=false -Denable-wayland=false -Denable-xkbregistry=false -Dxkb-config-root=/usr/share/X11/xkb -Dx-locale-root=/usr/share/X11/locale{% endblock %}
