{% extends "cmake.sh" %}
{% comment %}Only the builtins and the crt objects: sanitizers, profile, xray and friends need a C++
runtime and are not part of a minimal toolchain. Installed in the layout clang looks for under a
resource directory (lib/linux/libclang_rt.builtins-ARCH.a, lib/linux/clang_rt.crtbegin-ARCH.o); the
cc package assembles the resource directory from it.{% endcomment %}
{% block prepare %}
# The seed's clang headers (stddef.h, stdint.h, intrinsics) plus musl and the kernel UAPI, nothing
# from the seed's /usr/include.
res=$(clang -print-resource-dir)
sysflags="--target={{ target.triple }} -nostdinc -isystem $res/include -isystem {{ deps.musl }}/include -isystem {{ deps.linux_headers }}/include"
{% endblock %}
{% block cmake_source %}compiler-rt{% endblock %}
{% block cmake_flags %}-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_ASM_COMPILER=clang \
  -DCMAKE_AR="$(command -v llvm-ar)" -DCMAKE_NM="$(command -v llvm-nm)" -DCMAKE_RANLIB="$(command -v llvm-ranlib)" \
  -DCMAKE_C_FLAGS="$sysflags $CFLAGS" -DCMAKE_CXX_FLAGS="$sysflags $CFLAGS" -DCMAKE_ASM_FLAGS="$sysflags" \
  -DCMAKE_TRY_COMPILE_TARGET_TYPE=STATIC_LIBRARY \
  -DCOMPILER_RT_DEFAULT_TARGET_ONLY=ON \
  -DLLVM_ENABLE_PER_TARGET_RUNTIME_DIR=OFF \
  -DCOMPILER_RT_BUILD_BUILTINS=ON -DCOMPILER_RT_BUILD_CRT=ON \
  -DCOMPILER_RT_BUILD_SANITIZERS=OFF -DCOMPILER_RT_BUILD_XRAY=OFF -DCOMPILER_RT_BUILD_LIBFUZZER=OFF \
  -DCOMPILER_RT_BUILD_PROFILE=OFF -DCOMPILER_RT_BUILD_MEMPROF=OFF -DCOMPILER_RT_BUILD_ORC=OFF \
  -DCOMPILER_RT_INCLUDE_TESTS=OFF -DCOMPILER_RT_USE_LIBCXX=OFF \
  -DCOMPILER_RT_INSTALL_PATH="$out"{% endblock %}
