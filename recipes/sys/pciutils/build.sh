{% extends "make.sh" %}
{% comment %} pciutils' Makefile probes the system itself (lib/configure): HOST names the target so a
   cross build does not take the build machine's, and the optional parts (zlib-compressed IDs, DNS
   lookups of unknown IDs, kmod, udev's hwdb) are off. STRIP is empty because "install -s" would
   run the build host's strip on the target's programs; the output policy strips instead. The ID
   database is found at this package's store path. {% endcomment %}
{% block configure %}
pmake() {
  make CC="$CC" AR="$AR" RANLIB="$RANLIB" OPT="$CFLAGS" LDFLAGS="$LDFLAGS" HOST={{ target.arch }}-linux \
    ZLIB=no DNS=no SHARED=no LIBKMOD=no HWDB=no STRIP= \
    PREFIX="$out" SHAREDIR="$out/share" MANDIR="$out/share/man" "$@"
}
{% endblock %}
{% block build %}
pmake
{% endblock %}
{% block install %}
pmake install install-lib
# update-pciids fetches a newer database from the network into this read-only store path.
rm -f "$out/sbin/update-pciids" "$out/share/man/man8/update-pciids.8"
{% endblock %}
