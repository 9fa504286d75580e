{% extends "configure.sh" %}
{% comment %} locate's database lives in /var/lib/locate (localstatedir), not in this read-only store
   path. make install creates that directory, which the sandbox cannot, so the install goes
   through a DESTDIR and only $out is kept. No SELinux. The info manual is documentation only. {% endcomment %}
{% block configure_flags %}--localstatedir=/var/lib/locate --without-selinux{% endblock %}
{% block install %}
make DESTDIR=/build/dest install
cp -a "/build/dest$out/." "$out/"
rm -rf "$out/share/info"
{% endblock %}
