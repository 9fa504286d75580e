{% extends "make.sh" %}
{% comment %} iproute2's own configure script (not autoconf's) probes with pkg-config for optional
   libraries (libmnl, libelf, libbpf, libcap, libselinux, Berkeley DB); none is in [deps] libs, so
   it finds none and ip, ss and tc are built with netlink alone (no BPF loading, no arpd, and
   devlink, rdma and tipc without libmnl are skipped by upstream's Makefile). Its Makefile sets
   CC := gcc, so CC is passed on the command line, and SHARED_LIBS=n links tc's qdisc modules in
   rather than loading them with dlopen. Configuration lives in /etc/iproute2 (CONFDIR); the
   tools, their data (tc's distribution tables in /lib/tc) and man pages go to $out through
   DESTDIR with an empty prefix. {% endcomment %}
{% block configure %}
./configure
{% endblock %}
{% block make_flags %}CC="$CC" HOSTCC="$HOSTCC" AR="$AR" SHARED_LIBS=n PREFIX= SBINDIR=/sbin V=1{% endblock %}
{% block install_flags %}CC="$CC" HOSTCC="$HOSTCC" AR="$AR" SHARED_LIBS=n PREFIX= SBINDIR=/sbin DESTDIR="$out"{% endblock %}
{% block install %}
{{ block.Super }}
# arpd is not built; its state directory and the headers for BPF programs are not wanted.
rm -rf "$out/var" "$out/include" "$out/share/bash-completion"
{% endblock %}
