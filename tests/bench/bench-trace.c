/* bench-trace.c — the tracer's cost against heaptrack's, same run, same
 * machine, same workload (bench-trace-work: 2 M malloc + free pairs at a
 * stack depth of about 12 and about 60):
 *
 *   slowdown = wall time traced ÷ wall time untraced, for heaptrack and for
 *   memscope --trace; goal: ours ≤ ½ of heaptrack's at both depths
 *   ns per event (extra wall time ÷ events), events per second
 *   bytes per event on disk: our .mmp, and gzip of it; heaptrack's output
 *   peak RSS of the largest process of each run (wait4: the target, the
 *   tool and its helpers are not told apart)
 *   time to open our capture (msc_loader_load)
 *   CPU seconds (user + system, the run's process and all it waited for:
 *   the target, memscope, heaptrack's interpreter and compressor) and the
 *   same ratio on them: on a shared machine the wall times move with the
 *   other load by half or more from run to run, the CPU times much less,
 *   and with every core busy the wall time follows the CPU time
 *
 * usage: bench-trace MEMSCOPE WORKLOAD [PAIRS]   Best of 3 runs each.
 * Not a test: it prints, it does not judge.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/msc-loader.h"
#include "model/msc-session.h"

#define RUNS 3

typedef struct {
  double seconds;
  double cpu_seconds;
  double peak_mib;
} Measure;

/* Runs argv with stdout and stderr to /dev/null; best wall time and best
 * CPU time of RUNS. */
static Measure
measure (const char *const *argv)
{
  Measure best = { 1e30, 1e30, 0 };

  for (int run = 0; run < RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();
      struct rusage usage;
      int status;
      pid_t pid;

      /* The child must not inherit (and print again) what is buffered here. */
      fflush (stdout);
      pid = fork ();

      if (pid == 0)
        {
          freopen ("/dev/null", "w", stdout);
          freopen ("/dev/null", "w", stderr);
          execvp (argv[0], (char *const *) argv);
          _exit (127);
        }
      if (pid < 0 || wait4 (pid, &status, 0, &usage) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
        g_error ("%s failed", argv[0]);
      best.seconds = MIN (best.seconds, (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
      best.cpu_seconds = MIN (best.cpu_seconds, usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
                              + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
      best.peak_mib = MAX (best.peak_mib, usage.ru_maxrss / 1024.0);
    }
  return best;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

/* heaptrack names its file itself (-o NAME gives NAME.zst or NAME.gz). */
static char *
heaptrack_output (const char *dir, const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static gsize
gzip_size (const char *path)
{
  g_autofree char *data = NULL;
  gsize length, total = 0;
  g_autoptr(GZlibCompressor) gz = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  char buf[65536];
  const char *in;
  gsize left, read, written;
  GConverterResult r;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return 0;
  in = data;
  left = length;
  do
    {
      r = g_converter_convert (G_CONVERTER (gz), in, left, buf, sizeof buf, G_CONVERTER_INPUT_AT_END,
                               &read, &written, NULL);
      in += read;
      left -= read;
      total += written;
    }
  while (r != G_CONVERTER_FINISHED && r != G_CONVERTER_ERROR);
  return total;
}

static void
bench_depth (const char *memscope, const char *work, const char *pairs, int depth, const char *dir)
{
  g_autofree char *depth_text = g_strdup_printf ("%d", depth);
  g_autofree char *ht_prefix = g_strdup_printf ("ht-%d", depth);
  g_autofree char *ht_base = g_build_filename (dir, ht_prefix, NULL);
  g_autofree char *ms_path = g_strdup_printf ("%s/ms-%d.mmp", dir, depth);
  const char *plain[] = { work, depth_text, pairs, NULL };
  const char *ht[] = { "heaptrack", "-o", ht_base, work, depth_text, pairs, NULL };
  const char *ms[] = { memscope, "--trace", "--interval", "1", "-o", ms_path, "--", work, depth_text, pairs, NULL };
  Measure m0 = measure (plain), mh = measure (ht), mm = measure (ms);
  g_autofree char *ht_file = heaptrack_output (dir, ht_prefix);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(MscSession) session = msc_loader_load (ms_path, NULL, &error);
  double open_s = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  double events, slow_h = mh.seconds / m0.seconds, slow_m = mm.seconds / m0.seconds;

  if (session == NULL || msc_session_get_trace (session) == NULL)
    g_error ("cannot open %s: %s", ms_path, error != NULL ? error->message : "no trace");
  events = msc_trace_get_n_events (msc_session_get_trace (session));
  printf ("depth %d, %s pairs, %.0f events recorded\n", depth, pairs, events);
  printf ("  untraced   %8.3f s                      peak RSS %7.1f MiB\n", m0.seconds, m0.peak_mib);
  printf ("  heaptrack  %8.3f s  slowdown %6.1fx  %6.0f ns/event  %5.2f M events/s  output %9" G_GOFFSET_FORMAT
          " B = %.4f B/event  largest process %7.1f MiB\n",
          mh.seconds, slow_h, (mh.seconds - m0.seconds) * 1e9 / events, events / mh.seconds / 1e6,
          file_size (ht_file), file_size (ht_file) / events, mh.peak_mib);
  printf ("  memscope   %8.3f s  slowdown %6.1fx  %6.0f ns/event  %5.2f M events/s  .mmp %11" G_GOFFSET_FORMAT
          " B = %.2f B/event (gzip %.2f)  largest process %7.1f MiB  open %.3f s\n",
          mm.seconds, slow_m, (mm.seconds - m0.seconds) * 1e9 / events, events / mm.seconds / 1e6,
          file_size (ms_path), file_size (ms_path) / events, gzip_size (ms_path) / events, mm.peak_mib, open_s);
  printf ("  memscope slowdown / heaptrack slowdown = %.2f  (goal <= 0.50)\n", slow_m / slow_h);
  /* Same untraced time on both sides of the ratio: it cancels. */
  printf ("  CPU s: untraced %.3f  heaptrack %.3f  memscope %.3f; CPU slowdown ratio = %.2f\n\n",
          m0.cpu_seconds, mh.cpu_seconds, mm.cpu_seconds, mm.cpu_seconds / mh.cpu_seconds);
  g_unlink (ms_path);
  if (ht_file != NULL)
    g_unlink (ht_file);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-trace MEMSCOPE WORKLOAD [PAIRS]\n");
      return 2;
    }
  if (g_find_program_in_path ("heaptrack") == NULL)
    {
      fprintf (stderr, "bench-trace: heaptrack is not installed (apt install heaptrack)\n");
      return 1;
    }
  dir = g_dir_make_tmp ("bench-trace-XXXXXX", NULL);
  for (int depth = 12; depth <= 60; depth += 48)
    bench_depth (argv[1], argv[2], argc > 3 ? argv[3] : "2000000", depth, dir);
  g_rmdir (dir);
  return 0;
}
