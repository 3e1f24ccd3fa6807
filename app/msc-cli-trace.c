/* msc-cli-trace.c — memscope --trace (see msc-cli-trace.h).  Built only
 * where the model has a trace recorder (a backend that can launch and
 * trace). */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/msc-cli-trace.h"
#include "model/msc-trace-recorder.h"

typedef struct {
  gboolean trace;
  gdouble  interval;
  char    *output;
  gboolean leave_running;
  gboolean follow_children;
  char   **program;
} MscTraceOptions;

/* Ctrl+C: the recording stops at the next progress call. */
static volatile sig_atomic_t msc_interrupted;

static void
msc_on_interrupt (int signo)
{
  (void) signo;
  msc_interrupted = 1;
}

gboolean
msc_cli_trace_wanted (int argc, char **argv)
{
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (strcmp (argv[i], "--trace") == 0)
      return msc_backend_can_trace ();
  return FALSE;
}

static gboolean
msc_trace_parse (MscTraceOptions *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "trace", 0, 0, G_OPTION_ARG_NONE, &options->trace,
      N_("Launch PROGRAM, trace its heap and virtual-memory operations with their call stacks, "
         "and snapshot it at start, every interval and at exit"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_DOUBLE, &options->interval,
      N_("Seconds between snapshots (0.1 to 60; default 1)"), N_("S") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output,
      N_("Write the capture here (.mmp; default PROGRAM-PID.mmp)"), N_("OUT.mmp") },
    { "leave-running", 0, 0, G_OPTION_ARG_NONE, &options->leave_running,
      N_("On Ctrl+C leave the program running, untraced (it then runs in its own process group); "
         "by default it is killed"), NULL },
    { "follow-children", 0, 0, G_OPTION_ARG_NONE, &options->follow_children,
      N_("Also trace every process the program starts (fork, or a program it runs), each into a "
         "capture of its own beside OUT.mmp: OUT.PID.mmp; by default they run untraced"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->program, NULL,
      N_("-- PROGRAM [ARGS...]") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  options->interval = MSC_TRACE_INTERVAL_DEFAULT;
  g_option_context_set_summary (context, _("Launch a program and trace it until it exits; exits "
                                           "with the program's own status."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->program == NULL || options->program[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("no program: memscope --trace [--interval S] [-o OUT.mmp] [--follow-children] "
                     "-- PROGRAM [ARGS...]"));
      return FALSE;
    }
  if (!(options->interval >= MSC_TRACE_INTERVAL_MIN && options->interval <= MSC_TRACE_INTERVAL_MAX))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--interval must be between %.1f and %.0f seconds"), MSC_TRACE_INTERVAL_MIN,
                   MSC_TRACE_INTERVAL_MAX);
      return FALSE;
    }
  return TRUE;
}

static gboolean
msc_trace_progress (gpointer user_data, guint n_events, guint n_snapshots, gdouble elapsed)
{
  gboolean *terminal = user_data;

  if (*terminal)
    g_printerr (_("\rmemscope: %u events, %u snapshots, %.1f s "), n_events, n_snapshots, elapsed);
  return !msc_interrupted;
}

/* The capture's path: .mmp only, it is the one format that holds a trace. */
static char *
msc_trace_output (const MscTraceOptions *options, MscSession *session, GError **error)
{
  g_autofree char *base = g_path_get_basename (options->program[0]);
  MscProcess *process = msc_session_get_process (session);
  g_autofree char *fallback = g_strdup_printf ("%s-%u.mmp", base, process != NULL ? msc_process_get_pid (process) : 0);
  MscFileFormat format;
  char *path = msc_capture_output_path (options->output != NULL ? options->output : fallback, &format);

  if (path != NULL && format != MSC_FILE_FORMAT_MMP)
    {
      g_set_error (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_WRITE,
                   _("a trace is saved as .mmp only (CSV and text hold one snapshot): %s"), path);
      g_clear_pointer (&path, g_free);
    }
  return path;
}

static void
msc_trace_report_notes (MscSession *session)
{
  GPtrArray *notes = msc_trace_get_notes (msc_session_get_trace (session));

  for (guint i = 0; i < notes->len; i++)
    g_printerr (_("memscope: note: %s\n"), (const char *) g_ptr_array_index (notes, i));
}

static void
msc_trace_report (MscTraceRecorder *recorder, MscSession *session, const char *path)
{
  msc_trace_report_notes (session);
  if (msc_trace_recorder_get_stopped (recorder))
    g_printerr (_("memscope: interrupted: the program was %s\n"),
                msc_trace_recorder_get_exit_status (recorder) < 0 ? _("left running, untraced")
                                                                  : _("killed"));
  g_printerr (_("memscope: %u events, %u snapshots written to %s\n"),
              msc_trace_get_n_events (msc_session_get_trace (session)), msc_session_get_n_snapshots (session),
              path);
}

/* --follow-children: each process followed beside the program's capture,
 * as OUT.PID.mmp.  FALSE when one could not be written (said why). */
static gboolean
msc_trace_save_children (MscTraceRecorder *recorder, const char *path)
{
  gsize stem = strlen (path) - strlen (".mmp");
  gboolean ok = TRUE;

  for (guint i = 0; i < msc_trace_recorder_get_n_children (recorder); i++)
    {
      guint32 pid = 0;
      MscSession *child = msc_trace_recorder_get_child (recorder, i, &pid);
      g_autofree char *child_path = g_strdup_printf ("%.*s.%u.mmp", (int) stem, path, pid);
      g_autoptr(GError) error = NULL;

      if (msc_session_get_n_snapshots (child) == 0)
        {
          g_printerr (_("memscope: process %u ended before any snapshot could be taken; nothing was "
                        "written for it\n"), pid);
          continue;
        }
      if (!msc_session_save (child, child_path, MSC_FILE_FORMAT_MMP, &error))
        {
          g_printerr ("memscope: %s\n", error->message);
          ok = FALSE;
          continue;
        }
      msc_trace_report_notes (child);
      g_printerr (_("memscope: process %u: %u events, %u snapshots written to %s\n"), pid,
                  msc_trace_get_n_events (msc_session_get_trace (child)), msc_session_get_n_snapshots (child),
                  child_path);
    }
  return ok;
}

int
msc_cli_trace_main (int argc, char **argv)
{
  MscTraceOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MscTraceRecorder) recorder = NULL;
  g_autoptr(MscSession) session = NULL;
  g_autofree char *path = NULL;
  gboolean terminal = isatty (STDERR_FILENO);
  int status = 2;

  if (!msc_trace_parse (&options, &argc, &argv, &error))
    goto out;
  recorder = msc_trace_recorder_new ((const char *const *) options.program, options.interval);
  msc_trace_recorder_set_kill_on_stop (recorder, !options.leave_running);
  msc_trace_recorder_set_follow_children (recorder, options.follow_children);
  msc_trace_recorder_set_progress (recorder, msc_trace_progress, &terminal);
  signal (SIGINT, msc_on_interrupt);
  session = msc_trace_recorder_run (recorder, &error);
  signal (SIGINT, SIG_DFL);
  if (terminal)
    g_printerr ("\n");
  if (session == NULL)
    goto out;
  if (msc_session_get_n_snapshots (session) == 0)
    {
      /* Still the program's status: it ran, memscope only had nothing to keep. */
      g_set_error (&error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_EMPTY,
                   _("the program ended before any snapshot could be taken; nothing was written"));
      status = MAX (msc_trace_recorder_get_exit_status (recorder), 0);
      goto out;
    }
  path = msc_trace_output (&options, session, &error);
  if (path == NULL || !msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error))
    goto out;
  msc_trace_report (recorder, session, path);
  status = MAX (msc_trace_recorder_get_exit_status (recorder), 0);
  /* A child's capture that could not be written is memscope's failure. */
  if (!msc_trace_save_children (recorder, path))
    status = 2;

out:
  if (error != NULL)
    g_printerr ("memscope: %s\n", error->message);
  g_free (options.output);
  g_strfreev (options.program);
  return status;
}
