/* msc-import.c — the sections of VMMap's CSV and text exports, whatever the
 * splitting (formats.md §3–4):
 *
 *   "Process:" / "PID:" lines (optional: we never rely on them)
 *   the summary table: header, then exactly the 11 rows Total, Image, ...
 *     Free, in VMMap's order
 *   the details table: header, then one row per allocation with its
 *     sub-blocks after it (address indented by two spaces)
 *
 * Cells are KB with the locale's thousands separators, empty for zero,
 * "n/a" where the OS gave no figure (our own writers). Sizes become bytes as
 * KB × 1024: the export keeps nothing finer. The snapshot's summary is the
 * file's table, not one recomputed from the details, which list neither
 * Free nor Unusable regions. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/core/msc-export.h"
#include "model/core/msc-format.h"
#include "model/msc-import-private.h"
#include "model/msc-region-builder.h"

G_DEFINE_QUARK (msc-import-error-quark, msc_import_error)

/* Lines between two looks at the GCancellable. */
#define MSC_IMPORT_CANCEL_INTERVAL 4096

typedef enum {
  MSC_IMPORT_STATE_PREAMBLE,
  MSC_IMPORT_STATE_SUMMARY,
  MSC_IMPORT_STATE_BETWEEN,   /* after the summary's 11 rows */
  MSC_IMPORT_STATE_DETAILS,
} MscImportState;

typedef struct {
  const char         *display_name;   /* NULL when reading memory */
  MscImportSplitFunc  split;
  gpointer            user;
  GPtrArray          *cells;
  guint               line;
  MscImportState      state;
  guint               n_summary_rows;
  MscSummary          summary;
  char               *process_name;
  GString            *notes;          /* "Note:" lines (ours; VMMap writes none) */
  guint32             pid;
  guint               bits;
  MscRegionBuilder   *regions;
  gboolean            have_top;
  guint64             top_address;
  guint64             top_size;
  guint64             sub_end;        /* end of the allocation's last sub-block so far, from its start */
  /* What the details rows add up to, held against the summary table at the
   * end: a file cut at a line boundary looks complete otherwise. */
  /* A sub-block waits for the next row: KB rounding may make it overlap the
   * next one, and then it is shortened to meet it. */
  gboolean            have_sub;
  MscRegion           sub;
  char               *sub_details;
  guint64             listed_size[MSC_N_TYPES];
  guint64             listed_blocks[MSC_N_TYPES];
  guint               n_listed[MSC_N_TYPES];
} MscImport;

static G_GNUC_PRINTF (4, 5) gboolean
msc_import_fail (MscImport     *imp,
                 GError       **error,
                 MscImportError code,
                 const char    *format,
                 ...)
{
  g_autofree char *message = NULL;
  g_autofree char *where = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (imp->line > 0)
    where = g_strdup_printf (_("line %u"), imp->line);
  if (imp->display_name != NULL && where != NULL)
    g_set_error (error, MSC_IMPORT_ERROR, code, "%s: %s: %s", imp->display_name, where, message);
  else if (imp->display_name != NULL || where != NULL)
    g_set_error (error, MSC_IMPORT_ERROR, code, "%s: %s",
                 imp->display_name != NULL ? imp->display_name : where, message);
  else
    g_set_error_literal (error, MSC_IMPORT_ERROR, code, message);
  return FALSE;
}

/* "truncated at line N: reason", N the line that was cut or the one that
 * should have come next. */
static gboolean
msc_import_truncated (MscImport   *imp,
                      GError     **error,
                      guint        line,
                      const char  *reason)
{
  imp->line = 0;
  return msc_import_fail (imp, error, MSC_IMPORT_ERROR_TRUNCATED, _("truncated at line %u: %s"), line, reason);
}

/* ---- cells ---- */

static const char *
msc_import_cell (MscImport *imp,
                 guint      i)
{
  return g_ptr_array_index (imp->cells, i);
}

/* Cells [first, first + n) as numbers into values; unknown[c] tells "n/a".
 * Column blocks holds a count, the others KB; headers name the columns. */
