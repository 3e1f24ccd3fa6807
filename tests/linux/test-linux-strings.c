/* test-linux-strings.c — the Strings view's reading of a live process.
 *
 * References: the test target's own report of where it put known strings
 * (in a heap block, across page and read-piece boundaries, and in a file
 * page it dropped from its page tables), the kernel's smaps_rollup Rss
 * before and after (the scan must not fault anything in), and GNU strings
 * (binutils) over a dump of exactly the bytes the backend handed over.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "model/msc-strings-scan.h"
#include "tests/linux/msc-linux-test-util.h"

typedef struct {
  guint64 address;
  guint8 encoding;
  char *text;
} Found;

static void
found_clear (gpointer data)
{
  g_free (((Found *) data)->text);
}

static void
collect (MscStringsBatch *batch, gpointer user_data)
{
  GArray *found = user_data;
  const MscStringHit *hits = msc_strings_batch_get_hits (batch);

  for (guint i = 0; i < msc_strings_batch_get_length (batch); i++)
    {
      Found f = { hits[i].address, hits[i].encoding, g_strdup (hits[i].text) };

      g_array_append_val (found, f);
    }
}

/* Strings of [address, address + size) through the model's scan. */
static GArray *
scan_strings (guint pid, guint64 address, guint64 size, MscReadStats *stats)
{
  g_autoptr(MscStringsScan) scan = msc_strings_scan_new (pid, address, size, 3);
  g_autoptr(GError) error = NULL;
  GArray *found = g_array_new (FALSE, TRUE, sizeof (Found));

  g_array_set_clear_func (found, found_clear);
  g_assert_true (msc_strings_scan_run (scan, collect, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (msc_strings_scan_get_n_found (scan), ==, found->len);
  *stats = *msc_strings_scan_get_stats (scan);
  for (guint i = 1; i < found->len; i++)
    g_assert_cmpuint (g_array_index (found, Found, i - 1).address, <, g_array_index (found, Found, i).address);
  return found;
}

static const Found *
find_at (GArray *found, guint64 address)
{
  for (guint i = 0; i < found->len; i++)
    if (g_array_index (found, Found, i).address == address)
      return &g_array_index (found, Found, i);
  return NULL;
}

static void
assert_found (GArray *found, const TestAlloc *where, guint8 encoding, const char *text)
{
  const Found *f = find_at (found, where->addr);

  if (f == NULL)
    g_error ("no string at 0x%" G_GINT64_MODIFIER "x (expected “%s”)", where->addr, text);
  g_assert_cmpuint (f->encoding, ==, encoding);
  g_assert_cmpstr (f->text, ==, text);
}

static guint64
rss (guint pid)
{
  g_autoptr(GHashTable) rollup = test_read_kv (pid, "smaps_rollup");

  return test_kv (rollup, "Rss");
}

static TestTarget *
start_with_strings (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autofree char *command = g_strdup_printf ("strings %s", target->dir);
  g_autofree char *answer = test_target_command (target, command);

  g_assert_null (strstr (answer, "error"));
  return target;
}

static void
stop_with_strings (TestTarget *target)
{
  g_autofree char *file = g_build_filename (target->dir, "strings.bin", NULL);

  g_unlink (file);
  test_target_stop (target);
}

static void
test_known_strings (void)
{
  TestTarget *target = start_with_strings ();
  guint pid = (guint) target->pid;
  const TestAlloc *across = test_target_alloc (target, "strings-across");
  const TestAlloc *file = test_target_alloc (target, "strings-file");
  const TestAlloc *heap = test_target_alloc (target, "str-heap-ascii");
  g_autoptr(TestScan) layout = test_scan_run (pid, MSC_SCAN_DEFAULT);
  const MscRegion *heap_region = &test_scan_get (layout, test_scan_top_index (layout, heap->addr))->region;
  guint64 rss_before = rss (pid);
  MscReadStats stats;
  g_autoptr(GArray) in_heap = scan_strings (pid, heap_region->address, heap_region->size, &stats);
  g_autoptr(GArray) in_across = NULL;
  g_autoptr(GArray) in_file = NULL;

  assert_found (in_heap, heap, MSC_STRING_ASCII, "MSC-ASCII-HEAP-STRING");
  assert_found (in_heap, test_target_alloc (target, "str-heap-utf16"), MSC_STRING_UTF16LE, "MSC-UTF16-HEAP-STRING");

  in_across = scan_strings (pid, across->addr, across->size, &stats);
  assert_found (in_across, test_target_alloc (target, "str-across-ascii"), MSC_STRING_ASCII, "MSC-ASCII-ACROSS-PAGES");
  assert_found (in_across, test_target_alloc (target, "str-across-utf16"), MSC_STRING_UTF16LE,
                "MSC-UTF16-ACROSS-PAGES");
  g_assert_cmpuint (in_across->len, ==, 2);
  g_assert_cmpuint (stats.bytes_read, ==, across->size);
  g_assert_cmpuint (stats.pages_not_resident, ==, 0);

  /* The third page is in the page cache but not mapped: skipped, counted. */
  in_file = scan_strings (pid, file->addr, file->size, &stats);
  assert_found (in_file, test_target_alloc (target, "str-file-visible"), MSC_STRING_ASCII, "MSC-ASCII-FILE-VISIBLE");
  g_assert_null (find_at (in_file, test_target_alloc (target, "str-file-hidden")->addr));
  g_assert_cmpuint (in_file->len, ==, 1);
  g_assert_cmpuint (stats.pages_not_resident, ==, 1);
  g_assert_cmpuint (stats.bytes_read, ==, file->size - stats.page_size);

  g_assert_cmpuint (rss (pid), ==, rss_before);
  stop_with_strings (target);
}

/* ---- against GNU strings ---- */

typedef struct {
  FILE *file;
  MscStrings *strings;
  guint64 end;
} Dump;

static int
dump_data (void *user, uint64_t address, const void *bytes, size_t size)
{
  Dump *dump = user;

  /* Two 0x01 bytes end a string of either encoding, as a gap does, and
   * GNU strings resumes right after them. */
  if (address != dump->end)
    g_assert_cmpuint (fwrite ("\001\001", 1, 2, dump->file), ==, 2);
  g_assert_cmpuint (fwrite (bytes, 1, size, dump->file), ==, size);
  msc_strings_feed (dump->strings, address, bytes, size);
  dump->end = address + size;
  return 0;
}

static guint64
gnu_count (const char *path, const char *encoding)
{
  const char *argv[] = { "strings", "-a", "-n", "3", "-e", encoding, path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  guint64 lines = 0;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error))
    g_error ("cannot run GNU strings (install binutils): %s", error->message);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  for (const char *p = out; (p = strchr (p, '\n')) != NULL; p++)
    lines++;
  return lines;
}

/* Every readable region of the target, as the Strings view would read it. */
static void
dump_regions (guint pid, Dump *dump)
{
  g_autoptr(TestScan) layout = test_scan_run (pid, MSC_SCAN_DEFAULT);

  for (guint i = 0; i < layout->regions->len; i++)
    {
      const MscRegion *r = &test_scan_get (layout, i)->region;
      MscMemorySink sink = { dump_data, NULL, dump };
      MscReadStats stats;
      MscStatus status;

      if ((r->flags & MSC_REGION_SUBBLOCK) || r->type == MSC_TYPE_FREE || r->type == MSC_TYPE_PAGE_TABLE
          || r->type == MSC_TYPE_UNUSABLE)
        continue;
      g_assert_cmpint (msc_backend_read_resident (pid, r->address, r->size, &sink, &stats, &status), ==, MSC_OK);
    }
}

static void
test_counts_match_gnu (void)
{
  TestTarget *target = start_with_strings ();
  g_autofree char *path = g_build_filename (target->dir, "resident.dump", NULL);
  g_autoptr(MscStrings) strings = msc_strings_new (3, NULL, NULL);
  Dump dump = { fopen (path, "wb"), strings, G_MAXUINT64 };
  guint64 rss_before = rss ((guint) target->pid), ascii, utf16;

  g_assert_nonnull (dump.file);
  dump_regions ((guint) target->pid, &dump);
  msc_strings_finish (strings);
  g_assert_cmpint (fclose (dump.file), ==, 0);
  g_assert_cmpuint (rss ((guint) target->pid), ==, rss_before);

  ascii = msc_strings_get_n_encoded (strings, MSC_STRING_ASCII);
  utf16 = msc_strings_get_n_encoded (strings, MSC_STRING_UTF16LE);
  g_test_message ("ascii %" G_GUINT64_FORMAT ", utf-16le %" G_GUINT64_FORMAT, ascii, utf16);
  g_assert_cmpuint (ascii, >, 1000);
  g_assert_cmpuint (utf16, >, 0);
  g_assert_cmpuint (ascii, ==, gnu_count (path, "s"));
  g_assert_cmpuint (utf16, ==, gnu_count (path, "l"));
  g_unlink (path);
  stop_with_strings (target);
}

/* ---- failures ---- */

static int
stop_at_once (void *user, uint64_t address, const void *bytes, size_t size)
{
  return 1;
}

static void
test_cancel_and_gone (void)
{
  TestTarget *target = test_target_start (NULL);
  guint pid = (guint) target->pid;
  const TestAlloc chunk_copy = *test_target_alloc (target, "chunk-8m"), *chunk = &chunk_copy;
  MscMemorySink sink = { stop_at_once, NULL, NULL };
  TestAlloc gone;
  MscReadStats stats;
  MscStatus status;

  g_free (test_target_command (target, "alloc gone 65536 65536"));
  gone = *test_target_alloc (target, "gone");

  g_assert_cmpint (msc_backend_read_resident (pid, chunk->addr, chunk->size, &sink, &stats, &status), ==,
                   MSC_ERR_CANCELLED);
  g_free (test_target_command (target, "free gone"));
  g_assert_cmpint (msc_backend_read_resident (pid, gone.addr, gone.size, &sink, &stats, &status), ==,
                   MSC_ERR_INVALID);
  g_assert_nonnull (strstr (status.message, "freed"));
  g_assert_cmpuint (stats.pages_unmapped, ==, gone.size / stats.page_size);
  test_target_stop (target);
  g_assert_cmpint (msc_backend_read_resident (pid, chunk->addr, chunk->size, &sink, &stats, &status), ==,
                   MSC_ERR_NO_PROCESS);
}

/* ---- the async API a GUI uses ---- */

typedef struct {
  GMainLoop *loop;
  guint64 n_hits;
  gboolean ok;
  GError *error;
} AsyncRun;

static void
on_batch (MscStringsScan *scan, MscStringsBatch *batch, gpointer user_data)
{
  AsyncRun *run = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  run->n_hits += msc_strings_batch_get_length (batch);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncRun *run = user_data;

  run->ok = msc_strings_scan_run_finish (MSC_STRINGS_SCAN (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
test_async (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autoptr(TestScan) layout = test_scan_run ((guint) target->pid, MSC_SCAN_DEFAULT);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const MscRegion *image = NULL;
  g_autoptr(MscStringsScan) scan = NULL;
  AsyncRun run = { loop, 0, FALSE, NULL };

  for (guint i = 0; i < layout->regions->len && image == NULL; i++)
    if (strstr (test_scan_get (layout, i)->details, "libc.so") != NULL)
      image = &test_scan_get (layout, i)->region;
  g_assert_nonnull (image);
  scan = msc_strings_scan_new ((guint) target->pid, image->address, image->size, 4);
  g_signal_connect (scan, "batch", G_CALLBACK (on_batch), &run);
  msc_strings_scan_run_async (scan, NULL, on_done, &run);
  g_main_loop_run (loop);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (run.n_hits, >, 1000);
  g_assert_cmpuint (run.n_hits, ==, msc_strings_scan_get_n_found (scan));
  g_assert_cmpfloat (msc_strings_scan_get_fraction (scan), ==, 1.0);
  test_target_stop (target);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linux/strings/known", test_known_strings);
  g_test_add_func ("/linux/strings/counts-match-gnu", test_counts_match_gnu);
  g_test_add_func ("/linux/strings/cancel-and-gone", test_cancel_and_gone);
  g_test_add_func ("/linux/strings/async", test_async);
  return g_test_run ();
}
