/* msc-cli.c — the memscope command line: VMMap's CLI.
 *
 *   memscope [-64] [-p <pid | name-prefix> [outputfile]] [-o inputfile [outputfile]] [--summary]
 *
 * With an output file it writes the capture and exits (no extension → .mmp
 * appended, .csv → CSV, anything else → text), as VMMap does; --summary
 * prints the summary table instead.  Without either, app/memscope.c opens the
 * window on the process or file, and only where no display can be opened
 * does the summary come here.
 */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "model/core/msc-capture.h"
#include "model/msc-backend-error.h"
#include "model/msc-loader.h"
#include "model/msc-process-lookup.h"
#include "model/msc-session.h"
#include "app/msc-cli.h"
#include "app/msc-cli-diff.h"
#include "app/msc-cli-memory.h"
#include "app/msc-cli-trace.h"

void
msc_cli_options_clear (MscCliOptions *options)
{
  g_free (options->process);
  g_free (options->input);
  g_strfreev (options->rest);
}

/* GOption has no multi-character short options; VMMap spells its flag "-64". */
static void
msc_cli_rewrite_64 (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "-64") == 0)
      argv[i] = (char *) "--64";
}

gboolean
msc_cli_parse (MscCliOptions *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "64", 0, 0, G_OPTION_ARG_NONE, &options->force_64,
      N_("Analyse with the 64-bit engine (the native engine always is; accepted for VMMap compatibility)"), NULL },
    { "process", 'p', 0, G_OPTION_ARG_STRING, &options->process,
      N_("Scan the process with this ID, or the first whose name begins with this text"), N_("PID|NAME") },
    { "open", 'o', 0, G_OPTION_ARG_FILENAME, &options->input,
      N_("Open a saved capture (.mmp, or VMMap's .csv or .txt export; - reads standard input)"), N_("INPUTFILE") },
    { "summary", 0, 0, G_OPTION_ARG_NONE, &options->summary,
      N_("Print the summary table instead of opening the window"), NULL },
    { "pss", 0, 0, G_OPTION_ARG_NONE, &options->pss,
      N_("Also measure proportional set size per region (slower; never opens the window: without an OUTPUTFILE it prints the summary)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->rest, NULL, N_("[OUTPUTFILE]") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

#ifdef MSC_HAVE_WINDOW
  const char *alone = _("-p or -o alone opens the window on the process or the capture.");
#else
  const char *alone = _("-p or -o alone prints the summary table (this memscope has no window).");
#endif
  g_autofree char *summary = g_strdup_printf ("%s\n\n%s\n%s",
    _("Analyse the virtual memory of a process, or open a saved capture."), alone,
    _("With an OUTPUTFILE the capture is written and memscope exits: no extension\n"
      "adds .mmp (native format), .csv writes CSV, any other extension writes text.\n"
      "With --summary (or where no display can be opened) the summary table is\n"
      "printed instead."));

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  msc_cli_rewrite_64 (*argc, *argv);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->version)
    return TRUE;
  if (options->process != NULL && options->input != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("give either -p <pid | name> or -o <inputfile> (see --help)"));
      return FALSE;
    }
  /* Without -p or -o the remaining arguments are captures for the window. */
  if ((options->process != NULL || options->input != NULL)
      && options->rest != NULL && g_strv_length (options->rest) > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("unexpected argument “%s”"), options->rest[1]);
      return FALSE;
    }
  return TRUE;
}

gboolean
msc_cli_resolve_process (const char *text, guint *pid, GError **error)
{
  g_autoptr(GArray) matches = msc_process_lookup (text, error);
  g_autofree char *choice = NULL;

  if (matches == NULL)
    return FALSE;
  *pid = g_array_index (matches, MscProcessMatch, 0).pid;
  choice = msc_process_lookup_describe_choice (text, matches);
  if (choice != NULL)
    g_printerr ("memscope: %s\n", choice);
  return TRUE;
}

static MscSession *
msc_cli_scan (const MscCliOptions *options, GError **error)
{
  g_autoptr(MscProcess) process = NULL;
  g_autoptr(MscSnapshot) snapshot = NULL;
  MscSession *session;
  guint pid;

  if (!msc_cli_resolve_process (options->process, &pid, error))
    return NULL;
  (void) options->force_64;
  snapshot = msc_snapshot_new_from_scan (pid, options->pss ? MSC_SCAN_PSS : MSC_SCAN_DEFAULT,
                                         NULL, &process, error);
  if (snapshot == NULL)
    return NULL;
  session = msc_session_new (process);
  msc_session_add_snapshot (session, snapshot);
  return session;
}

