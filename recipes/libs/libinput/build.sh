{% extends "meson.sh" %}
{% comment %} No libwacom (tablets get the generic handling), no GUI, no tests. The quirks files are
   read from share/libinput in this package at run time, so a program that links libinput lists
   it among its runtime packages. {% endcomment %}
{% block meson_off %}-Dtests=false -Ddocumentation=false -Ddebug-gui=false{% endblock %}
{% block meson_flags %}-Dlibwacom=false -Dzshcompletiondir=no{% endblock %}
