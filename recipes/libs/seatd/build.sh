{% extends "meson.sh" %}
{% comment %} libseat with two backends: seatd (the daemon, over its socket; what the desktop
   profile's compositor uses) and builtin (seatd inside the compositor's own process, for a
   compositor run as root without the daemon). Both manage seat0. No logind: there is no systemd.
   The noop backend is not built: it names its seat "noop", and wlroots then ignores every DRM
   card, which are on seat0. Upstream builds with -Werror, and musl's CMSG_NXTHDR trips
   -Wsign-compare under clang. {% endcomment %}
{% block meson_off %}-Dexamples=disabled -Dman-pages=disabled{% endblock %}
{% block meson_flags %}-Dlibseat-logind=disabled -Dlibseat-seatd=enabled -Dlibseat-builtin=enabled -Dserver=enabled -Ddefaultpath=/run/seatd.sock -Dwerror=false{% endblock %}
