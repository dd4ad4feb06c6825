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

// Domain lifecycle events and connection closes, delivered to a plain C function with a
// context pointer: Swift cannot cast a closure to libvirt's generic event callback type,
// so these trampolines adapt libvirt's callbacks to one signature Swift can supply.
typedef void (*rocks_lifecycle_handler)(void *context, const char *uuid, int event, int detail);
typedef void (*rocks_close_handler)(void *context, int reason);

struct rocks_lifecycle_box { rocks_lifecycle_handler handler; void *context; };
struct rocks_close_box { rocks_close_handler handler; void *context; };

static inline int rocks_virt_lifecycle_trampoline(virConnectPtr conn, virDomainPtr domain, int event, int detail, void *opaque) {
    (void)conn;
    char uuid[VIR_UUID_STRING_BUFLEN];
    struct rocks_lifecycle_box *box = (struct rocks_lifecycle_box *)opaque;
    if (virDomainGetUUIDString(domain, uuid) == 0) box->handler(box->context, uuid, event, detail);
    return 0;
}

// Returns the callback id, or -1.
static inline int rocks_virt_watch_lifecycle(virConnectPtr conn, rocks_lifecycle_handler handler, void *context) {
    struct rocks_lifecycle_box *box = (struct rocks_lifecycle_box *)malloc(sizeof *box);
    if (box == NULL) return -1;
    box->handler = handler;
    box->context = context;
    return virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                            VIR_DOMAIN_EVENT_CALLBACK(rocks_virt_lifecycle_trampoline), box, free);
}

static inline void rocks_virt_close_trampoline(virConnectPtr conn, int reason, void *opaque) {
    (void)conn;
    struct rocks_close_box *box = (struct rocks_close_box *)opaque;
    box->handler(box->context, reason);
}

static inline int rocks_virt_watch_close(virConnectPtr conn, rocks_close_handler handler, void *context) {
    struct rocks_close_box *box = (struct rocks_close_box *)malloc(sizeof *box);
    if (box == NULL) return -1;
    box->handler = handler;
    box->context = context;
    return virConnectRegisterCloseCallback(conn, rocks_virt_close_trampoline, box, free);
}
#endif
