/* test-linux-trace-cases.c — the tracer where programs are awkward: fork
 * (untraced, and followed: --follow-children), exec through a shell shim, a malloc in a signal handler, 8 threads
 * allocating at once, exit while threads allocate, _exit, abort, SIGKILL, programs that cannot be
 * traced; python3 allocating a known bytearray; and the capture: saved and
 * reopened byte-identical, and still readable when cut short. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model/msc-loader.h"
#include "model/msc-mmp-reader.h"
#include "tests/linux/msc-trace-test-util.h"
#include "tests/targets/msc-trace-target.h"

/* Events of one operation and size. */
static guint
count_events (MscTrace *trace, guint op, guint64 size)
{
  guint n = 0;

  for (guint i = 0; i < msc_trace_get_n_events (trace); i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);

      n += e->op == op && e->size == size;
    }
  return n;
}

static void
test_fork (void)
{
  Run run = record_target ("NOFP", "fork");

  /* The child's malloc stays out of the parent's stream; the parent goes
   * on being traced after the fork. */
  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 7777), ==, 0);
  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 8888), ==, 1);
  g_assert_cmpint (run.exit_status, ==, 7);
  run_clear (&run);
}

/* The one process followed: its session, trace and heap call tree. */
static MscSession *
only_child (GPtrArray *children, MscTrace **trace, MscCallTree **tree)
{
  MscSession *session;

  g_assert_cmpuint (children->len, ==, 1);
  session = g_ptr_array_index (children, 0);
  *trace = msc_session_get_trace (session);
  *tree = msc_call_tree_new (*trace, MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);
  return session;
}

/* --follow-children: the child's capture has the child's calls and none of
 * the parent's, with its own snapshots and end; the parent's has none of
 * the child's. */
static void
test_follow_fork (void)
{
  g_autoptr(GPtrArray) children = NULL;
  Run run = record_follow ("fork", &children);
  MscSession *session;
  MscTrace *trace;
  g_autoptr(MscCallTree) tree = NULL;

  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 7777), ==, 0);
  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 8888), ==, 1);
  g_assert_cmpint (run.exit_status, ==, 7);
  session = only_child (children, &trace, &tree);
  assert_site (tree, "fork_alloc", 3, 3 * 7777, 2 * 7777);
  g_assert_cmpuint (count_events (trace, MSC_TRACE_MALLOC, 7777), ==, 3);
  g_assert_cmpuint (count_events (trace, MSC_TRACE_MALLOC, 8888), ==, 0);
  g_assert_cmpuint (count_events (trace, MSC_TRACE_MALLOC, 3000), ==, 0);
  /* At fork, at least two intervals in its 700 ms, and at its _exit. */
  g_assert_cmpuint (msc_session_get_n_snapshots (session), >=, 4);
  g_assert_cmpuint (msc_process_get_pid (msc_session_get_process (session)), !=,
                    msc_process_get_pid (msc_session_get_process (run.session)));
  g_assert_true (msc_trace_get_exited (trace));
  g_assert_cmpint (msc_trace_get_exit_code_or_signal (trace), ==, 4);
  g_assert_false (msc_trace_get_cut_short (trace));
  g_assert_cmpuint (msc_trace_get_images (trace), ==, 1);
  run_clear (&run);
}

/* A child that execs (fork + exec, or posix_spawn's vfork child): traced
 * in its new image as the program it became, in its own capture. */
static void
test_follow_exec (gconstpointer data)
{
  const char *mode = data;
  g_autoptr(GPtrArray) children = NULL;
  Run run = record_follow (mode, &children);
  g_autoptr(MscCallTree) parent_tree = msc_call_tree_new (run.trace, MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);
  g_autoptr(MscCallTree) tree = NULL;
  MscSession *session;
  MscTrace *trace;

  g_assert_cmpint (run.exit_status, ==, 7);
  assert_site (parent_tree, "alloc_leak", 7, 7 * 3000, 7 * 3000);
  session = only_child (children, &trace, &tree);
  assert_site (tree, "alloc_leak", 7, 7 * 3000, 7 * 3000);
  g_assert_cmpuint (count_events (trace, MSC_TRACE_MALLOC, 8888), ==, 0);
  /* fork + exec: the image it was forked in, then the program it exec'd. */
  g_assert_cmpuint (msc_trace_get_images (trace), ==, g_str_equal (mode, "fork-exec") ? 2 : 1);
  g_assert_cmpuint (msc_session_get_n_snapshots (session), >=, 3);
  g_assert_true (msc_trace_get_exited (trace));
  g_assert_cmpint (msc_trace_get_exit_code_or_signal (trace), ==, 7);
  run_clear (&run);
}

