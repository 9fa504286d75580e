{% extends "configure.sh" %}
{% comment %} top, watch and slabtop draw with ncursesw (pkg-config). kill is left to util-linux, whose
   kill this image already has. No systemd or elogind. w takes utmp's field sizes from glibc's
   private __UT_* names when UT_HOSTSIZE is not defined, as it is not with musl's utmpx.h; the
   sizes are given here as musl's utmp.h defines them (its struct utmpx fields have those sizes).
   malloc(0) and realloc(p, 0) return non-null on musl (configure finds so natively), but a cross
   build cannot run that test, and without the answer configure swaps in rpl_malloc and
   rpl_realloc, which nothing defines. {% endcomment %}
{% block configure_flags %}--disable-kill --without-systemd --without-elogind --enable-watch8bit \
  ac_cv_func_malloc_0_nonnull=yes ac_cv_func_realloc_0_nonnull=yes{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/doc"
{% endblock %}
{% block cflags %}{{ block.Super }} -DUT_HOSTSIZE=256 -DUT_LINESIZE=32 -DUT_NAMESIZE=32{% endblock %}
