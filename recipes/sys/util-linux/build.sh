{% extends "configure.sh" %}
{% comment %} Static archives of the five libraries, and the programs linked with them. Left out: what
   authenticates or changes users (login, su, runuser, sulogin, chfn, chsh, newgrp, vipw: they
   want PAM or setuid, and busybox covers the console login), the terminal writers (wall, write,
   mesg, which want a tty group), uuidd (a daemon for socket activation), and Python and
   bash-completion. Nothing is installed setuid or chowned: the store holds no setuid files, and
   mount and umount are for root. runstatedir is /run, where libmount keeps its utab. {% endcomment %}
{% block configure_flags %}--sysconfdir=/etc --localstatedir=/var --runstatedir=/run \
  --disable-makeinstall-chown --disable-makeinstall-setuid --disable-asciidoc \
  --disable-login --disable-su --disable-runuser --disable-sulogin --disable-nologin \
  --disable-chfn-chsh --disable-newgrp --disable-vipw --disable-wall --disable-write --disable-mesg \
  --disable-uuidd --disable-liblastlog2 --disable-pylibmount --disable-bash-completion \
  --without-python --without-systemd --without-udev --without-selinux --without-audit \
  --without-readline --without-libz --without-libmagic --without-cap-ng --without-econf \
  --with-ncursesw{% endblock %}
