/* fuzz-mmp-reader.c — libFuzzer harness for the .mmp reader.
 *
 * Any input must either fail with an MSC_MMP_ERROR and a message, or give a
 * session whose tables keep the reader's promises (sub-blocks inside their
 * allocation, allocations in address order) and that round-trips: write it,
 * read that back, write again, and the two writes are the same bytes. That
 * holds for the CSV and text exports too: whatever we accept, we can write
 * in every format and read back (issue 15, defect 4).
 */
#include "config.h"

#include <stdint.h>

#include "model/msc-loader.h"
#include "model/msc-mmp-reader.h"
#include "tests/model/model-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_table (const MscRegionTable *table)
{
  uint64_t last_top = 0;
  size_t n = msc_region_table_length (table);

  for (size_t i = 0; i < n; i++)
    {
      const MscRegion *region = msc_region_table_get (table, i);
      size_t parent = msc_region_table_parent (table, i);

      g_assert_cmpint (region->type, <, MSC_N_TYPES);
      if (region->flags & MSC_REGION_SUBBLOCK)
        {
          const MscRegion *top;

          g_assert_cmpuint (parent, <, i);
          top = msc_region_table_get (table, parent);
          g_assert_cmpuint (region->address, >=, top->address);
          g_assert_cmpuint (region->size, <=, top->size);
          g_assert_cmpuint (region->address - top->address, <=, top->size - region->size);
          g_assert_cmpuint (region->blocks, ==, 0);
        }
      else
        {
          g_assert_cmpuint (parent, ==, MSC_NO_PARENT);
          g_assert_cmpuint (region->address, >=, last_top);
          last_top = region->address;
        }
    }
}

static void
check_round_trip (MscSession    *session,
                  MscFileFormat  format)
{
  g_autoptr(GBytes) first = model_write (session, format);
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) again = NULL;
  g_autoptr(GBytes) second = NULL;
  gsize length;
  const char *text = g_bytes_get_data (first, &length);

  again = msc_loader_load_memory_as (text, length, format, &error);
  if (again == NULL)
    {
      /* Only possible loss: every region was a Page Table one, which the
       * writer leaves to PageTableSize. */
      if (format != MSC_FILE_FORMAT_MMP || !g_error_matches (error, MSC_MMP_ERROR, MSC_MMP_ERROR_NO_SNAPSHOT))
        g_error ("written as format %d, it does not read back: %s\n%.*s", format, error->message,
                 (int) MIN (length, 4096), text);
      return;
    }
  second = model_write (again, format);
  g_assert_true (g_bytes_equal (first, second));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_loader_load_memory_as ((const char *) data, size, MSC_FILE_FORMAT_MMP, &error);

  if (session == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == MSC_MMP_ERROR);
      g_assert_cmpstr (error->message, !=, "");
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (msc_session_get_n_snapshots (session), >, 0);
  for (guint i = 0; i < msc_session_get_n_snapshots (session); i++)
    {
      MscSnapshot *snapshot = msc_session_get_snapshot (session, i);

      check_table (msc_snapshot_get_regions (snapshot));
      (void) msc_snapshot_get_summary (snapshot);
      if (i > 0)
        g_assert_cmpuint (msc_snapshot_get_timestamp (msc_session_get_snapshot (session, i - 1)), <=,
                          msc_snapshot_get_timestamp (snapshot));
    }
  check_round_trip (session, MSC_FILE_FORMAT_MMP);
  check_round_trip (session, MSC_FILE_FORMAT_CSV);
  check_round_trip (session, MSC_FILE_FORMAT_TXT);
  return 0;
}
