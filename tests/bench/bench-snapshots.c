/* bench-snapshots.c — issue 20's memory goals, as ratios measured in one
 * run, by the model's own accounting (msc_session_get_memory_size) and by
 * the heap (mallinfo2: bytes in use before and after, so the figures are
 * honest about headers and slack):
 *
 *   (a) 1,000 snapshots of a 150-region process, <= 5 regions changed each
 *       ÷ (one snapshot × 2 + 1 KB per snapshot)          (goal <= 1)
 *   (b) 100 snapshots of a 60,000-region process, 1% changed each
 *       ÷ one snapshot                                     (goal <= 3)
 *   (c) bytes per region of one full snapshot              (goal <= 100)
 *   the 1,000 snapshots of (a) saved, ÷ (3 × one snapshot's file + 300 B
 *       per snapshot)                                     (goal <= 1)
 *   loading that file ÷ `xmllint --stream --noout` of it   (goal <= 2)
 *   and the diff of two neighbours through their delta ÷ the same diff of
 *   two whole snapshots (goal < 1), and materializing the snapshot farthest
 *   from a key ÷ that whole diff.
 *
 * usage: bench-snapshots
 * Not a test: it prints, it does not judge.
 */
#include "config.h"

#include <malloc.h>

#include <glib.h>

#include <glib/gstdio.h>

#include "model/msc-diff.h"
#include "model/msc-loader.h"
#include "model/msc-session.h"
#include "tests/bench/bench-util.h"
#include "tests/model/model-history.h"

#define TICKS_PER_SECOND G_GUINT64_CONSTANT (10000000)

typedef struct {
  gsize model;   /* msc_session_get_memory_size */
  gsize heap;    /* mallinfo2 in-use bytes it added */
} Cost;

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

/* n snapshots of a fresh history (seed, n_regions), n_changes regions
 * changed between neighbours; *cost measured with the session alive. */
static MscSession *
build (gsize n_regions, guint n, guint n_changes, Cost *cost)
{
  g_autoptr(ModelHistory) history = model_history_new ((guint32) n_regions, n_regions);
  gsize before = heap_in_use ();
  MscSession *session = msc_session_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MscSnapshot) snapshot = NULL;

      if (i > 0)
        model_history_step (history, n_changes, FALSE);
      snapshot = msc_snapshot_new ((i + 1) * TICKS_PER_SECOND, 0, model_history_table (history));
      msc_session_add_snapshot (session, snapshot);
    }
  cost->model = msc_session_get_memory_size (session);
  cost->heap = heap_in_use () - before;
  return session;
}

static void
print_cost (const char *label, const Cost *cost, const Cost *one, double goal_bytes)
{
  g_print ("%-34s model %10zu B (%6.2fx one)   heap %10zu B (%6.2fx one)",
           label, cost->model, (double) cost->model / (double) one->model,
           cost->heap, (double) cost->heap / (double) one->heap);
  if (goal_bytes > 0)
    g_print ("   / goal: model %.2f, heap %.2f", cost->model / goal_bytes, cost->heap / goal_bytes);
  g_print ("\n");
}

static double
time_diff (MscSnapshot *a, MscSnapshot *b)
{
  double best = G_MAXDOUBLE;

  for (int r = 0; r < 7; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(MscDiff) diff = msc_diff_new (a, b);

      g_assert_nonnull (diff);
      best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
    }
  return best;
}

/* The newest two snapshots of session, diffed through the delta and as
 * two whole snapshots; and the cold materialization of the last one. */
static void
print_times (MscSession *session)
{
  guint n = msc_session_get_n_snapshots (session);
  MscSnapshot *a = msc_session_get_snapshot (session, n - 2);
  MscSnapshot *b = msc_session_get_snapshot (session, n - 1);
  g_autoptr(MscSnapshot) whole_a = NULL, whole_b = NULL;
  MscRegionTable *ta = msc_region_table_new (), *tb = msc_region_table_new ();
  double t_delta, t_whole, t_cold;
  gint64 start;

  g_object_ref (a);
  g_object_ref (b);
  for (gsize i = 0; i < msc_region_table_length (msc_snapshot_get_regions (a)); i++)
    msc_region_table_append_from (ta, msc_snapshot_get_regions (a), i);
  for (gsize i = 0; i < msc_region_table_length (msc_snapshot_get_regions (b)); i++)
    msc_region_table_append_from (tb, msc_snapshot_get_regions (b), i);
  whole_a = msc_snapshot_new (1, 0, ta);
  whole_b = msc_snapshot_new (2, 0, tb);
  msc_snapshot_get_summary (a);
  msc_snapshot_get_summary (b);
  msc_snapshot_get_summary (whole_a);
  msc_snapshot_get_summary (whole_b);
  t_delta = time_diff (a, b);
  t_whole = time_diff (whole_a, whole_b);
  g_object_unref (a);
  g_object_unref (b);

  /* Unpinned, then pushed out of the cache by walking the first few. */
  for (guint i = 0; i < 6; i++)
    msc_snapshot_get_regions (msc_session_get_snapshot (session, i));
  start = g_get_monotonic_time ();
  msc_snapshot_get_regions (b);
  t_cold = (g_get_monotonic_time () - start) / 1e6;

  g_print ("diff of neighbours: delta %.2f ms, whole %.2f ms: ratio %.2f (goal < 1)\n",
           t_delta * 1e3, t_whole * 1e3, t_delta / t_whole);
  g_print ("materializing the last snapshot cold: %.2f ms (%.2fx the whole diff)\n",
           t_cold * 1e3, t_cold / t_whole);
}

