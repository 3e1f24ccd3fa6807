/* msc-cli-memory.c — see msc-cli-memory.h. */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "app/msc-cli.h"
#include "app/msc-cli-memory.h"
#include "model/msc-snapshot.h"
#include "model/msc-strings-scan.h"
#include "model/msc-working-set.h"

typedef struct {
  char *process;
  char *address;
  char *size;
  int min_length;
  gboolean strings;
  gboolean empty_working_set;
} MscMemoryOptions;

static void
msc_memory_options_clear (MscMemoryOptions *options)
{
  g_free (options->process);
  g_free (options->address);
  g_free (options->size);
}

gboolean
msc_cli_memory_wanted (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--strings") == 0 || strcmp (argv[i], "--empty-working-set") == 0)
      return TRUE;
  return FALSE;
}

static gboolean
msc_memory_parse (MscMemoryOptions *options, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "strings", 0, 0, G_OPTION_ARG_NONE, &options->strings,
      N_("Print the strings in the resident pages of the region at --address"), NULL },
    { "empty-working-set", 0, 0, G_OPTION_ARG_NONE, &options->empty_working_set,
      N_("Trim the process's working set and say what was done"), NULL },
    { "process", 'p', 0, G_OPTION_ARG_STRING, &options->process,
      N_("The process: its ID, or the first whose name begins with this text"), N_("PID|NAME") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &options->address,
      N_("An address inside the region to read (hexadecimal)"), N_("HEX") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &options->size,
      N_("Read this many bytes from --address instead of its whole region"), N_("BYTES") },
    { "min", 0, 0, G_OPTION_ARG_INT, &options->min_length,
      N_("Shortest string to print, in characters (default 3)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, _("Read the strings of a live process, or empty its working set."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->strings == options->empty_working_set || options->process == NULL
      || (options->strings && options->address == NULL) || *argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("use --strings -p <pid | name> --address <hex> [--size <bytes>] [--min N], or "
                     "--empty-working-set -p <pid | name>"));
      return FALSE;
    }
  if (options->min_length < 0 || options->min_length > MSC_STRINGS_MAX_TEXT)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--min must be between 1 and %d"), MSC_STRINGS_MAX_TEXT);
      return FALSE;
    }
  return TRUE;
}

static gboolean
msc_parse_number (const char *text, guint base, const char *option, guint64 *out, GError **error)
{
  if (base == 16 && g_ascii_strncasecmp (text, "0x", 2) == 0)
    text += 2;
  if (!g_ascii_string_to_unsigned (text, base, 0, G_MAXUINT64, out, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   base == 16 ? _("%s: “%s” is not a hexadecimal address") : _("%s: “%s” is not a number"),
                   option, text);
      return FALSE;
    }
  return TRUE;
}

/* The region (allocation) containing address, as the Details view shows it. */
static gboolean
msc_find_region (guint pid, guint64 address, guint64 *base, guint64 *size, GError **error)
{
  g_autoptr(MscSnapshot) snapshot = msc_snapshot_new_from_scan (pid, MSC_SCAN_DEFAULT, NULL, NULL, error);
  const MscRegionTable *regions;
  MscRegion row;
  const MscRegion *region;
  size_t index;

  if (snapshot == NULL)
    return FALSE;
  regions = msc_snapshot_get_regions (snapshot);
  index = msc_region_table_find (regions, address);
  row = msc_region_table_row (regions, index);
  region = index != MSC_NO_PARENT ? &row : NULL;
  if (region == NULL || region->type == MSC_TYPE_FREE || region->type == MSC_TYPE_UNUSABLE
      || region->type == MSC_TYPE_PAGE_TABLE)
    {
      g_set_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_INVALID,
                   _("no memory is allocated at %" G_GINT64_MODIFIER "x in process %u"), address, pid);
      return FALSE;
    }
  *base = region->address;
  *size = region->size;
  return TRUE;
}

static void
msc_print_batch (MscStringsBatch *batch, gpointer user_data)
{
  const MscStringHit *hits = msc_strings_batch_get_hits (batch);
  guint n = msc_strings_batch_get_length (batch);

  for (guint i = 0; i < n; i++)
    printf ("%016" G_GINT64_MODIFIER "x %s %s\n", hits[i].address,
            msc_string_encoding_to_string (hits[i].encoding), hits[i].text);
}

static void
msc_print_stats (MscStringsScan *scan)
{
  const MscReadStats *stats = msc_strings_scan_get_stats (scan);

  g_printerr (_("memscope: %" G_GUINT64_FORMAT " strings; %" G_GUINT64_FORMAT " bytes read; "
                "%" G_GUINT64_FORMAT " pages skipped as not resident, %" G_GUINT64_FORMAT
                " unreadable, %" G_GUINT64_FORMAT " unmapped\n"),
              msc_strings_scan_get_n_found (scan), stats->bytes_read, stats->pages_not_resident,
              stats->pages_unreadable, stats->pages_unmapped);
  if (stats->pages_unverified > 0)
    g_printerr (_("memscope: %" G_GUINT64_FORMAT " pages were read although the system would not say whether "
                  "they were resident (reading may have faulted them in)\n"),
                stats->pages_unverified);
}

static gboolean
msc_run_strings (const MscMemoryOptions *options, guint pid, GError **error)
{
  g_autoptr(MscStringsScan) scan = NULL;
  guint64 address, base, size;
  gboolean ok;

  if (!msc_parse_number (options->address, 16, "--address", &address, error))
    return FALSE;
  if (options->size != NULL)
    {
      base = address;
      if (!msc_parse_number (options->size, 10, "--size", &size, error))
        return FALSE;
    }
  else if (!msc_find_region (pid, address, &base, &size, error))
    return FALSE;
  g_printerr (_("memscope: strings of %" G_GINT64_MODIFIER "x–%" G_GINT64_MODIFIER "x in process %u\n"),
              base, base + size, pid);
  scan = msc_strings_scan_new (pid, base, size, (guint) options->min_length);
  ok = msc_strings_scan_run (scan, msc_print_batch, NULL, NULL, error);
  if (fflush (stdout) != 0 && ok)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, _("could not write to standard output"));
      ok = FALSE;
    }
  if (ok)
    msc_print_stats (scan);
  return ok;
}

static gboolean
msc_run_empty (guint pid, GError **error)
{
  MscEmptyResult result;

  if (!msc_working_set_empty (pid, &result, error))
    return FALSE;
  g_print ("%s\n", result.message);
  return TRUE;
}

int
msc_cli_memory_main (int argc, char **argv)
{
  MscMemoryOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;
  guint pid;

  if (msc_memory_parse (&options, &argc, &argv, &error)
      && msc_cli_resolve_process (options.process, &pid, &error))
    ok = options.strings ? msc_run_strings (&options, pid, &error) : msc_run_empty (pid, &error);
  if (error != NULL)
    g_printerr ("memscope: %s\n", error->message);
  msc_memory_options_clear (&options);
  return ok ? 0 : 1;
}
