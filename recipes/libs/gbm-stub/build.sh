{% extends "base.sh" %}
{% comment %} mesa's gbm.h, a libgbm.a of gbm-stub.c, and a gbm.pc with mesa's version, which wlroots
   checks (>= 17.1.0). {% endcomment %}
{% block build %}
cat > gbm-stub.c <<'STUB'
{% include "gbm-stub.c" %}
STUB
$CC $CPPFLAGS $CFLAGS -Wall -Werror -Isrc/gbm/main -c gbm-stub.c -o gbm-stub.o
$AR rcs libgbm.a gbm-stub.o
{% endblock %}
{% block install %}
mkdir -p "$out/lib/pkgconfig" "$out/include"
cp libgbm.a "$out/lib/"
cp src/gbm/main/gbm.h "$out/include/"
cat > "$out/lib/pkgconfig/gbm.pc" <<EOT
prefix=$out
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: gbm
Description: Mesa gbm's interface with no backend (gbm_create_device fails)
Version: {{ version }}
Libs: -L\${libdir} -lgbm
Cflags: -I\${includedir}
EOT
{% endblock %}
