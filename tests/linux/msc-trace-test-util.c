/* msc-trace-test-util.c — see msc-trace-test-util.h. */
#include "config.h"

#include "tests/linux/msc-trace-test-util.h"

#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

const char *
ptrace_refused (void)
{
  static char why[256];
  pid_t pid = fork ();
  int ok;

  if (pid == 0)
    {
      pause ();
      _exit (0);
    }
  g_assert_cmpint (pid, >, 0);
  ok = ptrace (PTRACE_SEIZE, pid, 0, 0) == 0;
  if (!ok)
    g_snprintf (why, sizeof why, "this host refuses ptrace of a child: %s", g_strerror (errno));
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  return ok ? NULL : why;
}

void
run_clear (Run *run)
{
  g_clear_object (&run->session);
}

static Run
record_with (MscTraceRecorder *recorder)
{
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  run.session = msc_trace_recorder_run (recorder, &error);
  g_assert_no_error (error);
  run.trace = msc_session_get_trace (run.session);
  g_assert_nonnull (run.trace);
  run.exit_status = msc_trace_recorder_get_exit_status (recorder);
  return run;
}

Run
record (const char *const *argv)
{
  g_autoptr(MscTraceRecorder) recorder = msc_trace_recorder_new (argv, INTERVAL);

  return record_with (recorder);
}

Run
record_follow (const char *mode, GPtrArray **children)
{
  const char *argv[] = { g_getenv ("MSC_TRACE_TARGET_NOFP"), g_getenv ("MSC_TRACE_LIB"), mode, NULL };
  g_autoptr(MscTraceRecorder) recorder = msc_trace_recorder_new (argv, INTERVAL);
  Run run;

  msc_trace_recorder_set_follow_children (recorder, TRUE);
  run = record_with (recorder);
  *children = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < msc_trace_recorder_get_n_children (recorder); i++)
    g_ptr_array_add (*children, g_object_ref (msc_trace_recorder_get_child (recorder, i, NULL)));
  return run;
}

Run
record_target (const char *which, const char *mode)
{
  g_autofree char *name = g_strdup_printf ("MSC_TRACE_TARGET_%s", which);
  const char *argv[] = { g_getenv (name), g_getenv ("MSC_TRACE_LIB"), mode, NULL };

  g_assert_nonnull (argv[0]);
  return record (argv);
}

/* The node of function among the root's children (inverted: the function
 * that called malloc or mmap). */
const MscCallNode *
child (const MscCallNode *node, const char *function)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      const MscCallNode *c = g_ptr_array_index (node->children, i);

      if (g_str_equal (c->function, function))
        return c;
    }
  g_error ("no call-tree entry for %s", function);
}

void
assert_site (MscCallTree *tree, const char *function, guint64 count, guint64 total, guint64 leaked)
{
  const MscCallNode *node = child (msc_call_tree_get_root (tree), function);

  g_assert_cmpuint (node->count, ==, count);
  g_assert_cmpuint (node->total, ==, total);
  g_assert_cmpuint (node->leaked, ==, leaked);
}

gboolean
stack_has (MscTrace *trace, guint32 node, const char *function)
{
  for (; node != 0; node = msc_trace_get_node (trace, node)->parent)
    if (g_strcmp0 (msc_trace_get_function (trace, node), function) == 0)
      return TRUE;
  return FALSE;
}

