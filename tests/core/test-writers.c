/* test-writers.c — .mmp, CSV and text output against hand-written files in
 * tests/data/core/ (each says at its top how its numbers were derived from
 * core-fixture.c), plus determinism, write failures and text encoding. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/core/msc-output.h"
#include "tests/core/core-fixture.h"

typedef void (*FixtureFn) (CoreFixture *fixture);

typedef struct {
  const char *expected;  /* file in tests/data/core/ */
  FixtureFn   fixture;
  CoreWriteFn writer;
  gboolean    crlf;      /* CSV and text files end lines with "\r\n" */
} WriterCase;

static const WriterCase writer_cases[] = {
  { "fixture.mmp", core_fixture_main, core_write_mmp, FALSE },
  { "fixture.csv", core_fixture_main, core_write_csv, TRUE },
  { "fixture.txt", core_fixture_main, core_write_txt, TRUE },
  { "fixture-summary.txt", core_fixture_main, core_write_summary, FALSE },
  { "wow.mmp", core_fixture_wow, core_write_mmp, FALSE },
  { "wow.csv", core_fixture_wow, core_write_csv, TRUE },
  { "wow.txt", core_fixture_wow, core_write_txt, TRUE },
};

static void
test_expected_file (gconstpointer data)
{
  const WriterCase *c = data;
  CoreFixture f;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *expected = core_expected (c->expected);
  g_autofree char *actual = NULL;
  gsize len;
  const char *text;

  c->fixture (&f);
  bytes = core_write_to_bytes (c->writer, &f);
  text = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (strlen (text), ==, len);
  if (c->crlf)
    actual = core_crlf_to_lf (text, len);
  else
    {
      g_assert_null (memchr (text, '\r', len));
      actual = g_strdup (text);
    }
  g_assert_true (g_utf8_validate (actual, -1, NULL));
  g_assert_cmpstr (actual, ==, expected);
  core_fixture_clear (&f);
}

/* The same capture twice, and a copy built separately: byte-identical. */
static void
test_deterministic (void)
{
  CoreFixture a, b;

  core_fixture_main (&a);
  core_fixture_main (&b);
  for (size_t i = 0; i < G_N_ELEMENTS (writer_cases); i++)
    {
      g_autoptr(GBytes) first = core_write_to_bytes (writer_cases[i].writer, &a);
      g_autoptr(GBytes) second = core_write_to_bytes (writer_cases[i].writer, &a);
      g_autoptr(GBytes) other = core_write_to_bytes (writer_cases[i].writer, &b);

      g_assert_true (g_bytes_equal (first, second));
      g_assert_true (g_bytes_equal (first, other));
    }
  core_fixture_clear (&a);
  core_fixture_clear (&b);
}

/* A full disk: every writer reports MSC_ERR_IO with the reason, small
 * documents included (they fail only when flushed). */
static void
test_disk_full (void)
{
  CoreWriteFn writers[] = { core_write_mmp, core_write_csv, core_write_txt, core_write_summary };
  CoreFixture f;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full here");
      return;
    }
  core_fixture_main (&f);
  for (size_t i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      MscStatus status = { 0 };
      FILE *full = fopen ("/dev/full", "wb");

      g_assert_nonnull (full);
      g_assert_cmpint (writers[i] (full, &f, &status), ==, MSC_ERR_IO);
      g_assert_cmpint (status.code, ==, MSC_ERR_IO);
      g_assert_nonnull (strstr (status.message, "write failed"));
      g_assert_nonnull (strstr (status.message, g_strerror (ENOSPC)));
      fclose (full);
    }
  core_fixture_clear (&f);

  /* A large capture fails during the writing, not only at the end. */
  {
    MscRegionTable *table = core_make_large_table (20000);
    MscCaptureSnapshot snapshot = { .timestamp = 1, .regions = table };
    MscCapture capture = { { .pid = 1, .bits = 64, .name = "big" }, &snapshot, 1 };
    MscStatus status = { 0 };
    FILE *full = fopen ("/dev/full", "wb");

    g_assert_cmpint (msc_mmp_write (full, &capture, &status), ==, MSC_ERR_IO);
    g_assert_nonnull (strstr (status.message, g_strerror (ENOSPC)));
    fclose (full);
    msc_region_table_free (table);
  }
}

/* A write that fails on the second thread while the next buffer is being
 * filled: that buffer is dropped, not overrun, and the failure is reported.
 * A stream open for reading fails every write, on every host. */
