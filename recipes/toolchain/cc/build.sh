{% extends "base.sh" %}
{% comment %}Everything the wrappers name is copied into $out, so a world build needs this one input
and nothing else from the toolchain. The compiler's own headers (stddef.h, stdarg.h, the
intrinsics) are the seed clang's resource headers: they belong to the compiler binary that runs,
like its code does, and contain no paths.{% endcomment %}
{% block build %}
mkdir -p "$out/bin" "$out/lib/clang/lib/linux" "$out/sysroot/usr/include" "$out/sysroot/usr/lib"
cp -R "$(clang -print-resource-dir)/include" "$out/lib/clang/include"
cp {{ deps.compiler_rt }}/lib/linux/libclang_rt.builtins-{{ target.arch }}.a \
   {{ deps.compiler_rt }}/lib/linux/clang_rt.crtbegin-{{ target.arch }}.o \
   {{ deps.compiler_rt }}/lib/linux/clang_rt.crtend-{{ target.arch }}.o "$out/lib/clang/lib/linux/"
cp -R {{ deps.linux_headers }}/include/. {{ deps.musl }}/include/. "$out/sysroot/usr/include/"
cp -R {{ deps.musl }}/lib/. "$out/sysroot/usr/lib/"
chmod -R u+w "$out"

cat > "$out/bin/{{ target.triple }}-cc" <<'EOT'
{% with tool="cc" cxx=false cc_dir=out %}{% include "cc-wrapper.sh" %}{% endwith %}
EOT
printf '#!/bin/sh\nexec %s-cc -E "$@"\n' {{ target.triple }} > "$out/bin/{{ target.triple }}-cpp"
ln -s {{ target.triple }}-cc "$out/bin/{{ target.triple }}-clang"
ln -s {{ target.triple }}-cc "$out/bin/{{ target.triple }}-gcc"
# Binary tools are target-neutral in LLVM; the prefixed names are what cross builds look for.
for t in ar ranlib nm strip objcopy objdump readelf size strings addr2line; do
  printf '#!/bin/sh\nexec llvm-%s "$@"\n' $t > "$out/bin/{{ target.triple }}-$t"
done
printf '#!/bin/sh\nexec ld.lld "$@"\n' > "$out/bin/{{ target.triple }}-ld"
chmod 755 "$out/bin/"*
{% endblock %}
