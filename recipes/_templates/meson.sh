{% extends "base.sh" %}
{% comment %} Meson: a cross file names the cc package's tools so meson never probes the seed's. The
   recipe lists meson and ninja in deps.tools; ninja gets its parallelism from -j below because
   it does not speak the make jobserver. {% endcomment %}
{% block configure %}
cat > /build/cross.ini <<EOT
[binaries]
c = '{{ target.triple }}-cc'
cpp = '{{ target.triple }}-c++'
ar = '{{ target.triple }}-ar'
strip = '{{ target.triple }}-strip'
pkg-config = 'pkg-config'

[host_machine]
system = 'linux'
cpu_family = '{% if target.arch == "x86_64" %}x86_64{% else %}aarch64{% endif %}'
cpu = '{{ target.arch }}'
endian = 'little'
EOT
meson setup /build/obj . --cross-file /build/cross.ini --prefix="$out" --libdir=lib \
  --buildtype=release --default-library=static --prefer-static -Dwrap_mode=nodownload \
  {% block meson_flags %}{% endblock %}
{% endblock %}
{% block build %}
ninja -C /build/obj -j {% block jobs %}2{% endblock %}
{% endblock %}
{% block install %}
ninja -C /build/obj install
{% endblock %}
