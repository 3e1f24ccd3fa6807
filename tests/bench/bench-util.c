/* bench-util.c — see bench-util.h. */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "tests/bench/bench-util.h"

double
bench_best_of (BenchFn fn, gpointer data)
{
  double best = G_MAXDOUBLE;

  for (int i = 0; i < BENCH_RUNS; i++)
    best = MIN (best, fn (data));
  return best;
}

double
bench_time_read_smaps (gpointer data)
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

double
bench_time_command (gpointer data)
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

GPid
bench_start_target (const char *target, long n_vmas, long touch_mib)
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
