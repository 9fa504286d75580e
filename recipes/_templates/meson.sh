{% extends "base.sh" %}
{% comment %} Meson and ninja. A recipe lists meson in deps.tools (ninja, pkgconf and python3 come with
   it) and fills meson_off with the project's own switches for tests, docs and examples, and
   meson_flags with the rest of its options. Meson errors on an option the project lacks, so the
   template cannot turn these off itself.

   Every target is a cross build: the cross file names the cc package's tools for the target (C++
   only when the recipe says cxx = true), so meson never probes the seed's or the host's, and the
   native file names HOSTCC for anything built to run during the build. pkg-config is ours, which
   sees only the .pc files of [deps] libs (PKG_CONFIG_LIBDIR from base.sh), and meson passes
   --static to it (prefer_static) as base.sh's PKG_CONFIG does. buildtype=plain: the flags are
   base.sh's CFLAGS, as for every other template.

   No -j: ninja 1.13 takes its jobs from the build-wide jobserver, whose fifo the sandbox binds at
   $STALIX_JOBSERVER_FIFO. It reads the fifo form of --jobserver-auth and make 4.3 only the fds
   form, each the last one in MAKEFLAGS, so ninja gets a MAKEFLAGS of its own (see
   internal/sched/jobserver.go). {% endcomment %}
{% block env %}
{{ block.Super }}
# ninja on the build-wide jobserver, by the fifo's path.
jninja() {
  MAKEFLAGS="-j$STALIX_JOBS --jobserver-auth=fifo:$STALIX_JOBSERVER_FIFO" ninja "$@"
}
# Python packages among the inputs (mako, for mesa's generators) are importable by our python3:
# every input's bin/ is on PATH, and such a package keeps its modules beside it. Only store
# paths: the seed's /usr/bin is on PATH too.
for p in $(echo "$PATH" | tr : ' '); do
  case $p in /ix/store/*/bin) ;; *) continue ;; esac
  if [ -d "${p%/bin}/lib/python3.11/site-packages" ]; then
    PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}${p%/bin}/lib/python3.11/site-packages"
  fi
done
[ -z "$PYTHONPATH" ] || export PYTHONPATH
# Shell words as the items of a meson array: a cross build reads no CFLAGS from the
# environment, so base.sh's flags (the libraries' -I and -L among them) go into the cross file.
marray() {
  for a do printf "'%s', " "$a"; done
}
{% endblock %}
{% block prepare %}
{% block static_rewrite %}
# Static only: stal/IX's rewrite. A shared library, a loadable module or both become one
# library(), which default_library=static makes an archive; without it a project that asks for
# shared_library() would fail to link against the static-only toolchain.
find . -name meson.build -exec sed -i -E \
  's/(^|[^_[:alnum:]])(shared_library|shared_module|both_libraries)[[:space:]]*\(/\1library(/g' {} +
{% endblock %}
{% endblock %}
{% block configure %}
cat > /build/cross.ini <<EOT
[binaries]
c = '{{ target.triple }}-cc'
{% if deps.cxx %}cpp = '{{ target.triple }}-c++'
{% endif %}ar = '{{ target.triple }}-ar'
strip = '{{ target.triple }}-strip'
pkg-config = 'pkg-config'

[built-in options]
c_args = [$(marray $CPPFLAGS $CFLAGS)]
c_link_args = [$(marray $LDFLAGS)]
{% if deps.cxx %}cpp_args = [$(marray $CPPFLAGS $CXXFLAGS)]
cpp_link_args = [$(marray $LDFLAGS)]
{% endif %}
[properties]
needs_exe_wrapper = {% if target.arch == host.arch %}false{% else %}true{% endif %}

[host_machine]
system = 'linux'
cpu_family = '{{ target.arch }}'
cpu = '{{ target.arch }}'
endian = 'little'
EOT
# Build-machine dependencies (dependency(..., native: true), such as wayland-scanner) are looked up
# among the tools' .pc files only: the libraries of PKG_CONFIG_LIBDIR are the target's.
native_pc=
for p in $(echo "$PATH" | tr : ' '); do
  case $p in /ix/store/*/bin) ;; *) continue ;; esac
  for d in "${p%/bin}/lib/pkgconfig" "${p%/bin}/share/pkgconfig"; do
    [ ! -d "$d" ] || native_pc="$native_pc$(marray "$d")"
  done
done
cat > /build/native.ini <<EOT
[binaries]
c = '$HOSTCC'
{% if deps.cxx %}cpp = '$HOSTCXX'
{% endif %}pkg-config = 'pkg-config'

[properties]
pkg_config_libdir = [${native_pc:-'/build/no-native-pc'}]
EOT
meson setup /build/obj . --cross-file /build/cross.ini --native-file /build/native.ini \
  --prefix="$out" --libdir=lib --buildtype=plain --default-library=static --prefer-static \
  -Dwrap_mode=nodownload \
  {% block meson_off %}{% endblock %} {% block meson_flags %}{% endblock %}
{% endblock %}
{% block build %}
jninja -C /build/obj
{% endblock %}
{% block install %}
jninja -C /build/obj install
{% endblock %}
