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

#define RUNS 5

typedef double (*MscBenchFn) (gpointer data);

static double
best_of (MscBenchFn fn, gpointer data)
{
  double best = G_MAXDOUBLE;

  for (int i = 0; i < RUNS; i++)
    best = MIN (best, fn (data));
  return best;
}

static double
time_read_smaps (gpointer data)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/smaps", GPOINTER_TO_UINT (data));
  static char buf[1 << 20];
  gint64 start = g_get_monotonic_time ();
  int fd = open (path, O_RDONLY);

  if (fd < 0)
    g_error ("open %s failed", path);
  while (read (fd, buf, sizeof buf) > 0)
    ;
  close (fd);
  return (g_get_monotonic_time () - start) / 1e6;
}

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
time_command (gpointer data)
{
  char **argv = data;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &wait_status, &error)
      || !g_spawn_check_wait_status (wait_status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
  return (g_get_monotonic_time () - start) / 1e6;
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

static GPid
start_target (const char *target, long n_vmas, long touch_mib)
{
  g_autofree char *n = g_strdup_printf ("%ld", n_vmas);
  g_autofree char *touch = g_strdup_printf ("%ld", touch_mib << 20);
  const char *argv[] = { target, "--bench-vmas", n, "--bench-touch", touch, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  GPid pid;
  int out_fd;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, NULL, &out_fd, NULL, &error))
    g_error ("cannot start %s: %s", target, error->message);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  for (;;)
    {
      g_autofree char *line = NULL;

      if (g_io_channel_read_line (out, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
        g_error ("target exited before it was ready");
      if (g_str_has_prefix (line, "ready"))
        break;
    }
  return pid;
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
  pid = start_target (argv[1], n_vmas, touch_mib);
  pid_text = g_strdup_printf ("%d", pid);

  t_smaps = best_of (time_read_smaps, GUINT_TO_POINTER (pid));
  t_scan = best_of (time_scan, GUINT_TO_POINTER (pid));
  {
    char *pmap_argv[] = { (char *) "pmap", (char *) "-X", pid_text, NULL };
    t_pmap = best_of (time_command, pmap_argv);
  }
  dir = g_dir_make_tmp ("msc-bench-XXXXXX", NULL);
  mmp = g_build_filename (dir, "bench.mmp", NULL);
  t_save_load = best_of (time_save_load, mmp);
  {
    char *xmllint_argv[] = { (char *) "xmllint", (char *) "--stream", (char *) "--noout", mmp, NULL };
    t_xmllint = best_of (time_command, xmllint_argv);
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
