{% extends "configure.sh" %}
{% comment %} TLS through Mbed TLS, compression through zlib and zstd, all from [deps] libs. No HTTP/2,
   IDN, PSL, LDAP, brotli or SSH libraries: each would be another package for little in a rescue or
   installer image. The CA bundle is looked for where Debian and most distributions keep it; no
   bundle is shipped (Debian's ca-certificates builds it with Python), so HTTPS verification needs
   one put there, or curl --cacert. {% endcomment %}
{% block configure_flags %}--with-mbedtls --with-zlib --with-zstd \
  --without-libpsl --without-brotli --without-nghttp2 --without-libidn2 --without-librtmp \
  --without-libssh2 --without-libssh --disable-ldap --disable-ldaps \
  --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --with-ca-path=/etc/ssl/certs{% endblock %}
{% block install %}
{{ block.Super }}
# curl-config --configure repeats the configure line, with CFLAGS and the -ffile-prefix-map for
# the build directory in it; that flag means nothing to a user of the installed library.
sed -i 's| -ffile-prefix-map=/build/src=\.||g' "$out/bin/curl-config"
{% endblock %}
