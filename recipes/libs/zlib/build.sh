{% extends "base.sh" %}
{% comment %} zlib's own configure script, not autoconf's: it takes no --build or --host and reads CC, AR,
   RANLIB and CFLAGS from the environment that base.sh sets. --static builds libz.a alone. The
   self-test (example and minigzip, statically linked) runs only when the output runs here. {% endcomment %}
{% block configure %}
./configure --prefix="$out" --static
{% endblock %}
{% block build %}
make
{% if target.triple == host.triple %}
make test
{% endif %}
{% endblock %}
{% block install %}
make install
# The manual page is not what a build needs.
rm -rf "$out/share"
{% endblock %}
