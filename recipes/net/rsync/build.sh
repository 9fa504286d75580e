{% extends "configure.sh" %}
{% comment %} zlib, zstd, lz4, xxHash and popt from [deps] libs instead of the bundled zlib and popt. No
   OpenSSL (MD4 and MD5 are rsync's own). The rolling-checksum SIMD code is C++ on x86_64, and this
   recipe is C only, so it is off on both targets. The man pages come prebuilt in the release, so
   md2man (Python) is not needed. rsync-ssl and rrsync are scripts for stunnel/openssl and Python. {% endcomment %}
{% block configure_flags %}--disable-openssl --disable-roll-simd --disable-md2man \
  --without-included-zlib --without-included-popt --disable-acl-support{% endblock %}
{% block install %}
{{ block.Super }}
rm -f "$out/bin/rsync-ssl" "$out/share/man/man1/rsync-ssl.1"
{% endblock %}
