/* memscope-capture.c — the capture tool: VMMap's command line with nothing
 * but a backend and the model's plain-C core, so it runs on a Windows
 * machine with no GTK runtime.
 *
 *   memscope-capture [-64] [-p <pid | name-prefix> [outputfile]]
 *   memscope-capture --version | --help
 *
 * The rules are memscope's (app/memscope.c), from the same core functions:
 * a name prefix takes the lowest matching PID; with an output file the
 * capture is written atomically (no extension → .mmp appended, .csv → CSV,
 * anything else → text); without one the summary table goes to stdout.
 * Either way the capture's notes (why a figure is n/a or estimated) go to
 * stderr.
 * Options are parsed by hand: GOptionContext is GLib, which this tool must
 * not need.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "model/core/msc-capture.h"
#include "model/core/msc-process-find.h"

typedef struct {
  const char *process;
  const char *output;
} MscCaptureOptions;

static void
msc_capture_usage (FILE *out)
{
  fputs ("usage: memscope-capture [-64] [-p <pid | name-prefix> [outputfile]]\n"
         "\n"
         "Analyse the virtual memory of a process. With an OUTPUTFILE the capture is\n"
         "written: no extension adds .mmp (native format), .csv writes CSV, any other\n"
         "extension writes text. Without one the summary table is printed. The\n"
         "capture's notes (why a figure is n/a or estimated) go to stderr.\n"
         "  -64        accepted for VMMap compatibility (the native engine is used)\n"
         "  -p         the process ID, or the start of the process name\n"
         "  --version  print the version and exit\n",
         out);
}

/* 0 on success, 1 after printing why the command line is wrong. */
static int
msc_capture_parse (int argc, char **argv, MscCaptureOptions *options)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "-64") == 0)
        continue;
      if (strcmp (argv[i], "-p") == 0 && i + 1 == argc)
        {
          fputs ("memscope-capture: -p needs a value: a process ID or the start of a process name\n", stderr);
          return 1;
        }
      if (strcmp (argv[i], "-p") == 0 && options->process == NULL)
        {
          options->process = argv[++i];
          if (i + 1 < argc && argv[i + 1][0] != '-')
            options->output = argv[++i];
          continue;
        }
      fprintf (stderr, "memscope-capture: unexpected argument \"%s\"\n", argv[i]);
      msc_capture_usage (stderr);
      return 1;
    }
  if (options->process == NULL)
    {
      msc_capture_usage (stderr);
      return 1;
    }
  return 0;
}

static MscStatusCode
msc_capture_resolve (const char *text, uint32_t *pid, MscStatus *status)
{
  MscProcessMatch *matches;
  size_t n;
  char *others;

  if (msc_process_find (text, &matches, &n, status) != MSC_OK)
    return status->code;
  *pid = matches[0].pid;
  if (n > 1)
    {
      others = msc_process_find_others (matches, n);
      fprintf (stderr, "memscope-capture: \"%s\" matches %u processes; using %u (%s). Others: %s\n",
               text, (unsigned) n, matches[0].pid, matches[0].name, others != NULL ? others : "");
      free (others);
    }
  free (matches);
  return MSC_OK;
}

static MscStatusCode
msc_capture_write_out (const MscCapture *capture, const char *requested, MscStatus *status)
{
  MscFileFormat format;
  char *path = msc_capture_output_path (requested, &format);
  MscStatusCode code;

  if (path == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  code = msc_capture_save (capture, path, format, status);
  free (path);
  return code;
}

static int
msc_capture_wants_mmp (const char *requested)
{
  MscFileFormat format = MSC_FILE_FORMAT_TXT;
  char *path = msc_capture_output_path (requested, &format);

  free (path);
  return format == MSC_FILE_FORMAT_MMP;
}

static MscStatusCode
msc_capture_print (const MscCapture *capture, MscStatus *status)
{
  const MscCaptureSnapshot *snapshot = &capture->snapshots[0];

  if (msc_txt_write_summary (stdout, &capture->process, snapshot, status) != MSC_OK)
    return status->code;
  if (fflush (stdout) != 0)
    return msc_status_set (status, MSC_ERR_IO, "could not write to standard output");
  return MSC_OK;
}

/* Why figures are n/a or estimated (Wine's QueryWorkingSetEx, Page Table):
 * on stderr, so the summary on stdout and the file stay the data alone. */
static void
msc_capture_print_notes (const char *notes)
{
  const char *line = notes;

  /* One note a line, each marked, as memscope prints them. */
  while (line != NULL && *line != '\0')
    {
      int len = (int) strcspn (line, "\n");

      if (len > 0)
        fprintf (stderr, "Note: %.*s\n", len, line);
      line += len + (line[len] == '\n');
    }
}

/* FILE.mmp: written as the scan emits it, with no table in between. */
static MscStatusCode
msc_capture_stream (uint32_t pid, const char *requested, MscStatus *status)
{
  MscScanInfo info = { 0 };
  char *path = msc_capture_output_path (requested, NULL);
  MscStatusCode code;

  code = path != NULL ? msc_capture_scan_save (pid, MSC_SCAN_DEFAULT, path, &info, status)
                      : msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  if (code == MSC_OK)
    msc_capture_print_notes (info.notes);
  free (path);
  msc_scan_info_clear (&info);
  return code;
}

/* CSV, text and the summary: from the whole table. */
static MscStatusCode
msc_capture_table (uint32_t pid, const char *requested, MscStatus *status)
{
  MscRegionTable *table = msc_region_table_new ();
  MscRegionSink sink = { msc_region_table_sink, NULL, table, NULL };
  MscScanInfo info = { 0 };
  MscCaptureSnapshot snapshot;
  MscCapture capture = { .snapshots = &snapshot, .n_snapshots = 1 };
  MscStatusCode code;

  if (table == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  code = msc_backend_scan (pid, MSC_SCAN_DEFAULT, &sink, &info, status);
  if (code == MSC_OK)
    {
      msc_capture_from_scan (pid, &info, table, &capture.process, &snapshot);
      code = requested != NULL ? msc_capture_write_out (&capture, requested, status)
                               : msc_capture_print (&capture, status);
      if (code == MSC_OK)
        msc_capture_print_notes (snapshot.notes);
    }
  msc_scan_info_clear (&info);
  msc_region_table_free (table);
  return code;
}

static MscStatusCode
msc_capture_run (const MscCaptureOptions *options, MscStatus *status)
{
  uint32_t pid = 0;

  if (msc_capture_resolve (options->process, &pid, status) != MSC_OK)
    return status->code;
  if (options->output != NULL && msc_capture_wants_mmp (options->output))
    return msc_capture_stream (pid, options->output, status);
  return msc_capture_table (pid, options->output, status);
}

int
main (int argc, char **argv)
{
  MscCaptureOptions options = { 0 };
  MscStatus status = { MSC_OK, "" };

  if (argc == 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "/?") == 0))
    {
      msc_capture_usage (stdout);
      return 0;
    }
  if (argc == 2 && strcmp (argv[1], "--version") == 0)
    {
      printf ("memscope-capture %s (%s backend)\n", PACKAGE_VERSION, MSC_BACKEND);
      return 0;
    }
  if (msc_capture_parse (argc, argv, &options) != 0)
    return 2;
  if (msc_capture_run (&options, &status) != MSC_OK)
    {
      fprintf (stderr, "memscope-capture: %s\n", status.message[0] != '\0' ? status.message : "the capture failed");
      return 1;
    }
  return 0;
}
