#ifndef ROCKS_CLIBVIRT_SHIM_H
#define ROCKS_CLIBVIRT_SHIM_H
#include <stddef.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

// libvirt prints every error to stderr unless a handler is installed. We read errors with
// virGetLastError in the frame of the failing call instead, so this handler drops them; a
// C function is needed because the handler's type is a C function pointer.
static inline void rocks_virt_silent_error(void *userData, virErrorPtr error) {
    (void)userData; (void)error;
}

static inline void rocks_virt_silence_default_errors(void) {
    virSetErrorFunc(NULL, rocks_virt_silent_error);
}
#endif
