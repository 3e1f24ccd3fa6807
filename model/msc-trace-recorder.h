/* msc-trace-recorder.h — Launch and Trace: starts a program under the
 * backend's tracer, records what it does into an MscTrace, snapshots its
 * address space at start, every interval and at exit, and returns the whole
 * as a session.  msc_trace_recorder_run() blocks: the GUI runs it in a
 * GTask, the CLI directly; events are read on that thread, never on a main
 * loop. */
#pragma once

#include <gio/gio.h>
#include "model/msc-session.h"

G_BEGIN_DECLS

#define MSC_TRACE_INTERVAL_MIN 0.1
#define MSC_TRACE_INTERVAL_MAX 60.0
#define MSC_TRACE_INTERVAL_DEFAULT 1.0

/* Called about five times a second on the recording thread; return FALSE
 * to stop recording. */
typedef gboolean (*MscTraceProgressFunc) (gpointer user_data, guint n_events, guint n_snapshots,
                                          gdouble elapsed);

/* A snapshot of the launched program was taken (on the recording thread):
 * for a view that fills while it runs. The snapshot is complete and never
 * changes; process is the program as that scan found it. */
typedef void (*MscTraceSnapshotFunc) (gpointer user_data, MscProcess *process, MscSnapshot *snapshot);

#define MSC_TYPE_TRACE_RECORDER (msc_trace_recorder_get_type ())
G_DECLARE_FINAL_TYPE (MscTraceRecorder, msc_trace_recorder, MSC, TRACE_RECORDER, GObject)

/* argv: the program and its arguments; interval in seconds. */
MscTraceRecorder *msc_trace_recorder_new          (const char *const *argv, gdouble interval);
/* What happens to a program still running when recording is stopped:
 * killed (TRUE, the default) or left running untraced.  Left running, it
 * is started in its own process group so that Ctrl+C in the terminal
 * reaches memscope only. */
void              msc_trace_recorder_set_kill_on_stop (MscTraceRecorder *self, gboolean kill);
/* --follow-children: every process the program starts (fork, or a program
 * it runs) is traced too, each into a session of its own
 * (msc_trace_recorder_get_child()).  Not for a statically linked program:
 * run() then fails with MSC_TRACE_ERROR_LAUNCH. */
void              msc_trace_recorder_set_follow_children (MscTraceRecorder *self, gboolean follow);
void              msc_trace_recorder_set_progress (MscTraceRecorder *self, MscTraceProgressFunc func,
                                                   gpointer user_data);
void              msc_trace_recorder_set_snapshot_func (MscTraceRecorder *self, MscTraceSnapshotFunc func,
                                                        gpointer user_data);
/* The program's working directory (NULL or "": memscope's) and "NAME=value"
 * entries added to its environment (NULL: none). */
void              msc_trace_recorder_set_start (MscTraceRecorder *self, const char *directory,
                                                const char *const *environment);
/* Ends the recording from any thread (a Stop button): the program is killed
 * or left running untraced as kill says; run() then returns what it has. */
void              msc_trace_recorder_request_stop (MscTraceRecorder *self, gboolean kill);
/* The tracer library: $MEMSCOPE_TRACE_LIBRARY, else the installed one, else
 * the build tree's. */
const char       *msc_trace_recorder_default_library (void);
/* Runs the program to its end (or until progress says stop).  NULL with a
 * MSC_TRACE_ERROR_LAUNCH error when it could not be started. */
MscSession       *msc_trace_recorder_run          (MscTraceRecorder *self, GError **error);
/* After run: the program's exit code, or 128 + the signal that ended it,
 * as a shell reports it; -1 while it was left running. */
int               msc_trace_recorder_get_exit_status (MscTraceRecorder *self);
/* After run: TRUE when the program was left running or was killed by memscope. */
gboolean          msc_trace_recorder_get_stopped  (MscTraceRecorder *self);
/* After run with follow-children: the processes followed, in the order
 * they began tracing; each child's session holds its trace and snapshots
 * (none when it ended before the first), *pid its process id. */
guint             msc_trace_recorder_get_n_children (MscTraceRecorder *self);
MscSession       *msc_trace_recorder_get_child    (MscTraceRecorder *self, guint index, guint32 *pid);

G_END_DECLS