static gboolean
msc_import_numbers (MscImport         *imp,
                    guint              first,
                    guint              n,
                    guint              blocks,
                    const char *const *headers,
                    guint64           *values,
                    gboolean          *unknown,
                    GError           **error)
{
  for (guint c = 0; c < n; c++)
    {
      const char *cell = msc_import_cell (imp, first + c);
      guint64 multiplier = first + c == blocks ? 1 : 1024;

      unknown[c] = FALSE;
      if (!msc_import_cell_number (cell, multiplier, &values[c], &unknown[c]))
        return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                                multiplier == 1 ? _("“%s” in column “%s” is not a number of blocks")
                                                : _("“%s” in column “%s” is not a number of KB"),
                                cell, headers[first + c]);
    }
  return TRUE;
}

/* A table header: the words of want, in order (a trailing empty cell, from
 * VMMap's trailing comma, does not count). */
static gboolean
msc_import_header (MscImport          *imp,
                   const char *const  *want,
                   guint               n_want,
                   const char         *table,
                   GError            **error)
{
  guint n = imp->cells->len;

  while (n > 0 && msc_import_cell (imp, n - 1)[0] == '\0')
    n--;
  if (n != n_want)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                            _("the %s table’s header has %u columns; VMMap writes %u"), table, n, n_want);
  for (guint c = 0; c < n; c++)
    if (g_ascii_strcasecmp (msc_import_cell (imp, c), want[c]) != 0)
      return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                              _("column %u of the %s table’s header is “%s”; expected “%s”"),
                              c + 1, table, msc_import_cell (imp, c), want[c]);
  return TRUE;
}

static gboolean
msc_import_cell_count (MscImport  *imp,
                       guint       want,
                       const char *table,
                       GError    **error)
{
  if (imp->cells->len == want)
    return TRUE;
  return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                          _("a row of the %s table has %u columns; expected %u"), table,
                          imp->cells->len, want);
}

/* ---- the preamble and the summary ---- */

static gboolean
msc_import_preamble (MscImport  *imp,
                     GError    **error)
{
  const char *key = msc_import_cell (imp, 0);
  const char *value = imp->cells->len > 1 ? msc_import_cell (imp, 1) : "";
  guint64 pid;

  if (g_ascii_strcasecmp (key, msc_summary_headers[0]) == 0)
    {
      imp->state = MSC_IMPORT_STATE_SUMMARY;
      return msc_import_header (imp, msc_summary_headers, G_N_ELEMENTS (msc_summary_headers),
                                _("summary"), error);
    }
  if (g_ascii_strcasecmp (key, "Process:") == 0)
    {
      g_free (imp->process_name);
      imp->process_name = g_strdup (value);
      return TRUE;
    }
  if (g_ascii_strcasecmp (key, "Note:") == 0)
    {
      if (imp->notes->len > 0)
        g_string_append_c (imp->notes, '\n');
      g_string_append (imp->notes, value);
      return TRUE;
    }
  if (g_ascii_strcasecmp (key, "PID:") == 0)
    {
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &pid, NULL))
        return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                                _("“%s” is not a process ID"), value);
      imp->pid = (guint32) pid;
      return TRUE;
    }
  if (g_ascii_strcasecmp (key, msc_details_headers[0]) == 0)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MISSING,
                            _("the details table starts, but there was no summary table before it"));
  return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                          _("“%.40s” is not part of a VMMap export (expected “Process:”, “PID:” "
                            "or the summary table)"), key);
}

static gboolean
msc_import_summary_row (MscImport  *imp,
                        GError    **error)
{
  const char *want;
  MscSummaryRow *row = (MscSummaryRow *) msc_export_summary_row (&imp->summary, (int) imp->n_summary_rows, &want);
  guint64 v[MSC_SUMMARY_VALUES];
  gboolean unknown[MSC_SUMMARY_VALUES];

  if (!msc_import_cell_count (imp, 1 + MSC_SUMMARY_VALUES, _("summary"), error))
    return FALSE;
  if (g_ascii_strcasecmp (msc_import_cell (imp, 0), want) != 0)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                            _("the summary table has “%s” where VMMap writes “%s”"),
                            msc_import_cell (imp, 0), want);
  if (!msc_import_numbers (imp, 1, MSC_SUMMARY_VALUES, MSC_SUMMARY_VALUES - 1, msc_summary_headers,
                           v, unknown, error))
    return FALSE;
  *row = (MscSummaryRow) {
    .size = v[0], .committed = v[1], .private_bytes = v[2], .total_ws = v[3], .private_ws = v[4],
    .shareable_ws = v[5], .shared_ws = v[6], .locked_ws = v[7], .blocks = v[8], .largest = v[9],
    .ws_known = !(unknown[3] || unknown[4] || unknown[5] || unknown[6]),
    .private_unknown = unknown[2],
  };
  row->locked_known = row->ws_known && !unknown[7];
  if (++imp->n_summary_rows == MSC_SUMMARY_ROWS)
    imp->state = MSC_IMPORT_STATE_BETWEEN;
  return TRUE;
}

/* ---- details ---- */

/* "00110000" or, for a sub-block, "  00110000": hex, 8 or 16 digits. */
static gboolean
msc_import_address (MscImport  *imp,
                    const char *cell,
                    MscRegion  *region,
                    GError    **error)
{
  const char *digits = cell;
  guint64 address;
  char *end;

  while (*digits == ' ')
    digits++;
  address = g_ascii_strtoull (digits, &end, 16);
  if (!g_ascii_isxdigit (*digits) || *end != '\0' || end - digits > 16)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                            _("“%s” is not an address (hex digits)"), cell);
  region->address = address;
  if (digits != cell)
    region->flags |= MSC_REGION_SUBBLOCK;
  if (imp->bits == 0)
    imp->bits = end - digits <= 8 ? 32 : 64;
  return TRUE;
}

static gboolean
msc_import_type (MscImport  *imp,
                 const char *cell,
                 MscRegion  *region,
                 GError    **error)
{
  guint16 flags = 0;
  int type = msc_use_type_from_string (cell, &flags);

  if (type < 0)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                            _("“%s” is not a VMMap memory type"), cell);
  region->type = (guint8) type;
  region->flags |= flags;
  region->storage = msc_import_storage ((MscUseType) type);
  return TRUE;
}

static gboolean
msc_import_protection (MscImport  *imp,
                       const char *cell,
                       MscRegion  *region,
                       GError    **error)
{
  if (msc_import_protection_value (cell, &region->protection))
    return TRUE;
  return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED, _("“%s” is not a VMMap protection"), cell);
}

/* Allocations come in address order without overlap, each sub-block inside
 * its allocation after the one above it: the region builder and the diff
 * rely on that order, and VMMap writes it so. Managed Heap segments start off
 * page boundaries and their KB sizes are rounded (formats.md §3.3), so a
 * sub-block may overlap the next, or overhang its allocation, by less than
 * 1 KB; an overhang is trimmed so the region builder sees it inside. */
static gboolean
msc_import_place_top (MscImport  *imp,
                      MscRegion  *region,
                      int         digits,
                      GError    **error)
{
  if (imp->have_top && (region->address < imp->top_address
                        || region->address - imp->top_address < imp->top_size))
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                            _("the allocation at %0*" G_GINT64_MODIFIER "X is out of address order (it overlaps "
                              "or comes before the one at %0*" G_GINT64_MODIFIER "X)"),
                            digits, region->address, digits, imp->top_address);
  imp->have_top = TRUE;
  imp->top_address = region->address;
  imp->top_size = region->size;
  imp->sub_end = 0;
  imp->listed_size[region->type] += region->size;
  imp->listed_blocks[region->type] += region->blocks;
  imp->n_listed[region->type]++;
  return TRUE;
}

/* Offsets from the allocation's start, so an allocation that ends at 2^64
 * needs no end address (it would wrap to 0). */
static gboolean
msc_import_place (MscImport  *imp,
                  MscRegion  *region,
                  GError    **error)
{
  int digits = imp->bits == 32 ? 8 : 16;
  guint64 offset, room;

  /* A sub-block under 512 bytes (a GC segment) shows as an empty Size. */
  if ((region->size == 0 && !(region->flags & MSC_REGION_SUBBLOCK))
      || (region->size > 0 && region->size - 1 > G_MAXUINT64 - region->address))
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED, _("the region at %0*" G_GINT64_MODIFIER "X has no size"),
                            digits, region->address);
  if (!(region->flags & MSC_REGION_SUBBLOCK))
    return msc_import_place_top (imp, region, digits, error);
  offset = region->address - imp->top_address;
  room = offset <= imp->top_size ? imp->top_size - offset : 0;
  if (region->address >= imp->top_address && offset < imp->top_size && region->size > room
      && region->size - room < 1024)
    region->size = room;
  if (region->address < imp->top_address || offset > imp->top_size || region->size > room
      || offset + 1024 <= imp->sub_end)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                            _("the sub-block at %0*" G_GINT64_MODIFIER "X lies outside its allocation "
                              "(%0*" G_GINT64_MODIFIER "X, %" G_GUINT64_FORMAT " KB) or before the sub-block above it"),
                            digits, region->address, digits, imp->top_address, imp->top_size / 1024);
  imp->sub_end = offset + region->size;
  return TRUE;
}

static gboolean
msc_import_add (MscImport       *imp,
                const MscRegion *region,
                const char      *details,
                GError         **error)
{
  g_autofree char *problem = NULL;

  if (msc_region_builder_add (imp->regions, region, details, &problem))
    return TRUE;
  return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED, "%s",
                          problem != NULL ? problem : _("the file has more regions than fit in memory"));
}

static gboolean
msc_import_flush_sub (MscImport  *imp,
                      GError    **error)
{
  g_autofree char *details = g_steal_pointer (&imp->sub_details);

  if (!imp->have_sub)
    return TRUE;
  imp->have_sub = FALSE;
  return msc_import_add (imp, &imp->sub, details, error);
}

static gboolean
msc_import_details_row (MscImport  *imp,
                        GError    **error)
{
  MscRegion region = { 0 };
  guint64 v[9];
  gboolean unknown[9];
  const char *details;

  if (!msc_import_cell_count (imp, MSC_DETAILS_CELLS + 1, _("details"), error)
      || !msc_import_address (imp, msc_import_cell (imp, 0), &region, error)
      || !msc_import_type (imp, msc_import_cell (imp, MSC_DETAILS_TYPE), &region, error)
      || !msc_import_numbers (imp, 2, 9, MSC_DETAILS_BLOCKS, msc_details_headers, v, unknown, error)
      || !msc_import_protection (imp, msc_import_cell (imp, MSC_DETAILS_PROTECTION), &region, error))
    return FALSE;
  if ((region.flags & MSC_REGION_SUBBLOCK) && !imp->have_top)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                            _("a sub-block (indented address) comes before any allocation"));
  details = msc_import_cell (imp, MSC_DETAILS_CELLS);
  region.size = v[0];
  region.committed = v[1];
  region.private_bytes = v[2];
  region.total_ws = v[3];
  region.private_ws = v[4];
  region.shareable_ws = v[5];
  region.shared_ws = v[6];
  region.locked_ws = v[7];
  region.blocks = (guint32) MIN (v[8], G_MAXUINT32);
  if (unknown[3] || unknown[4] || unknown[5] || unknown[6])
    region.flags |= MSC_REGION_WS_UNKNOWN;
  if (unknown[7])
    region.flags |= MSC_REGION_LOCKED_UNKNOWN;
  if (unknown[2])
    region.flags |= MSC_REGION_PRIVATE_UNKNOWN;
  if (region.type == MSC_TYPE_STACK && strstr (details, "64-bit thread stack") != NULL)
    region.flags |= MSC_REGION_STACK64;
  /* As the .mmp reader does without a ThreadId: the same region then reads
   * the same from either file. */
  region.thread_id = msc_thread_id_from_details (details);
  if (!msc_import_place (imp, &region, error))
    return FALSE;
  if (imp->have_sub && (region.flags & MSC_REGION_SUBBLOCK) && region.address - imp->sub.address < imp->sub.size)
    imp->sub.size = region.address - imp->sub.address;
  if (!msc_import_flush_sub (imp, error))
    return FALSE;
  if (!(region.flags & MSC_REGION_SUBBLOCK))
    return msc_import_add (imp, &region, details, error);
  imp->have_sub = TRUE;
  imp->sub = region;
  imp->sub_details = g_strdup (details);
  return TRUE;
}

/* ---- lines ---- */

static gboolean
msc_import_blank_n (const char *line,
                    gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;
  return TRUE;
}

static gboolean
msc_import_blank (const char *line)
{
  return msc_import_blank_n (line, strlen (line));
}

static MscImportLine
msc_import_expected (MscImport *imp)
{
  switch (imp->state)
    {
    case MSC_IMPORT_STATE_SUMMARY:
      return MSC_IMPORT_LINE_SUMMARY;
    case MSC_IMPORT_STATE_DETAILS:
      return MSC_IMPORT_LINE_DETAILS;
    case MSC_IMPORT_STATE_PREAMBLE:
    case MSC_IMPORT_STATE_BETWEEN:
    default:
      return MSC_IMPORT_LINE_PREAMBLE;
    }
}

