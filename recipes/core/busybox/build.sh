{% extends "make.sh" %}
{% comment %}allnoconfig plus a checked-in fragment keeps the applet list what the fragment says:
applets it does not name stay off whatever upstream's defaults are (merged and read back with
_templates/kconfig.sh). The
binary is installed as bin/busybox with one symlink per applet in bin/ or sbin/; the list comes
from busybox.links, written at build time, so a cross build never runs the target binary.{% endcomment %}
{% block configure %}
cat > /build/busybox.config <<'EOT'
{% block fragment %}{% include "rescue.config" %}{% endblock %}
EOT
{% include "kconfig.sh" %}
make HOSTCC="$HOSTCC" allnoconfig
kconfig_merge .config /build/busybox.config
yes '' | make HOSTCC="$HOSTCC" oldconfig >/dev/null
kconfig_check .config /build/busybox.config busybox "{% block fragment_path %}recipes/core/busybox/rescue.config{% endblock %}"
{% endblock %}
{% block build %}
make CROSS_COMPILE={{ target.triple }}- CC="$CC" HOSTCC="$HOSTCC" V=1 busybox busybox.links
{% endblock %}
{% block install %}
mkdir -p "$out/bin" "$out/sbin"
install -m 755 busybox "$out/bin/busybox"
# busybox.links says where each applet lives (/bin, /sbin, /usr/bin, /usr/sbin); Stalix has no
# /usr, so usr/bin joins bin and usr/sbin joins sbin. The image's /init is sbin/init.
test -s busybox.links
sed 's,^/usr/,/,' busybox.links | sort -u | while read -r path; do
  case $path in
  /bin/busybox) ;;
  /bin/*) ln -s busybox "$out$path" ;;
  /sbin/*) ln -s ../bin/busybox "$out$path" ;;
  *) echo "busybox: unexpected applet path $path" >&2; exit 1 ;;
  esac
done
mkdir -p "$out/share/busybox"
cp .config "$out/share/busybox/config"
{% endblock %}
