{% extends "files.sh" %}
{% comment %} Where fontconfig looks: share/fonts of the realm (/usr/share/fonts). The rules go to
   share/fontconfig/conf.avail, as fontconfig's own do; none is enabled. {% endcomment %}
{% block files %}
mkdir -p "$out/share/fonts/truetype/dejavu" "$out/share/fontconfig/conf.avail" "$out/share/doc/fonts-dejavu"
cp ttf/*.ttf "$out/share/fonts/truetype/dejavu/"
cp fontconfig/*.conf "$out/share/fontconfig/conf.avail/"
cp LICENSE AUTHORS "$out/share/doc/fonts-dejavu/"
{% endblock %}
