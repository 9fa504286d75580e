{% extends "base.sh" %}
{% comment %} Only libelf, compiled without elfutils' configure. That configure insists on argp, fts and
   obstack (for the tools, libdw and libdwfl), which musl lacks, and building those libraries
   would add three packages that libelf never calls. libelf itself needs libc, zlib (section
   compression) and two helpers of lib/ that it includes as source (crc32.c, next_prime.c).
   So this compiles the files of upstream's own list (libelf_a_SOURCES in libelf/Makefile.am)
   with the flags of config/eu.am, -Werror included, against a config.h written here with the
   answers configure gives for musl, and archives them. Static only, as upstream's libelf.a:
   no libelf.so, no symbol versions, no locks (upstream's default, --enable-thread-safety off).
   libelf/elf.h (elfutils' copy of glibc's) shadows musl's while compiling, as upstream's -I.
   does; users of the installed headers get musl's <elf.h>, like Debian's libelf-dev. {% endcomment %}
{% block configure %}
cat > config.h <<'CONFIG'
#define PACKAGE "elfutils"
#define PACKAGE_NAME "elfutils"
#define PACKAGE_VERSION "{{ version }}"
#define VERSION "{{ version }}"
/* musl has err.h, not error.h; libelf never calls error(). */
#define HAVE_ERR_H 1
/* Declared by musl with _GNU_SOURCE; it has no rawmemchr. */
#define HAVE_DECL_MEMPCPY 1
#define HAVE_DECL_MEMRCHR 1
#define HAVE_DECL_POWEROF2 1
#define HAVE_DECL_RAWMEMCHR 0
#define HAVE_DECL_REALLOCARRAY 1
#define HAVE_MREMAP 1
#define HAVE_VISIBILITY 1
#define HAVE_FALLTHROUGH 1
#define USE_ZLIB 1
#include <eu-config.h>
CONFIG
{% endblock %}
{% block build %}
cd libelf
srcs=$(sed -n '/^libelf_a_SOURCES/,/^$/p' Makefile.am | sed 's/^libelf_a_SOURCES *=//; s/\\//g')
for f in $srcs; do
  $CC $CFLAGS -std=gnu99 -D_GNU_SOURCE -DHAVE_CONFIG_H -I. -I.. -I../lib $CPPFLAGS \
    -Wall -Wshadow -Wformat=2 -Wold-style-definition -Wstrict-prototypes -Wnull-dereference \
    -Wimplicit-fallthrough -Werror -Wunused -Wextra -c "$f" -o "${f%.c}.o"
done
rm -f libelf.a
$AR rc libelf.a $(for f in $srcs; do echo "${f%.c}.o"; done)
$RANLIB libelf.a
cd ..
{% endblock %}
{% block install %}
mkdir -p "$out/include" "$out/lib"
install -m 644 libelf/libelf.h libelf/gelf.h libelf/nlist.h "$out/include/"
install -m 644 libelf/libelf.a "$out/lib/"
{% endblock %}
