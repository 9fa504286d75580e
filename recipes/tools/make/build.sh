{% extends "base.sh" %}
{% comment %} Debian's make-dfsg tarball has no configure script (Debian runs autoreconf, and the
   seed has no autoconf or automake), so make is compiled here as configure would have it on
   Linux with musl: src/config.h is made from src/config.h.in with the answers below, and the
   sources of make_SOURCES in Makefile.am (POSIX: posixos.c, remote-stub.c) plus gnulib's
   make-glob module (lib/glob.c and lib/fnmatch.c, since musl's glob is not GNU glob) are compiled
   and linked in one go. What differs from a configure build with Debian's options:
   - no posix_spawn: children are started with vfork and exec, as make did before 4.3 (configure
     --disable-posix-spawn). The spawn path needs gnulib's findprog-in and the modules under it,
     which only configure sets up;
   - no "load" directive (MAKE_LOAD): dlopen means nothing in a static binary;
   - no guile, no translations.
   Only the symbols the compiled sources test are answered; the rest stay undefined. {% endcomment %}
{% block configure %}
host=$(sh build-aux/config.sub {{ target.triple }})
: >config.sed
def() { printf 's|^\\([ ]*#[ ]*\\)undef[ ]%s$|\\1define %s %s|\n' "$1" "$1" "$2" >>config.sed; }
# Headers, all present in musl.
for h in ALLOCA_H DIRENT_H FCNTL_H INTTYPES_H LIMITS_H LOCALE_H MEMORY_H STDINT_H STDLIB_H \
  STRINGS_H STRING_H SYS_FILE_H SYS_PARAM_H SYS_RESOURCE_H SYS_SELECT_H SYS_STAT_H SYS_TIMEB_H \
  SYS_TIME_H SYS_TYPES_H SYS_WAIT_H UNISTD_H WCHAR_H; do def HAVE_$h 1; done
# Functions and types musl has (musl has no sigsetmask, union wait, <vfork.h> or sys_siglist).
for f in ALLOCA ATEXIT CLOCK_GETTIME DUP DUP2 FDOPEN FORK GETCWD GETRLIMIT GETTIMEOFDAY ISATTY \
  LSTAT MEMRCHR MKSTEMP MKTEMP PIPE PSELECT READLINK REALPATH SETEGID SETEUID SETLINEBUF SETREGID \
  SETREUID SETRLIMIT SETVBUF SIGACTION STPCPY STRCASECMP STRCOLL STRDUP STRNCASECMP STRNDUP \
  STRSIGNAL SYMLINK TTYNAME UMASK VFORK WAIT3 WAITPID WORKING_FORK WORKING_VFORK \
  STRUCT_DIRENT_D_TYPE SA_RESTART; do def HAVE_$f 1; done
def HAVE_DECL_BSD_SIGNAL 1
for d in SYS_SIGLIST _SYS_SIGLIST __SYS_SIGLIST; do def HAVE_DECL_$d 0; done
def STDC_HEADERS 1
def TIME_WITH_SYS_TIME 1
def _GNU_SOURCE 1
def RETSIGTYPE void
def PATH_SEPARATOR_CHAR "':'"
# Nanosecond timestamps (st_mtim), the jobserver (pipe, pselect, SA_RESTART), symlink times.
def FILE_TIMESTAMP_HI_RES 1
def ST_MTIM_NSEC st_mtim.tv_nsec
def MAKE_JOBSERVER 1
def MAKE_SYMLINKS 1
def SCCS_GET '"get"'
def MAKE_HOST "\"$host\""
def PACKAGE '"make"'
def PACKAGE_NAME '"GNU make"'
def PACKAGE_TARNAME '"make"'
def PACKAGE_VERSION '"{{ version }}"'
def VERSION '"{{ version }}"'
def PACKAGE_STRING '"GNU make {{ version }}"'
def PACKAGE_BUGREPORT '"bug-make@gnu.org"'
def PACKAGE_URL '"http://www.gnu.org/software/make/"'
# config.status turns every #undef left over into a comment; so does this.
printf '%s\n' 's|^\([ ]*#[ ]*undef[ ].*\)$|/* \1 */|' >>config.sed
sed -f config.sed src/config.h.in >src/config.h
# What lib/Makefile makes of make-glob when the C library's glob is not GNU glob.
cp lib/glob.in.h lib/glob.h
cp lib/fnmatch.in.h lib/fnmatch.h
{% endblock %}
{% block build %}
set -- ar arscan commands default dir expand file function getopt getopt1 guile hash implicit \
  job load loadapi main misc output posixos read remake remote-stub rule signame strcache \
  variable version vpath
objs=
for s; do
  $CC $CFLAGS -DHAVE_CONFIG_H -Isrc -Ilib -DLIBDIR="\"$out/lib\"" -DINCLUDEDIR="\"$out/include\"" \
    -DLOCALEDIR="\"$out/share/locale\"" -c "src/$s.c" -o "src/$s.o"
  objs="$objs src/$s.o"
done
for s in glob fnmatch; do
  $CC $CFLAGS -DHAVE_CONFIG_H -Isrc -Ilib -c "lib/$s.c" -o "lib/$s.o"
  objs="$objs lib/$s.o"
done
$CC $LDFLAGS -o make $objs
{% endblock %}
{% block install %}
mkdir -p "$out/bin"
install -m 755 make "$out/bin/make"
{% endblock %}
