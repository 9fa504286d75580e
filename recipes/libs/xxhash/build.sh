{% extends "make.sh" %}
{% comment %} The static library, its .pc file and xxhsum, from upstream's Makefile (it reads CC, AR and
   CFLAGS from the environment). Its install target would build and install libxxhash.so too, so
   the same files are installed by hand, as that target does. {% endcomment %}
{% block make_flags %}libxxhash.a xxhsum libxxhash.pc PREFIX="$out"{% endblock %}
{% block install %}
mkdir -p "$out/lib/pkgconfig" "$out/include" "$out/bin" "$out/share/man/man1"
install -m 644 libxxhash.a "$out/lib/"
install -m 644 libxxhash.pc "$out/lib/pkgconfig/"
install -m 644 xxhash.h xxh3.h "$out/include/"
install -m 755 xxhsum "$out/bin/"
for l in xxh32sum xxh64sum xxh128sum; do
  ln -s xxhsum "$out/bin/$l"
done
install -m 644 cli/xxhsum.1 "$out/share/man/man1/"
{% endblock %}