static void
test_signal (void)
{
  Run run = record_target ("NOFP", "signal");
  g_autoptr(MscCallTree) tree = msc_call_tree_new (run.trace, MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);

  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 5555), ==, 1);
  assert_site (tree, "on_usr1", 1, 5555, 0);
  run_clear (&run);
}

/* Mallocs of size whose stacks have function and not other; returns how
 * many there were. */
static guint
count_stacks (MscTrace *trace, guint64 size, const char *function, const char *other)
{
  guint n = 0;

  for (guint i = 0; i < msc_trace_get_n_events (trace); i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);

      if (e->op != MSC_TRACE_MALLOC || e->size != size)
        continue;
      g_assert_true (stack_has (trace, e->stack, function));
      g_assert_true (other == NULL || !stack_has (trace, e->stack, other));
      n++;
    }
  return n;
}

/* The tracer's unwind cache (msc-trace-unwind.c): one allocating frame
 * reached through twins, after a longjmp past it, and from a signal
 * handler it was interrupted by; each block names its own path. */
static void
test_unwind_cache (gconstpointer data)
{
  Run run = record_target (data, "unwind");
  guint reps = MSC_TARGET_UNWIND_REPS, passes = MSC_TARGET_UNWIND_PASSES;

  g_assert_cmpint (run.exit_status, ==, 7);
  g_assert_cmpuint (count_stacks (run.trace, MSC_TARGET_UNWIND_P, "via_p", "via_q"), ==, (passes + 1) * reps);
  g_assert_cmpuint (count_stacks (run.trace, MSC_TARGET_UNWIND_Q, "via_q", "via_p"), ==, passes * reps);
  g_assert_cmpuint (count_stacks (run.trace, MSC_TARGET_UNWIND_JUMPED, "via_jump", "via_after"), ==, reps);
  g_assert_cmpuint (count_stacks (run.trace, MSC_TARGET_UNWIND_AFTER, "via_after", "via_jump"), ==, reps);
  g_assert_cmpuint (count_stacks (run.trace, MSC_TARGET_UNWIND_HANDLER, "on_usr2", NULL), ==, 1);
  g_assert_cmpuint (count_stacks (run.trace, MSC_TARGET_UNWIND_HANDLER, "via_p", "via_q"), ==, 1);
  run_clear (&run);
}

/* 8 threads at once: not one event lost or doubled. */
static void
test_threads (void)
{
  Run run = record_target ("FP", "stress");
  g_autoptr(MscCallTree) tree = msc_call_tree_new (run.trace, MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);

  /* First that every event arrived, then that each has its stack. */
  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 440), ==, 8 * 20000);
  assert_site (tree, "stress_work", 8 * 20000, 8 * 20000 * 440, 0);
  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_FREE, 0), >=, 8 * 20000);
  run_clear (&run);
}

/* The exit-busy threads' mallocs: thread w's blocks 0 .. m-1 each once, for
 * an m of at least the count the program waited for.  A buffer that exit
 * left unsent is a run of blocks missing before the thread's last. */
