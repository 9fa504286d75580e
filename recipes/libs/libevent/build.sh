{% extends "configure.sh" %}
{% comment %} No OpenSSL or Mbed TLS bufferevents, samples or regression tests; event_rpcgen.py (a Python
   generator for RPC stubs) is left out of bin/. {% endcomment %}
{% block configure_flags %}--disable-openssl --disable-mbedtls --disable-samples --disable-libevent-regress --disable-debug-mode{% endblock %}
{% block install %}
{{ block.Super }}
rm -f "$out/bin/event_rpcgen.py"
{% endblock %}
