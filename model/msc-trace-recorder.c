/* msc-trace-recorder.c — see msc-trace-recorder.h. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "model/msc-backend-error.h"
#include "model/msc-trace-codec.h"
#include "model/msc-trace-recorder.h"
#include "model/msc-trace-symbols.h"

struct _MscTraceRecorder
{
  GObject parent_instance;

  char                **argv;
  gdouble               interval;
  gboolean              kill_on_stop;
  MscTraceProgressFunc  progress;
  gpointer              progress_data;

  /* One run. */
  MscTraceLaunch       *launch;
  guint32               pid;
  guint64               clock_start;  /* msc_backend_trace_clock() at launch */
  MscTrace             *trace;
  MscSession           *session;
  MscTraceSymbols      *symbols;
  GHashTable           *stacks;       /* stack key → node */
  /* The last stack and thread looked up: a loop allocates from one place. */
  guint64               last_key;
  guint32               last_node;
  guint32               last_tid;
  guint16               last_thread;
  guint                 images;
  gboolean              stopped;
  int                   exit_status;
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
  g_clear_object (&self->trace);
  g_clear_object (&self->session);
  g_clear_pointer (&self->symbols, msc_trace_symbols_free);
  g_clear_pointer (&self->stacks, g_hash_table_unref);
  g_clear_pointer (&self->launch, msc_backend_trace_free);

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
  self->exit_status = -1;
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
msc_trace_recorder_set_progress (MscTraceRecorder *self, MscTraceProgressFunc func, gpointer user_data)
{
  self->progress = func;
  self->progress_data = user_data;
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

/* ---- snapshots ---- */

static void
msc_recorder_snapshot (MscTraceRecorder *self)
{
  g_autoptr(MscProcess) process = NULL;
  g_autoptr(MscSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  snapshot = msc_snapshot_new_from_scan (self->pid, 0, NULL, &process, &error);
  if (snapshot == NULL)
    {
      /* It exited (or exec'd) mid-scan: the next snapshot, or the trace,
       * covers that moment. */
      g_autofree char *note = g_strdup_printf (_("a snapshot could not be taken: %s"), error->message);

      msc_trace_add_note (self->trace, note);
      return;
    }
  if (msc_session_get_process (self->session) == NULL)
    msc_session_set_process (self->session, process);
  msc_session_add_snapshot (self->session, snapshot);
}

/* ---- what the target sends ---- */

static guint64
msc_recorder_time (MscTraceRecorder *self, guint64 clock)
{
  return clock > self->clock_start ? clock - self->clock_start : 0;
}

static void
msc_recorder_event (gpointer user, const MscTraceEvent *event)
{
  MscTraceRecorder *self = user;
  MscTraceRecord record = {
    .time = msc_recorder_time (self, event->time),
    .address = event->address,
    .size = event->size,
    .op = event->op,
  };
  MscTraceExtra extra = {
    .flags = event->flags,
    .error = event->error,
    .old_address = event->old_address,
    .old_size = event->old_size,
  };
  gboolean needs_extra = event->op == MSC_TRACE_REALLOC || event->op == MSC_TRACE_REALLOCARRAY
                         || !msc_trace_op_is_heap (event->op) || event->error != 0;

  if (event->op == MSC_TRACE_FREE)
    needs_extra = FALSE;
  if (event->stack != 0 && event->stack != self->last_key)
    {
      self->last_key = event->stack;
      self->last_node = GPOINTER_TO_UINT (g_hash_table_lookup (self->stacks, &event->stack));
    }
  record.stack = event->stack != 0 ? self->last_node : 0;
  if (event->tid != self->last_tid)
    {
      guint index = msc_trace_thread_index (self->trace, event->tid);

      self->last_tid = event->tid;
      /* An event keeps 16 bits of thread: more threads than that (a server
       * over days) share the last index, and the capture says so. */
      if (index > G_MAXUINT16)
        msc_trace_add_note (self->trace, _("more than 65,535 threads: the later ones share one thread entry"));
      self->last_thread = (guint16) MIN (index, G_MAXUINT16);
    }
  record.thread = self->last_thread;
  msc_trace_append (self->trace, &record, needs_extra ? &extra : NULL);
}

static void
msc_recorder_stack (gpointer user, guint64 key, const guint64 *frames, gsize n_frames)
{
  MscTraceRecorder *self = user;
  guint before;
  guint32 node;

  if (g_hash_table_contains (self->stacks, &key))
    return;
  before = msc_trace_get_n_frames (self->trace);
  node = msc_trace_node_for_stack (self->trace, frames, n_frames);
  for (guint i = before; i < msc_trace_get_n_frames (self->trace); i++)
    msc_trace_symbols_add_frame (self->symbols, i);
  g_hash_table_insert (self->stacks, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (node));
  self->last_key = 0; /* it may have been looked up before it was known */
}

static void
msc_recorder_modules (gpointer user, guint64 time, const MscTraceModule *modules, gsize n_modules)
{
  MscTraceRecorder *self = user;

  msc_trace_symbols_modules (self->symbols, modules, n_modules);
}

static void
msc_recorder_image (gpointer user, guint64 time, guint32 exec_count, int mappings_patched)
{
  MscTraceRecorder *self = user;

  self->images++;
  msc_trace_set_images (self->trace, self->images);
  if (!mappings_patched)
    msc_trace_set_mappings_traced (self->trace, FALSE);
  /* The first snapshot: the tracer is in, main() has not started. */
  if (exec_count == 0)
    msc_recorder_snapshot (self);
}

static void
msc_recorder_note (gpointer user, const char *text)
{
  msc_trace_add_note (MSC_TRACE_RECORDER (user)->trace, text);
}

static void
msc_recorder_exiting (gpointer user, guint64 time)
{
  msc_recorder_snapshot (MSC_TRACE_RECORDER (user));
}

/* ---- the run ---- */

static gboolean
msc_recorder_launch (MscTraceRecorder *self, GError **error)
{
  MscStatus status = { MSC_OK, "" };
  MscTraceMode mode = MSC_TRACE_TRACED;

  self->clock_start = msc_backend_trace_clock ();
  self->trace = msc_trace_new (msc_backend_now ());
  if (msc_backend_trace_launch ((const char *const *) self->argv, msc_trace_recorder_default_library (),
                                !self->kill_on_stop, &self->launch, &mode, &status) != MSC_OK)
    {
      g_set_error_literal (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_LAUNCH, status.message);
      return FALSE;
    }
  self->pid = msc_backend_trace_pid (self->launch);
  if (mode == MSC_TRACE_STATIC)
    msc_trace_add_note (self->trace, _("the program is statically linked: the tracer cannot be "
                                       "loaded into it, so its heap calls are not traced; its "
                                       "mappings are, through ptrace"));
  return TRUE;
}

static void
msc_recorder_finish (MscTraceRecorder *self, gboolean stopped)
{
  MscCodecJobs *jobs;
  int exited = 1, code = 0;

  if (stopped)
    {
      msc_backend_trace_stop (self->launch, self->kill_on_stop);
      msc_trace_set_cut_short (self->trace, TRUE);
      msc_trace_add_note (self->trace, self->kill_on_stop
                                       ? _("recording was stopped; the program was killed")
                                       : _("recording was stopped; the program was left running, untraced"));
    }
  if (!stopped || self->kill_on_stop)
    {
      msc_backend_trace_result (self->launch, &exited, &code);
      msc_trace_set_end (self->trace, exited, code);
      self->exit_status = exited ? code : 128 + code;
      if (!exited)
        msc_trace_set_cut_short (self->trace, TRUE);
    }
  self->stopped = stopped;
  /* No event comes any more: the runs still to pack are packed on the
   * other processors while the frames are named here. */
  jobs = msc_trace_codec_encode_start (self->trace);
  msc_trace_symbols_resolve (self->symbols, self->trace);
  msc_trace_codec_encode_finish (jobs);
  msc_session_set_trace (self->session, self->trace);
}

MscSession *
msc_trace_recorder_run (MscTraceRecorder *self, GError **error)
{
  MscTraceSink sink = {
    msc_recorder_event, msc_recorder_stack, msc_recorder_modules, msc_recorder_image,
    msc_recorder_note, msc_recorder_exiting, self,
  };
  gint64 start = g_get_monotonic_time (), next_snapshot, next_progress = 0;
  gint64 interval = (gint64) (self->interval * G_USEC_PER_SEC);
  gboolean stopped = FALSE;
  guint before;
  int more = 1;

  g_return_val_if_fail (MSC_IS_TRACE_RECORDER (self), NULL);
  g_return_val_if_fail (self->session == NULL, NULL);

  self->session = msc_session_new (NULL);
  self->symbols = msc_trace_symbols_new ();
  self->stacks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (!msc_recorder_launch (self, error))
    return NULL;
  next_snapshot = start + interval;
  while (more)
    {
      MscStatus status = { MSC_OK, "" };
      gint64 now = g_get_monotonic_time ();

      if (now >= next_snapshot)
        {
          msc_recorder_snapshot (self);
          next_snapshot = MAX (next_snapshot + interval, g_get_monotonic_time ());
        }
      if (now >= next_progress && self->progress != NULL)
        {
          next_progress = now + G_USEC_PER_SEC / 5;
          if (!self->progress (self->progress_data, msc_trace_get_n_events (self->trace),
                               msc_session_get_n_snapshots (self->session),
                               (gdouble) (now - start) / G_USEC_PER_SEC))
            {
              stopped = TRUE;
              break;
            }
        }
      before = msc_trace_get_n_events (self->trace);
      msc_backend_trace_pump (self->launch, &sink, (int) CLAMP ((next_snapshot - now) / 1000, 1, 50),
                              &more, &status);
      /* Idle: pack a finished run now, while the program runs on, so that
       * saving finds the work done. */
      if (more && msc_trace_get_n_events (self->trace) == before)
        msc_trace_codec_encode_next (self->trace);
    }
  msc_recorder_finish (self, stopped);
  return g_object_ref (self->session);
}

int
msc_trace_recorder_get_exit_status (MscTraceRecorder *self)
{
  return self->exit_status;
}

gboolean
msc_trace_recorder_get_stopped (MscTraceRecorder *self)
{
  return self->stopped;
}
