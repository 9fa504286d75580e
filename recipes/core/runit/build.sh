{% extends "make.sh" %}
{% comment %}runit's build is DJB-style: conf-cc and conf-ld hold the compile and link commands, and
"choose" probes the system by compiling, linking and running small programs. Running them is
wrong twice over here: a cross build cannot run target binaries, and in the build sandbox (a user
namespace) setgroups fails, so chkshsgr aborts the build. So "choose" is replaced by one that
compiles and links but never runs, giving the three run-time probes (tryshsgr, trypoll,
tryulong64) the answers they give natively on 64-bit Linux, and the chkshsgr run is dropped.
Checked: every generated sysdeps header of the x86_64 and aarch64 builds equals the one a native
x86_64 build outside the sandbox chose. Static: conf-ld links with the cc package's -static.{% endcomment %}
{% block configure %}
cd src
echo "$CC $CFLAGS -Wall" > conf-cc
echo "$CC -static $LDFLAGS" > conf-ld
cat > choose.sh <<'EOT'
#!/bin/sh
# choose: compile and link the probe, never run it (see build.sh).
result="$4"
case "$1" in *c*) ./compile "$2.c" >/dev/null 2>&1 || result="$3" ;; esac
case "$1" in *l*) ./load "$2" >/dev/null 2>&1 || result="$3" ;; esac
# The answers the three run probes give natively on 64-bit Linux: poll works, unsigned long is
# 64 bits, and getgroups does not take shorts (gid_t is an int).
case "$1:$2" in *r*:tryshsgr) result="$3" ;; esac
rm -f "$2.o" "$2"
exec cat "$result"
EOT
sed -i 's,\./chkshsgr ||,true ||,' Makefile
# makelib calls ar and ranlib by those names, which only the seed has; the toolchain's are $AR and
# $RANLIB.
sed -i -e "s/'ar cr/'\"\$AR\" cr/" -e "s/'ranlib /'\"\$RANLIB\" /" print-ar.sh
{% endblock %}
{% block build %}
make
{% endblock %}
{% block install %}
mkdir -p "$out/bin" "$out/sbin" "$out/share/man/man8"
# runit-init execs /sbin/runit by its absolute path, and the image's /sbin/init is runit-init for
# init = "runit"; the tools a user runs go to bin.
for p in $(cat ../package/commands); do
  case $p in
  runit|runit-init) install -m 755 "$p" "$out/sbin/$p" ;;
  *) install -m 755 "$p" "$out/bin/$p" ;;
  esac
done
"$STRIP" "$out/bin/"* "$out/sbin/"*
# With runit as PID 1, halting is asking runit-init (busybox's poweroff signals PID 1 in a way
# runit ignores). A profile with init = "runit" lists runit after busybox, so these shadow
# busybox's applets of the same names in the image.
printf '#!/bin/sh\nexec /sbin/runit-init 0\n' > "$out/sbin/poweroff"
printf '#!/bin/sh\nexec /sbin/runit-init 0\n' > "$out/sbin/halt"
printf '#!/bin/sh\nexec /sbin/runit-init 6\n' > "$out/sbin/reboot"
chmod 755 "$out/sbin/poweroff" "$out/sbin/halt" "$out/sbin/reboot"
cp ../man/*.8 "$out/share/man/man8/"
{% endblock %}
