/* test-linux-capture.c — a scan written as it is emitted
 * (msc_capture_scan_save) against the same scan saved from a region table
 * (msc_capture_save), on the test target held still with SIGSTOP: the same
 * bytes but the Timestamp. And a scan refused before its first region
 * leaves no file. */
#include <signal.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "model/core/msc-capture.h"
#include "tests/linux/msc-linux-test-util.h"

/* The file without its Timestamp attribute (each scan takes its own). */
static char *
read_without_timestamp (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GRegex) stamp = g_regex_new ("Timestamp=\"[0-9]+\"", 0, 0, NULL);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return g_regex_replace_literal (stamp, text, -1, 0, "", 0, NULL);
}

static void
save_from_table (guint pid, const char *path)
{
  MscRegionTable *table = msc_region_table_new ();
  MscRegionSink sink = { msc_region_table_sink, NULL, table, NULL };
  MscScanInfo info = { 0 };
  MscStatus status = { MSC_OK, "" };
  MscCaptureSnapshot snapshot;
  MscCapture capture = { .snapshots = &snapshot, .n_snapshots = 1 };

  g_assert_cmpint (msc_backend_scan (pid, MSC_SCAN_DEFAULT, &sink, &info, &status), ==, MSC_OK);
  msc_capture_from_scan (pid, &info, table, &capture.process, &snapshot);
  g_assert_cmpint (msc_capture_save (&capture, path, MSC_FILE_FORMAT_MMP, &status), ==, MSC_OK);
  msc_scan_info_clear (&info);
  msc_region_table_free (table);
}

static void
test_streamed_equals_table (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("msc-capture-XXXXXX", NULL);
  g_autofree char *table_path = g_build_filename (dir, "table.mmp", NULL);
  g_autofree char *stream_path = g_build_filename (dir, "stream.mmp", NULL);
  g_autofree char *a = NULL, *b = NULL;
  MscScanInfo info = { 0 };
  MscStatus status = { MSC_OK, "" };

  g_assert_cmpint (kill (target->pid, SIGSTOP), ==, 0);
  save_from_table ((guint) target->pid, table_path);
  g_assert_cmpint (msc_capture_scan_save ((guint) target->pid, MSC_SCAN_DEFAULT, stream_path, &info, &status),
                   ==, MSC_OK);
  kill (target->pid, SIGCONT);
  g_assert_cmpuint (info.pid, ==, (guint) target->pid);
  a = read_without_timestamp (table_path);
  b = read_without_timestamp (stream_path);
  /* A held-still target: the two scans see the same regions. */
  g_assert_cmpuint (strlen (a), >, 10000);
  g_assert_cmpstr (a, ==, b);
  msc_scan_info_clear (&info);
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