static void
test_relay_failure (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char chunk[1000];
  MscOutput out;
  MscStatus status = { 0 };
  FILE *file;
  int fd = g_file_open_tmp ("msc-relay-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_assert_true (g_close (fd, NULL));
  file = g_fopen (path, "rb");
  g_assert_nonnull (file);
  memset (chunk, 'x', sizeof chunk);
  g_assert_cmpint (msc_output_init (&out, file, &status), ==, MSC_OK);
  /* Chunks that do not divide the buffer: the one that finds the failure
   * is larger than the room left. */
  for (int i = 0; i < 2000; i++)
    msc_output_write (&out, chunk, sizeof chunk);
  g_assert_cmpint (msc_output_finish (&out, &status), ==, MSC_ERR_IO);
  g_assert_nonnull (strstr (status.message, "write failed"));
  fclose (file);
  g_unlink (path);
}

/* One region whose details hold every kind of troublesome byte. */
static char *
write_details (CoreWriteFn writer, const char *details)
{
  CoreFixture f = { 0 };
  MscRegion region = { .address = 0x1000, .size = 0x1000, .type = MSC_TYPE_MAPPED_FILE, .blocks = 1 };
  g_autoptr(GBytes) bytes = NULL;

  f.process = (MscCaptureProcess) { .pid = 1, .bits = 64, .name = details };
  f.tables[0] = msc_region_table_new ();
  g_assert_cmpint (msc_region_table_append (f.tables[0], &region, details), ==, 0);
  f.snapshots[0] = (MscCaptureSnapshot) { .regions = f.tables[0], .notes = details };
  f.capture = (MscCapture) { f.process, f.snapshots, 1 };
  bytes = core_write_to_bytes (writer, &f);
  core_fixture_clear (&f);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

#define FFFD "\xEF\xBF\xBD"

static void
test_xml_escaping (void)
{
  /* Markup, quotes, tab/LF/CR, a control character XML forbids, valid
   * 2/3/4-byte UTF-8, and invalid UTF-8: a stray continuation byte, an
   * overlong "/", a UTF-16 surrogate, a truncated sequence before an ASCII
   * byte and at the very end, U+FFFF, and bytes that never occur. */
  const char *input = "a&b<c>d\"e'f\tg\nh\ri\x01j"
                      "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
                      "|\x80|\xC0\xAF|\xED\xA0\x80|\xE2\x82z|\xEF\xBF\xBF|\xF5\xFE|\xF0\x9F\x98";
  const char *expected = "a&amp;b&lt;c&gt;d&quot;e'f&#9;g&#10;h&#13;i" FFFD "j"
                         "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
                         "|" FFFD "|" FFFD FFFD "|" FFFD FFFD FFFD "|" FFFD "z|" FFFD "|" FFFD FFFD
                         "|" FFFD;
  g_autofree char *xml = write_details (core_write_mmp, input);
  g_autofree char *details = g_strdup_printf (" Details=\"%s\"", expected);
  g_autofree char *name = g_strdup_printf (" Name=\"%s\"", expected);
  g_autofree char *notes = g_strdup_printf (" Notes=\"%s\"", expected);
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_utf8_validate (xml, -1, NULL));
  g_assert_nonnull (strstr (xml, details));
  g_assert_nonnull (strstr (xml, name));
  g_assert_nonnull (strstr (xml, notes));
  /* Still one element per line. */
  lines = g_strsplit (xml, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7 + 1);
}

static void
test_text_escaping (void)
{
  /* Controls, a C1 control (U+0085, a line break to some viewers), the line
   * separator U+2028, a right-to-left override U+202E, invalid UTF-8, and a
   * backslash (kept: Windows paths). */
  const char *input = "say \"hi\",\tto\r\nall \xFF\x7F\x1B end \xC2\x85\xE2\x80\xA8\xE2\x80\xAE C:\\x";
  const char *shown = "\\tto\\r\\nall " FFFD "\\x7F\\x1B end \\u0085\\u2028\\u202E C:\\x";
  g_autofree char *csv = write_details (core_write_csv, input);
  g_autofree char *txt = write_details (core_write_txt, input);
  g_autofree char *csv_row = g_strdup_printf (",\"say \"\"hi\"\",%s\"\r\n", shown);
  g_autofree char *csv_name = g_strdup_printf ("\"Process:\",\"say \"\"hi\"\",%s\"\r\n", shown);
  g_autofree char *txt_row = g_strdup_printf ("  say \"hi\",%s\r\n", shown);
  g_autofree char *txt_name = g_strdup_printf ("Process: say \"hi\",%s\r\n", shown);

  /* CSV doubles quotes (RFC 4180); control characters would split the row:
   * both show them escaped, as --text and the GUI do (issue 15, defect 5). */
  g_assert_nonnull (strstr (csv, csv_row));
  g_assert_nonnull (strstr (csv, csv_name));
  g_assert_nonnull (strstr (txt, txt_row));
  g_assert_nonnull (strstr (txt, txt_name));
}

/* Text longer than the writers' 256 KiB buffer, escaped throughout. */
static void
test_long_details (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) xml_text = g_string_new (" Details=\"");
  g_autoptr(GString) csv_text = g_string_new (",\"");
  g_autofree char *xml = NULL;
  g_autofree char *csv = NULL;

  for (int i = 0; i < 200000; i++)
    {
      g_string_append (input, "a&\"\xC3\xA9");
      g_string_append (xml_text, "a&amp;&quot;\xC3\xA9");
      g_string_append (csv_text, "a&\"\"\xC3\xA9");
    }
  g_string_append (xml_text, "\" TotalWS=");
  g_string_append (csv_text, "\"\r\n");
  xml = write_details (core_write_mmp, input->str);
  csv = write_details (core_write_csv, input->str);
  g_assert_nonnull (strstr (xml, xml_text->str));
  g_assert_nonnull (strstr (csv, csv_text->str));
  g_assert_true (g_str_has_suffix (xml, "</Snapshot>\n</MemoryMap>\n"));
}

