/* fuzz-text-writers.c — libFuzzer harness for the writers, with the input
 * as every string a capture carries (process name, Details, notes, the
 * labels of --diff). Whatever the bytes:
 * - --text, --diff, the CSV and the text export have exactly the lines they
 *   have for a plain string, valid UTF-8, and nothing in them but their own
 *   tabs that msc_text_escape() would still escape (no forged or reordered
 *   line: issue 15, defect 5);
 * - the capture round-trips through every format (fuzz-common.h). */
#include "config.h"

#include <string.h>

#include "model/msc-diff-format.h"
#include "tests/fuzz/fuzz-common.h"
#include "tests/model/model-test-util.h"

static MscSession *
fuzz_session (const char *text)
{
  g_autoptr(MscProcess) process = msc_process_new (7, text, 64);
  MscRegionTable *table = msc_region_table_new ();
  const MscRegion top = {
    .address = 0x10000, .size = 0x2000, .committed = 0x1000, .blocks = 1,
    .protection = MSC_PAGE_READWRITE, .storage = MSC_MEM_PRIVATE, .type = MSC_TYPE_PRIVATE_DATA,
  };
  MscRegion sub = top;
  /* Notes are a list, one per line ("Note:" lines in the exports): a line
   * end in them separates two notes, each written on its own prefixed
   * line, and an empty one is none, so the line count is compared for
   * exactly one note. */
  g_autofree char *note = g_strdelimit (g_strconcat ("note: ", text, NULL), "\n", ' ');
  MscSnapshot *snapshot;
  MscSession *session;

  sub.flags = MSC_REGION_SUBBLOCK;
  sub.blocks = 0;
  g_assert_cmpint (msc_region_table_append (table, &top, text), ==, 0);
  g_assert_cmpint (msc_region_table_append (table, &sub, text), ==, 0);
  snapshot = msc_snapshot_new (133500000000000000, 0x1000, table);
  msc_snapshot_set_notes (snapshot, note);
  session = msc_session_new (process);
  msc_session_add_snapshot (session, snapshot);
  g_object_unref (snapshot);
  return session;
}

/* The lines of out, checked clean; line ends are "\n" or "\r\n". */
static guint
fuzz_clean_lines (const char *out,
                  gsize       length)
{
  guint lines = 0;

  g_assert_true (g_utf8_validate (out, (gssize) length, NULL));
  for (const char *p = out; p < out + length;)
    {
      char escape[MSC_ESCAPE_LEN];
      size_t n;

      if (p[0] == '\n' || (p[0] == '\r' && p[1] == '\n'))
        {
          lines++;
          p += p[0] == '\r' ? 2 : 1;
          continue;
        }
      /* --diff's header separates label and time by a tab (diff -u's way);
       * a tab breaks no line. */
      if (p[0] == '\t')
        {
          p++;
          continue;
        }
      if (msc_text_escape (p, &n, escape) > 0)
        g_error ("unescaped character at offset %" G_GSIZE_FORMAT ": %.40s", (gsize) (p - out), p);
      p += n;
    }
  return lines;
}

/* Every text view of a session made of text. */
static void
fuzz_views (const char *text,
            guint       lines[4])
{
  g_autoptr(MscSession) session = fuzz_session (text);
  g_autoptr(MscSnapshot) empty = msc_snapshot_new (0, 0, NULL);
  g_autoptr(MscDiff) diff = msc_diff_new (empty, msc_session_get_latest (session));
  g_autoptr(GString) view = g_string_new (NULL);
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GBytes) csv = model_write (session, MSC_FILE_FORMAT_CSV);
  g_autoptr(GBytes) txt = model_write (session, MSC_FILE_FORMAT_TXT);

  msc_session_format (session, view);
  msc_diff_format (diff, text, text, 64, changes);
  lines[0] = fuzz_clean_lines (view->str, view->len);
  lines[1] = fuzz_clean_lines (changes->str, changes->len);
  lines[2] = fuzz_clean_lines (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  lines[3] = fuzz_clean_lines (g_bytes_get_data (txt, NULL), g_bytes_get_size (txt));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(MscSession) session = fuzz_session (text);
  guint want[4], got[4];

  fuzz_views ("plain", want);
  fuzz_views (text, got);
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpuint (got[i], ==, want[i]);
  fuzz_check_session (session);
  return 0;
}
