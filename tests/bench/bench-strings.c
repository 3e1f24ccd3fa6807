/* bench-strings.c — the Strings view's goals, against GNU strings measured in
 * the same run on the same bytes:
 *
 *   our throughput ÷ GNU strings' throughput                 (goal ≥ 1.0)
 *     ours: backend read of the target's resident pages + the extractor,
 *     both encodings in one pass; GNU: `strings -a -n 3` plus
 *     `strings -a -n 3 -el` (it needs one run per encoding) over a dump
 *     of the same bytes, warm in the page cache, output to /dev/null
 *   pages faulted in the target during our scan              (goal 0)
 *
 * usage: bench-strings [MIB]   (default 1024)
 * The target is a child holding MIB of resident data in 4 KiB pages: per
 * page a quarter zeros, a quarter random bytes, a quarter ASCII text and a
 * quarter UTF-16LE text.  Not a test: it prints, it does not judge.
 */
#include "config.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/backend.h"
#include "model/msc-strings.h"

#define RUNS 3
#define PAGE 4096

static void
fill_text (guint8 *p, gsize n, guint32 *seed, guint stride)
{
  static const char *const words[] = { "memory", "region", "Heap", "the", "0x7f3a", "VMMap", "a", "Stack",
                                       "libc.so.6", "GLIBC_2.34", "error: %s", "\t", "Private Data" };

  for (gsize i = 0; i + stride <= n;)
    {
      const char *word = words[((*seed = *seed * 1103515245 + 12345) >> 16) % G_N_ELEMENTS (words)];

      for (gsize k = 0; word[k] != '\0' && i + stride <= n; k++, i += stride)
        p[i] = (guint8) word[k];
      if (i + stride <= n)
        {
          p[i] = (*seed & 0x300) ? ' ' : 0;  /* some strings end, most go on */
          i += stride;
        }
    }
}

static void
fill (guint8 *data, gsize size)
{
  guint32 seed = 42;

  for (gsize at = 0; at < size; at += PAGE)
    {
      guint8 *page = data + at;

      memset (page, 0, PAGE);
      for (gsize i = PAGE / 4; i < PAGE / 2; i++)
        page[i] = (guint8) ((seed = seed * 1664525 + 1013904223) >> 24);
      fill_text (page + PAGE / 2, PAGE / 4, &seed, 1);
      fill_text (page + 3 * PAGE / 4, PAGE / 4, &seed, 2);
    }
}

/* The child: fills, reports the address, waits to be killed. */
static pid_t
start_target (gsize size, guint64 *address)
{
  int fds[2];
  pid_t pid;

  if (pipe (fds) != 0)
    g_error ("pipe failed");
  pid = fork ();
  if (pid == 0)
    {
      guint8 *data = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      guint64 at = (guint64) (uintptr_t) data;

      if (data == MAP_FAILED)
        _exit (1);
      madvise (data, size, MADV_NOHUGEPAGE);
      fill (data, size);
      if (write (fds[1], &at, sizeof at) != sizeof at)
        _exit (1);
      for (;;)
        pause ();
    }
  close (fds[1]);
  if (pid < 0 || read (fds[0], address, sizeof *address) != sizeof *address)
    g_error ("the target did not start");
  close (fds[0]);
  return pid;
}

/* minflt + majflt of pid (stat fields 10 and 12). */
static guint64
faults (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  fields = g_strsplit (strrchr (text, ')') + 2, " ", -1);
  return g_ascii_strtoull (fields[7], NULL, 10) + g_ascii_strtoull (fields[9], NULL, 10);
}

typedef struct {
  MscStrings *strings;
  guint64 hits[2];
  FILE *dump;
} Scan;

/* The GUI's path: every batch is handed over (and looked at). */
static void
take_batch (MscStringsBatch *batch, gpointer user_data)
{
  g_assert (msc_strings_batch_get_hits (batch)[0].text != NULL);
}

static int
scan_data (void *user, uint64_t address, const void *bytes, size_t size)
{
  Scan *scan = user;

  if (scan->dump != NULL && fwrite (bytes, 1, size, scan->dump) != size)
    g_error ("cannot write the dump");
  else if (scan->dump == NULL)
    msc_strings_feed (scan->strings, address, bytes, size);
  return 0;
}

/* One pass of ours (dump == NULL) or the dump for GNU; seconds. */
static double
run_ours (pid_t pid, guint64 address, gsize size, Scan *scan)
{
  MscMemorySink sink = { scan_data, NULL, scan };
  MscReadStats stats;
  MscStatus status;
  gint64 start = g_get_monotonic_time ();

  scan->strings = msc_strings_new (3, take_batch, NULL);
  if (msc_backend_read_resident ((guint32) pid, address, size, &sink, &stats, &status) != MSC_OK)
    g_error ("reading the target failed: %s", status.message);
  msc_strings_finish (scan->strings);
  scan->hits[MSC_STRING_ASCII] = msc_strings_get_n_encoded (scan->strings, MSC_STRING_ASCII);
  scan->hits[MSC_STRING_UTF16LE] = msc_strings_get_n_encoded (scan->strings, MSC_STRING_UTF16LE);
  msc_strings_free (scan->strings);
  if (stats.bytes_read != size)
    g_error ("read %" G_GUINT64_FORMAT " of %zu bytes", stats.bytes_read, size);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* GNU strings over the dump: seconds with its output to /dev/null, or with
 * lines != NULL the number of strings (untimed). */
static double
run_gnu (const char *dump, const char *encoding, guint64 *lines)
{
  g_autofree char *command = g_strdup_printf ("sh -c \"strings -a -n 3 -e %s '%s' %s\"", encoding, dump,
                                              lines != NULL ? "| wc -l" : "> /dev/null");
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!g_spawn_command_line_sync (command, &out, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    g_error ("cannot run GNU strings (install binutils)");
  if (lines != NULL)
    *lines = g_ascii_strtoull (out, NULL, 10);
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  gsize size = (gsize) (argc > 1 ? atol (argv[1]) : 1024) << 20;
  g_autofree char *dump = g_build_filename (g_get_tmp_dir (), "msc-bench-strings.dump", NULL);
  double ours = G_MAXDOUBLE, gnu_ascii = G_MAXDOUBLE, gnu_utf16 = G_MAXDOUBLE;
  guint64 address, faults_before, gnu_lines[2] = { 0, 0 };
  Scan scan = { 0 };
  pid_t pid = start_target (size, &address);

  scan.dump = g_fopen (dump, "wb");
  run_ours (pid, address, size, &scan);
  if (scan.dump == NULL || fclose (scan.dump) != 0)
    g_error ("cannot write %s", dump);
  scan.dump = NULL;
  faults_before = faults (pid);
  for (int i = 0; i < RUNS; i++)
    ours = MIN (ours, run_ours (pid, address, size, &scan));
  g_print ("target faults during %d scans: %" G_GUINT64_FORMAT " (goal 0)\n", RUNS, faults (pid) - faults_before);
  for (int i = 0; i < RUNS; i++)
    {
      gnu_ascii = MIN (gnu_ascii, run_gnu (dump, "s", NULL));
      gnu_utf16 = MIN (gnu_utf16, run_gnu (dump, "l", NULL));
    }
  run_gnu (dump, "s", &gnu_lines[0]);
  run_gnu (dump, "l", &gnu_lines[1]);
  g_print ("strings found: ours %" G_GUINT64_FORMAT " ascii + %" G_GUINT64_FORMAT " utf-16le; GNU %" G_GUINT64_FORMAT
           " + %" G_GUINT64_FORMAT "\n", scan.hits[0], scan.hits[1], gnu_lines[0], gnu_lines[1]);
  g_print ("%zu MiB: ours %.3f s (%.0f MB/s, both encodings); GNU strings %.3f s ascii + %.3f s -el\n",
           size >> 20, ours, size / ours / 1e6, gnu_ascii, gnu_utf16);
  g_print ("throughput ratio ours/GNU (both encodings): %.2f (goal >= 1.0); vs GNU ascii alone: %.2f\n",
           (gnu_ascii + gnu_utf16) / ours, gnu_ascii / ours);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_unlink (dump);
  return 0;
}
