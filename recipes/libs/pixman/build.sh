{% extends "meson.sh" %}
{% comment %} No tests, no GTK demos, no PNG output for the tests; no OpenMP (the test suite's only user).
   On aarch64 no NEON assembly: pixman 0.42's pixman-arma64-neon-asm*.S are written for GNU as
   (.func, .if on macro arguments), which clang's integrated assembler rejects ("unknown
   directive", "expected absolute expression"); the C paths serve. {% endcomment %}
{% block meson_off %}-Dtests=disabled -Dgtk=disabled -Dlibpng=disabled{% endblock %}
{% block meson_flags %}-Dopenmp=disabled{% if target.arch == "aarch64" %} -Da64-neon=disabled{% endif %}{% endblock %}
