/* msc-task.h — the long operations the window starts, run in a worker thread
 * (GTask) so the UI never blocks; each can be cancelled. */
#pragma once

#include <gio/gio.h>
#include "model/msc-session.h"

G_BEGIN_DECLS

/* Opens a capture: .mmp, or VMMap's CSV/TXT export (msc_loader_load()). */
void         msc_task_load_async  (GFile                *file,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
MscSession  *msc_task_load_finish (GAsyncResult         *result,
                                   GError              **error);

/* Scans a live process; process_out (optional) receives what the scan
 * learned about it. */
void         msc_task_scan_async  (guint                 pid,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
MscSnapshot *msc_task_scan_finish (GAsyncResult         *result,
                                   MscProcess          **process_out,
                                   GError              **error);

/* Saves session to path in format (atomically: msc_session_save()); with
 * only, that snapshot alone. The task works on its own copy of the snapshot
 * list, so the session may gain snapshots meanwhile. */
void         msc_task_save_async  (MscSession           *session,
                                   MscSnapshot          *only,
                                   const char           *path,
                                   MscFileFormat         format,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean     msc_task_save_finish (GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS
