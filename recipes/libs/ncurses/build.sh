{% extends "configure.sh" %}
{% comment %} Wide characters only (libncursesw, as Debian's default), C only (the C++ binding would
   need libc++, and nothing here uses it), no Ada, no tests. The .pc files go to lib/pkgconfig,
   where base.sh points pkg-config. As in Debian and Alpine, the headers are in include/ itself
   (--enable-overwrite), also reachable as include/ncursesw/, and the narrow names (-lncurses,
   -ltinfo, -lcurses, ncurses.pc, tinfo.pc) point at the wide library, so configure scripts that
   look only for those find it. Programs that link ncurses read the terminfo database from this
   package's store path (the compiled-in default), so they list ncurses in [deps] runtime. The
   database is cut to the terminals a console, a serial line, QEMU, tmux, screen and the usual
   terminal emulators announce: the full one is 2,000 files and most of a megabyte of inodes.
   share/tabset stays: vt100 and vt220 name a file in it as their init file (if=). {% endcomment %}
{% block configure_flags %}--with-normal --without-shared --without-debug --without-ada \
  --without-cxx --without-cxx-binding --without-tests --enable-widec --enable-overwrite --enable-pc-files \
  --with-pkg-config-libdir="$out/lib/pkgconfig" --enable-symlinks --disable-stripping{% endblock %}
{% block install %}
{{ block.Super }}
# Keep the terminals listed, with what they alias; drop the rest.
keep="ansi dumb linux vt52 vt100 vt102 vt220 xterm xterm-color xterm-256color xterm-new
  screen screen-256color tmux tmux-256color rxvt rxvt-unicode rxvt-unicode-256color
  foot foot-direct alacritty kitty st st-256color putty putty-256color konsole gnome
  gnome-256color vte vte-256color cons25 sun"
cd "$out/share/terminfo"
for f in */*; do
  n=${f#*/}
  case " $(echo $keep) " in
  *" $n "*) ;;
  *) rm "$f" ;;
  esac
done
find . -type d -empty -delete
cd - >/dev/null
for l in ncurses form panel menu; do
  ln -s lib${l}w.a "$out/lib/lib$l.a"
  ln -s ${l}w.pc "$out/lib/pkgconfig/$l.pc"
done
ln -s libncursesw.a "$out/lib/libtinfo.a"
ln -s libncursesw.a "$out/lib/libcurses.a"
ln -s ncursesw.pc "$out/lib/pkgconfig/tinfo.pc"
# And <ncursesw/ncurses.h>, <ncursesw/curses.h>, as Debian's layout has them too (procps' watch).
ln -s . "$out/include/ncursesw"
{% endblock %}
