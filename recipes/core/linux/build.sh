{% extends "kbuild.sh" %}
{% comment %} Linux for one target: tinyconfig plus the fragments next to this file (common.config,
   then x86_64.config or arm64.config, then the profile's kernel_config lines and the command
   line), no modules. One kernel serves the initramfs and the disk: it carries the disk's command
   line, and an initramfs with /init never looks at root=. {% endcomment %}
{% block env %}{{ block.Super }}{% if not seed %}
# No seed: objtool (a host program of x86_64) links with the stage's libelf, which needs zlib; base.sh
# passes their paths. lld takes archives in any order, so -lz may come before objtool's own -lelf.
export HOSTLDFLAGS="$HOSTLDFLAGS -lz"
{% endif %}{% endblock %}
{% block configure %}
set -e
kmake tinyconfig
cat > /build/stalix.config <<'FRAGMENT'
{% include "common.config" %}
{% if target.kernel_arch == "arm64" %}
{% include "arm64.config" %}
{% else %}
{% include "x86_64.config" %}
{% endif %}
# From the profile (kernel_config) and the recipe option cmdline.
{% for line in options.kernel_config %}
{{ line }}
{% endfor %}
CONFIG_CMDLINE="{{ options.cmdline }}"
FRAGMENT
# Kconfig keeps the last value it reads for a symbol, so appending is a merge.
cat /build/stalix.config >> /build/obj/.config
kmake olddefconfig
# Read every requested value back: Kconfig silently drops a symbol whose dependencies are unmet,
# and such a kernel builds fine and then fails to boot. Only the last request for a symbol counts,
# so a profile's kernel_config may turn off what common.config turns on.
awk '/^CONFIG_[A-Za-z0-9_]+=/ { s = $0; sub(/=.*/, "", s) }
     /^# CONFIG_[A-Za-z0-9_]+ is not set$/ { s = $2 }
     s != "" { if (!(s in last)) order[n++] = s; last[s] = $0; s = "" }
     END { for (i = 0; i < n; i++) print last[order[i]] }' /build/stalix.config > /build/stalix.want
bad=0
while IFS= read -r line; do
  case $line in
  CONFIG_*=*)
    if ! grep -qxF -- "$line" /build/obj/.config; then
      echo "linux: asked for $line, .config has: $(grep -E "^(# )?${line%%=*}[= ]" /build/obj/.config || echo nothing)" >&2
      bad=1
    fi ;;
  "# CONFIG_"*" is not set")
    sym=${line#\# }; sym=${sym%% *}
    if grep -q "^$sym=" /build/obj/.config; then
      echo "linux: asked for $sym off, .config has: $(grep "^$sym=" /build/obj/.config)" >&2
      bad=1
    fi ;;
  esac
done < /build/stalix.want
if [ "$bad" != 0 ]; then
  echo "linux: a dependency is missing or something selects it; fix recipes/core/linux/*.config or the profile's kernel_config" >&2
  exit 1
fi
{% endblock %}
{% block make_targets %}{% if target.kernel_arch == "arm64" %}Image{% else %}bzImage{% endif %}{% endblock %}
{% block install %}
mkdir -p "$out/boot"
{% if target.kernel_arch == "arm64" %}
cp /build/obj/arch/arm64/boot/Image "$out/boot/vmlinuz"
{% else %}
cp /build/obj/arch/x86/boot/bzImage "$out/boot/vmlinuz"
{% endif %}
cp /build/obj/.config "$out/boot/config"
{% endblock %}
