{% extends "base.sh" %}
{# GNU autotools (or anything with a ./configure that takes --prefix/--host). #}
{% block configure %}
./configure --prefix="$out" --build={{ host.triple }} --host={{ target.triple }} {% block configure_flags %}{% endblock %}
{% endblock %}
{% block build %}
make {% block make_flags %}{% endblock %}
{% endblock %}
{% block install %}
make {% block install_flags %}{% endblock %} install
{% endblock %}
