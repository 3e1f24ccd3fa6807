/* msc-working-set.h — Refresh → Empty Working Set for a live process. */
#pragma once

#include <gio/gio.h>

#include "backends/backend.h"
#include "model/msc-snapshot.h"  /* MSC_SCAN_ERROR */

G_BEGIN_DECLS

/* Asks the OS to trim pid's working set (blocking: call from a worker).
 * result (optional) gets the figures and, on success and failure alike, the
 * message saying what was and was not done.  FALSE with MSC_SCAN_ERROR when
 * nothing left RAM (no privilege, no swap for anonymous memory, ...). */
gboolean msc_working_set_empty        (guint                pid,
                                       MscEmptyResult      *result,
                                       GError             **error);

/* The same in a GTask thread; finish returns the message (transfer full). */
void     msc_working_set_empty_async  (guint                pid,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char    *msc_working_set_empty_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
