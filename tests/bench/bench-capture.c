/* bench-capture.c — issue 15's capture-writing goals, end to end, as ratios
 * against references measured in the same run on the same target (60,000
 * mappings and 1 GiB touched by default):
 *
 *   memscope -p PID out.mmp  ÷ one plain read of /proc/PID/smaps   (goal ≤ 1.0)
 *     as a new file (the earlier run's removed untimed), and over an old one
 *     (reported: replacing also frees the old file's blocks, which on a file
 *     system mounted with "discard" waits for the disk)
 *   memscope -p PID out.csv / out.txt ÷ the same                   (reported)
 *   memscope-capture -p PID out.mmp ÷ the same (no GLib, no GTK)   (reported)
 *   memscope -o out.mmp ÷ `xmllint --stream --noout out.mmp`       (goal ≤ 1.0)
 *
 * Every figure is a whole program run (start-up, scan or parse, write), the
 * best of BENCH_RUNS rounds that run every figure once, wall-clock. It also checks that memscope and memscope-capture
 * write the same bytes for one scan's worth of work (a held-still target).
 *
 * usage: bench-capture MEMSCOPE MEMSCOPE_CAPTURE TARGET [N_VMAS [TOUCH_MIB]]
 * Not a test: it prints, it does not judge.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tests/bench/bench-util.h"

/* Time of `program -p PID path`; fresh: path removed first (not timed). */
static double
time_capture (const char *program,
              const char *pid,
              const char *path,
              gboolean    fresh)
{
  char *argv[] = { (char *) program, (char *) "-p", (char *) pid, (char *) path, NULL };

  if (fresh)
    g_unlink (path);
  return bench_time_command (argv);
}

/* The two programs' .mmp files, their Timestamp lines aside (each took its
 * own scan). */
static gboolean
same_capture (const char *a,
              const char *b)
{
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;
  g_autoptr(GRegex) stamp = g_regex_new ("Timestamp=\"[0-9]+\"", 0, 0, NULL);
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;

  if (!g_file_get_contents (a, &ta, NULL, NULL) || !g_file_get_contents (b, &tb, NULL, NULL))
    return FALSE;
  ca = g_regex_replace_literal (stamp, ta, -1, 0, "Timestamp=\"\"", 0, NULL);
  cb = g_regex_replace_literal (stamp, tb, -1, 0, "Timestamp=\"\"", 0, NULL);
  return g_strcmp0 (ca, cb) == 0;
}

int
main (int argc, char **argv)
{
  long n_vmas = argc > 4 ? atol (argv[4]) : 60000;
  long touch_mib = argc > 5 ? atol (argv[5]) : 1024;
  g_autofree char *dir = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *mmp = NULL, *csv = NULL, *txt = NULL, *tool_mmp = NULL;
  double t_smaps, t_mmp, t_mmp_replace, t_csv, t_txt, t_tool, t_load, t_xmllint, worst_round = 0;
  GStatBuf st;
  GPid pid;

  if (argc < 4)
    {
      g_printerr ("usage: %s MEMSCOPE MEMSCOPE_CAPTURE TARGET [N_VMAS [TOUCH_MIB]]\n", argv[0]);
      return 2;
    }
  pid = bench_start_target (argv[3], n_vmas, touch_mib);
  pid_text = g_strdup_printf ("%d", pid);
  dir = g_dir_make_tmp ("msc-bench-XXXXXX", NULL);
  mmp = g_build_filename (dir, "out.mmp", NULL);
  csv = g_build_filename (dir, "out.csv", NULL);
  txt = g_build_filename (dir, "out.txt", NULL);
  tool_mmp = g_build_filename (dir, "tool.mmp", NULL);

  /* Round by round, every figure once, so that a slower spell of a shared
   * host weighs on the reference and the programs alike; each figure is
   * then the best of its rounds. */
  t_smaps = t_mmp = t_mmp_replace = t_csv = t_txt = t_tool = t_load = t_xmllint = G_MAXDOUBLE;
  for (int round = 0; round < BENCH_RUNS; round++)
    {
      char *load_argv[] = { argv[1], (char *) "-o", mmp, NULL };
      char *xmllint_argv[] = { (char *) "xmllint", (char *) "--stream", (char *) "--noout", mmp, NULL };
      double smaps = bench_time_read_smaps (GUINT_TO_POINTER (pid));
      double new_mmp = time_capture (argv[1], pid_text, mmp, TRUE);

      t_smaps = MIN (t_smaps, smaps);
      t_mmp = MIN (t_mmp, new_mmp);
      worst_round = MAX (worst_round, new_mmp / smaps);
      t_mmp_replace = MIN (t_mmp_replace, time_capture (argv[1], pid_text, mmp, FALSE));
      t_csv = MIN (t_csv, time_capture (argv[1], pid_text, csv, TRUE));
      t_txt = MIN (t_txt, time_capture (argv[1], pid_text, txt, TRUE));
      t_tool = MIN (t_tool, time_capture (argv[2], pid_text, tool_mmp, TRUE));
      t_load = MIN (t_load, bench_time_command (load_argv));
      t_xmllint = MIN (t_xmllint, bench_time_command (xmllint_argv));
    }

  g_stat (mmp, &st);
  g_print ("target: %ld mappings, %ld MiB touched; .mmp %.1f MB; best of %d interleaved rounds\n",
           n_vmas, touch_mib, st.st_size / 1e6, BENCH_RUNS);
  g_print ("read smaps                 %8.1f ms\n", t_smaps * 1e3);
  g_print ("memscope -p PID out.mmp    %8.1f ms   ratio to smaps read %.2f (goal <= 1.0; worst round %.2f)\n",
           t_mmp * 1e3, t_mmp / t_smaps, worst_round);
  g_print ("  the same over an old one   %8.1f ms   ratio to smaps read %.2f\n", t_mmp_replace * 1e3,
           t_mmp_replace / t_smaps);
  g_print ("memscope -p PID out.csv    %8.1f ms   ratio to smaps read %.2f\n", t_csv * 1e3, t_csv / t_smaps);
  g_print ("memscope -p PID out.txt    %8.1f ms   ratio to smaps read %.2f\n", t_txt * 1e3, t_txt / t_smaps);
  g_print ("memscope-capture out.mmp   %8.1f ms   ratio to smaps read %.2f\n", t_tool * 1e3, t_tool / t_smaps);
  g_print ("memscope -o out.mmp        %8.1f ms   ratio to xmllint    %.2f (goal <= 1.0)\n",
           t_load * 1e3, t_load / t_xmllint);
  g_print ("xmllint --stream --noout   %8.1f ms\n", t_xmllint * 1e3);
  g_print ("memscope and memscope-capture write the same .mmp: %s\n",
           same_capture (mmp, tool_mmp) ? "yes" : "NO");

  kill (pid, SIGTERM);
  g_spawn_close_pid (pid);
  for (const char *const *p = (const char *const[]) { mmp, csv, txt, tool_mmp, NULL }; *p != NULL; p++)
    g_unlink (*p);
  g_rmdir (dir);
  return 0;
}
