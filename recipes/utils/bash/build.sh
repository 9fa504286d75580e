{% extends "configure.sh" %}
{% comment %} bash's bundled readline with ncurses as its terminal library (--with-curses). musl's malloc
   rather than bash's (bash's assumes things musl does not promise). The build's helper programs
   (mkbuiltins, mksignames, mksyntax) are compiled for the build host with BUILD_CC from base.sh,
   which bash's configure takes as CC_FOR_BUILD (for a cross build it would otherwise call gcc).
   Loadable builtins need dlopen, which a static bash cannot do, so the examples are not built. {% endcomment %}
{% block configure_flags %}--without-bash-malloc --with-curses --disable-nls CC_FOR_BUILD="$BUILD_CC"{% endblock %}
{% block install %}
{{ block.Super }}
rm -rf "$out/share/doc" "$out/share/info" "$out/share/locale" "$out/lib/bash" "$out/include" "$out/lib/pkgconfig"
rm -f "$out/bin/bashbug"
{% endblock %}
