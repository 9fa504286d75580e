{% extends "meson.sh" %}
{% comment %} Why each option:
   gallium-drivers=swrast with llvm=disabled: softpipe, the one driver without LLVM or hardware.
   vulkan-drivers= (none), glx=disabled, platforms=wayland: no Vulkan, no X11. EGL's surfaceless
   and drm (gbm) platforms come with egl and gbm. dri3 and xlib-lease are X11's.
   egl, gbm, gles2 enabled; gles1 disabled. opengl=true: mesa builds GLES only beside desktop GL
   (its meson refuses gles2 without it), and shared-glapi=enabled, which GLES2 with GL requires:
   glapi is one libglapi.a that libEGL, libGLESv2 and the megadriver share.
   No VA, VDPAU, XA, OMX, OpenCL, Nine: state trackers for other APIs and drivers.
   shader-cache=disabled and zstd=disabled: no on-disk cache for a software rasteriser.
   valgrind, libunwind, lmsensors, selinux: optional debugging and monitoring, off. {% endcomment %}
{% block meson_off %}-Dbuild-tests=false -Denable-glcpp-tests=false -Dvalgrind=disabled -Dlibunwind=disabled -Dlmsensors=disabled -Dselinux=false -Dperfetto=false{% endblock %}
{% block meson_flags %}-Dplatforms=wayland -Degl-native-platform=wayland -Dgallium-drivers=swrast -Dvulkan-drivers= -Dllvm=disabled -Dshared-llvm=disabled -Dglx=disabled -Ddri3=disabled -Dxlib-lease=disabled -Degl=enabled -Dgbm=enabled -Dgles1=disabled -Dgles2=enabled -Dopengl=true -Dshared-glapi=enabled -Dgallium-vdpau=disabled -Dgallium-va=disabled -Dgallium-xa=disabled -Dgallium-omx=disabled -Dgallium-opencl=disabled -Dgallium-nine=false -Dosmesa=false -Dmicrosoft-clc=disabled -Dgallium-d3d12-video=disabled -Dshader-cache=disabled -Dzstd=disabled -Dzlib=enabled{% endblock %}
{% block fixup %}
{{ block.Super }}
# The megadriver is linked, not loaded: a program that links libEGL or libgbm needs
# libgallium_dri.a (the loader names its entry points) and the libglapi.a it dispatches through,
# and the C++ runtime of its GLSL compiler, which a C program's link does not add by itself.
# lld finds archive members in any order, so where they land on the line does not matter.
cxxlibs="-L{{ deps.cxx }}/lib -lc++ -lc++abi -lunwind"
sed -i -e "s|^Libs: -L\${libdir} -lEGL|& -lgallium_dri -lglapi $cxxlibs|" "$out/lib/pkgconfig/egl.pc"
sed -i -e "s|^Libs: -L\${libdir} -lgbm|& -lgallium_dri -lglapi $cxxlibs|" "$out/lib/pkgconfig/gbm.pc"
grep -q gallium_dri "$out/lib/pkgconfig/egl.pc"
grep -q gallium_dri "$out/lib/pkgconfig/gbm.pc"
{% endblock %}
