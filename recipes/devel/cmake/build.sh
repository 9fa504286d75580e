{% extends "base.sh" %}
{% comment %} CMake's own bootstrap: a small cmake is compiled with $CXX, then configures the real one with
   the bundled zlib, zstd, libarchive, curl and libuv, so nothing outside the cc package is linked.
   curl goes without TLS (no OpenSSL in the sysroot; LLVM's configure downloads nothing), and the
   curses and Qt front ends are off. No --parallel: the bootstrap's own make then takes its jobs
   from the build-wide jobserver in MAKEFLAGS. Tests are off: they triple the build. {% endcomment %}
{% block configure %}
./bootstrap --prefix="$out" --no-system-libs --no-qt-gui -- \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DCMAKE_USE_OPENSSL=OFF -DBUILD_CursesDialog=OFF
{% endblock %}
{% block build %}
make
{% endblock %}
{% block install %}
make install
# The manuals and the editor plug-ins are not what a build machine needs.
rm -rf "$out/doc" "$out/share/cmake-3.25/Help" "$out/share/emacs" "$out/share/vim" \
  "$out/share/bash-completion" "$out/share/aclocal"
{% endblock %}
