{% extends "files.sh" %}
{% comment %}Everything lands under etc/ (the part of a package the realm links). Files a user edits
also land in etc/examples (as Gales does) so a changed /etc can be compared with, or reset to,
what shipped. Writable state never lives under /etc: runit's stopit/reboot files and every
service's supervise directory are symlinks into /run, a tmpfs stage 1 mounts.{% endcomment %}
{% block files %}
cd "$out"
mkdir -p etc/runit etc/sv etc/examples/sv

cat > etc/passwd <<'EOT'
{% include "passwd" %}
EOT
cat > etc/group <<'EOT'
{% include "group" %}
EOT
# Root's password is locked ("!") until the profile's root_password sets a hash.
cat > etc/shadow <<'EOT'
root:!::0:99999:7:::
nobody:!::0:99999:7:::
EOT
chmod 600 etc/shadow
echo stalix > etc/hostname
cat > etc/os-release <<'EOT'
{% include "os-release" %}
EOT
cat > etc/profile <<'EOT'
{% include "profile" %}
EOT
cat > etc/fstab <<'EOT'
{% include "fstab" %}
EOT
cat > etc/issue <<'EOT'
{% include "issue" %}
EOT
echo /bin/sh > etc/shells
cat > etc/inittab <<'EOT'
{% include "inittab" %}
EOT
cat > etc/runit/1 <<'EOT'
{% include "runit-1" %}
EOT
cat > etc/runit/2 <<'EOT'
{% include "runit-2" %}
EOT
cat > etc/runit/3 <<'EOT'
{% include "runit-3" %}
EOT
chmod 755 etc/runit/1 etc/runit/2 etc/runit/3
ln -s /run/runit/stopit etc/runit/stopit
ln -s /run/runit/reboot etc/runit/reboot

mkdir -p etc/sv/getty-console
cat > etc/sv/getty-console/run <<'EOT'
{% include "getty-console-run" %}
EOT
chmod 755 etc/sv/getty-console/run
mkdir -p etc/sv/getty-tty1
cat > etc/sv/getty-tty1/run <<'EOT'
{% include "getty-tty1-run" %}
EOT
chmod 755 etc/sv/getty-tty1/run
mkdir -p etc/sv/shell-console
cat > etc/sv/shell-console/run <<'EOT'
{% include "shell-console-run" %}
EOT
chmod 755 etc/sv/shell-console/run
for sv in etc/sv/*; do
  ln -s "/run/runit/supervise.${sv#etc/sv/}" "$sv/supervise"
done

for f in passwd group hostname profile fstab issue inittab shells; do
  cp "etc/$f" "etc/examples/$f"
done
mkdir -p etc/examples/runit etc/examples/sv/getty-console etc/examples/sv/getty-tty1 etc/examples/sv/shell-console
cp etc/runit/1 etc/runit/2 etc/runit/3 etc/examples/runit/
cp etc/sv/getty-console/run etc/examples/sv/getty-console/run
cp etc/sv/getty-tty1/run etc/examples/sv/getty-tty1/run
cp etc/sv/shell-console/run etc/examples/sv/shell-console/run
{% endblock %}
