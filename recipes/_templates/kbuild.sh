{% extends "base.sh" %}
{% comment %} Linux's kbuild: LLVM=1 selects clang, ld.lld and the llvm binutils, and ARCH alone makes clang
   cross-compile (scripts/Makefile.clang derives --target from ARCH), so one clang serves every
   target. Host programs (fixdep, kconfig, objtool) use HOSTCC from base.sh. The kernel is
   freestanding: it never sees a libc, so the toolchain's sysroot does not matter here. {% endcomment %}
{% block env %}
{{ block.Super }}
# Kbuild sets its own flags; user CFLAGS/LDFLAGS from the environment would leak into vmlinux.
unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS
export KBUILD_BUILD_TIMESTAMP="@$SOURCE_DATE_EPOCH" KBUILD_BUILD_USER=stalix KBUILD_BUILD_HOST=stalix
export KBUILD_BUILD_VERSION=1
kmake() {
  make ARCH={{ target.kernel_arch }} LLVM=1 LLVM_IAS=1 HOSTCC="$HOSTCC" HOSTCXX="$HOSTCXX" O=/build/obj "$@"
}
mkdir -p /build/obj
{% endblock %}
{% block build %}
kmake {% block make_targets %}{% endblock %}
{% endblock %}