static gboolean
msc_import_line (MscImport  *imp,
                 const char *line,
                 gsize       len,
                 GError    **error)
{
  g_autofree char *message = NULL;

  if (msc_import_blank (line))
    {
      /* A blank line ends the summary table: it must be complete by then. */
      if (imp->state == MSC_IMPORT_STATE_SUMMARY)
        {
          const char *missing;

          msc_export_summary_row (&imp->summary, (int) imp->n_summary_rows, &missing);
          return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                                  _("the summary table ends before its “%s” row"), missing);
        }
      return TRUE;
    }
  g_ptr_array_set_size (imp->cells, 0);
  if (!imp->split (imp->user, msc_import_expected (imp), line, len, imp->cells, &message))
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED, "%s", message);
  if (imp->cells->len == 0)
    g_ptr_array_add (imp->cells, g_strdup (""));
  switch (imp->state)
    {
    case MSC_IMPORT_STATE_PREAMBLE:
      return msc_import_preamble (imp, error);
    case MSC_IMPORT_STATE_SUMMARY:
      return msc_import_summary_row (imp, error);
    case MSC_IMPORT_STATE_BETWEEN:
      imp->state = MSC_IMPORT_STATE_DETAILS;
      return msc_import_header (imp, msc_details_headers, G_N_ELEMENTS (msc_details_headers),
                                _("details"), error);
    case MSC_IMPORT_STATE_DETAILS:
    default:
      return msc_import_details_row (imp, error);
    }
}

/* Splits data into lines: VMMap ends them "\r\r\n" (a text-mode stream
 * adding "\r" to "\r\n"), ours "\r\n"; any run of '\r' before '\n' goes. */
static gboolean
msc_import_lines (MscImport    *imp,
                  const char   *data,
                  gsize         length,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *end = data + length;

  /* A UTF-8 byte-order mark says nothing here. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3;
  for (const char *p = data; p < end;)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *stop = nl != NULL ? nl : end;
      gsize n;

      imp->line++;
      if (imp->line % MSC_IMPORT_CANCEL_INTERVAL == 0 && g_cancellable_is_cancelled (cancellable))
        return msc_import_fail (imp, error, MSC_IMPORT_ERROR_CANCELLED, _("loading was cancelled"));
      while (stop > p && stop[-1] == '\r')
        stop--;
      n = (gsize) (stop - p);
      /* VMMap and we end every line: one without an end was cut off, and
       * may still parse (a number missing its last digits). */
      if (nl == NULL && !msc_import_blank_n (p, n))
        return msc_import_truncated (imp, error, imp->line, _("the line is cut off (it has no line end)"));
      if (memchr (p, '\0', n) != NULL)
        return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED,
                                _("the file holds binary data, not a VMMap export"));
      g_string_overwrite_len (g_string_truncate (line, 0), 0, p, (gssize) n);
      if (!msc_import_line (imp, line->str, line->len, error))
        return FALSE;
      p = nl != NULL ? nl + 1 : end;
    }
  return TRUE;
}

/* ---- completeness ---- */

/* The summary counts every allocation the details list (all types but Free,
 * Unusable and Page Table, formats.md §3.2): Blocks exactly, Size to within
 * the KB rounding of each row. (Sub-rows count in no total: a cut that only
 * loses the last allocation's sub-rows cannot be told from a file that has
 * none, and sub-rows need not tile their allocation, so no rule is made of
 * them.) */
static gboolean
msc_import_check_totals (MscImport  *imp,
                         guint       next_line,
                         GError    **error)
{
  for (int type = 0; type < MSC_N_TYPES; type++)
    {
      const MscSummaryRow *row = &imp->summary.types[type];
      guint64 slack = (guint64) (imp->n_listed[type] + 1) * 512;
      g_autofree char *reason = NULL;

      if (type == MSC_TYPE_FREE || type == MSC_TYPE_UNUSABLE || type == MSC_TYPE_PAGE_TABLE)
        continue;
      guint64 listed = imp->listed_size[type];

      if (row->blocks == imp->listed_blocks[type]
          && (row->size > listed ? row->size - listed : listed - row->size) <= slack)
        continue;
      reason = g_strdup_printf (_("the summary counts %" G_GUINT64_FORMAT " KB in %" G_GUINT64_FORMAT
                                  " blocks of %s, the details rows %" G_GUINT64_FORMAT " KB in %"
                                  G_GUINT64_FORMAT " blocks"),
                                row->size / 1024, row->blocks, msc_use_type_name ((MscUseType) type),
                                imp->listed_size[type] / 1024, imp->listed_blocks[type]);
      return msc_import_truncated (imp, error, next_line, reason);
    }
  return TRUE;
}

