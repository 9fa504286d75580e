{% extends "configure.sh" %}
{% comment %} Every module is built into the interpreter: MODULE_BUILDTYPE=static makes configure write
   Modules/Setup.stdlib with *static*, which joins Setup.local with _ctypes (which 3.11 builds
   only through setup.py), and setup.py is emptied so nothing is left to build as a shared
   object (a static python could not load one). Modules whose library is absent (bz2, lzma, sqlite, ssl, uuid,
   readline, curses, dbm, tkinter) are left out by configure. {% endcomment %}
{% block prepare %}
# Generated files must not look older than their inputs, or make would run autotools.
find . -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
export MODULE_BUILDTYPE=static
# configure asks the compiler for Debian's multiarch name (clang answers x86_64-linux-gnu) and
# then refuses it for a musl triplet: a store prefix has no multiarch directories anyway.
sed -i 's/^    MULTIARCH=\$(\$CC --print-multiarch 2>\/dev\/null)$/    MULTIARCH=/' configure
: > setup.py
# makesetup reads a line with "=" in it as a make variable: the -D flags carry no values.
cat > Modules/Setup.local <<EOT
*static*
_ctypes _ctypes/_ctypes.c _ctypes/callbacks.c _ctypes/callproc.c _ctypes/stgdict.c _ctypes/cfield.c -DHAVE_FFI_PREP_CIF_VAR -DHAVE_FFI_PREP_CLOSURE_LOC -DHAVE_FFI_CLOSURE_ALLOC -lffi
EOT
# ctypes asks the dynamic loader for the interpreter's own symbols when it is imported, and a
# static interpreter has no dynamic loader: without this, import ctypes fails. ctypes itself
# (libffi's calls and callbacks) works.
sed -i 's/^    pythonapi = PyDLL(None)$/    try:\n        pythonapi = PyDLL(None)\n    except OSError:\n        pythonapi = None/' Lib/ctypes/__init__.py
grep -q '^        pythonapi = None$' Lib/ctypes/__init__.py
# sys.version would carry the compiler's __DATE__ and __TIME__: clang 14 ignores
# SOURCE_DATE_EPOCH, so name the day of the epoch instead.
day=$(date -u -d "@$SOURCE_DATE_EPOCH" "+%b %e %Y")
sed -i -e "s/^#define DATE __DATE__/#define DATE \"$day\"/" -e 's/^#define TIME __TIME__/#define TIME "00:00:00"/' Modules/getbuildinfo.c
{% endblock %}
{% comment %} xxlimited and xxlimited_35 are examples that can only be shared objects: none. {% endcomment %}
{% block configure_flags %}--disable-test-modules --with-ensurepip=no --with-system-expat --without-readline \
  py_cv_module_xxlimited=n/a py_cv_module_xxlimited_35=n/a{% endblock %}
{% block configure %}
{{ block.Super }}
# Python 3.11 reads Modules/Setup.stdlib (configure's list of the modules it found libraries for,
# here under *static*) only on WASM; elsewhere setup.py would build them as shared objects. So
# its modules join Setup.local, all but the test modules after its *shared* line, and makesetup
# writes the Makefile and config.c again as configure does.
sed '/^\*shared\*/,$d' Modules/Setup.stdlib >> Modules/Setup.local
sh Modules/makesetup -c Modules/config.c.in -s Modules Modules/Setup.local Modules/Setup.bootstrap Modules/Setup
{% endblock %}
{% block install %}
make install
# What no build runs: the test suite, IDLE, Tk and the turtle demos.
rm -rf "$out"/lib/python3.11/test "$out"/lib/python3.11/idlelib "$out"/lib/python3.11/tkinter \
  "$out"/lib/python3.11/turtledemo "$out"/lib/python3.11/ensurepip "$out"/share
# Nor what builds extension modules against it (the config directory with the static libpython
# and the build's Makefile, python3-config): a static interpreter loads none.
rm -rf "$out"/lib/python3.11/config-3.11-* "$out"/bin/python3*-config
{% if target.triple == host.triple %}
# The modules meson and mesa's build import, and the three libraries of ours, must be built in.
"$out/bin/python3" - <<EOT
import sys
need = ["_ctypes", "pyexpat", "zlib", "_json", "_pickle", "_posixsubprocess", "select", "fcntl",
        "_socket", "_struct", "binascii", "math", "_sha256", "_md5",
        "_sha1", "_sha512", "_sha3", "_blake2", "_random", "_bisect", "_heapq", "_datetime",
        "_multiprocessing", "_posixshmem", "termios", "unicodedata", "array", "_csv",
        "_contextvars", "_asyncio", "_queue", "_elementtree", "_decimal", "resource", "mmap"]
missing = [m for m in need if m not in sys.builtin_module_names]
if missing:
    sys.exit("python3: not built in: " + " ".join(missing))
import argparse, ast, concurrent.futures, ctypes, dataclasses, enum, functools, hashlib, json
import multiprocessing, pathlib, pickle, platform, shlex, shutil, subprocess, tempfile, textwrap
import typing, uuid, xml.etree.ElementTree, zipfile, zlib, sysconfig, gzip
cb = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)(lambda x: x + 1)
assert cb(41) == 42, "ctypes callback through libffi"
print("python3 self-check:", sys.version.split()[0], len(sys.builtin_module_names), "built-in modules")
EOT
{% endif %}
{% endblock %}
