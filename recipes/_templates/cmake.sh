{% extends "base.sh" %}
{% comment %} CMake with the Makefile generator: make shares the build-wide jobserver. A world recipe
   lists cmake in [deps] tools; the toolchain stage uses the seed's. The target is given by
   CMAKE_SYSTEM_NAME and the *_COMPILER_TARGET values; libraries are found through the cc
   package's sysroot and each library's prefix (CMAKE_FIND_ROOT_PATH), and pkg-config through
   base.sh's PKG_CONFIG_LIBDIR. Recipes fill cmake_flags, and make_flags or install_target.
   {% endcomment %}
{% block configure %}
{% if stage == "toolchain" %}
cmake_sysroot=
{% else %}
# find_library and find_path look in the cc package's sysroot, never in the seed's /usr.
cmake_sysroot=-DCMAKE_SYSROOT={{ deps.cc }}/sysroot
{% if libs %}# And in each library of [deps] libs: a find root's lib/ and include/ are searched as if at /.
cmake_sysroot="$cmake_sysroot -DCMAKE_FIND_ROOT_PATH={% for l in libs %}{% if not forloop.First %};{% endif %}{{ l }}{% endfor %}"
{% endif %}# Static, and none of a project's tests, unless the recipe's cmake_flags says otherwise.
cmake_sysroot="$cmake_sysroot -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF"
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
