/* test-snapshot-storage.c — long sessions store what changed (issue 20):
 * every snapshot reads back as it was scanned, the diff of neighbours
 * through their delta equals the full comparison, a saved session reads
 * back exactly, and 1,000 snapshots with few changes cost little. */
#include "config.h"

#include "model/msc-diff.h"
#include "model/msc-snapshot-private.h"
#include "tests/model/model-history.h"
#include "tests/model/model-test-util.h"

#define TICKS_PER_SECOND G_GUINT64_CONSTANT (10000000)
#define START_TICKS      (G_GUINT64_CONSTANT (133000000000000000))

/* A session of n snapshots of history, and (full, optional) each
 * snapshot's regions stored whole, outside any session. */
static MscSession *
storage_session (ModelHistory *history,
                 guint         n,
                 guint         n_changes,
                 gboolean      add_remove,
                 GPtrArray    *full)
{
  MscSession *session = msc_session_new (msc_process_new (4242, "python3", 64));

  g_object_unref (msc_session_get_process (session));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MscSnapshot) snapshot = NULL;

      if (i > 0)
        model_history_step (history, n_changes, add_remove);
      snapshot = msc_snapshot_new (START_TICKS + i * TICKS_PER_SECOND, 4096 * (i % 7), model_history_table (history));
      msc_session_add_snapshot (session, snapshot);
      if (full != NULL)
        g_ptr_array_add (full, msc_snapshot_new (START_TICKS + i * TICKS_PER_SECOND, 4096 * (i % 7),
                                                 model_history_table (history)));
    }
  return session;
}

static void
assert_tables_equal (const MscRegionTable *a,
                     const MscRegionTable *b)
{
  g_assert_cmpuint (msc_region_table_length (a), ==, msc_region_table_length (b));
  g_assert_cmpuint (msc_region_table_n_top_level (a), ==, msc_region_table_n_top_level (b));
  for (gsize i = 0; i < msc_region_table_length (a); i++)
    {
      g_assert_true (msc_region_table_same (a, i, b, i));
      g_assert_cmpuint (msc_region_table_parent (a, i), ==, msc_region_table_parent (b, i));
      g_assert_cmpuint (msc_region_table_n_children (a, i), ==, msc_region_table_n_children (b, i));
    }
}

static void
assert_diffs_equal (MscDiff *a,
                    MscDiff *b)
{
  gsize nb = msc_region_table_length (msc_snapshot_get_regions (msc_diff_get_b (a)));
  gsize na = msc_region_table_length (msc_snapshot_get_regions (msc_diff_get_a (a)));

  g_assert_cmpuint (msc_diff_get_n_changes (a), ==, msc_diff_get_n_changes (b));
  for (guint i = 0; i < msc_diff_get_n_changes (a); i++)
    g_assert_cmpmem (msc_diff_get_change (a, i), sizeof (MscDiffChange),
                     msc_diff_get_change (b, i), sizeof (MscDiffChange));
  for (int s = MSC_DIFF_SAME; s <= MSC_DIFF_CHANGED; s++)
    g_assert_cmpuint (msc_diff_count (a, s), ==, msc_diff_count (b, s));
  for (gsize i = 0; i < nb; i++)
    {
      guint ca = 0, cb = 0;

      g_assert_cmpint (msc_diff_get_status_b (a, i, &ca), ==, msc_diff_get_status_b (b, i, &cb));
      g_assert_cmpuint (ca, ==, cb);
      g_assert_cmpuint (msc_diff_get_match_a (a, i), ==, msc_diff_get_match_a (b, i));
    }
  for (gsize i = 0; i < na; i++)
    g_assert_cmpuint (msc_diff_get_match_b (a, i), ==, msc_diff_get_match_b (b, i));
  g_assert_cmpmem (msc_diff_get_total_delta (a), sizeof (MscSummaryDelta),
                   msc_diff_get_total_delta (b), sizeof (MscSummaryDelta));
  g_assert_cmpint (msc_diff_is_empty (a), ==, msc_diff_is_empty (b));
}

/* Randomized sessions: each snapshot materializes to what was scanned, in
 * any order, and neighbours diff through their delta as in full. */
static void
test_storage_random (void)
{
  for (guint32 seed = 1; seed <= 12; seed++)
    {
      g_autoptr(ModelHistory) history = model_history_new (seed, 40 + seed * 17);
      g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(MscSession) session = storage_session (history, 60, 1 + seed % 6, TRUE, full);
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      guint n_deltas = 0;

      /* Backwards and at random: materialization from any key or cache. */
      for (guint i = 60; i-- > 0;)
        assert_tables_equal (model_regions (session, i), msc_snapshot_get_regions (full->pdata[i]));
      for (guint k = 0; k < 60; k++)
        {
          guint i = g_rand_int_range (rand, 0, 60);

          assert_tables_equal (model_regions (session, i), msc_snapshot_get_regions (full->pdata[i]));
        }
      for (guint i = 1; i < 60; i++)
        {
          MscSnapshot *a = msc_session_get_snapshot (session, i - 1);
          MscSnapshot *b = msc_session_get_snapshot (session, i);
          g_autoptr(MscDiff) shared = msc_diff_new (a, b);
          g_autoptr(MscDiff) whole = msc_diff_new (full->pdata[i - 1], full->pdata[i]);

          n_deltas += msc_snapshot_get_delta_from (b, a) != NULL;
          assert_diffs_equal (shared, whole);
        }
      /* Most are deltas (a key now and then bounds the chains). */
      g_assert_cmpuint (n_deltas, >=, 50);
      /* A pair further apart compares in full, the same way. */
      {
        g_autoptr(MscDiff) shared = msc_diff_new (msc_session_get_snapshot (session, 3),
                                                  msc_session_get_snapshot (session, 41));
        g_autoptr(MscDiff) whole = msc_diff_new (full->pdata[3], full->pdata[41]);

        assert_diffs_equal (shared, whole);
      }
    }
}

