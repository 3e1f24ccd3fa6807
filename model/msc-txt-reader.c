/* msc-txt-reader.c — splits the lines of VMMap's text export into cells;
 * the sections and what the cells mean are msc-import.c's.
 *
 * The layout is fixed-width, so each header line tells where its columns
 * are (formats.md §4: OpenJ9FootprintAnalysis finds every column by its
 * header word; widths are never hard-coded):
 * - details rows are sliced at the header words' starts (left-aligned
 *   words over cells that may hold spaces: "Heap (Private Data)", "Copy on
 *   write", paths);
 * - summary values, right-aligned in ours and of unknown alignment in
 *   VMMap's, go to the header word they overlap.
 * Within a line, cells are separated by at least two blanks; one blank
 * stays inside a cell ("Total WS", "Mapped File").
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/core/msc-export.h"
#include "model/msc-import-private.h"
#include "model/msc-txt-reader.h"

typedef struct {
  gsize start;
  gsize end;
} MscTxtSpan;

typedef struct {
  GArray *summary;   /* MscTxtSpan of the summary header's words */
  GArray *details;   /* MscTxtSpan of the details header's words */
  GArray *tokens;    /* scratch */
} MscTxtReader;

static gboolean
msc_txt_gap (const char *line,
             gsize       i,
             gsize       len)
{
  return line[i] == '\t' || (line[i] == ' ' && (i + 1 >= len || line[i + 1] == ' ' || line[i + 1] == '\t'));
}

/* The cells of line: runs of text separated by two or more blanks. */
static void
msc_txt_tokens (const char *line,
                gsize       len,
                GArray     *spans)
{
  gsize i = 0;

  g_array_set_size (spans, 0);
  while (i < len)
    {
      MscTxtSpan span;

      while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
      if (i == len)
        break;
      span.start = i;
      while (i < len && !msc_txt_gap (line, i, len))
        i++;
      span.end = i;
      g_array_append_val (spans, span);
    }
}

static char *
msc_txt_slice (const char *line,
               gsize       len,
               gsize       start,
               gsize       end,
               gboolean    keep_indent)
{
  g_autofree char *cell = NULL;

  start = MIN (start, len);
  end = MIN (end, len);
  cell = g_strndup (line + start, end - start);
  return g_strdup (keep_indent ? g_strchomp (cell) : g_strstrip (cell));
}

static void
msc_txt_add_tokens (const char *line,
                    GArray     *spans,
                    GPtrArray  *cells)
{
  for (guint t = 0; t < spans->len; t++)
    {
      MscTxtSpan *s = &g_array_index (spans, MscTxtSpan, t);

      g_ptr_array_add (cells, g_strndup (line + s->start, s->end - s->start));
    }
}

/* "Process: name", "PID: 42", or a table header (its words are the cells,
 * their positions remembered for the rows below). */
static gboolean
msc_txt_preamble (MscTxtReader *r,
                  const char   *line,
                  gsize         len,
                  GPtrArray    *cells)
{
  const char *colon;

  msc_txt_tokens (line, len, r->tokens);
  if (r->tokens->len > 0)
    {
      MscTxtSpan *first = &g_array_index (r->tokens, MscTxtSpan, 0);
      gsize n = first->end - first->start;
      GArray **target = NULL;

      if (n == strlen (msc_summary_headers[0]) && g_ascii_strncasecmp (line + first->start, msc_summary_headers[0], n) == 0)
        target = &r->summary;
      else if (n == strlen (msc_details_headers[0]) && g_ascii_strncasecmp (line + first->start, msc_details_headers[0], n) == 0)
        target = &r->details;
      if (target != NULL)
        {
          g_array_set_size (*target, 0);
          g_array_append_vals (*target, r->tokens->data, r->tokens->len);
          msc_txt_add_tokens (line, r->tokens, cells);
          return TRUE;
        }
    }
  colon = strchr (line, ':');
  if (colon == NULL)
    {
      g_ptr_array_add (cells, msc_txt_slice (line, len, 0, len, FALSE));
      return TRUE;
    }
  g_ptr_array_add (cells, msc_txt_slice (line, len, 0, (gsize) (colon - line) + 1, FALSE));
  /* "Process: name": one blank after the colon, the rest is the name, as
   * the writer put it (a name may start or end with a blank). */
  colon += colon[1] == ' ' ? 2 : 1;
  g_ptr_array_add (cells, g_strndup (colon, len - (gsize) (colon - line)));
  return TRUE;
}

