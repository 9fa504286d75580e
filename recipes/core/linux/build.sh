{% extends "kbuild.sh" %}
{% comment %} Linux for one target: tinyconfig plus the fragments next to this file (common.config,
   then x86_64.config or arm64.config, then the profile's kernel_config lines and the command
   line), no modules. The option `fragments` names more fragment files of this directory, appended
   after the arch's (the desktop profile's desktop.config). pongo2 resolves an include by a
   variable's name from _templates/, not from here, so each known fragment has its own line. One
   kernel serves the initramfs and the disk: it carries the disk's command line, and an initramfs
   with /init never looks at root=. {% endcomment %}
{% block env %}{{ block.Super }}{% if not seed %}
# No seed: objtool (a host program of x86_64) links with the stage's libelf, which needs zlib; base.sh
# passes their paths. lld takes archives in any order, so -lz may come before objtool's own -lelf.
export HOSTLDFLAGS="$HOSTLDFLAGS -lz"
{% endif %}{% endblock %}
{% block configure %}
set -e
{% if options.flavor and options.flavor != "qemu" and options.flavor != "generic" %}echo 'linux: options.flavor = "{{ options.flavor }}" is not a flavour: use "qemu" or "generic" ([options.linux] in the profile)' >&2
exit 1
{% endif %}{% include "kconfig.sh" %}
kmake tinyconfig
cat > /build/stalix.config <<'FRAGMENT'
{% include "common.config" %}
{% if target.kernel_arch == "arm64" %}
{% include "arm64.config" %}
{% else %}
{% include "x86_64.config" %}
{% endif %}{% if options.flavor == "generic" %}{% include "generic.config" %}
{% if target.kernel_arch == "arm64" %}{% include "generic-arm64.config" %}{% else %}{% include "generic-x86_64.config" %}{% endif %}
{% endif %}{% for f in options.fragments %}{% if f == "desktop.config" %}
# From the option fragments: desktop.config.
{% include "desktop.config" %}{% endif %}{% endfor %}
# From the profile (kernel_config) and the recipe option cmdline.
{% for line in options.kernel_config %}
{{ line }}
{% endfor %}
CONFIG_CMDLINE="{% if options.flavor == "generic" %}{{ "console=tty0 " }}{% endif %}{{ options.cmdline }}{% if options.root %} root={{ options.root }}{% endif %}"
FRAGMENT
{% for f in options.fragments %}{% if f != "desktop.config" %}echo "recipes/core/linux/build.sh: option fragments names {{ f }}, which is no fragment of recipes/core/linux (known: desktop.config): fix the profile's [options.linux]" >&2
exit 1
{% endif %}{% endfor %}# Kconfig keeps the last value it reads for a symbol, so appending is a merge.
cat /build/stalix.config >> /build/obj/.config
kmake olddefconfig
# Read every requested value back (_templates/kconfig.sh); only the last request for a symbol
# counts, so a profile's kernel_config may turn off what common.config turns on.
kconfig_check /build/obj/.config /build/stalix.config linux "recipes/core/linux/*.config or the profile's kernel_config"
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