static gboolean
msc_cli_print_summary (MscSession *session, GError **error)
{
  MscProcess *process = msc_session_get_process (session);
  MscSnapshot *snapshot = msc_session_get_latest (session);
  MscCaptureProcess cp = {
    .pid = msc_process_get_pid (process),
    .bits = msc_process_get_bits (process),
    .name = msc_process_get_name (process),
    .user = msc_process_get_user (process),
    .os = msc_process_get_os (process),
    .command_line = msc_process_get_command_line (process),
  };
  MscCaptureSnapshot cs = {
    .timestamp = msc_snapshot_get_timestamp (snapshot),
    .page_table_size = msc_snapshot_get_page_table_size (snapshot),
    .commit_charge = msc_snapshot_get_commit_charge (snapshot),
    .process_ws = msc_snapshot_get_process_ws (snapshot),
    .n_threads = msc_snapshot_get_n_threads (snapshot),
    .notes = msc_snapshot_get_notes (snapshot),
    .regions = msc_snapshot_get_regions (snapshot),
    .summary = msc_snapshot_get_summary (snapshot),
  };
  MscStatus status = { 0 };

  if (msc_txt_write_summary (stdout, &cp, &cs, &status) != MSC_OK || fflush (stdout) != 0)
    {
      g_set_error (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_WRITE, "%s",
                   status.message[0] ? status.message : _("could not write to standard output"));
      return FALSE;
    }
  return TRUE;
}

/* The capture's notes say why a figure is missing or estimated ("n/a"
 * working sets under Wine, Page Table estimated): on stderr, so stdout and
 * the written file stay the data alone. */
static void
msc_cli_print_notes (const char *notes)
{
  g_auto(GStrv) lines = g_strsplit (notes != NULL ? notes : "", "\n", -1);

  for (char **line = lines; *line != NULL; line++)
    if (**line != '\0')
      g_printerr (_("Note: %s\n"), *line);
}

/* -p PID FILE.mmp: written as the scan emits it, with no snapshot in
 * between (msc_capture_scan_save; the same bytes as a saved snapshot). */
static int
msc_cli_scan_to_mmp (const MscCliOptions *options, const char *path, GError **error)
{
  MscScanInfo info = { 0 };
  MscStatus status = { MSC_OK, "" };
  guint pid;

  if (!msc_cli_resolve_process (options->process, &pid, error))
    return 1;
  if (msc_capture_scan_save (pid, options->pss ? MSC_SCAN_PSS : MSC_SCAN_DEFAULT, path, &info, &status) != MSC_OK)
    {
      msc_backend_error_set (error, &status, _("the scan failed"));
      msc_scan_info_clear (&info);
      return 1;
    }
  msc_cli_print_notes (info.notes);
  msc_scan_info_clear (&info);
  return 0;
}

gboolean
msc_cli_is_headless (const MscCliOptions *options)
{
  return options->version || options->summary || options->pss
         || ((options->process != NULL || options->input != NULL) && options->rest != NULL
             && options->rest[0] != NULL);
}

int
msc_cli_run_review (int argc, char **argv)
{
  if (msc_cli_diff_wanted (argc, argv))
    return msc_cli_diff_main (argc, argv);
  if (msc_cli_memory_wanted (argc, argv))
    return msc_cli_memory_main (argc, argv);
#ifdef MSC_HAVE_TRACE
  if (msc_cli_trace_wanted (argc, argv))
    return msc_cli_trace_main (argc, argv);
#endif
  if (msc_cli_trace_views_wanted (argc, argv))
    return msc_cli_trace_views_main (argc, argv);
  return -1;
}

int
msc_cli_run (const MscCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;
  g_autofree char *path = NULL;
  MscFileFormat format = MSC_FILE_FORMAT_MMP;
  int status = 1;

  if (options->version)
    {
      g_print ("memscope %s (%s backend)\n", PACKAGE_VERSION, MSC_BACKEND);
      return 0;
    }
  if (options->rest != NULL && options->rest[0] != NULL)
    {
      path = msc_capture_output_path (options->rest[0], &format);
      if (path == NULL)
        g_error ("out of memory");
    }
  if (options->process == NULL && options->input == NULL)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("give either -p <pid | name> or -o <inputfile> (see --help)"));
  else if (options->process != NULL && path != NULL && format == MSC_FILE_FORMAT_MMP)
    status = msc_cli_scan_to_mmp (options, path, &error);
  else
    session = options->process != NULL ? msc_cli_scan (options, &error)
                                        : msc_loader_load (options->input, NULL, &error);
  if (session != NULL && path != NULL)
    status = msc_session_save (session, path, format, &error) ? 0 : 1;
  else if (session != NULL)
    status = msc_cli_print_summary (session, &error) ? 0 : 1;
  if (session != NULL)
    msc_cli_print_notes (msc_snapshot_get_notes (msc_session_get_latest (session)));
  if (error != NULL)
    g_printerr ("memscope: %s\n", error->message);
  return status;
}
