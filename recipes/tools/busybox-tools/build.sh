{% extends "../../core/busybox/build.sh" %}
{% comment %}The image's busybox recipe with another applet list: the build, the check that kconfig kept
every option, and the install (bin/busybox and one link per applet) are the same. One patch of
ours, bc-quote.patch (patches in recipe.toml), makes bc's output for kbuild the same as GNU bc's.{% endcomment %}
{% block fragment %}{% include "tools.config" %}{% endblock %}
{% block fragment_path %}recipes/tools/busybox-tools/tools.config{% endblock %}
