/* msc-trace-process.c — see msc-trace-process.h. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "model/msc-trace-codec.h"
#include "model/msc-trace-process.h"

/* ---- snapshots ---- */

void
msc_trace_process_snapshot (MscTraceProcess *self)
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

/* ---- what the process sends ---- */

static guint64
msc_process_time (MscTraceProcess *self, guint64 clock)
{
  return clock > self->clock_start ? clock - self->clock_start : 0;
}

static void
msc_process_event (gpointer user, const MscTraceEvent *event)
{
  MscTraceProcess *self = user;
  MscTraceRecord record = {
    .time = msc_process_time (self, event->time),
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
msc_process_stack (gpointer user, guint64 key, const guint64 *frames, gsize n_frames)
{
  MscTraceProcess *self = user;
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
msc_process_modules (gpointer user, guint64 time, const MscTraceModule *modules, gsize n_modules)
{
  MscTraceProcess *self = user;

  msc_trace_symbols_modules (self->symbols, modules, n_modules);
}

static void
msc_process_image (gpointer user, guint64 time, guint32 exec_count, int mappings_patched)
{
  MscTraceProcess *self = user;

  self->images++;
  msc_trace_set_images (self->trace, self->images);
  if (!mappings_patched)
    msc_trace_set_mappings_traced (self->trace, FALSE);
  /* The first snapshot: the tracer is in, main() has not started. */
  if (exec_count == 0)
    msc_trace_process_snapshot (self);
}

static void
msc_process_note (gpointer user, const char *text)
{
  msc_trace_add_note (((MscTraceProcess *) user)->trace, text);
}

static void
msc_process_exiting (gpointer user, guint64 time)
{
  msc_trace_process_snapshot (user);
}

/* ---- its life ---- */

MscTraceProcess *
msc_trace_process_new (MscTraceLaunch *launch, guint64 start, guint64 clock_start)
{
  MscTraceProcess *self = g_new0 (MscTraceProcess, 1);

  self->launch = launch;
  self->pid = launch != NULL ? msc_backend_trace_pid (launch) : 0;
  self->clock_start = clock_start;
  self->trace = msc_trace_new (start);
  self->session = msc_session_new (NULL);
  self->symbols = msc_trace_symbols_new ();
  self->stacks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->sink = (MscTraceSink) {
    msc_process_event, msc_process_stack, msc_process_modules, msc_process_image,
    msc_process_note, msc_process_exiting, self,
  };
  self->running = launch != NULL;
  self->exit_status = -1;
  return self;
}

void
msc_trace_process_free (MscTraceProcess *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->trace);
  g_clear_object (&self->session);
  g_clear_pointer (&self->symbols, msc_trace_symbols_free);
  g_clear_pointer (&self->stacks, g_hash_table_unref);
  g_clear_pointer (&self->launch, msc_backend_trace_free);
  g_free (self);
}

void
msc_trace_process_finish (MscTraceProcess *self, gboolean stopped, gboolean kill)
{
  MscCodecJobs *jobs;
  int exited = 1, code = 0;

  self->running = FALSE;
  if (stopped)
    {
      msc_backend_trace_stop (self->launch, kill);
      msc_trace_set_cut_short (self->trace, TRUE);
      msc_trace_add_note (self->trace, kill ? _("recording was stopped; the program was killed")
                                            : _("recording was stopped; the program was left running, untraced"));
    }
  if (!stopped || kill)
    {
      if (msc_backend_trace_result (self->launch, &exited, &code))
        {
          msc_trace_set_end (self->trace, exited, code);
          self->exit_status = exited ? code : 128 + code;
          if (!exited)
            msc_trace_set_cut_short (self->trace, TRUE);
        }
      else
        {
          /* A followed process that sent no exit code (killed) and was
           * collected by its parent before memscope could look. */
          msc_trace_set_cut_short (self->trace, TRUE);
          msc_trace_add_note (self->trace, _("the process ended without exiting (a signal?); its "
                                             "parent collected it before memscope could learn how"));
        }
    }
  /* No event comes any more: the runs still to pack are packed on the
   * other processors while the frames are named here. */
  jobs = msc_trace_codec_encode_start (self->trace);
  msc_trace_symbols_resolve (self->symbols, self->trace);
  msc_trace_codec_encode_finish (jobs);
  msc_session_set_trace (self->session, self->trace);
}
