{% extends "configure.sh" %}
{% comment %} No multiple personalities (--enable-mpers=no): tracing 32-bit programs would need the 32-bit
   headers and a compiler that builds for them, and this system runs none. No stack traces (they
   need libunwind or libdw). {% endcomment %}
{% block configure_flags %}--enable-mpers=no --without-libunwind --without-libdw --disable-gcc-Werror{% endblock %}
