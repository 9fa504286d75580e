{% extends "../../core/busybox/build.sh" %}
{% comment %}The image's busybox recipe with another applet list: the build, the check that kconfig kept
every option, and the install (bin/busybox and one link per applet) are the same. One patch of
ours, bc-quote.patch, makes bc's output for kbuild the same as GNU bc's.{% endcomment %}
{% block prepare %}
patch -p1 <<'EOT'
{% include "bc-quote.patch" %}
EOT
{% endblock %}
{% block fragment %}{% include "tools.config" %}{% endblock %}
{% block fragment_path %}recipes/tools/busybox-tools/tools.config{% endblock %}
