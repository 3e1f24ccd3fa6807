/* bench-scan.c — the foundation's performance goals, as ratios against
 * references measured in the same run on the same target:
 *
 *   full scan ÷ one plain read of /proc/PID/smaps          (goal ≤ 1.0)
 *   full scan ÷ `pmap -X PID`                                (goal ≤ 0.25)
 *   .mmp save + load ÷ `xmllint --stream --noout` same file  (goal ≤ 1.5)
 *   model bytes per region                                   (goal ≤ 200)
 *
 * usage: bench-scan TARGET [N_VMAS [TOUCH_MIB]]   (defaults 65536, 2048)
 * Each figure is the best of several runs. Not a test: it prints, it does not judge.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model/core/msc-capture.h"
#include "model/core/msc-region-table.h"
#include "model/msc-loader.h"
#include "model/msc-session.h"
#include "tests/bench/bench-util.h"

static MscRegionTable *last_table;

static double
time_scan (gpointer data)
{
  MscRegionTable *table = msc_region_table_new ();
  MscRegionSink sink = { .region = msc_region_table_sink, .user = table };
  MscScanInfo info = { 0 };
  MscStatus status = { 0 };
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  if (msc_backend_scan (GPOINTER_TO_UINT (data), MSC_SCAN_DEFAULT, &sink, &info, &status) != MSC_OK)
    g_error ("scan failed: %s", status.message);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  msc_scan_info_clear (&info);
  g_clear_pointer (&last_table, msc_region_table_free);
  last_table = table;
  return elapsed;
}

static double
time_save_load (gpointer data)
{
  const char *path = data;
  MscCaptureSnapshot snapshot = { .timestamp = 1, .regions = last_table };
  MscCapture capture = { .process = { .pid = 1, .bits = 64, .name = "bench" },
                         .snapshots = &snapshot, .n_snapshots = 1 };
  MscStatus status = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;
  gint64 start = g_get_monotonic_time ();

  if (msc_capture_save (&capture, path, MSC_FILE_FORMAT_MMP, &status) != MSC_OK)
    g_error ("save failed: %s", status.message);
  session = msc_loader_load (path, NULL, &error);
  if (session == NULL)
    g_error ("load failed: %s", error->message);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Raises vm.max_map_count for the target when we may (root); returns the old value. */
static long
ensure_map_count (long needed)
{
  g_autofree char *text = NULL;
  long old;

  if (!g_file_get_contents ("/proc/sys/vm/max_map_count", &text, NULL, NULL))
    return -1;
  old = atol (text);
  if (old < needed)
    {
      g_autofree char *value = g_strdup_printf ("%ld\n", needed);

      if (!g_file_set_contents ("/proc/sys/vm/max_map_count", value, -1, NULL))
        return -old;  /* not allowed: caller lowers the count */
    }
  return old;
}

int
main (int argc, char **argv)
{
  long n_vmas = argc > 2 ? atol (argv[2]) : 65536;
  long touch_mib = argc > 3 ? atol (argv[3]) : 2048;
  long old_count;
  GPid pid;
  double t_smaps, t_scan, t_pmap, t_save_load, t_xmllint;
  g_autofree char *pid_text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *mmp = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: %s TARGET [N_VMAS [TOUCH_MIB]]\n", argv[0]);
      return 2;
    }
  old_count = ensure_map_count (n_vmas + 1000);
  if (old_count < 0)
    {
      n_vmas = -old_count - 1000;
      g_print ("note: vm.max_map_count is %ld and cannot be raised here; using %ld mappings\n",
               -old_count, n_vmas);
    }
  pid = bench_start_target (argv[1], n_vmas, touch_mib);
  pid_text = g_strdup_printf ("%d", pid);

  t_smaps = bench_best_of (bench_time_read_smaps, GUINT_TO_POINTER (pid));
  t_scan = bench_best_of (time_scan, GUINT_TO_POINTER (pid));
  {
    char *pmap_argv[] = { (char *) "pmap", (char *) "-X", pid_text, NULL };
    t_pmap = bench_best_of (bench_time_command, pmap_argv);
  }
  dir = g_dir_make_tmp ("msc-bench-XXXXXX", NULL);
  mmp = g_build_filename (dir, "bench.mmp", NULL);
  t_save_load = bench_best_of (time_save_load, mmp);
  {
    char *xmllint_argv[] = { (char *) "xmllint", (char *) "--stream", (char *) "--noout", mmp, NULL };
    t_xmllint = bench_best_of (bench_time_command, xmllint_argv);
  }

  {
    GStatBuf st;
    size_t n_regions = msc_region_table_length (last_table);

    g_stat (mmp, &st);
    g_print ("target: %ld mappings, %ld MiB touched; %zu regions; .mmp %.1f MB\n",
             n_vmas, touch_mib, n_regions, st.st_size / 1e6);
    g_print ("read smaps        %8.1f ms\n", t_smaps * 1e3);
    g_print ("full scan         %8.1f ms   ratio to smaps read %.2f (goal <= 1.0)\n",
             t_scan * 1e3, t_scan / t_smaps);
    g_print ("pmap -X           %8.1f ms   scan / pmap -X      %.3f (goal <= 0.25)\n",
             t_pmap * 1e3, t_scan / t_pmap);
    g_print ("save + load .mmp  %8.1f ms   ratio to xmllint    %.2f (goal <= 1.5)\n",
             t_save_load * 1e3, t_save_load / t_xmllint);
    g_print ("xmllint --stream  %8.1f ms\n", t_xmllint * 1e3);
    g_print ("model bytes/region %7.1f       (goal <= 200)\n",
             (double) msc_region_table_memory_size (last_table) / (double) n_regions);
  }

  kill (pid, SIGTERM);
  g_spawn_close_pid (pid);
  g_unlink (mmp);
  g_rmdir (dir);
  g_clear_pointer (&last_table, msc_region_table_free);
  if (old_count > 0 && old_count < n_vmas + 1000)
    {
      g_autofree char *value = g_strdup_printf ("%ld\n", old_count);
      g_file_set_contents ("/proc/sys/vm/max_map_count", value, -1, NULL);
    }
  return 0;
}
