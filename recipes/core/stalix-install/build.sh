{% extends "files.sh" %}
{% block files %}
mkdir -p "$out/bin"
cat > "$out/bin/stalix-install" <<'EOT'
{% include "stalix-install" %}
EOT
chmod 755 "$out/bin/stalix-install"
{% endblock %}