/* A table stays while its snapshot is held, however many others are built
 * meanwhile (views and diffs keep snapshots, not copies of their tables). */
static void
test_storage_pinned (void)
{
  g_autoptr(ModelHistory) history = model_history_new (99, 120);
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MscSession) session = storage_session (history, 50, 4, TRUE, full);
  g_autoptr(MscSnapshot) held = g_object_ref (msc_session_get_snapshot (session, 20));
  const MscRegionTable *table = msc_snapshot_get_regions (held);

  for (guint i = 0; i < 50; i++)
    msc_snapshot_get_regions (msc_session_get_snapshot (session, i));
  /* A scan added to the session trims the cache to its newest table. */
  model_history_step (history, 4, TRUE);
  {
    g_autoptr(MscSnapshot) next = msc_snapshot_new (G_MAXUINT64 / 2, 0, model_history_table (history));

    msc_session_add_snapshot (session, next);
  }
  g_assert_true (msc_snapshot_get_regions (held) == table);
  assert_tables_equal (table, msc_snapshot_get_regions (full->pdata[20]));
}

static guint
count (GBytes     *bytes,
       const char *needle)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  guint n = 0;

  for (const char *p = text; (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}

/* Saved and read back: every snapshot as the same snapshot saved alone
 * reads back, and the second save is the first byte for byte. */
static void
test_storage_round_trip (void)
{
  g_autoptr(ModelHistory) history = model_history_new (7, 150);
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MscSession) session = storage_session (history, 40, 5, TRUE, full);
  g_autoptr(GBytes) saved = model_write (session, MSC_FILE_FORMAT_MMP);
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) loaded = msc_loader_load_memory (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved),
                                                         "history.mmp", &error);
  g_autoptr(GBytes) resaved = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (msc_session_get_n_snapshots (loaded), ==, 40);
  /* Readers of VMMap's files see the first and the last in full; the 38
   * between are stored as what changed. */
  g_assert_cmpuint (count (saved, "<Snapshot "), ==, 2);
  g_assert_cmpuint (count (saved, "<SnapshotDelta "), ==, 38);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(MscSession) one = msc_session_new (msc_session_get_process (session));
      g_autoptr(GBytes) one_saved = NULL;
      g_autoptr(MscSession) one_loaded = NULL;

      msc_session_add_snapshot (one, full->pdata[i]);
      one_saved = model_write (one, MSC_FILE_FORMAT_MMP);
      one_loaded = msc_loader_load_memory (g_bytes_get_data (one_saved, NULL), g_bytes_get_size (one_saved),
                                           "one.mmp", &error);
      g_assert_no_error (error);
      assert_tables_equal (model_regions (loaded, i), model_regions (one_loaded, 0));
      if (i > 0)
        g_assert_nonnull (msc_snapshot_get_delta_from (msc_session_get_snapshot (loaded, i),
                                                       msc_session_get_snapshot (loaded, i - 1)));
    }
  resaved = model_write (loaded, MSC_FILE_FORMAT_MMP);
  g_assert_true (g_bytes_equal (saved, resaved));
}

/* Issue 20's first goal as a functional test of the sharing: 1,000
 * snapshots of a 150-region process, 5 regions changed each, hold at most
 * one snapshot's memory twice plus 1 KB per snapshot. */
static void
test_storage_memory_bound (void)
{
  g_autoptr(ModelHistory) history = model_history_new (20, 150);
  g_autoptr(MscSession) one = storage_session (history, 1, 0, FALSE, NULL);
  g_autoptr(MscSession) session = NULL;
  gsize one_bytes = msc_session_get_memory_size (one);
  gsize bytes;

  g_clear_pointer (&history, model_history_free);
  history = model_history_new (20, 150);
  session = storage_session (history, 1000, 5, FALSE, NULL);
  bytes = msc_session_get_memory_size (session);
  g_test_message ("one snapshot %" G_GSIZE_FORMAT " bytes; 1,000: %" G_GSIZE_FORMAT " bytes", one_bytes, bytes);
  g_assert_cmpuint (bytes, <=, 2 * one_bytes + 1000 * 1024);

  /* The Timeline asks every snapshot for its Total row, and the window the
   * shown one for its summary: that stays within the bound too, and each
   * Total is the summary's. */
  for (guint i = 0; i < msc_session_get_n_snapshots (session); i++)
    msc_snapshot_get_total (msc_session_get_snapshot (session, i));
  msc_snapshot_get_summary (msc_session_get_latest (session));
  bytes = msc_session_get_memory_size (session);
  g_test_message ("with the Timeline's totals: %" G_GSIZE_FORMAT " bytes", bytes);
  g_assert_cmpuint (bytes, <=, 2 * one_bytes + 1000 * 1024);
  for (guint i = 0; i < msc_session_get_n_snapshots (session); i += 99)
    {
      MscSnapshot *snapshot = msc_session_get_snapshot (session, i);
      MscSummaryRow total = *msc_snapshot_get_total (snapshot);

      g_assert_cmpmem (&total, sizeof total, &msc_snapshot_get_summary (snapshot)->total, sizeof total);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/storage/random", test_storage_random);
  g_test_add_func ("/storage/pinned", test_storage_pinned);
  g_test_add_func ("/storage/round-trip", test_storage_round_trip);
  g_test_add_func ("/storage/memory-bound", test_storage_memory_bound);
  return g_test_run ();
}
