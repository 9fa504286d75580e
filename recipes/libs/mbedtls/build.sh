{% extends "make.sh" %}
{% comment %} The TLS library for curl. Mbed TLS 2.28 is the LTS branch; its plain Makefiles build the
   three static libraries with nothing but a C compiler (the generated sources are in the release),
   where OpenSSL's configure needs perl, which the world has no package for. Only the libraries and
   headers are built: the sample programs and the test suite are not wanted. Its Makefile's
   install target would build those, so the files are installed as that target does. {% endcomment %}
{% block make_flags %}lib{% endblock %}
{% block install %}
mkdir -p "$out/include" "$out/lib"
cp -R include/mbedtls include/psa "$out/include/"
cp library/libmbedtls.a library/libmbedx509.a library/libmbedcrypto.a "$out/lib/"
{% endblock %}
