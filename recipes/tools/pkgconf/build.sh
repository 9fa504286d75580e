{% extends "configure.sh" %}
{% comment %} The default search path is empty: pkgconf must never find the seed's or the host's .pc files,
   only those the template names in PKG_CONFIG_PATH and PKG_CONFIG_LIBDIR. The system directories
   are empty too: they only strip -I and -L flags that name them, and no .pc of ours points into
   a system directory (the cc wrapper searches none). {% endcomment %}
{% block prepare %}
# Generated files must not look older than their inputs, or make would run autotools.
find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
{% endblock %}
{% block configure_flags %}--with-pkg-config-dir= --with-system-libdir= --with-system-includedir={% endblock %}
{% block install %}
make install
ln -s pkgconf "$out/bin/pkg-config"
rm -rf "$out/share/man" "$out/share/doc"
{% if target.triple == host.triple %}
{% include "check.sh" %}
{% endif %}
{% endblock %}
