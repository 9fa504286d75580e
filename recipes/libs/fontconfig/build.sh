{% extends "meson.sh" %}
{% comment %} The library reads its configuration from this package (etc/fonts in the store), so a
   program that links it lists fontconfig among its runtime packages. Fonts are looked for in
   /usr/share/fonts, which is the realm's share/fonts: every font package of the image lands
   there. The cache goes to /var/cache/fontconfig; without one, each start scans the fonts. No
   fc-cache at install time: it would run a target program during the build. {% endcomment %}
{% block meson_off %}-Ddoc=disabled -Dnls=disabled -Dtests=disabled -Dcache-build=disabled{% endblock %}
{% block meson_flags %}-Dtools=enabled -Ddefault-fonts-dirs=/usr/share/fonts -Dadditional-fonts-dirs= -Dcache-dir=/var/cache/fontconfig{% endblock %}
