{% extends "base.sh" %}
{% comment %} No setup.py install (it wants setuptools): the mesonbuild package goes to lib/meson, and
   bin/meson is a script for our python3 by its store path, so it runs the same wherever PATH
   leads. Meson records that script as its own command for regeneration. The modules are
   compiled ahead (SOURCE_DATE_EPOCH makes compileall write hash-checked .pyc files), since the
   store is read-only and every meson run would parse them afresh. {% endcomment %}
{% block install %}
mkdir -p "$out/lib/meson" "$out/bin" "$out/share/doc/meson"
cp -R mesonbuild "$out/lib/meson/"
cp COPYING "$out/share/doc/meson/"
cat > "$out/bin/meson" <<EOT
#!{{ deps.python3 }}/bin/python3
import sys
sys.path.insert(0, "$out/lib/meson")
from mesonbuild.mesonmain import main
sys.exit(main())
EOT
chmod 755 "$out/bin/meson"
python3 -m compileall -q "$out/lib/meson"
{% if target.triple == host.triple %}
# Meson must run on our python3 as builds will run it: setup and build a small C project
# natively with the ninja it comes with, on the build-wide jobserver.
mkdir -p /build/check && cd /build/check
cat > meson.build <<EOT
project('check', 'c')
executable('hello', 'hello.c')
EOT
printf '#include <stdio.h>\nint main(void) { puts("meson works"); return 0; }\n' > hello.c
printf "[binaries]\nc = '{{ target.triple }}-cc'\n" > native.ini
"$out/bin/meson" setup --native-file native.ini obj .
MAKEFLAGS="-j$STALIX_JOBS --jobserver-auth=fifo:$STALIX_JOBSERVER_FIFO" ninja -C obj
test "$(obj/hello)" = "meson works"
{% endif %}
{% endblock %}
{% block fixup %}{% endblock %}