static void
assert_busy_prefix (MscTrace *trace)
{
  const guint n = MSC_TARGET_BUSY_THREADS * MSC_TARGET_BUSY_CYCLE;
  g_autofree guint *counts = g_new0 (guint, n);

  for (guint i = 0; i < msc_trace_get_n_events (trace); i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);

      if (e->op == MSC_TRACE_MALLOC && e->size >= MSC_TARGET_BUSY_BASE && e->size < MSC_TARGET_BUSY_BASE + n)
        counts[e->size - MSC_TARGET_BUSY_BASE]++;
    }
  for (guint w = 0; w < MSC_TARGET_BUSY_THREADS; w++)
    {
      const guint *mine = counts + w * MSC_TARGET_BUSY_CYCLE;
      guint m = 0;

      for (guint j = 0; j < MSC_TARGET_BUSY_CYCLE; j++)
        m += mine[j];
      g_assert_cmpuint (m, >=, MSC_TARGET_BUSY_MIN);
      for (guint j = 0; j < MSC_TARGET_BUSY_CYCLE; j++)
        if (mine[j] != m / MSC_TARGET_BUSY_CYCLE + (j < m % MSC_TARGET_BUSY_CYCLE))
          g_error ("thread %u: its block %u arrived %u times; of its %u mallocs recorded, blocks were lost",
                   w, j, mine[j], m);
    }
}

/* Exit while other threads allocate: each thread's records up to exit's
 * flush arrive, whatever point of a record the thread was at.  Runs
 * several times, as each run meets the threads at one moment. */
static void
test_exit_busy (void)
{
  g_setenv ("MSC_TRACE_TARGET_SLEEP_MS", "0", TRUE);
  for (int round = 0; round < 6; round++)
    {
      Run run = record_target ("FP", "exit-busy");

      g_assert_cmpint (run.exit_status, ==, 7);
      assert_busy_prefix (run.trace);
      run_clear (&run);
    }
  g_unsetenv ("MSC_TRACE_TARGET_SLEEP_MS");
}

/* A version-manager shim: the shell execs the real program, which is
 * traced as the same process in its new image. */
static void
test_exec_shim (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-trace-XXXXXX", NULL);
  g_autofree char *shim = g_build_filename (dir, "shim", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nexec '%s' '%s' exit\n",
                                             g_getenv ("MSC_TRACE_TARGET_NOFP"), g_getenv ("MSC_TRACE_LIB"));
  const char *argv[] = { shim, NULL };
  g_autoptr(MscCallTree) tree = NULL;
  Run run;

  g_assert_true (g_file_set_contents (shim, script, -1, NULL));
  g_assert_cmpint (g_chmod (shim, 0755), ==, 0);
  run = record (argv);
  tree = msc_call_tree_new (run.trace, MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);
  g_assert_cmpuint (msc_trace_get_images (run.trace), ==, 2);
  assert_site (tree, "alloc_leak", 7, 7 * 3000, 7 * 3000);
  g_assert_cmpint (run.exit_status, ==, 7);
  run_clear (&run);
  g_unlink (shim);
  g_rmdir (dir);
}

static void
test_exit_now (void)
{
  Run run = record_target ("NOFP", "_exit");
  g_autoptr(MscCallTree) tree = msc_call_tree_new (run.trace, MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);

  /* _exit skips destructors: the tracer's own hook still sends it all. */
  g_assert_cmpint (run.exit_status, ==, 9);
  g_assert_false (msc_trace_get_cut_short (run.trace));
  assert_site (tree, "alloc_leak", 7, 7 * 3000, 7 * 3000);
  run_clear (&run);
}

/* Killed by a signal: the capture holds what arrived, marked cut short. */
static void
test_killed (gconstpointer data)
{
  const char *mode = data;
  Run run = record_target ("NOFP", mode);

  g_assert_cmpint (run.exit_status, ==, g_str_equal (mode, "abort") ? 128 + 6 : 128 + 9);
  g_assert_true (msc_trace_get_cut_short (run.trace));
  g_assert_false (msc_trace_get_exited (run.trace));
  g_assert_cmpuint (msc_session_get_n_snapshots (run.session), >=, 2);
  g_assert_cmpuint (msc_trace_get_n_events (run.trace), >, 0);
  run_clear (&run);
}

