{% extends "configure.sh" %}
{% comment %} pstree finds its terminal library (tgetent) in ncurses through [deps] libs. malloc(0)
   and realloc(p, 0) return non-null on musl (configure finds so natively), but a cross build
   cannot run that test, and without the answer configure swaps in rpl_malloc and rpl_realloc,
   which nothing defines. {% endcomment %}
{% block configure_flags %}--disable-harden-flags ac_cv_func_malloc_0_nonnull=yes ac_cv_func_realloc_0_nonnull=yes{% endblock %}
