/* msc-trace-recorder.c — see msc-trace-recorder.h. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "model/msc-backend-error.h"
#include "model/msc-trace-codec.h"
#include "model/msc-trace-process.h"
#include "model/msc-trace-recorder.h"

struct _MscTraceRecorder
{
  GObject parent_instance;

  char                **argv;
  gdouble               interval;
  gboolean              kill_on_stop;
  gboolean              follow_children;
  MscTraceProgressFunc  progress;
  gpointer              progress_data;
  MscTraceSnapshotFunc  on_snapshot;
  gpointer              on_snapshot_data;
  guint                 snapshots_told;  /* of the launched program's session */
  char                 *directory;
  char                **environment;
  /* msc_trace_recorder_request_stop(), from any thread. */
  gint                  stop_requested;
  gint                  kill_requested;

  /* One run: the launched program, then each process it started that was
   * followed, in the order they began tracing. */
  GPtrArray            *processes;    /* of MscTraceProcess */
  gboolean              stopped;
};

G_DEFINE_TYPE (MscTraceRecorder, msc_trace_recorder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ARGV,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
msc_trace_recorder_finalize (GObject *object)
{
  MscTraceRecorder *self = MSC_TRACE_RECORDER (object);

  g_strfreev (self->argv);
  g_free (self->directory);
  g_strfreev (self->environment);
  g_clear_pointer (&self->processes, g_ptr_array_unref);

  G_OBJECT_CLASS (msc_trace_recorder_parent_class)->finalize (object);
}

static void
msc_trace_recorder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MscTraceRecorder *self = MSC_TRACE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_ARGV:
      g_value_set_boxed (value, self->argv);
      break;
    case PROP_INTERVAL:
      g_value_set_double (value, self->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_trace_recorder_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MscTraceRecorder *self = MSC_TRACE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_ARGV:
      self->argv = g_value_dup_boxed (value);
      break;
    case PROP_INTERVAL:
      self->interval = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_trace_recorder_class_init (MscTraceRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msc_trace_recorder_finalize;
  object_class->get_property = msc_trace_recorder_get_property;
  object_class->set_property = msc_trace_recorder_set_property;

  properties[PROP_ARGV] =
    g_param_spec_boxed ("argv", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_double ("interval", NULL, NULL, MSC_TRACE_INTERVAL_MIN, MSC_TRACE_INTERVAL_MAX,
                         MSC_TRACE_INTERVAL_DEFAULT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
msc_trace_recorder_init (MscTraceRecorder *self)
{
  self->kill_on_stop = TRUE;
  self->processes = g_ptr_array_new_with_free_func ((GDestroyNotify) msc_trace_process_free);
}

MscTraceRecorder *
msc_trace_recorder_new (const char *const *argv, gdouble interval)
{
  return g_object_new (MSC_TYPE_TRACE_RECORDER, "argv", argv, "interval", interval, NULL);
}

void
msc_trace_recorder_set_kill_on_stop (MscTraceRecorder *self, gboolean kill)
{
  self->kill_on_stop = kill;
}

void
msc_trace_recorder_set_follow_children (MscTraceRecorder *self, gboolean follow)
{
  self->follow_children = follow;
}

void
msc_trace_recorder_set_progress (MscTraceRecorder *self, MscTraceProgressFunc func, gpointer user_data)
{
  self->progress = func;
  self->progress_data = user_data;
}

void
msc_trace_recorder_set_snapshot_func (MscTraceRecorder *self, MscTraceSnapshotFunc func, gpointer user_data)
{
  self->on_snapshot = func;
  self->on_snapshot_data = user_data;
}

void
msc_trace_recorder_set_start (MscTraceRecorder *self, const char *directory, const char *const *environment)
{
  g_free (self->directory);
  self->directory = directory != NULL && directory[0] != '\0' ? g_strdup (directory) : NULL;
  g_strfreev (self->environment);
  self->environment = environment != NULL && environment[0] != NULL ? g_strdupv ((char **) environment) : NULL;
}

void
msc_trace_recorder_request_stop (MscTraceRecorder *self, gboolean kill)
{
  g_atomic_int_set (&self->kill_requested, kill);
  g_atomic_int_set (&self->stop_requested, TRUE);
}

const char *
msc_trace_recorder_default_library (void)
{
  const char *env = g_getenv ("MEMSCOPE_TRACE_LIBRARY");

  if (env != NULL && env[0] != '\0')
    return env;
  if (g_file_test (MSC_TRACE_LIBRARY, G_FILE_TEST_EXISTS))
    return MSC_TRACE_LIBRARY;
  return MSC_TRACE_LIBRARY_UNINSTALLED;
}

/* ---- the run ---- */

static MscTraceProcess *
msc_recorder_first (MscTraceRecorder *self)
{
  return self->processes->len > 0 ? g_ptr_array_index (self->processes, 0) : NULL;
}

static MscTraceProcess *
msc_recorder_launch (MscTraceRecorder *self, GError **error)
{
  MscStatus status = { MSC_OK, "" };
  MscTraceMode mode = MSC_TRACE_TRACED;
  MscTraceLaunch *launch = NULL;
  MscTraceProcess *first;
  guint64 clock_start = msc_backend_trace_clock ();
  unsigned flags = (self->kill_on_stop ? 0 : MSC_TRACE_OWN_GROUP)
                   | (self->follow_children ? MSC_TRACE_FOLLOW_CHILDREN : 0);

  MscTraceStart start = { self->directory, (const char *const *) self->environment };

  if (msc_backend_trace_launch ((const char *const *) self->argv, msc_trace_recorder_default_library (),
                                flags, &start, &launch, &mode, &status) != MSC_OK)
    {
      g_set_error_literal (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_LAUNCH, status.message);
      return NULL;
    }
  first = msc_trace_process_new (launch, msc_backend_now (), clock_start);
  g_ptr_array_add (self->processes, first);
  if (mode == MSC_TRACE_STATIC)
    msc_trace_add_note (first->trace, _("the program is statically linked: the tracer cannot be "
                                        "loaded into it, so its heap calls are not traced; its "
                                        "mappings are, through ptrace"));
  return first;
}

static MscTraceProcess *
msc_recorder_find_running (MscTraceRecorder *self, guint32 pid)
{
  for (guint i = 0; i < self->processes->len; i++)
    {
      MscTraceProcess *process = g_ptr_array_index (self->processes, i);

      if (process->running && process->pid == pid)
        return process;
    }
  return NULL;
}

/* The processes that began tracing since the last look: new ones get a
 * capture of their own, a running pid seen again is that process after
 * exec (its capture goes on, a new image). */
static void
msc_recorder_accept (MscTraceRecorder *self, gint64 now, gint64 interval)
{
  MscTraceProcess *first = msc_recorder_first (self);
  MscTraceLaunch *launch;

  while ((launch = msc_backend_trace_accept (first->launch)) != NULL)
    {
      MscTraceProcess *same = msc_recorder_find_running (self, msc_backend_trace_pid (launch));
      MscTraceProcess *process;

      if (same != NULL)
        {
          msc_backend_trace_continue (same->launch, launch, &same->sink);
          continue;
        }
      process = msc_trace_process_new (launch, msc_trace_get_start (first->trace), first->clock_start);
      process->next_snapshot = now + interval;
      g_ptr_array_add (self->processes, process);
    }
}

/* The launched program's snapshots not yet handed on (a live view). */
static void
msc_recorder_tell_snapshots (MscTraceRecorder *self)
{
  MscTraceProcess *first = msc_recorder_first (self);
  MscSession *session;

  if (self->on_snapshot == NULL || first == NULL)
    return;
  session = first->session;
  for (; self->snapshots_told < msc_session_get_n_snapshots (session); self->snapshots_told++)
    self->on_snapshot (self->on_snapshot_data, msc_session_get_process (session),
                       msc_session_get_snapshot (session, self->snapshots_told));
}

static gboolean
msc_recorder_report (MscTraceRecorder *self, gint64 start, gint64 now)
{
  guint n_events = 0, n_snapshots = 0;

  msc_recorder_tell_snapshots (self);
  if (g_atomic_int_get (&self->stop_requested))
    {
      self->kill_on_stop = g_atomic_int_get (&self->kill_requested);
      return FALSE;
    }
  if (self->progress == NULL)
    return TRUE;

  for (guint i = 0; i < self->processes->len; i++)
    {
      MscTraceProcess *process = g_ptr_array_index (self->processes, i);

      n_events += msc_trace_get_n_events (process->trace);
      n_snapshots += msc_session_get_n_snapshots (process->session);
    }
  return self->progress (self->progress_data, n_events, n_snapshots, (gdouble) (now - start) / G_USEC_PER_SEC);
}

/* One turn for each running process: its snapshot when due, what it sent,
 * its end.  FALSE when none runs any more. */
static gboolean
msc_recorder_turn (MscTraceRecorder *self, GPtrArray *running, gint64 interval)
{
  gboolean idle = TRUE;

  g_ptr_array_set_size (running, 0);
  for (guint i = 0; i < self->processes->len; i++)
    {
      MscTraceProcess *process = g_ptr_array_index (self->processes, i);
      MscStatus status = { MSC_OK, "" };
      guint before = msc_trace_get_n_events (process->trace);
      int more = 1;

      if (!process->running)
        continue;
      if (g_get_monotonic_time () >= process->next_snapshot)
        {
          msc_trace_process_snapshot (process);
          process->next_snapshot = MAX (process->next_snapshot + interval, g_get_monotonic_time ());
        }
      msc_backend_trace_pump (process->launch, &process->sink, 0, &more, &status);
      if (!more)
        msc_trace_process_finish (process, FALSE, FALSE);
      else
        g_ptr_array_add (running, process->launch);
      idle = idle && msc_trace_get_n_events (process->trace) == before;
    }
  /* Idle: pack a finished run now, while the program runs on, so that
   * saving finds the work done. */
  for (guint i = 0; idle && i < self->processes->len; i++)
    {
      MscTraceProcess *process = g_ptr_array_index (self->processes, i);

      if (process->running)
        msc_trace_codec_encode_next (process->trace);
    }
  return running->len > 0;
}

static void
msc_recorder_stop (MscTraceRecorder *self)
{
  self->stopped = TRUE;
  for (guint i = 0; i < self->processes->len; i++)
    {
      MscTraceProcess *process = g_ptr_array_index (self->processes, i);

      if (process->running)
        msc_trace_process_finish (process, TRUE, self->kill_on_stop);
    }
}

static gint64
msc_recorder_next_snapshot (MscTraceRecorder *self)
{
  gint64 next = G_MAXINT64;

  for (guint i = 0; i < self->processes->len; i++)
    {
      MscTraceProcess *process = g_ptr_array_index (self->processes, i);

      if (process->running)
        next = MIN (next, process->next_snapshot);
    }
  return next;
}

MscSession *
msc_trace_recorder_run (MscTraceRecorder *self, GError **error)
{
  g_autoptr(GPtrArray) running = g_ptr_array_new ();
  gint64 start = g_get_monotonic_time (), next_progress = 0;
  gint64 interval = (gint64) (self->interval * G_USEC_PER_SEC);
  MscTraceProcess *first;

  g_return_val_if_fail (MSC_IS_TRACE_RECORDER (self), NULL);
  g_return_val_if_fail (self->processes->len == 0, NULL);

  first = msc_recorder_launch (self, error);
  if (first == NULL)
    return NULL;
  first->next_snapshot = start + interval;
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      msc_recorder_accept (self, now, interval);
      if (now >= next_progress)
        {
          next_progress = now + G_USEC_PER_SEC / 5;
          if (!msc_recorder_report (self, start, now))
            {
              msc_recorder_stop (self);
              break;
            }
        }
      /* Until every process ended, and none is waiting to be taken. */
      if (!msc_recorder_turn (self, running, interval))
        {
          msc_recorder_accept (self, g_get_monotonic_time (), interval);
          if (!msc_recorder_turn (self, running, interval))
            break;
        }
      now = g_get_monotonic_time ();
      msc_backend_trace_wait (first->launch, (MscTraceLaunch *const *) running->pdata, running->len,
                              (int) CLAMP ((msc_recorder_next_snapshot (self) - now) / 1000, 1, 50));
    }
  msc_recorder_tell_snapshots (self);
  return g_object_ref (first->session);
}

int
msc_trace_recorder_get_exit_status (MscTraceRecorder *self)
{
  MscTraceProcess *first = msc_recorder_first (self);

  return first != NULL ? first->exit_status : -1;
}

gboolean
msc_trace_recorder_get_stopped (MscTraceRecorder *self)
{
  return self->stopped;
}

guint
msc_trace_recorder_get_n_children (MscTraceRecorder *self)
{
  return self->processes->len > 0 ? self->processes->len - 1 : 0;
}

MscSession *
msc_trace_recorder_get_child (MscTraceRecorder *self, guint index, guint32 *pid)
{
  MscTraceProcess *process;

  g_return_val_if_fail (index < msc_trace_recorder_get_n_children (self), NULL);
  process = g_ptr_array_index (self->processes, index + 1);
  if (pid != NULL)
    *pid = process->pid;
  return process->session;
}