static void
assert_launch_error (const char *program, const char *words)
{
  const char *argv[] = { program, NULL };
  g_autoptr(MscTraceRecorder) recorder = msc_trace_recorder_new (argv, INTERVAL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_trace_recorder_run (recorder, &error);

  g_assert_null (session);
  g_assert_error (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_LAUNCH);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_cannot_trace (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-trace-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *setuid = g_build_filename (dir, "setuid", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  assert_launch_error ("msc-no-such-program-here", "not found");
  g_assert_true (g_file_set_contents (data, "not a program", -1, NULL));
  g_assert_cmpint (g_chmod (data, 0644), ==, 0);
  assert_launch_error (data, "not an executable");
  g_assert_true (g_file_get_contents (g_getenv ("MSC_TRACE_TARGET_NOFP"), &contents, &length, NULL));
  g_assert_true (g_file_set_contents (setuid, contents, (gssize) length, NULL));
  g_assert_cmpint (g_chmod (setuid, 04755), ==, 0);
  assert_launch_error (setuid, "setuid");
  g_unlink (data);
  g_unlink (setuid);
  g_rmdir (dir);
}

/* The ptrace watcher does not follow forks: said so, not done by half. */
static void
test_static_follow (void)
{
  const char *argv[] = { g_getenv ("MSC_TRACE_STATIC"), NULL };
  g_autoptr(MscTraceRecorder) recorder = msc_trace_recorder_new (argv, INTERVAL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;

  msc_trace_recorder_set_follow_children (recorder, TRUE);
  session = msc_trace_recorder_run (recorder, &error);
  g_assert_null (session);
  g_assert_error (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_LAUNCH);
  g_assert_nonnull (strstr (error->message, "statically linked"));
}

/* Bytes the break moved up, over the whole trace. */
static guint64
brk_total (MscTrace *trace)
{
  guint64 total = 0;

  for (guint i = 0; i < msc_trace_get_n_events (trace); i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);

      if (e->op == MSC_TRACE_BRK && e->address > msc_trace_get_extra (trace, i)->old_address)
        total += e->size;
    }
  return total;
}

/* Nothing to preload: said so; its mappings are still traced (ptrace),
 * with their stacks, and it is snapshotted. */
static void
test_static (void)
{
  const char *argv[] = { g_getenv ("MSC_TRACE_STATIC"), NULL };
  const char *refused = ptrace_refused ();
  g_autoptr(MscCallTree) tree = NULL;
  GPtrArray *notes;
  Run run;

  if (refused != NULL)
    {
      g_test_skip (refused);
      return;
    }
  run = record (argv);
  notes = msc_trace_get_notes (run.trace);
  tree = msc_call_tree_new (run.trace, MSC_REPLAY_MAPPINGS, TRUE, G_MAXUINT64);

  g_assert_cmpint (run.exit_status, ==, 5);
  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 100000), ==, 0);
  g_assert_true (msc_trace_get_mappings_traced (run.trace));
  assert_site (tree, "map_static", 1, 8 * MIB, 8 * MIB);
  g_assert_cmpuint (brk_total (run.trace), >=, 100000);
  g_assert_cmpuint (msc_session_get_n_snapshots (run.session), >=, 3);
  g_assert_cmpuint (notes->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (notes, 0), "statically linked"));
  run_clear (&run);
}

/* A Go program: no libc, its mappings are raw system calls, seen by the
 * ptrace watcher with their Go stacks. */
static void
test_go (void)
{
  const char *go = g_getenv ("MSC_TRACE_GO");
  const char *argv[] = { go, NULL };
  const char *refused = ptrace_refused ();
  g_autoptr(MscCallTree) tree = NULL;
  const MscCallNode *node;
  Run run;

  if (go == NULL || go[0] == '\0')
    {
      g_test_skip ("no Go compiler on this host (Debian package golang-go)");
      return;
    }
  if (refused != NULL)
    {
      g_test_skip (refused);
      return;
    }
  run = record (argv);
  tree = msc_call_tree_new (run.trace, MSC_REPLAY_MAPPINGS, FALSE, G_MAXUINT64);
  g_assert_cmpint (run.exit_status, ==, 6);
  g_assert_true (msc_trace_get_mappings_traced (run.trace));
  node = msc_call_tree_find (tree, "main.mapRegion");
  g_assert_nonnull (node);
  g_assert_cmpuint (node->count, ==, 1);
  g_assert_cmpuint (node->total, ==, 64 * MIB);
  g_assert_cmpuint (node->leaked, ==, 64 * MIB);
  /* The runtime's own heap arenas and stacks, also with their stacks. */
  g_assert_nonnull (msc_call_tree_find (tree, "runtime.sysReserve"));
  run_clear (&run);
}

