{% extends "cmake.sh" %}
{% comment %} CMake with make rather than configure.py --bootstrap: the make generator takes its jobs from
   the build-wide jobserver, and ninja then need not wait for python3. BUILD_TESTING would fetch
   googletest. Ninja 1.13 is the first with a jobserver client (fifo form only: see
   internal/sched/jobserver.go for how the build's pool serves it). {% endcomment %}
{% block cmake_flags %}-DBUILD_TESTING=OFF -DNINJA_BUILD_BINARY=ON{% endblock %}
{% block install %}
mkdir -p "$out/bin"
cp /build/obj/ninja "$out/bin/ninja"
{% if target.triple == host.triple %}
# The jobserver client must be there: a ninja that ignores the pool would run -j of its own.
"$out/bin/ninja" --version
mkdir -p /build/js-check && cd /build/js-check
printf 'rule t\n  command = touch $out\nbuild a: t\n' > build.ninja
MAKEFLAGS="-j$STALIX_JOBS --jobserver-auth=fifo:$STALIX_JOBSERVER_FIFO" "$out/bin/ninja" > log
grep -q "Jobserver mode detected" log || { cat log; echo "ninja did not join the jobserver" >&2; exit 1; }
{% endif %}
{% endblock %}
