{% extends "base.sh" %}
{% comment %} GNU autotools, or any ./configure that takes --prefix, --build and --host. Static only:
   --enable-static --disable-shared, and --disable-nls so no gettext runtime is wanted. A recipe
   adds its own options in configure_flags, or replaces static_flags when its configure script
   rejects those. CPPFLAGS, LDFLAGS and PKG_CONFIG from base.sh carry the libraries; make takes
   its jobs from the jobserver in MAKEFLAGS, so there is no -j. {% endcomment %}
{% block configure %}
# Sources are unpacked with the time of unpacking, in no set order, so a generated file (configure,
# Makefile.in, config.h.in) may look older than its input and make would rerun autotools, which the
# sandbox does not have. One time for every file, patched ones included, leaves nothing to redo.
find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
{% block configure_script %}./configure{% endblock %} --prefix="$out" --build={{ host.triple }} --host={{ target.triple }} \
  {% block static_flags %}--enable-static --disable-shared --disable-nls{% endblock %} {% block configure_flags %}{% endblock %}
{% endblock %}
{% block build %}
make {% block make_flags %}{% endblock %}
{% endblock %}
{% block install %}
make {% block install_flags %}{% endblock %} install
{% endblock %}