/* The header column (1..) that span overlaps most; 0 if none. */
static guint
msc_txt_column (GArray           *columns,
                const MscTxtSpan *span)
{
  guint best = 0;
  gsize best_overlap = 0;

  for (guint c = 1; c < columns->len; c++)
    {
      MscTxtSpan *h = &g_array_index (columns, MscTxtSpan, c);
      gsize lo = MAX (h->start, span->start), hi = MIN (h->end, span->end);

      if (hi > lo && hi - lo > best_overlap)
        {
          best = c;
          best_overlap = hi - lo;
        }
    }
  return best;
}

static gboolean
msc_txt_summary (MscTxtReader *r,
                 const char   *line,
                 gsize         len,
                 GPtrArray    *cells,
                 char        **message)
{
  msc_txt_tokens (line, len, r->tokens);
  for (guint c = 0; c < r->summary->len; c++)
    g_ptr_array_add (cells, g_strdup (""));
  if (r->tokens->len == 0)
    return TRUE;
  g_free (g_ptr_array_index (cells, 0));
  g_ptr_array_index (cells, 0) = g_strndup (line + g_array_index (r->tokens, MscTxtSpan, 0).start,
                                            g_array_index (r->tokens, MscTxtSpan, 0).end
                                            - g_array_index (r->tokens, MscTxtSpan, 0).start);
  for (guint t = 1; t < r->tokens->len; t++)
    {
      MscTxtSpan *s = &g_array_index (r->tokens, MscTxtSpan, t);
      guint c = msc_txt_column (r->summary, s);
      g_autofree char *text = g_strndup (line + s->start, s->end - s->start);

      if (c == 0 || ((char *) g_ptr_array_index (cells, c))[0] != '\0')
        {
          *message = g_strdup_printf (_("“%s” lies under no column of the summary header"), text);
          return FALSE;
        }
      g_free (g_ptr_array_index (cells, c));
      g_ptr_array_index (cells, c) = g_steal_pointer (&text);
    }
  return TRUE;
}

static void
msc_txt_details (MscTxtReader *r,
                 const char   *line,
                 gsize         len,
                 GPtrArray    *cells)
{
  for (guint c = 0; c < r->details->len; c++)
    {
      gsize start = c == 0 ? 0 : g_array_index (r->details, MscTxtSpan, c).start;
      gsize end = c + 1 < r->details->len ? g_array_index (r->details, MscTxtSpan, c + 1).start : len;

      /* The address keeps its indent: two blanks mark a sub-block. The last
       * column, Details, is the text as written from its header's column
       * on (it may start or end with a blank). */
      if (c + 1 == r->details->len && c > 0)
        g_ptr_array_add (cells, g_strndup (line + MIN (start, len), len - MIN (start, len)));
      else
        g_ptr_array_add (cells, msc_txt_slice (line, len, start, end, c == 0));
    }
}

static gboolean
msc_txt_split (gpointer       user,
               MscImportLine  kind,
               const char    *line,
               gsize          len,
               GPtrArray     *cells,
               char         **message)
{
  MscTxtReader *r = user;

  switch (kind)
    {
    case MSC_IMPORT_LINE_SUMMARY:
      return msc_txt_summary (r, line, len, cells, message);
    case MSC_IMPORT_LINE_DETAILS:
      msc_txt_details (r, line, len, cells);
      return TRUE;
    case MSC_IMPORT_LINE_PREAMBLE:
    default:
      return msc_txt_preamble (r, line, len, cells);
    }
}

static void
msc_txt_reader_init (MscTxtReader *r)
{
  r->summary = g_array_new (FALSE, FALSE, sizeof (MscTxtSpan));
  r->details = g_array_new (FALSE, FALSE, sizeof (MscTxtSpan));
  r->tokens = g_array_new (FALSE, FALSE, sizeof (MscTxtSpan));
}

static void
msc_txt_reader_clear (MscTxtReader *r)
{
  g_array_unref (r->summary);
  g_array_unref (r->details);
  g_array_unref (r->tokens);
}

/* Returns: TRUE with one imported snapshot in result, or FALSE with error
 * (#MSC_IMPORT_ERROR) set */
gboolean
msc_txt_read (MscLoaderInput  *input,
              MscLoaderResult *result,
              GError         **error)
{
  MscTxtReader r;
  gboolean ok;

  msc_txt_reader_init (&r);
  ok = msc_import_read (input, msc_txt_split, &r, result, error);
  msc_txt_reader_clear (&r);
  return ok;
}
