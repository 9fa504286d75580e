{% extends "configure.sh" %}
{% comment %} Dropbear rather than OpenSSH: it needs no OpenSSL (it carries its own libtomcrypt), builds
   in a minute and statically, and one 300 KiB program serves as server, client, key tools and
   scp. Built as that one program (MULTI=1), with a link per name. Host keys live in
   /etc/dropbear; "dropbear -R" makes them on first use. The client also answers to ssh. {% endcomment %}
{% block configure_flags %}--disable-pam --enable-bundled-libtom{% endblock %}
{% block build %}
make PROGRAMS="dropbear dbclient dropbearkey dropbearconvert scp" MULTI=1 SCPPROGRESS=1
{% endblock %}
{% block install %}
make PROGRAMS="dropbear dbclient dropbearkey dropbearconvert scp" MULTI=1 install
ln -s dbclient "$out/bin/ssh"
{% endblock %}
