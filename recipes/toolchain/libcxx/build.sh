{% extends "cmake.sh" %}
{% comment %}No python: LLVM 14's runtimes/CMakeLists.txt says find_package(Python3 REQUIRED) but uses
python only for lit tests and for merge_archives.py (LIBCXX_ENABLE_STATIC_ABI_LIBRARY). Tests are
off, a two-line FindPython3.cmake answers "found" without running anything, and libc++abi is merged
into libc++.a with llvm-ar's MRI script instead, so "-lc++" alone (what clang passes for
-stdlib=libc++) resolves every C++ ABI symbol. Static only. try_compile builds static libraries
because nothing can be linked yet (the cc package that links comes after this).{% endcomment %}
{% block prepare %}
mkdir -p /build/cmake
cat > /build/cmake/FindPython3.cmake <<'EOT'
# Python is used only by tests, which are off; see build.sh.
set(Python3_FOUND TRUE)
set(Python3_Interpreter_FOUND TRUE)
set(Python3_EXECUTABLE /bin/false)
EOT
res=$(clang -print-resource-dir)
sysflags="-nostdinc -isystem $res/include -isystem {{ deps.musl }}/include -isystem {{ deps.linux_headers }}/include"
{% endblock %}
{% block cmake_source %}runtimes{% endblock %}
{% block cmake_flags %}-DCMAKE_MODULE_PATH=/build/cmake \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_ASM_COMPILER=clang \
  -DCMAKE_AR="$(command -v llvm-ar)" -DCMAKE_NM="$(command -v llvm-nm)" -DCMAKE_RANLIB="$(command -v llvm-ranlib)" \
  -DCMAKE_C_FLAGS="$sysflags $CFLAGS" -DCMAKE_CXX_FLAGS="$sysflags $CFLAGS" -DCMAKE_ASM_FLAGS="$sysflags" \
  -DCMAKE_TRY_COMPILE_TARGET_TYPE=STATIC_LIBRARY \
  -DLLVM_ENABLE_RUNTIMES="libunwind;libcxxabi;libcxx" \
  -DLLVM_INCLUDE_TESTS=OFF -DLLVM_INCLUDE_DOCS=OFF -DLLVM_ENABLE_PER_TARGET_RUNTIME_DIR=OFF \
  -DLIBUNWIND_ENABLE_SHARED=OFF -DLIBUNWIND_INCLUDE_TESTS=OFF -DLIBUNWIND_INCLUDE_DOCS=OFF \
  -DLIBUNWIND_USE_COMPILER_RT=OFF \
  -DLIBCXXABI_ENABLE_SHARED=OFF -DLIBCXXABI_INCLUDE_TESTS=OFF -DLIBCXXABI_USE_LLVM_UNWINDER=ON \
  -DLIBCXXABI_USE_COMPILER_RT=OFF \
  -DLIBCXX_ENABLE_SHARED=OFF -DLIBCXX_INCLUDE_TESTS=OFF -DLIBCXX_INCLUDE_BENCHMARKS=OFF \
  -DLIBCXX_INCLUDE_DOCS=OFF -DLIBCXX_HAS_MUSL_LIBC=ON -DLIBCXX_CXX_ABI=libcxxabi \
  -DLIBCXX_ENABLE_STATIC_ABI_LIBRARY=OFF -DLIBCXX_USE_COMPILER_RT=OFF{% endblock %}
{% block install %}
{{ block.Super }}
cd "$out/lib"
printf 'create libc++.a.new\naddlib libc++.a\naddlib libc++abi.a\nsave\nend\n' | llvm-ar -M
mv libc++.a.new libc++.a
llvm-ranlib libc++.a
{% endblock %}
