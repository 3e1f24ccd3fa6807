/* test-diff-live.c — MscDiff on two live scans of the test target, which
 * maps and unmaps known ranges in between: the diff must name exactly
 * those (the reference is the target's own report of its addresses). */
#include "config.h"

#include <unistd.h>

#include "model/msc-diff.h"
#include "tests/linux/msc-linux-test-util.h"

static MscSnapshot *
scan (TestTarget *target)
{
  g_autoptr(GError) error = NULL;
  MscSnapshot *snapshot = msc_snapshot_new_from_scan ((guint) target->pid, 0, NULL, NULL, &error);

  g_assert_no_error (error);
  return snapshot;
}

/* Is region i of table one of the target's fences (the one-page PROT_NONE
 * mappings it puts on each side of an allocation) around alloc? */
static gboolean
is_fence_of (const MscRegion *r, const TestAlloc *alloc, guint64 page)
{
  return r->size == page && (r->address + page == alloc->addr || r->address == alloc->addr + alloc->size);
}

/* Every NEW (or REMOVED) top-level region that is not Free is alloc itself
 * or one of its fences; alloc itself is there with its exact size. */
static void
assert_only (MscDiff *diff, MscDiffStatus status, const TestAlloc *alloc, guint64 touched)
{
  MscSnapshot *snapshot = status == MSC_DIFF_NEW ? msc_diff_get_b (diff) : msc_diff_get_a (diff);
  const MscRegionTable *table = msc_snapshot_get_regions (snapshot);
  guint64 page = (guint64) sysconf (_SC_PAGESIZE);
  gboolean found = FALSE;

  for (guint i = 0; i < msc_diff_get_n_changes (diff); i++)
    {
      const MscDiffChange *c = msc_diff_get_change (diff, i);
      gsize index = status == MSC_DIFF_NEW ? c->index_b : c->index_a;
      MscRegion r;

      if (c->status != status || msc_region_table_parent (table, index) != MSC_NO_PARENT)
        continue;
      r = msc_region_table_row (table, index);
      if (r.type == MSC_TYPE_FREE)
        continue;
      g_test_message ("%s region at 0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT " bytes",
                      status == MSC_DIFF_NEW ? "new" : "removed", r.address, r.size);
      if (r.address == alloc->addr)
        {
          g_assert_cmpuint (r.size, ==, alloc->size);
          g_assert_cmpuint (r.type, ==, MSC_TYPE_PRIVATE_DATA);
          g_assert_cmpuint (r.private_ws, ==, touched);
          found = TRUE;
        }
      else
        g_assert_true (is_fence_of (&r, alloc, page));
    }
  g_assert_true (found);
}

static void
test_live (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autoptr(MscSnapshot) before = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *a3 = NULL;
  g_autoptr(MscSnapshot) after = NULL;
  g_autoptr(MscDiff) diff = NULL;
  TestAlloc old, fresh;

  g_free (test_target_command (target, "alloc old 2097152 1048576"));
  before = scan (target);

  /* New memory first, then the old freed, so the new mapping cannot take
   * the old one's place. */
  a2 = test_target_command (target, "alloc fresh 3145728 524288");
  a3 = test_target_command (target, "free old");
  after = scan (target);
  old = *test_target_alloc (target, "old");
  fresh = *test_target_alloc (target, "fresh");
  test_target_stop (target);

  diff = msc_diff_new (before, after);
  g_assert_false (msc_diff_is_empty (diff));
  assert_only (diff, MSC_DIFF_NEW, &fresh, 524288);
  assert_only (diff, MSC_DIFF_REMOVED, &old, 1048576);
  /* Private Data grew by the difference of the two sizes, at least (glibc
   * and stdio may have moved too, but never by whole megabytes). */
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_PRIVATE_DATA)->size, >=, 3145728 - 2097152);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_PRIVATE_DATA)->size, <, 3145728 - 2097152 + 1048576);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff/live", test_live);

  return g_test_run ();
}
