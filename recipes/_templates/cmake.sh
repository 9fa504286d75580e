{% extends "base.sh" %}
{% comment %} CMake with the Makefile generator: the seed has cmake and make but no ninja, and make
   shares the build-wide jobserver. {% endcomment %}
{% block configure %}
{% if stage == "toolchain" %}
cmake_sysroot=
{% else %}
# find_library and find_path look in the cc package's sysroot, never in the seed's /usr.
cmake_sysroot=-DCMAKE_SYSROOT={{ deps.cc }}/sysroot
{% endif %}
cmake -S {% block cmake_source %}.{% endblock %} -B /build/obj -G "Unix Makefiles" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$out" \
  -DCMAKE_INSTALL_LIBDIR=lib \
  -DCMAKE_SYSTEM_NAME=Linux \
  -DCMAKE_SYSTEM_PROCESSOR={{ target.arch }} \
  -DCMAKE_C_COMPILER_TARGET={{ target.triple }} \
  -DCMAKE_CXX_COMPILER_TARGET={{ target.triple }} \
  -DCMAKE_ASM_COMPILER_TARGET={{ target.triple }} \
  -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER \
  -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY \
  -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY \
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON \
  $cmake_sysroot \
  {% block cmake_flags %}{% endblock %}
{% endblock %}
{% block build %}
make -C /build/obj {% block make_flags %}{% endblock %}
{% endblock %}
{% block install %}
make -C /build/obj {% block install_target %}install{% endblock %}
{% endblock %}
