{% extends "base.sh" %}
{% comment %} No compiler: the recipe's files are written into $out as they are. A recipe fills "files"
   with install/cat lines, usually {% include %}-ing files that sit next to its recipe.toml. {% endcomment %}
{% block env %}
umask 022
{% endblock %}
{% block build %}
mkdir -p "$out"
{% block files %}{% endblock %}
{% endblock %}
{% block fixup %}{% endblock %}