static gsize
save_size (MscSession *session,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (!msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error))
    g_error ("%s", error->message);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (gsize) st.st_size;
}

static double
time_load (gpointer path)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) loaded = msc_loader_load (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (msc_session_get_n_snapshots (loaded), >, 0);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The goal's file and load figures for session (n snapshots) against one
 * snapshot of the same process. */
static void
print_file (MscSession *session,
            MscSession *one)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-bench-XXXXXX", NULL);
  g_autofree char *many_path = g_build_filename (dir, "many.mmp", NULL);
  g_autofree char *one_path = g_build_filename (dir, "one.mmp", NULL);
  guint n = msc_session_get_n_snapshots (session);
  gsize many_size = save_size (session, many_path), one_size = save_size (one, one_path);
  double goal = 3.0 * one_size + 300.0 * n, t_load, t_xmllint;
  char *xmllint_argv[] = { (char *) "xmllint", (char *) "--stream", (char *) "--noout", many_path, NULL };

  t_load = bench_best_of (time_load, many_path);
  t_xmllint = bench_best_of (bench_time_command, xmllint_argv);
  g_print ("    saved: %zu B (one snapshot's file %zu B; %.0f B per snapshot after the first), / goal %.2f\n",
           many_size, one_size, (double) (many_size - one_size) / (n - 1), many_size / goal);
  g_print ("    loaded in %.2f ms, xmllint --stream --noout %.2f ms: ratio %.2f (goal <= 2)\n",
           t_load * 1e3, t_xmllint * 1e3, t_load / t_xmllint);
  /* MSC_BENCH_KEEP=1 leaves the file to profile its load. */
  if (g_getenv ("MSC_BENCH_KEEP") != NULL)
    {
      g_print ("    kept %s\n", many_path);
      return;
    }
  g_unlink (many_path);
  g_unlink (one_path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  Cost one_small, small, one_big, big;
  g_autoptr(MscSession) warm = NULL;
  g_autoptr(MscSession) session = NULL;
  g_autoptr(MscSession) one = NULL;

  /* GType registration and GLib's first allocations: not the sessions'. */
  warm = build (150, 3, 5, &one_small);
  g_clear_object (&warm);

  g_clear_object (&session);
  one = build (150, 1, 0, &one_small);
  session = build (150, 1000, 5, &small);
  g_print ("(a) 150 regions, 1,000 snapshots, 5 changed each (one snapshot: model %zu B, heap %zu B)\n",
           one_small.model, one_small.heap);
  print_cost ("    1,000 snapshots", &small, &one_small, 2.0 * one_small.model + 1024.0 * 1000);
  g_print ("    per snapshot after the first: model %.0f B, heap %.0f B\n",
           (double) (small.model - one_small.model) / 999, (double) (small.heap - one_small.heap) / 999);
  /* What the Timeline adds: it asks every snapshot for its Total row
   * (msc_snapshot_get_total), and the window for the shown one's summary. */
  for (guint i = 0; i < msc_session_get_n_snapshots (session); i++)
    msc_snapshot_get_total (msc_session_get_snapshot (session, i));
  msc_snapshot_get_summary (msc_session_get_latest (session));
  g_print ("    with every Total computed (the Timeline): model %zu B, / goal %.2f\n",
           msc_session_get_memory_size (session),
           msc_session_get_memory_size (session) / (2.0 * one_small.model + 1024.0 * 1000));
  print_file (session, one);
  g_clear_object (&session);

  session = build (60000, 1, 0, &one_big);
  g_clear_object (&session);
  session = build (60000, 100, 600, &big);
  g_print ("(b) 60,000 regions, 100 snapshots, 1%% changed each\n");
  print_cost ("    100 snapshots", &big, &one_big, 0);
  g_print ("    ratio to one snapshot (goal <= 3): model %.2f, heap %.2f\n",
           (double) big.model / one_big.model, (double) big.heap / one_big.heap);
  g_print ("(c) one full snapshot: model %.1f B/region, heap %.1f B/region (goal <= 100; 123.4 unpacked)\n",
           (double) one_big.model / 60000, (double) one_big.heap / 60000);
  print_times (session);
  return 0;
}
