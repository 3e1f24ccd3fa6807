/* test-linux-capture.c — a scan written as it is emitted (MscScanWriter,
 * what msc_capture_scan_save() runs) against the same scan, teed into a
 * region table, saved with msc_capture_save(): the same bytes. (One scan
 * for both: two scans of a live process differ in figures other processes
 * change, Pss and shared pages.) And a scan refused before its first
 * region leaves no file. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "model/core/msc-capture.h"
#include "tests/linux/msc-linux-test-util.h"

/* Every region to the table and to the writer. */
typedef struct {
  MscRegionTable *table;
  MscRegionSink   writer;
} Tee;

static int
tee_region (void *user, const MscRegion *region, const char *details)
{
  Tee *tee = user;

  return msc_region_table_sink (tee->table, region, details) || tee->writer.region (tee->writer.user, region, details);
}

static int
tee_begin (void *user, const MscScanInfo *info)
{
  Tee *tee = user;

  return tee->writer.begin (tee->writer.user, info);
}

static void
test_streamed_equals_table (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("msc-capture-XXXXXX", NULL);
  g_autofree char *table_path = g_build_filename (dir, "table.mmp", NULL);
  g_autofree char *stream_path = g_build_filename (dir, "stream.mmp", NULL);
  g_autofree char *a = NULL, *b = NULL;
  Tee tee = { msc_region_table_new (), { 0 } };
  MscRegionSink sink = { tee_region, NULL, &tee, tee_begin };
  MscScanWriter *writer = msc_scan_writer_new ((guint) target->pid, stream_path, &tee.writer);
  MscScanInfo info = { 0 };
  MscStatus status = { MSC_OK, "" };
  MscCaptureSnapshot snapshot;
  MscCapture capture = { .snapshots = &snapshot, .n_snapshots = 1 };
  MscStatusCode code;

  code = msc_backend_scan ((guint) target->pid, MSC_SCAN_DEFAULT, &sink, &info, &status);
  g_assert_cmpint (code, ==, MSC_OK);
  g_assert_cmpint (msc_scan_writer_finish (writer, code, &status), ==, MSC_OK);
  msc_capture_from_scan ((guint) target->pid, &info, tee.table, &capture.process, &snapshot);
  g_assert_cmpint (msc_capture_save (&capture, table_path, MSC_FILE_FORMAT_MMP, &status), ==, MSC_OK);
  g_assert_true (g_file_get_contents (table_path, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (stream_path, &b, NULL, NULL));
  g_assert_cmpuint (strlen (a), >, 10000);
  g_assert_cmpstr (a, ==, b);
  msc_scan_info_clear (&info);
  msc_region_table_free (tee.table);
  g_unlink (table_path);
  g_unlink (stream_path);
  g_rmdir (dir);
  test_target_stop (target);
}

static void
test_refused_leaves_no_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-capture-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.mmp", NULL);
  const char *const argv[] = { "/bin/true", NULL };
  GPid pid = test_child_spawn (argv);
  MscScanInfo info = { 0 };
  MscStatus status = { MSC_OK, "" };
  g_autoptr(GDir) listing = NULL;

  /* An exited (and reaped) child: its PID names no process. */
  test_child_stop (pid);
  g_assert_cmpint (msc_capture_scan_save ((guint) pid, MSC_SCAN_DEFAULT, path, &info, &status), !=, MSC_OK);
  g_assert_cmpint (status.code, ==, MSC_ERR_NO_PROCESS);
  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
  msc_scan_info_clear (&info);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linux/capture/streamed-equals-table", test_streamed_equals_table);
  g_test_add_func ("/linux/capture/refused-leaves-no-file", test_refused_leaves_no_file);
  return g_test_run ();
}
