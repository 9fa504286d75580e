{% extends "base.sh" %}
{% comment %} The mako package into site-packages, compiled ahead; no setup.py (it wants setuptools). {% endcomment %}
{% block install %}
site="$out/lib/python3.11/site-packages"
mkdir -p "$site" "$out/share/doc/mako"
cp -R mako "$site/"
cp LICENSE "$out/share/doc/mako/"
python3 -m compileall -q "$site"
# mesa's generators render templates like this one.
PYTHONPATH="$site:{{ deps.markupsafe }}/lib/python3.11/site-packages" python3 -c '
from mako.template import Template
assert Template("${x | h}").render(x="<1>") == "&lt;1&gt;"
'
{% endblock %}
{% block fixup %}{% endblock %}