/* 130,000 regions (the benchmark's size): twice the same bytes, and the
 * speed is reported. */
static void
test_large (void)
{
  MscRegionTable *table = core_make_large_table (130000);
  MscCaptureSnapshot snapshot = { .timestamp = 134088372000000000ull, .page_table_size = 1 << 20,
                                  .regions = table };
  CoreFixture f = { .process = { .pid = 1, .bits = 64, .name = "large" } };
  CoreWriteFn writers[] = { core_write_mmp, core_write_csv, core_write_txt };
  const char *names[] = { ".mmp", "CSV", "text" };

  f.capture = (MscCapture) { f.process, &snapshot, 1 };
  f.snapshots[0] = snapshot;
  for (size_t i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) first = core_write_to_bytes (writers[i], &f);
      double seconds = (g_get_monotonic_time () - start) / 1e6;
      g_autoptr(GBytes) second = core_write_to_bytes (writers[i], &f);

      g_assert_true (g_bytes_equal (first, second));
      g_test_message ("%s: %zu regions, %.1f MB in %.1f ms: %.0f regions/s, %.0f MB/s", names[i],
                      msc_region_table_length (table), g_bytes_get_size (first) / 1e6, seconds * 1e3,
                      msc_region_table_length (table) / seconds, g_bytes_get_size (first) / 1e6 / seconds);
    }
  msc_region_table_free (table);
}

/* A capture of many buffers (the later ones written by a second thread while
 * the next is formatted): every region once, in order, and the document
 * whole. Buffers dropped, repeated or swapped would break the sequence. */
static void
test_relay_order (void)
{
  MscRegionTable *table = core_make_large_table (12000);
  MscCaptureSnapshot snapshot = { .timestamp = 1, .regions = table };
  CoreFixture f = { .process = { .pid = 1, .bits = 64, .name = "relay" } };
  static const char prefix[] = "<Region Address=\"";
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  size_t row = 0, n = msc_region_table_length (table);

  f.capture = (MscCapture) { f.process, &snapshot, 1 };
  bytes = core_write_to_bytes (core_write_mmp, &f);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 2 << 20);  /* 8 buffers and more */
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_true (g_str_has_suffix (text, "</Snapshot>\n</MemoryMap>\n"));
  /* Line by line by hand: strstr over the rest of 3 MB per line is
   * quadratic under ASan, whose strstr measures the whole haystack. */
  for (const char *line = text, *eol; *line != '\0'; line = *eol != '\0' ? eol + 1 : eol)
    {
      const char *p = line;
      MscRegion expected;

      for (eol = line; *eol != '\n' && *eol != '\0'; eol++)
        ;
      while (*p == ' ')
        p++;
      if (strncmp (p, prefix, sizeof prefix - 1) != 0)
        continue;
      g_assert_cmpuint (row, <, n);
      expected = msc_region_table_row (table, row++);
      /* Every row is written: no page tables, no free sub-blocks here. */
      g_assert_cmpint (expected.type, !=, MSC_TYPE_PAGE_TABLE);
      g_assert_cmpuint (g_ascii_strtoull (p + sizeof prefix - 1, NULL, 10), ==, expected.address);
    }
  g_assert_cmpuint (row, ==, n);
  msc_region_table_free (table);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (writer_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/writers/expected/%s", writer_cases[i].expected);

      g_test_add_data_func (path, &writer_cases[i], test_expected_file);
    }
  g_test_add_func ("/writers/deterministic", test_deterministic);
  g_test_add_func ("/writers/disk-full", test_disk_full);
  g_test_add_func ("/writers/xml-escaping", test_xml_escaping);
  g_test_add_func ("/writers/text-escaping", test_text_escaping);
  g_test_add_func ("/writers/long-details", test_long_details);
  g_test_add_func ("/writers/large", test_large);
  g_test_add_func ("/writers/relay-order", test_relay_order);
  g_test_add_func ("/writers/relay-failure", test_relay_failure);
  return g_test_run ();
}
