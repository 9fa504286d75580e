{% extends "configure.sh" %}
{% comment %}Two uses, one build. The image step runs this package's mke2fs for the build host (mke2fs -d
writes the ext4 root); an image that lists e2fsprogs gets the tools a system and an installer need:
mke2fs, e2fsck, tune2fs (e2label), dumpe2fs, resize2fs, debugfs, e4defrag, chattr, lsattr and the
small ones. The bundled libuuid and libblkid are built as static archives and linked in, so
nothing from util-linux is needed at build time; their programs (blkid, findfs, uuidgen) are
left out, since util-linux's are the ones an image has. No shared libraries, no translations, no
fuse2fs, uuidd or fsck wrapper (util-linux's), and no udev, cron or systemd files. sysconfdir is
/etc so a booted system reads /etc/mke2fs.conf (shipped in etc/, which the realm copies into
/etc); the image step sets MKE2FS_CONFIG to its own file, so the host's /etc/mke2fs.conf plays no
part there. "make install" would write /etc and add headers, archives and info pages, so the
programs are installed by name.
manifest.patch (ours, in patches) lets mke2fs take the tree as a list, -d @MANIFEST, instead of a
directory, with the same result byte for byte; the image step then stages nothing
(image/ext4/manifest.go).{% endcomment %}
{% block configure_flags %}--sysconfdir=/etc \
  --disable-elf-shlibs --disable-bsd-shlibs --enable-libuuid --enable-libblkid \
  --disable-nls --disable-rpath --disable-fuse2fs --disable-uuidd --disable-fsck \
  --disable-e2initrd-helper --disable-backtrace \
  --without-udev-rules-dir --without-crond-dir --without-systemd-unit-dir{% endblock %}
{% block build %}
make subs
make libs
# e2fsck links with -rdynamic when the compiler is GCC-like (for its backtraces); in a static
# binary that only adds a dynamic symbol table, so file(1) calls it dynamically linked.
make progs RDYNAMIC=
{% endblock %}
{% block install %}
mkdir -p "$out/sbin" "$out/bin" "$out/etc"
for p in misc/mke2fs misc/tune2fs misc/dumpe2fs misc/badblocks misc/logsave misc/e2undo \
    misc/mklost+found misc/filefrag misc/e2freefrag misc/e4defrag misc/e4crypt misc/e2image \
    e2fsck/e2fsck resize/resize2fs debugfs/debugfs; do
  install -m 755 "$p" "$out/sbin/${p##*/}"
done
install -m 755 misc/chattr misc/lsattr "$out/bin/"
for t in ext2 ext3 ext4; do
  ln -s mke2fs "$out/sbin/mkfs.$t"
  ln -s e2fsck "$out/sbin/fsck.$t"
done
ln -s tune2fs "$out/sbin/e2label"
ln -s dumpe2fs "$out/sbin/e2mmpstatus"
install -m 644 misc/mke2fs.conf "$out/etc/mke2fs.conf"
{% endblock %}
