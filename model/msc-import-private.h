/* msc-import-private.h — the part of the CSV and text readers that does not
 * depend on how a line splits into cells: the sections, their order, the
 * cells' meaning (KB with locale separators, empty for zero, "n/a"), the
 * session built from them. Not installed, not API. */
#pragma once

#include "model/msc-import.h"
#include "model/msc-loader-private.h"

G_BEGIN_DECLS

/* What the reader expects the next non-blank line to be. */
typedef enum {
  MSC_IMPORT_LINE_PREAMBLE,  /* "Process:"/"PID:" lines or a table header */
  MSC_IMPORT_LINE_SUMMARY,   /* a summary row: 11 cells */
  MSC_IMPORT_LINE_DETAILS,   /* a details row: 13 cells */
} MscImportLine;

/* Splits line (length len, line end stripped, NUL-terminated) into cells
 * (g_free'd strings appended to cells). A table header splits into its
 * words. Returns FALSE with *message (g_free) when the line cannot be
 * split. The reader checks the number and meaning of the cells. */
typedef gboolean (*MscImportSplitFunc) (gpointer       user,
                                        MscImportLine  kind,
                                        const char    *line,
                                        gsize          len,
                                        GPtrArray     *cells,
                                        char         **message);

/* Reads a whole export into one imported snapshot. */
gboolean msc_import_read (MscLoaderInput     *input,
                          MscImportSplitFunc  split,
                          gpointer            user,
                          MscLoaderResult    *result,
                          GError            **error);

G_END_DECLS
