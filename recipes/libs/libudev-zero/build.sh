{% extends "make.sh" %}
{% comment %} The archive, the header and libudev.pc; the Makefile's default target would also link
   the shared object, which a static toolchain cannot. {% endcomment %}
{% block make_flags %}CC="$CC" AR="$AR" CFLAGS="$CFLAGS" PREFIX="$out" libudev.a libudev.pc{% endblock %}
{% block install %}
make PREFIX="$out" DESTDIR="" install-static
{% endblock %}
