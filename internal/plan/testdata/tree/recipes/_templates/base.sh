set -eu
export TARGET={{ target.triple }}
{% block env %}{% endblock %}
{% block build %}{% endblock %}
{% block install %}{% endblock %}
