/* msc-cli-diff.c — `memscope --diff` and `memscope --text` (see the header).
 * The text itself is model/msc-diff-format.c's; this file picks the
 * snapshots and maps the outcome to diff(1)'s exit codes. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "app/msc-cli-diff.h"
#include "model/msc-diff-format.h"
#include "model/msc-loader.h"
#include "model/msc-session.h"

/* diff(1)'s exit codes. */
enum {
  MSC_DIFF_EXIT_SAME = 0,
  MSC_DIFF_EXIT_DIFFERENT = 1,
  MSC_DIFF_EXIT_TROUBLE = 2,
};

/* git's external diff passes: path old-file old-hex old-mode new-file
 * new-hex new-mode. */
#define MSC_GIT_DIFF_ARGS 7

typedef struct {
  gboolean diff;
  char    *text;
  char    *snapshots;
  char   **files;
} MscDiffOptions;

/* One side of the comparison. */
typedef struct {
  MscSession  *session;
  MscSnapshot *snapshot;   /* in session (or owned, for /dev/null) */
  char        *label;
} MscDiffSide;

static void
msc_diff_options_clear (MscDiffOptions *options)
{
  g_free (options->text);
  g_free (options->snapshots);
  g_strfreev (options->files);
}

static void
msc_diff_side_clear (MscDiffSide *side)
{
  g_clear_object (&side->session);
  g_clear_object (&side->snapshot);
  g_clear_pointer (&side->label, g_free);
}

gboolean
msc_cli_diff_wanted (int    argc,
                     char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--diff") == 0 || strcmp (argv[i], "--text") == 0
          || g_str_has_prefix (argv[i], "--text="))
        return TRUE;
    }
  return FALSE;
}

static gboolean
msc_diff_parse (MscDiffOptions *options,
                int            *argc,
                char         ***argv,
                GError        **error)
{
  const GOptionEntry entries[] = {
    { "diff", 0, 0, G_OPTION_ARG_NONE, &options->diff,
      N_("Compare two captures, or two snapshots of one; exit 0 if identical, 1 if not, 2 on error"), NULL },
    { "snapshots", 0, 0, G_OPTION_ARG_STRING, &options->snapshots,
      N_("With --diff: which snapshots to compare (1 = oldest)"), N_("I,J") },
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &options->text,
      N_("Print a stable text view of a capture (for git textconv)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->files, NULL,
      N_("A.mmp[:I] [B.mmp[:J]]") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
    _("Compare captures (.mmp, or VMMap’s .csv/.txt exports) for review.\n\n"
      "A snapshot is chosen as FILE:I (1 = oldest); otherwise the latest of each\n"
      "file, or with one file the last two (or --snapshots I,J)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->diff == (options->text != NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("give either --diff or --text, not both"));
      return FALSE;
    }
  return TRUE;
}

/* ---- choosing snapshots ---- */

/* "capture.mmp:2" → path "capture.mmp", *index 2; a file whose own name
 * ends in ":2" wins over that reading. */
static char *
msc_diff_split_operand (const char *operand,
                        guint      *index)
{
  const char *colon = strrchr (operand, ':');
  guint64 value;

  *index = 0;
  if (colon == NULL || colon == operand || g_file_test (operand, G_FILE_TEST_EXISTS)
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT, &value, NULL))
    return g_strdup (operand);
  *index = (guint) value;
  return g_strndup (operand, (gsize) (colon - operand));
}

/* "I,J" → two 1-based indexes. */
static gboolean
msc_diff_parse_pair (const char  *text,
                     guint        indexes[2],
                     GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint64 values[2];

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 1, G_MAXUINT, &values[0], NULL)
      || !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, G_MAXUINT, &values[1], NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--snapshots wants two numbers, as in “--snapshots 1,3”, not “%s”"), text);
      return FALSE;
    }
  indexes[0] = (guint) values[0];
  indexes[1] = (guint) values[1];
  return TRUE;
}

/* /dev/null stands for "no capture" (git, for an added or deleted file). */
static MscSession *
msc_diff_load (const char *path,
               GError    **error)
{
  if (strcmp (path, "/dev/null") == 0)
    {
      g_autoptr(MscSnapshot) empty = msc_snapshot_new (0, 0, NULL);
      MscSession *session = msc_session_new (NULL);

      msc_session_add_snapshot (session, empty);
      return session;
    }
  return msc_loader_load (path, NULL, error);
}

/* Side from path, snapshot index (1-based; 0 = from_end-th last). */
static gboolean
msc_diff_side_init (MscDiffSide *side,
                    MscSession  *session,
                    const char  *label,
                    guint        index,
                    guint        from_end,
                    GError     **error)
{
  guint n = msc_session_get_n_snapshots (session);

  if (index == 0)
    index = n > from_end ? n - from_end : 1;
  if (index > n)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   g_dngettext (GETTEXT_PACKAGE, "%s holds %u snapshot; there is no snapshot %u",
                                "%s holds %u snapshots; there is no snapshot %u", n),
                   label, n, index);
      return FALSE;
    }
  side->session = g_object_ref (session);
  side->snapshot = g_object_ref (msc_session_get_snapshot (session, index - 1));
  side->label = n > 1 ? g_strdup_printf ("%s:%u", label, index) : g_strdup (label);
  return TRUE;
}

