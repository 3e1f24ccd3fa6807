/* bench-diff.c — issue 5's goal for Show Changes, as a ratio against a
 * reference measured in the same run on the same data:
 *
 *   MscDiff of two 100,000-region snapshots      (goal <= 50 ms)
 *   ÷ one plain pass that copies and memcmp()s every record of both
 *     (the least any comparison of the two arrays must do)
 *   model bytes per region with two snapshots, and how much of that is
 *     details strings (each table has its own pool: is sharing worth it?)
 *
 * usage: bench-diff [N_REGIONS]   (default 100000)
 * Each figure is the best of several runs. Not a test: it prints, it does not judge.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "model/msc-diff.h"

#define RUNS 7

/* A process-like layout: allocations of 1..4 sub-blocks, details repeating
 * the way library paths and heap names do (few distinct strings). One
 * allocation in 100 differs in B: resized, gone, or new. */
static MscRegionTable *
make_table (gsize n, gboolean changed, gboolean with_details)
{
  MscRegionTable *table = msc_region_table_new ();
  guint64 address = 0x10000;
  gsize k = 0;
  char details[64];

  for (gsize i = 0; i < n; k++)
    {
      guint subs = 1 + (guint) (k % 4);
      gboolean touched = changed && k % 100 == 50;
      MscRegion top = {
        .address = address, .size = subs * 0x4000, .committed = subs * 0x1000,
        .private_bytes = subs * 0x1000, .total_ws = 0x1000, .private_ws = 0x1000,
        .blocks = subs, .protection = MSC_PAGE_READWRITE, .type = (guint8) (k % MSC_TYPE_PAGE_TABLE),
      };

      g_snprintf (details, sizeof details, "/usr/lib/x86_64-linux-gnu/lib%u.so.6", (guint) (k % 500));
      if (touched && k % 300 == 50)
        top.address += 0x1000;            /* moved: one removed, one new */
      else if (touched)
        top.committed += 0x1000;          /* grown */
      msc_region_table_append (table, &top, with_details ? details : NULL);
      for (guint s = 0; s < subs && i + 1 + s < n; s++)
        {
          MscRegion sub = top;

          sub.address = top.address + s * 0x4000;
          sub.size = 0x4000;
          sub.flags = MSC_REGION_SUBBLOCK;
          sub.blocks = 0;
          msc_region_table_append (table, &sub, with_details ? details : NULL);
        }
      i += 1 + subs;
      address += subs * 0x4000 + 0x10000;
    }
  return table;
}

static double
time_diff (MscSnapshot *a, MscSnapshot *b, guint *n_changes)
{
  double best = G_MAXDOUBLE;

  for (int r = 0; r < RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(MscDiff) diff = msc_diff_new (a, b);

      best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
      *n_changes = msc_diff_get_n_changes (diff);
    }
  return best;
}

/* The reference: copy every record of both tables out, and compare them
 * pairwise. */
static double
time_reference (const MscRegionTable *ta, const MscRegionTable *tb, gsize *n_differ)
{
  gsize n = MIN (msc_region_table_length (ta), msc_region_table_length (tb));
  MscRegion *copy = g_new (MscRegion, 2 * n);
  double best = G_MAXDOUBLE;

  for (int r = 0; r < RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      gsize differ = 0;

      for (gsize i = 0; i < n; i++)
        {
          copy[2 * i] = msc_region_table_row (ta, i);
          copy[2 * i + 1] = msc_region_table_row (tb, i);
          differ += memcmp (&copy[2 * i], &copy[2 * i + 1], sizeof (MscRegion)) != 0;
        }
      best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
      *n_differ = differ;
    }
  g_free (copy);
  return best;
}

static void
print_memory (gsize n)
{
  MscRegionTable *a = make_table (n, FALSE, TRUE), *b = make_table (n, TRUE, TRUE);
  MscRegionTable *bare = make_table (n, FALSE, FALSE);
  gsize length = msc_region_table_length (a) + msc_region_table_length (b);
  gsize bytes = msc_region_table_memory_size (a) + msc_region_table_memory_size (b);
  gsize strings = msc_region_table_memory_size (a) - msc_region_table_memory_size (bare);

  g_print ("two snapshots     %8.1f bytes/region; details strings %.2f bytes/region of that "
           "(pool + index per table)\n",
           (double) bytes / (double) length, (double) strings / (double) msc_region_table_length (a));
  msc_region_table_free (a);
  msc_region_table_free (b);
  msc_region_table_free (bare);
}

int
main (int argc, char **argv)
{
  gsize n = argc > 1 ? (gsize) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr(MscSnapshot) a = msc_snapshot_new (1, 0, make_table (n, FALSE, TRUE));
  g_autoptr(MscSnapshot) b = msc_snapshot_new (2, 0, make_table (n, TRUE, TRUE));
  guint n_changes = 0;
  gsize n_differ = 0;
  double t_diff, t_ref;

  /* Summaries are computed once per snapshot, by whoever asks first: not
   * the diff's work to time. */
  msc_snapshot_get_summary (a);
  msc_snapshot_get_summary (b);
  t_diff = time_diff (a, b, &n_changes);
  t_ref = time_reference (msc_snapshot_get_regions (a), msc_snapshot_get_regions (b), &n_differ);

  g_print ("snapshots: %zu and %zu regions; %u changes found\n",
           msc_region_table_length (msc_snapshot_get_regions (a)),
           msc_region_table_length (msc_snapshot_get_regions (b)), n_changes);
  g_print ("copy + memcmp     %8.2f ms   (%zu records differ in place)\n", t_ref * 1e3, n_differ);
  g_print ("diff              %8.2f ms   ratio to copy + memcmp %.2f (goal: diff <= 50 ms)\n",
           t_diff * 1e3, t_diff / t_ref);
  print_memory (n);
  return 0;
}
