# Check the installed pkg-config as builds will use it: an empty default path, and --static
# following Libs.private and Requires.private through two packages.
pc="$out/bin/pkg-config"
t=/build/pc-check
mkdir -p "$t"
cat > "$t/low.pc" <<EOT
Name: low
Description: a dependency reached only through Requires.private
Version: 1
Libs: -L/x/low/lib -llow
Libs.private: -lm
Cflags: -I/x/low/include
EOT
cat > "$t/top.pc" <<EOT
Name: top
Description: a library with private dependencies
Version: 2
Requires.private: low
Libs: -L/x/top/lib -ltop
Libs.private: -lpthread
Cflags: -I/x/top/include
EOT
# pkgconf ends its output with a space: compare the words.
expect() {
  got=$(echo $2)
  if [ "$got" != "$3" ]; then
    echo "pkgconf check failed: $1: got '$got', want '$3'" >&2
    exit 1
  fi
}
expect "default search path" "$(unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR; "$pc" --variable pc_path pkg-config)" ""
expect "nothing found without a path" "$(unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR; "$pc" --exists zlib && echo found)" ""
expect "--libs" "$(PKG_CONFIG_LIBDIR= PKG_CONFIG_PATH="$t" "$pc" --libs top)" "-L/x/top/lib -ltop"
expect "--static --libs" "$(PKG_CONFIG_LIBDIR= PKG_CONFIG_PATH="$t" "$pc" --static --libs top)" "-L/x/top/lib -ltop -lpthread -L/x/low/lib -llow -lm"
expect "--cflags" "$(PKG_CONFIG_LIBDIR="$t" "$pc" --cflags top)" "-I/x/top/include -I/x/low/include"
rm -rf "$t"
