{% extends "configure.sh" %}
{% comment %} The ioctl interface only: the netlink one needs libmnl, whose Debian source the archive here
   does not serve (its orig tarball is a 404), and every query ethtool makes has an ioctl form.
   _GNU_SOURCE: the register dumps use the BSD names u_int32_t and friends, which musl's
   sys/types.h declares only then (glibc declares them by default). {% endcomment %}
{% block configure_flags %}--disable-netlink{% endblock %}
{% block cflags %}{{ block.Super }} -D_GNU_SOURCE{% endblock %}
