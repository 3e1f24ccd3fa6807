/* msc-session.h — the snapshots of one process, in time order; load/save. */
#pragma once

#include <gio/gio.h>
#include "model/core/msc-capture.h"
#include "model/msc-process.h"
#include "model/msc-snapshot.h"
#include "model/msc-trace.h"

G_BEGIN_DECLS

#define MSC_SESSION_ERROR (msc_session_error_quark ())
GQuark msc_session_error_quark (void);

typedef enum {
  MSC_SESSION_ERROR_EMPTY = 1,   /* nothing to save */
  MSC_SESSION_ERROR_WRITE,       /* the file could not be written */
} MscSessionError;

#define MSC_TYPE_SESSION (msc_session_get_type ())
G_DECLARE_FINAL_TYPE (MscSession, msc_session, MSC, SESSION, GObject)

MscSession  *msc_session_new              (MscProcess   *process);
MscProcess  *msc_session_get_process      (MscSession   *self);
void         msc_session_set_process      (MscSession   *self, MscProcess *process);
/* Inserts keeping time order; emits "snapshot-added". */
void         msc_session_add_snapshot     (MscSession   *self, MscSnapshot *snapshot);
/* A new session of the same process sharing the snapshots (immutable), or
 * only that one when only is not NULL: a list another thread may write out
 * while this session grows. */
MscSession  *msc_session_copy             (MscSession   *self, MscSnapshot *only);
/* The trace of a launched program (NULL for a plain capture); saved after
 * the snapshots in .mmp files. */
MscTrace    *msc_session_get_trace        (MscSession   *self);
void         msc_session_set_trace        (MscSession   *self, MscTrace *trace);
guint        msc_session_get_n_snapshots  (MscSession   *self);
MscSnapshot *msc_session_get_snapshot     (MscSession   *self, guint index);
MscSnapshot *msc_session_get_latest       (MscSession   *self); /* NULL if empty */
/* Bytes the snapshots hold in memory (shared records and details counted
 * once): what the session costs. */
gsize        msc_session_get_memory_size  (MscSession   *self);

/* Saves atomically; format from the path (msc_capture_output_path rules are
 * the caller's; here .csv → CSV, .txt → text, else .mmp). CSV/TXT write the
 * latest snapshot; .mmp all of them. */
gboolean     msc_session_save             (MscSession   *self,
                                           const char   *path,
                                           MscFileFormat format,
                                           GError      **error);

/* Writes the capture to an open stream (not atomic: for pipes, memory
 * streams, tests); same content as msc_session_save(). */
gboolean     msc_session_write            (MscSession   *self,
                                           FILE         *out,
                                           MscFileFormat format,
                                           GError      **error);

G_END_DECLS
