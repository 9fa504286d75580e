/* A libgbm with no backend: gbm_create_device fails with ENOSYS, so no device, buffer object or
 * surface ever exists and the other entry points are never reached with a valid argument. wlroots
 * links its gbm allocator against this and, with the pixman renderer, picks the DRM dumb-buffer
 * allocator instead (render/allocator/allocator.c). gbm_format_get_name is real: it needs no
 * device. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "gbm.h"

struct gbm_device *gbm_create_device(int fd) { (void)fd; errno = ENOSYS; return NULL; }
int gbm_device_get_fd(struct gbm_device *gbm) { (void)gbm; return -1; }
const char *gbm_device_get_backend_name(struct gbm_device *gbm) { (void)gbm; return "none"; }
int gbm_device_is_format_supported(struct gbm_device *gbm, uint32_t format, uint32_t usage) { (void)gbm; (void)format; (void)usage; return 0; }
int gbm_device_get_format_modifier_plane_count(struct gbm_device *gbm, uint32_t format, uint64_t modifier) { (void)gbm; (void)format; (void)modifier; return -1; }
void gbm_device_destroy(struct gbm_device *gbm) { (void)gbm; }

struct gbm_bo *gbm_bo_create(struct gbm_device *gbm, uint32_t width, uint32_t height, uint32_t format, uint32_t flags) { (void)gbm; (void)width; (void)height; (void)format; (void)flags; errno = ENOSYS; return NULL; }
struct gbm_bo *gbm_bo_create_with_modifiers(struct gbm_device *gbm, uint32_t width, uint32_t height, uint32_t format, const uint64_t *modifiers, const unsigned int count) { (void)gbm; (void)width; (void)height; (void)format; (void)modifiers; (void)count; errno = ENOSYS; return NULL; }
struct gbm_bo *gbm_bo_create_with_modifiers2(struct gbm_device *gbm, uint32_t width, uint32_t height, uint32_t format, const uint64_t *modifiers, const unsigned int count, uint32_t flags) { (void)gbm; (void)width; (void)height; (void)format; (void)modifiers; (void)count; (void)flags; errno = ENOSYS; return NULL; }
struct gbm_bo *gbm_bo_import(struct gbm_device *gbm, uint32_t type, void *buffer, uint32_t flags) { (void)gbm; (void)type; (void)buffer; (void)flags; errno = ENOSYS; return NULL; }
void *gbm_bo_map(struct gbm_bo *bo, uint32_t x, uint32_t y, uint32_t width, uint32_t height, uint32_t flags, uint32_t *stride, void **map_data) { (void)bo; (void)x; (void)y; (void)width; (void)height; (void)flags; (void)stride; (void)map_data; errno = ENOSYS; return NULL; }
void gbm_bo_unmap(struct gbm_bo *bo, void *map_data) { (void)bo; (void)map_data; }
uint32_t gbm_bo_get_width(struct gbm_bo *bo) { (void)bo; return 0; }
uint32_t gbm_bo_get_height(struct gbm_bo *bo) { (void)bo; return 0; }
uint32_t gbm_bo_get_stride(struct gbm_bo *bo) { (void)bo; return 0; }
uint32_t gbm_bo_get_stride_for_plane(struct gbm_bo *bo, int plane) { (void)bo; (void)plane; return 0; }
uint32_t gbm_bo_get_format(struct gbm_bo *bo) { (void)bo; return 0; }
uint32_t gbm_bo_get_bpp(struct gbm_bo *bo) { (void)bo; return 0; }
uint32_t gbm_bo_get_offset(struct gbm_bo *bo, int plane) { (void)bo; (void)plane; return 0; }
struct gbm_device *gbm_bo_get_device(struct gbm_bo *bo) { (void)bo; return NULL; }
union gbm_bo_handle gbm_bo_get_handle(struct gbm_bo *bo) { union gbm_bo_handle h = {0}; (void)bo; return h; }
int gbm_bo_get_fd(struct gbm_bo *bo) { (void)bo; return -1; }
uint64_t gbm_bo_get_modifier(struct gbm_bo *bo) { (void)bo; return 0; }
int gbm_bo_get_plane_count(struct gbm_bo *bo) { (void)bo; return 0; }
union gbm_bo_handle gbm_bo_get_handle_for_plane(struct gbm_bo *bo, int plane) { union gbm_bo_handle h = {0}; (void)bo; (void)plane; return h; }
int gbm_bo_get_fd_for_plane(struct gbm_bo *bo, int plane) { (void)bo; (void)plane; return -1; }
int gbm_bo_write(struct gbm_bo *bo, const void *buf, size_t count) { (void)bo; (void)buf; (void)count; errno = ENOSYS; return -1; }
void gbm_bo_set_user_data(struct gbm_bo *bo, void *data, void (*destroy_user_data)(struct gbm_bo *, void *)) { (void)bo; (void)data; (void)destroy_user_data; }
void *gbm_bo_get_user_data(struct gbm_bo *bo) { (void)bo; return NULL; }
void gbm_bo_destroy(struct gbm_bo *bo) { (void)bo; }

struct gbm_surface *gbm_surface_create(struct gbm_device *gbm, uint32_t width, uint32_t height, uint32_t format, uint32_t flags) { (void)gbm; (void)width; (void)height; (void)format; (void)flags; errno = ENOSYS; return NULL; }
struct gbm_surface *gbm_surface_create_with_modifiers(struct gbm_device *gbm, uint32_t width, uint32_t height, uint32_t format, const uint64_t *modifiers, const unsigned int count) { (void)gbm; (void)width; (void)height; (void)format; (void)modifiers; (void)count; errno = ENOSYS; return NULL; }
struct gbm_surface *gbm_surface_create_with_modifiers2(struct gbm_device *gbm, uint32_t width, uint32_t height, uint32_t format, const uint64_t *modifiers, const unsigned int count, uint32_t flags) { (void)gbm; (void)width; (void)height; (void)format; (void)modifiers; (void)count; (void)flags; errno = ENOSYS; return NULL; }
struct gbm_bo *gbm_surface_lock_front_buffer(struct gbm_surface *surface) { (void)surface; return NULL; }
void gbm_surface_release_buffer(struct gbm_surface *surface, struct gbm_bo *bo) { (void)surface; (void)bo; }
int gbm_surface_has_free_buffers(struct gbm_surface *surface) { (void)surface; return 0; }
void gbm_surface_destroy(struct gbm_surface *surface) { (void)surface; }

/* The fourcc's four characters, as mesa's does. */
char *gbm_format_get_name(uint32_t gbm_format, struct gbm_format_name_desc *desc)
{
	desc->name[0] = (char)(gbm_format & 0xff);
	desc->name[1] = (char)((gbm_format >> 8) & 0xff);
	desc->name[2] = (char)((gbm_format >> 16) & 0xff);
	desc->name[3] = (char)((gbm_format >> 24) & 0xff);
	desc->name[4] = 0;
	return desc->name;
}
