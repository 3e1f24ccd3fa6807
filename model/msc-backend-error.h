/* msc-backend-error.h — a backend MscStatus as a GError. */
#pragma once

#include <gio/gio.h>

#include "backends/backend.h"

G_BEGIN_DECLS

/* Sets error from status: G_IO_ERROR_CANCELLED for a cancelled call (what
 * GTask users test for), else MSC_SCAN_ERROR with the matching code and the
 * backend's message (or fallback when it has none). */
void msc_backend_error_set (GError          **error,
                            const MscStatus  *status,
                            const char       *fallback);

G_END_DECLS
