/* msc-cli.c — the memscope command line: VMMap's CLI.
 *
 *   memscope [-64] [-p <pid | name-prefix> [outputfile]] [-o inputfile [outputfile]]
 *
 * With an output file it writes the capture and exits (no extension → .mmp
 * appended, .csv → CSV, anything else → text), as VMMap does; without one it
 * prints the summary table to stdout.
 */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "model/core/msc-capture.h"
#include "model/msc-loader.h"
#include "model/msc-process-lookup.h"
#include "model/msc-session.h"
#include "app/msc-cli.h"
#include "app/msc-cli-diff.h"
#include "app/msc-cli-memory.h"

typedef struct {
  char    *process;
  char    *input;
  gboolean force_64;
  gboolean pss;
  gboolean version;
  char   **rest;
} MscCliOptions;

static void
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

static gboolean
msc_cli_parse (MscCliOptions *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "64", 0, 0, G_OPTION_ARG_NONE, &options->force_64,
      N_("Analyse with the 64-bit engine (the native engine always is; accepted for VMMap compatibility)"), NULL },
    { "process", 'p', 0, G_OPTION_ARG_STRING, &options->process,
      N_("Scan the process with this ID, or the first whose name begins with this text"), N_("PID|NAME") },
    { "open", 'o', 0, G_OPTION_ARG_FILENAME, &options->input,
      N_("Open a saved capture (.mmp, or VMMap's .csv or .txt export; - reads standard input)"), N_("INPUTFILE") },
    { "pss", 0, 0, G_OPTION_ARG_NONE, &options->pss,
      N_("Also measure proportional set size per region (slower)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->rest, NULL, N_("[OUTPUTFILE]") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
    _("Analyse the virtual memory of a process, or open a saved capture.\n\n"
      "With an OUTPUTFILE the capture is written and memscope exits: no extension\n"
      "adds .mmp (native format), .csv writes CSV, any other extension writes text.\n"
      "Without one the summary table is printed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  msc_cli_rewrite_64 (*argc, *argv);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->version)
    return TRUE;
  if ((options->process == NULL) == (options->input == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("give either -p <pid | name> or -o <inputfile> (see --help)"));
      return FALSE;
    }
  if (options->rest != NULL && g_strv_length (options->rest) > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("unexpected argument “%s”"), options->rest[1]);
      return FALSE;
    }
  return TRUE;
}

/* VMMap takes the first process whose name begins with the text; say which
 * one we took when there was a choice. */
gboolean
msc_cli_resolve_process (const char *text, guint *pid, GError **error)
{
  g_autoptr(GArray) matches = msc_process_lookup (text, error);

  if (matches == NULL)
    return FALSE;
  *pid = g_array_index (matches, MscProcessMatch, 0).pid;
  if (matches->len > 1)
    {
      g_autofree char *others = msc_process_find_others ((MscProcessMatch *) (void *) matches->data,
                                                          matches->len);

      g_printerr (_("memscope: “%s” matches %u processes; using %u (%s). Others: %s\n"),
                  text, matches->len, *pid, g_array_index (matches, MscProcessMatch, 0).name,
                  others != NULL ? others : "");
    }
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
  if (cs.notes != NULL && cs.notes[0] != '\0')
    g_printerr (_("Note: %s\n"), cs.notes);
  return TRUE;
}

static gboolean
msc_cli_save (MscSession *session, const char *requested, GError **error)
{
  MscFileFormat format;
  g_autofree char *path = msc_capture_output_path (requested, &format);

  if (path == NULL)
    {
      g_set_error (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_WRITE, _("out of memory"));
      return FALSE;
    }
  return msc_session_save (session, path, format, error);
}

int
msc_cli_main (int argc, char **argv)
{
  MscCliOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;
  int status = 1;

  /* Review commands have their own options and diff(1)'s exit codes. */
  if (msc_cli_diff_wanted (argc, argv))
    return msc_cli_diff_main (argc, argv);
  if (msc_cli_memory_wanted (argc, argv))
    return msc_cli_memory_main (argc, argv);
  if (!msc_cli_parse (&options, &argc, &argv, &error))
    goto out;
  if (options.version)
    {
      g_print ("memscope %s (%s backend)\n", PACKAGE_VERSION, MSC_BACKEND);
      status = 0;
      goto out;
    }
  session = options.process != NULL ? msc_cli_scan (&options, &error)
                                    : msc_loader_load (options.input, NULL, &error);
  if (session == NULL)
    goto out;
  if (options.rest != NULL && options.rest[0] != NULL)
    status = msc_cli_save (session, options.rest[0], &error) ? 0 : 1;
  else
    status = msc_cli_print_summary (session, &error) ? 0 : 1;

out:
  if (error != NULL)
    g_printerr ("memscope: %s\n", error->message);
  msc_cli_options_clear (&options);
  return status;
}
