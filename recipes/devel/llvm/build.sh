{% extends "base.sh" %}
{% comment %} clang and lld for X86 and AArch64 with the least turned on: no tests, docs, examples,
   static analyzer, ARC migrator, plugins, zlib, libxml2 or terminfo; -O2 rather than CMake's -O3.
   Only the programs a Stalix build runs are compiled (make with a target list, not "all") and
   installed (cmake --install per component).

   No CMAKE_SYSTEM_NAME, unlike _templates/cmake.sh: the compiler runs on the machine it is built
   on, and a "cross" configure would make LLVM build a second, native tablegen with whatever cc it
   finds. The make generator rather than ninja, because make takes its jobs from the build-wide
   jobserver and ninja 1.11 cannot.

   No python: LLVM 14 asks for it at configure time (find_package(Python3 REQUIRED)), but with
   tests and utils off (utils/llvm-lit runs python while configuring) nothing in a clang/lld build
   runs it; a stub FindPython3.cmake answers "found".

   No LLVM_ENABLE_LIBCXX: cxx's c++ wrapper links libc++ already, and the flag only adds
   -stdlib=libc++ to every compile, where clang warns that it is unused.

   The defaults make the result a musl toolchain on its own: the default triple is the target's
   musl one, and clang links with lld, compiler-rt, libunwind and libc++ unless told otherwise.

   No build ID in these programs (--build-id=none, after the cc wrapper's sha1, so it wins). lld
   hashes the file it writes, before the fixup strips it, and that file's .comment names the
   compiler and linker that made it: "Debian clang version 14.0.6" from the seed, "clang version
   14.0.6" from toolchain2. A hash of the compiler's name would make toolchain2 and toolchain3
   differ in those 20 bytes and nowhere else. ENABLE_LINKER_BUILD_ID stays at upstream's OFF
   rather than Debian's ON: a build that wants an ID says so, as the cc wrapper does. {% endcomment %}
{% block cflags %}{{ block.Super }} -ffile-prefix-map=/build/obj=obj{% endblock %}
{% block ldflags %}-Wl,--build-id=none{% endblock %}
{% block prepare %}
mkdir -p /build/cmake
cat > /build/cmake/FindPython3.cmake <<'EOT'
# Nothing in a clang/lld build with tests off runs python; see build.sh.
set(Python3_FOUND TRUE)
set(Python3_Interpreter_FOUND TRUE)
set(Python3_EXECUTABLE /bin/false)
EOT
{% endblock %}
{% block configure %}
cmake -S llvm -B /build/obj -G "Unix Makefiles" \
  -DCMAKE_MODULE_PATH=/build/cmake \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DCMAKE_INSTALL_PREFIX="$out" \
  -DCMAKE_SYSROOT={{ deps.cc }}/sysroot \
  -DCMAKE_AR="$(command -v "$AR")" -DCMAKE_RANLIB="$(command -v "$RANLIB")" -DCMAKE_NM="$(command -v "$NM")" \
  -DLLVM_ENABLE_PROJECTS="clang;lld" \
  -DLLVM_TARGETS_TO_BUILD="X86;AArch64" \
  -DLLVM_HOST_TRIPLE={{ target.triple }} \
  -DLLVM_DEFAULT_TARGET_TRIPLE={{ target.triple }} \
  -DLLVM_ENABLE_PIC=OFF -DLLVM_BUILD_STATIC=ON \
  -DLLVM_ENABLE_ZLIB=OFF -DLLVM_ENABLE_LIBXML2=OFF -DLLVM_ENABLE_TERMINFO=OFF \
  -DLLVM_ENABLE_LIBEDIT=OFF -DLLVM_ENABLE_LIBPFM=OFF -DLLVM_ENABLE_Z3_SOLVER=OFF \
  -DLLVM_ENABLE_BINDINGS=OFF -DLLVM_ENABLE_OCAMLDOC=OFF -DLLVM_ENABLE_PLUGINS=OFF \
  -DLLVM_APPEND_VC_REV=OFF \
  -DLLVM_INCLUDE_TESTS=OFF -DLLVM_INCLUDE_EXAMPLES=OFF -DLLVM_INCLUDE_BENCHMARKS=OFF \
  -DLLVM_INCLUDE_DOCS=OFF -DLLVM_INCLUDE_GO_TESTS=OFF -DLLVM_INCLUDE_UTILS=OFF \
  -DCLANG_INCLUDE_TESTS=OFF -DCLANG_INCLUDE_DOCS=OFF \
  -DCLANG_ENABLE_STATIC_ANALYZER=OFF -DCLANG_ENABLE_ARCMT=OFF -DCLANG_PLUGIN_SUPPORT=OFF \
  -DCLANG_DEFAULT_LINKER=lld -DCLANG_DEFAULT_RTLIB=compiler-rt \
  -DCLANG_DEFAULT_UNWINDLIB=libunwind -DCLANG_DEFAULT_CXX_STDLIB=libc++ \
  -DENABLE_LINKER_BUILD_ID=OFF
{% endblock %}
{% block build %}
make -C /build/obj clang lld clang-resource-headers \
  llvm-ar llvm-nm llvm-objcopy llvm-readobj llvm-size llvm-objdump llvm-strings
{% endblock %}
{% block install %}
for c in clang lld clang-resource-headers \
    llvm-ar llvm-nm llvm-objcopy llvm-readobj llvm-size llvm-objdump llvm-strings; do
  cmake --install /build/obj --component "$c"
done
# The other names of the same programs; LLVM installs each as its own component.
cd "$out/bin"
# LLVM 14 names the driver clang-14 and makes "clang" a link to it.
[ -e clang ] || ln -s clang-14 clang
for l in clang:clang++ clang:clang-cpp lld:ld.lld llvm-ar:llvm-ranlib \
    llvm-objcopy:llvm-strip llvm-readobj:llvm-readelf; do
  [ -e "${l#*:}" ] || ln -s "${l%%:*}" "${l#*:}"
done
{% endblock %}
