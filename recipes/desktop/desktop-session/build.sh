{% extends "files.sh" %}
{% comment %} Two services in runit's layout, as recipes/etc/base writes getty-console: seatd (root,
   opens DRM and input devices for its clients) and desktop (cage with foot, as the user "desktop",
   which the profile adds; no SUID anywhere: the compositor gets its devices from seatd's socket).
   Each supervise directory points into /run, so /etc stays read-only. {% endcomment %}
{% block files %}
cd "$out"
mkdir -p etc/sv/seatd etc/sv/desktop bin
cat > etc/sv/seatd/run <<'EOT'
{% include "seatd-run" %}
EOT
cat > etc/sv/desktop/run <<'EOT'
{% include "desktop-run" %}
EOT
cat > bin/stalix-screen-test <<'EOT'
{% include "stalix-screen-test" %}
EOT
chmod 755 etc/sv/seatd/run etc/sv/desktop/run bin/stalix-screen-test
for sv in seatd desktop; do
  ln -s "/run/runit/supervise.$sv" "etc/sv/$sv/supervise"
done
{% endblock %}
