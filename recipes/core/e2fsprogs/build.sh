{% extends "configure.sh" %}
{% comment %}Only what the image step and a booted system need: mke2fs (mke2fs -d writes the ext4
root) and e2fsck. The bundled libuuid and libblkid are built as static archives and linked in, so
nothing from util-linux is needed; no shared libraries, no translations, no fuse2fs, and no udev,
cron or systemd files. sysconfdir is /etc so a booted system reads /etc/mke2fs.conf (shipped in
etc/, which the realm copies into /etc); the image step sets MKE2FS_CONFIG to its own file, so the
host's /etc/mke2fs.conf plays no part there. Only the two programs are built and installed: "make
install" would add headers, archives, man pages and the other tools.
manifest.patch (ours, in patches) lets mke2fs take the tree as a list, -d @MANIFEST, instead of a
directory, with the same result byte for byte; the image step then stages nothing
(image/ext4/manifest.go).{% endcomment %}
{% block configure_flags %}--sysconfdir=/etc \
  --disable-elf-shlibs --disable-bsd-shlibs --enable-libuuid --enable-libblkid \
  --disable-nls --disable-rpath --disable-fuse2fs --disable-uuidd --disable-fsck \
  --disable-e2initrd-helper --disable-debugfs --disable-imager --disable-resizer --disable-defrag \
  --disable-backtrace \
  --without-udev-rules-dir --without-crond-dir --without-systemd-unit-dir{% endblock %}
{% block build %}
make subs
make libs
make -C misc mke2fs
# e2fsck links with -rdynamic when the compiler is GCC-like (for its backtraces); in a static
# binary that only adds a dynamic symbol table, so file(1) calls it dynamically linked.
make -C e2fsck e2fsck RDYNAMIC=
{% endblock %}
{% block install %}
mkdir -p "$out/sbin" "$out/etc"
install -m 755 misc/mke2fs "$out/sbin/mke2fs"
install -m 755 e2fsck/e2fsck "$out/sbin/e2fsck"
for t in ext2 ext3 ext4; do
  ln -s mke2fs "$out/sbin/mkfs.$t"
  ln -s e2fsck "$out/sbin/fsck.$t"
done
install -m 644 misc/mke2fs.conf "$out/etc/mke2fs.conf"
"$STRIP" "$out/sbin/mke2fs" "$out/sbin/e2fsck"
{% endblock %}
