{% extends "make.sh" %}
{% comment %} The static library and the program, with upstream's Makefiles (they read CC, AR, CPPFLAGS,
   CFLAGS and LDFLAGS from the environment, so zlib, liblzma and liblz4 from [deps] libs reach the
   zstd program's gzip, xz and lz4 support). Each HAVE_* is set rather than probed, so a library
   that fails to link is an error, not a silently smaller program. {% endcomment %}
{% block make_flags %}-C lib libzstd.a libzstd.pc PREFIX="$out"
make -C programs zstd HAVE_ZLIB=1 HAVE_LZMA=1 HAVE_LZ4=1{% endblock %}
{% block install %}
make -C lib install-pc install-static install-includes PREFIX="$out"
make -C programs install HAVE_ZLIB=1 HAVE_LZMA=1 HAVE_LZ4=1 PREFIX="$out"
{% endblock %}
