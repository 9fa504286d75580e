{% extends "base.sh" %}
{% comment %} The pure-Python module only: markupsafe falls back from its C _speedups to _native, and a
   static python3 could not load a shared object anyway. {% endcomment %}
{% block install %}
site="$out/lib/python3.11/site-packages"
mkdir -p "$site" "$out/share/doc/markupsafe"
cp -R src/markupsafe "$site/"
rm -f "$site/markupsafe/_speedups.c" "$site/markupsafe/_speedups.pyi"
cp LICENSE.rst "$out/share/doc/markupsafe/"
python3 -m compileall -q "$site"
PYTHONPATH="$site" python3 -c 'import markupsafe; assert str(markupsafe.escape("<a>")) == "&lt;a&gt;"'
{% endblock %}
{% block fixup %}{% endblock %}
