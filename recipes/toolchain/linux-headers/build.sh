{% extends "kbuild.sh" %}
{% comment %}headers_install would need rsync, which the seed lacks; "make headers" produces the same
sanitized tree under usr/include of the build directory, and copying its *.h files is exactly what
headers_install's rsync does. Only a host compiler (scripts/unifdef) is built, so this is the same
recipe for every kernel_arch.{% endcomment %}
{% block build %}
kmake headers
{% endblock %}
{% block install %}
mkdir -p "$out"
cp -R /build/obj/usr/include "$out/include"
# Keep headers only: kbuild leaves .install and ..install.cmd bookkeeping that names build paths.
find "$out" -type f ! -name '*.h' -delete
find "$out" -type d -empty -delete
{% endblock %}
{% block fixup %}{% endblock %}
