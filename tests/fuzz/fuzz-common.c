/* fuzz-common.c — the checks the reader harnesses share. */
#include "config.h"

#include "model/msc-import.h"
#include "model/msc-loader.h"
#include "model/msc-mmp-reader.h"
#include "tests/fuzz/fuzz-common.h"
#include "tests/model/model-test-util.h"

#include <signal.h>
#include <stdlib.h>

#ifdef SIGTRAP
/* g_error() and failed g_assert()s stop with SIGTRAP, which libFuzzer does
 * not catch: it would end without saving the input. Turned into SIGABRT,
 * the input is kept as a crash artifact (as a 30-minute run needs). */
static void
fuzz_trap_to_abort (int sig)
{
  (void) sig;
  abort ();
}

__attribute__ ((constructor)) static void
fuzz_catch_traps (void)
{
  signal (SIGTRAP, fuzz_trap_to_abort);
}
#endif

static void
fuzz_check_table (const MscRegionTable *table)
{
  uint64_t last_top = 0;
  size_t n = msc_region_table_length (table);

  for (size_t i = 0; i < n; i++)
    {
      MscRegion region = msc_region_table_row (table, i);
      size_t parent = msc_region_table_parent (table, i);

      g_assert_cmpint (region.type, <, MSC_N_TYPES);
      if (region.flags & MSC_REGION_SUBBLOCK)
        {
          MscRegion top;

          g_assert_cmpuint (parent, <, i);
          top = msc_region_table_row (table, parent);
          g_assert_cmpuint (region.address, >=, top.address);
          g_assert_cmpuint (region.size, <=, top.size);
          g_assert_cmpuint (region.address - top.address, <=, top.size - region.size);
          g_assert_cmpuint (region.blocks, ==, 0);
        }
      else
        {
          g_assert_cmpuint (parent, ==, MSC_NO_PARENT);
          g_assert_cmpuint (region.address, >=, last_top);
          last_top = region.address;
        }
    }
}

static void
fuzz_check_round_trip (MscSession    *session,
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
       * .mmp writer leaves to PageTableSize. */
      if (format != MSC_FILE_FORMAT_MMP || !g_error_matches (error, MSC_MMP_ERROR, MSC_MMP_ERROR_NO_SNAPSHOT))
        g_error ("written as format %d, it does not read back: %s\n%.*s", format, error->message,
                 (int) MIN (length, 4096), text);
      return;
    }
  second = model_write (again, format);
  g_assert_true (g_bytes_equal (first, second));
}

void
fuzz_check_session (MscSession *session)
{
  g_assert_cmpuint (msc_session_get_n_snapshots (session), >, 0);
  for (guint i = 0; i < msc_session_get_n_snapshots (session); i++)
    {
      MscSnapshot *snapshot = msc_session_get_snapshot (session, i);

      fuzz_check_table (msc_snapshot_get_regions (snapshot));
      (void) msc_snapshot_get_summary (snapshot);
      if (i > 0)
        g_assert_cmpuint (msc_snapshot_get_timestamp (msc_session_get_snapshot (session, i - 1)), <=,
                          msc_snapshot_get_timestamp (snapshot));
    }
  fuzz_check_round_trip (session, MSC_FILE_FORMAT_MMP);
  fuzz_check_round_trip (session, MSC_FILE_FORMAT_CSV);
  fuzz_check_round_trip (session, MSC_FILE_FORMAT_TXT);
}

void
fuzz_read_as (const uint8_t *data,
              size_t         size,
              MscFileFormat  format,
              GQuark         domain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_loader_load_memory_as ((const char *) data, size, format, &error);

  if (session == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == domain);
      g_assert_cmpstr (error->message, !=, "");
      return;
    }
  g_assert_no_error (error);
  fuzz_check_session (session);
}
