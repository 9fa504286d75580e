{% extends "configure.sh" %}
{% comment %} file -z looks inside gzip, bzip2, xz and zstd files through the libraries of [deps] libs.
   The compiled database is found at this package's store path (the default MAGIC). {% endcomment %}
{% block configure_flags %}--enable-zlib --enable-bzlib --enable-xzlib --enable-zstdlib --disable-libseccomp{% endblock %}
