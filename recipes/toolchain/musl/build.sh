{% extends "configure.sh" %}
{% comment %} musl builds freestanding (-nostdinc, its own headers), so the seed's clang only needs to be told
   the target and to link with lld; it never sees the seed's glibc. Static only: Stalix links
   everything statically, and a libc.so would be a dynamic loader nobody uses. {% endcomment %}
{% block configure %}
./configure --prefix="$out" --target={{ target.triple }} --disable-shared --disable-wrapper \
  CC="clang --target={{ target.triple }} -fuse-ld=lld" AR=llvm-ar RANLIB=llvm-ranlib \
  CFLAGS="-O2 -pipe -ffile-prefix-map=/build/src=."
{% endblock %}
