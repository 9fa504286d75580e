{% extends "meson.sh" %}
{% comment %} The core library only: KMS needs nothing of the vendors' buffer APIs (wlroots' pixman
   renderer draws into dumb buffers), and udev is not needed to make device nodes. {% endcomment %}
{% block meson_off %}-Dtests=false -Dman-pages=disabled -Dcairo-tests=disabled -Dvalgrind=disabled -Dinstall-test-programs=false{% endblock %}
{% block meson_flags %}-Dintel=disabled -Dradeon=disabled -Damdgpu=disabled -Dnouveau=disabled -Dvmwgfx=disabled -Domap=disabled -Dexynos=disabled -Dfreedreno=disabled -Dtegra=disabled -Dvc4=disabled -Detnaviv=disabled -Dudev=false{% endblock %}
