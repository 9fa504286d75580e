{% extends "make.sh" %}
{% comment %} bzip2's Makefile names gcc, ar and ranlib and its own CFLAGS, so the toolchain's are passed on
   the command line. Its default target also runs the self-test, which a cross build cannot run:
   the library and the two programs are named instead, and the test runs when the output runs
   here. The scripts' links (bzegrep, bzless, ...) are relative so they hold wherever the package
   is. bzip2 ships no bzip2.pc; Debian's patches add one, so this writes the same. {% endcomment %}
{% block make_flags %}CC="$CC" AR="$AR" RANLIB="$RANLIB" CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" libbz2.a bzip2 bzip2recover{% if target.triple == host.triple %} test{% endif %}{% endblock %}
{% block install %}
make CC="$CC" AR="$AR" RANLIB="$RANLIB" CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" PREFIX="$out" install
cd "$out/bin"
for l in bzegrep bzfgrep bzless bzcmp; do
  rm -f "$l"
done
ln -s bzgrep bzegrep
ln -s bzgrep bzfgrep
ln -s bzmore bzless
ln -s bzdiff bzcmp
cd - >/dev/null
mkdir -p "$out/share" "$out/lib/pkgconfig"
mv "$out/man" "$out/share/man"
cat > "$out/lib/pkgconfig/bzip2.pc" <<EOT
prefix=$out
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: bzip2
Description: Lossless, block-sorting data compression
Version: {{ version }}
Libs: -L\${libdir} -lbz2
Cflags: -I\${includedir}
EOT
{% endblock %}