/* A program no one here wrote: python3's 64 MiB bytearray is one malloc of
 * 64 MiB + 1 (its NUL) and glibc maps it: both in the trace. */
static void
test_python (void)
{
  const char *argv[] = { "python3", "-c", "b = bytearray(64 * 1024 * 1024); b[0] = 1", NULL };
  Run run = record (argv);
  guint maps = 0;

  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_cmpuint (count_events (run.trace, MSC_TRACE_MALLOC, 64 * MIB + 1), ==, 1);
  for (guint i = 0; i < msc_trace_get_n_events (run.trace); i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (run.trace, i);

      maps += e->op == MSC_TRACE_MMAP && e->size > 64 * MIB && e->size <= 64 * MIB + 8192
              && stack_has (run.trace, e->stack, "malloc");
    }
  g_assert_cmpuint (maps, ==, 1);
  run_clear (&run);
}

static char *
save (MscSession *session, const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  g_assert_no_error (error);
  return path;
}

/* Saved, reopened, saved again: the same bytes; cut inside the events: the
 * snapshots open, the trace says it is incomplete. */
static void
test_capture (void)
{
  Run run = record_target ("NOFP", "exit");
  g_autofree char *dir = g_dir_make_tmp ("msc-trace-XXXXXX", NULL);
  g_autofree char *first = save (run.session, dir, "first.mmp");
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) loaded = msc_loader_load (first, NULL, &error);
  g_autofree char *second = NULL, *a = NULL, *b = NULL, *cut = NULL;
  g_autoptr(MscSession) partial = NULL;
  g_autoptr(MscCallTree) tree = NULL;
  gsize la, lb;
  const char *events;

  g_assert_no_error (error);
  tree = msc_call_tree_new (msc_session_get_trace (loaded), MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);
  assert_site (tree, "alloc_leak", 7, 7 * 3000, 7 * 3000);
  second = save (loaded, dir, "second.mmp");
  g_assert_true (g_file_get_contents (first, &a, &la, NULL));
  g_assert_true (g_file_get_contents (second, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);

  events = strstr (a, "<TraceEvents");
  g_assert_nonnull (events);
  cut = g_build_filename (dir, "cut.mmp", NULL);
  g_assert_true (g_file_set_contents (cut, a, (events - a) + 60, NULL));
  partial = msc_loader_load (cut, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msc_session_get_n_snapshots (partial), ==, msc_session_get_n_snapshots (run.session));
  g_assert_true (msc_trace_get_cut_short (msc_session_get_trace (partial)));
  g_assert_cmpuint (msc_trace_get_notes (msc_session_get_trace (partial))->len, >=, 1);
  run_clear (&run);
  g_unlink (first);
  g_unlink (second);
  g_unlink (cut);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/fork", test_fork);
  g_test_add_func ("/trace/follow/fork", test_follow_fork);
  g_test_add_data_func ("/trace/follow/fork-exec", "fork-exec", test_follow_exec);
  g_test_add_data_func ("/trace/follow/spawn", "spawn", test_follow_exec);
  g_test_add_func ("/trace/follow/static", test_static_follow);
  g_test_add_func ("/trace/signal", test_signal);
  g_test_add_func ("/trace/threads", test_threads);
  g_test_add_func ("/trace/exit-busy", test_exit_busy);
  g_test_add_data_func ("/trace/unwind-cache/fp", "FP", test_unwind_cache);
  g_test_add_data_func ("/trace/unwind-cache/nofp", "NOFP", test_unwind_cache);
  g_test_add_func ("/trace/exec-shim", test_exec_shim);
  g_test_add_func ("/trace/_exit", test_exit_now);
  g_test_add_data_func ("/trace/abort", "abort", test_killed);
  g_test_add_data_func ("/trace/sigkill", "kill", test_killed);
  g_test_add_func ("/trace/cannot-trace", test_cannot_trace);
  g_test_add_func ("/trace/static", test_static);
  g_test_add_func ("/trace/python", test_python);
  g_test_add_func ("/trace/go", test_go);
  g_test_add_func ("/trace/capture", test_capture);
  return g_test_run ();
}
