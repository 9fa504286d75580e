{% extends "meson.sh" %}
{% comment %} The DRM and libinput backends, and no GL or Vulkan renderer: renderers=[] leaves the
   pixman renderer, which wlroots always builds and which draws into DRM dumb buffers. No Xwayland.
   {% endcomment %}
{% block meson_off %}-Dexamples=false{% endblock %}
{% block meson_flags %}-Dxwayland=disabled -Dxcb-errors=disabled -Dbackends=drm,libinput -Drenderers={% endblock %}
