{% extends "configure.sh" %}
{% comment %} libevent and ncurses through pkg-config from [deps] libs. tmux's own configure has no
   --disable-shared, and --enable-static there means "link the program statically", which is what
   the cc package does anyway. {% endcomment %}
{% block static_flags %}--enable-static{% endblock %}
