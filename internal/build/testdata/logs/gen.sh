#!/bin/sh
# Regenerates the pkg-config golden logs with the host's real tools (pkgconf,
# autoconf's PKG_CHECK_MODULES, meson, cmake's pkg_check_modules):
#   apt-get install pkgconf autoconf meson cmake
# The lld-*.log files are real failed build logs (the store's .logs) of an
# overlay like the one TestBadInputBuilds in cmd/stalix-build writes and
# builds live: liba and libb both define list_init, and dupapp links both
# (lld-duplicate-own.log: dupapp defines it too).
set -e
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LC_ALL=C PKG_CONFIG_LIBDIR="$work/pc" PKG_CONFIG_PATH=
mkdir pc
# foo.pc is there but needs bar, which is not.
printf 'Name: foo\nDescription: foo\nVersion: 1.0\nRequires: bar >= 2\nCflags: -I/x\nLibs: -lfoo\n' > pc/foo.pc

{ pkgconf --print-errors --cflags libxkbcommon || true; } > "$here/pkgconf-missing.log" 2>&1
{ pkgconf --print-errors --static --libs foo || true; } > "$here/pkgconf-requires.log" 2>&1

mkdir ac && cd ac
cat > configure.ac <<'EOT'
AC_INIT([t], [1])
PKG_CHECK_MODULES([WAYLAND], [wayland-client >= 1.20])
AC_OUTPUT
EOT
cp /usr/share/aclocal/pkg.m4 aclocal.m4
autoconf
{ ./configure || true; } > "$here/configure-missing.log" 2>&1
cd ..

mkdir ms && cd ms
printf "project('t', 'c')\ndependency('pixman-1')\n" > meson.build
{ meson setup build || true; } > "$here/meson-missing.log" 2>&1
cd ..

mkdir cm && cd cm
printf 'cmake_minimum_required(VERSION 3.16)\nproject(t C)\nfind_package(PkgConfig REQUIRED)\npkg_check_modules(FT REQUIRED freetype2)\n' > CMakeLists.txt
{ cmake -S . -B build || true; } > "$here/cmake-missing.log" 2>&1
# Host paths are nothing a test needs; keep the files the same on every machine.
sed -i "s|$work|/build|g" "$here"/*-missing.log "$here"/pkgconf-requires.log