/* ---- the result ---- */

static gboolean
msc_import_finish (MscImport       *imp,
                   MscLoaderInput  *input,
                   MscLoaderResult *result,
                   GError         **error)
{
  g_autoptr(MscSnapshot) snapshot = NULL;
  g_autofree char *problem = NULL;
  MscRegionTable *table;
  guint n_lines = imp->line;

  imp->line = 0;
  if (imp->state == MSC_IMPORT_STATE_PREAMBLE)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MISSING,
                            _("the summary table is missing (no “Type, Size, Committed, …” header)"));
  if (imp->state != MSC_IMPORT_STATE_DETAILS)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MISSING,
                            _("the details table is missing (no “Address, Type, Size, …” header)"));
  if (!msc_import_check_totals (imp, n_lines + 1, error) || !msc_import_flush_sub (imp, error))
    return FALSE;
  table = msc_region_builder_finish (g_steal_pointer (&imp->regions), NULL, &problem);
  if (table == NULL)
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED, "%s",
                            problem != NULL ? problem : _("the file has more regions than fit in memory"));
  /* An export records no time of its own: the file's stands in. */
  snapshot = msc_snapshot_new_imported (input->mtime, imp->summary.types[MSC_TYPE_PAGE_TABLE].size,
                                        table, &imp->summary);
  if (imp->notes->len > 0)
    msc_snapshot_set_notes (snapshot, imp->notes->str);
  g_ptr_array_add (result->snapshots, g_steal_pointer (&snapshot));
  /* No "Process:" line: the loader names the process after the file. */
  if (imp->process_name != NULL)
    result->process = msc_process_new (imp->pid, imp->process_name, imp->bits);
  result->pid = imp->pid;
  result->bits = imp->bits;
  return TRUE;
}

/* An export saved as UTF-16 becomes UTF-8 here (msc_import_utf16_to_utf8()). */
static gboolean
msc_import_from_utf16 (MscImport   *imp,
                       const char **data,
                       gsize       *length,
                       char       **owned,
                       GError     **error)
{
  g_autofree char *problem = NULL;
  char *utf8 = NULL;
  gsize written = 0;

  if (!msc_import_utf16_to_utf8 (*data, *length, &utf8, &written, &problem))
    return msc_import_fail (imp, error, MSC_IMPORT_ERROR_MALFORMED, _("the file starts as UTF-16 but is not: %s"),
                            problem);
  if (utf8 == NULL)
    return TRUE;
  g_free (*owned);
  *owned = utf8;
  *data = utf8;
  *length = written;
  return TRUE;
}

/**
 * msc_import_read:
 * @input: the export's bytes; its cancellable is checked every few thousand
 *   lines
 * @split: how a line becomes cells (CSV, text)
 *
 * Returns: TRUE with one imported snapshot added to @result, or FALSE with
 *   @error (#MSC_IMPORT_ERROR, naming the line) set
 */
gboolean
msc_import_read (MscLoaderInput     *input,
                 MscImportSplitFunc  split,
                 gpointer            user,
                 MscLoaderResult    *result,
                 GError            **error)
{
  MscImport imp = {
    .display_name = input->display_name,
    .split = split,
    .user = user,
    .cells = g_ptr_array_new_with_free_func (g_free),
    .notes = g_string_new (NULL),
    .regions = msc_region_builder_new (),
  };
  g_autofree char *owned = NULL;
  const char *data;
  gsize length;
  gboolean ok = FALSE;

  /* Exports are a few MB at most (VMMap's 8,740-line sample is 800 KB):
   * read at once. */
  if (imp.regions == NULL)
    msc_import_fail (&imp, error, MSC_IMPORT_ERROR_MALFORMED, _("out of memory"));
  else if (msc_loader_input_slurp (input, &data, &length, &owned, error)
           && msc_import_from_utf16 (&imp, &data, &length, &owned, error)
           && msc_import_lines (&imp, data, length, input->cancellable, error))
    ok = msc_import_finish (&imp, input, result, error);
  g_ptr_array_unref (imp.cells);
  g_free (imp.process_name);
  g_free (imp.sub_details);
  g_string_free (imp.notes, TRUE);
  msc_region_builder_free (imp.regions);
  return ok;
}
