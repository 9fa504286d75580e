{% extends "make.sh" %}
{% comment %}allnoconfig plus a checked-in fragment keeps the applet list what the fragment says:
applets it does not name stay off whatever upstream's defaults are. The
binary is installed as bin/busybox with one symlink per applet in bin/ or sbin/; the list comes
from busybox.links, written at build time, so a cross build never runs the target binary.{% endcomment %}
{% block configure %}
cat > /build/busybox.config <<'EOT'
{% block fragment %}{% include "rescue.config" %}{% endblock %}
EOT
make HOSTCC="$HOSTCC" allnoconfig
# Busybox's kconfig predates KCONFIG_ALLCONFIG working with allnoconfig, so the fragment is merged
# by hand: each option it names replaces that option's line, then oldconfig settles what the
# fragment switched on (new sub-options take upstream's default).
awk 'NR == FNR { if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) named[substr($0, 1, RLENGTH - 1)] = 1; next }
     { o = $0; sub(/^# /, "", o); sub(/[= ].*/, "", o); if (!(o in named)) print }' /build/busybox.config .config > /build/config.new
grep '^CONFIG_' /build/busybox.config >> /build/config.new
mv /build/config.new .config
yes '' | make HOSTCC="$HOSTCC" oldconfig >/dev/null
# Fail when kconfig dropped an option of the fragment (renamed, or a dependency missing).
grep '=y$' /build/busybox.config | while read -r opt; do
  grep -qx "$opt" .config || { echo "busybox: $opt from {% block fragment_name %}rescue.config{% endblock %} is not set in .config" >&2; exit 1; }
done
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
