{% extends "base.sh" %}
{% comment %}libcxx's headers and archives are copied into $out, as cc copies its sysroot, so a build
that compiles C++ needs this package and cc and nothing else of the toolchain.{% endcomment %}
{% block build %}
mkdir -p "$out/bin" "$out/include" "$out/lib"
cp -R {{ deps.libcxx }}/include/. "$out/include/"
cp -R {{ deps.libcxx }}/lib/. "$out/lib/"
chmod -R u+w "$out"
cat > "$out/bin/{{ target.triple }}-c++" <<'EOT'
{% with tool="c++" cxx=true cc_dir=deps.cc cxx_dir=out %}{% include "cc-wrapper.sh" %}{% endwith %}
EOT
ln -s {{ target.triple }}-c++ "$out/bin/{{ target.triple }}-clang++"
ln -s {{ target.triple }}-c++ "$out/bin/{{ target.triple }}-g++"
chmod 755 "$out/bin/"*
{% endblock %}