static gboolean
msc_diff_one_file (const char   *operand,
                   const guint   pair[2],
                   MscDiffSide   sides[2],
                   GError      **error)
{
  guint index;
  g_autofree char *path = msc_diff_split_operand (operand, &index);
  g_autoptr(MscSession) session = msc_diff_load (path, error);

  if (session == NULL)
    return FALSE;
  if (pair[0] == 0 && msc_session_get_n_snapshots (session) < 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s holds one snapshot: give a second capture to compare it with"), path);
      return FALSE;
    }
  /* Without --snapshots: the last two, the change the timeline ends on. */
  return msc_diff_side_init (&sides[0], session, path, pair[0], 1, error)
         && msc_diff_side_init (&sides[1], session, path, pair[1], 0, error);
}

static gboolean
msc_diff_two_files (const char *const operands[2],
                    const char *const labels[2],
                    const guint       pair[2],
                    MscDiffSide       sides[2],
                    GError          **error)
{
  for (guint s = 0; s < 2; s++)
    {
      guint index;
      g_autofree char *path = msc_diff_split_operand (operands[s], &index);
      g_autoptr(MscSession) session = msc_diff_load (path, error);

      if (session == NULL
          || !msc_diff_side_init (&sides[s], session, labels != NULL ? labels[s] : path,
                                  index != 0 ? index : pair[s], 0, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
msc_diff_choose (const MscDiffOptions *options,
                 MscDiffSide           sides[2],
                 GError              **error)
{
  char **files = options->files;
  guint n = files != NULL ? g_strv_length (files) : 0;
  guint pair[2] = { 0, 0 };

  if (options->snapshots != NULL && !msc_diff_parse_pair (options->snapshots, pair, error))
    return FALSE;
  if (n == 1)
    return msc_diff_one_file (files[0], pair, sides, error);
  if (n == 2)
    return msc_diff_two_files ((const char *const[]) { files[0], files[1] }, NULL, pair, sides, error);
  if (n == MSC_GIT_DIFF_ARGS)
    {
      g_autofree char *a = g_strconcat ("a/", files[0], NULL);
      g_autofree char *b = g_strconcat ("b/", files[0], NULL);

      return msc_diff_two_files ((const char *const[]) { files[1], files[4] },
                                 (const char *const[]) { a, b }, pair, sides, error);
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               _("--diff takes one capture (two of its snapshots) or two captures"));
  return FALSE;
}

/* ---- running ---- */

static gboolean
msc_diff_print (GString  *text,
                GError  **error)
{
  if (fwrite (text->str, 1, text->len, stdout) != text->len || fflush (stdout) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("could not write to standard output: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static guint
msc_diff_bits (MscDiffSide *side)
{
  MscProcess *process = msc_session_get_process (side->session);

  return process != NULL ? msc_process_get_bits (process) : 0;
}

static int
msc_diff_run (const MscDiffOptions *options,
              GError              **error)
{
  MscDiffSide sides[2] = { { 0 } };
  g_autoptr(MscDiff) diff = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  int status = MSC_DIFF_EXIT_TROUBLE;

  if (msc_diff_choose (options, sides, error))
    {
      /* 32-bit only when both are: a 64-bit address needs its 16 digits. */
      guint bits = msc_diff_bits (&sides[0]) == 32 && msc_diff_bits (&sides[1]) == 32 ? 32 : 64;

      diff = msc_diff_new (sides[0].snapshot, sides[1].snapshot);
      msc_diff_format (diff, sides[0].label, sides[1].label, bits, text);
      if (msc_diff_print (text, error))
        status = msc_diff_is_empty (diff) ? MSC_DIFF_EXIT_SAME : MSC_DIFF_EXIT_DIFFERENT;
    }
  msc_diff_side_clear (&sides[0]);
  msc_diff_side_clear (&sides[1]);
  return status;
}

static int
msc_text_run (const MscDiffOptions *options,
              GError              **error)
{
  g_autoptr(MscSession) session = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (options->files != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("unexpected argument “%s”"), options->files[0]);
      return MSC_DIFF_EXIT_TROUBLE;
    }
  session = msc_loader_load (options->text, NULL, error);
  if (session == NULL)
    return MSC_DIFF_EXIT_TROUBLE;
  msc_session_format (session, text);
  return msc_diff_print (text, error) ? 0 : MSC_DIFF_EXIT_TROUBLE;
}

int
msc_cli_diff_main (int    argc,
                   char **argv)
{
  MscDiffOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  int status = MSC_DIFF_EXIT_TROUBLE;

  if (msc_diff_parse (&options, &argc, &argv, &error))
    status = options.diff ? msc_diff_run (&options, &error) : msc_text_run (&options, &error);
  if (error != NULL)
    g_printerr ("memscope: %s\n", error->message);
  msc_diff_options_clear (&options);
  return status;
}
