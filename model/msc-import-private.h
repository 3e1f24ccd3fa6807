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

/* msc-import-cells.c */

/* A number cell: "" is 0 (VMMap leaves zero empty), "n/a" sets *unknown;
 * multiplier 1024 for KB cells, 1 for Blocks. FALSE when not a number. */
gboolean msc_import_cell_number      (const char  *cell,
                                      guint64      multiplier,
                                      guint64     *value,
                                      gboolean    *unknown);
/* VMMap's protection words ("Read/Write", "0x1800", "" for none) → PAGE_*. */
gboolean msc_import_protection_value (const char  *cell,
                                      guint32     *protection);
/* VMMap's storage (MEM_*) for a type: the .mmp writer wants one. */
guint32  msc_import_storage          (MscUseType   type);
/* data as UTF-8 in *utf8 (g_free) when it is UTF-16 with a BOM, else
 * *utf8 = NULL; FALSE with *problem (g_free) when it is not valid UTF-16. */
gboolean msc_import_utf16_to_utf8    (const char  *data,
                                      gsize        length,
                                      char       **utf8,
                                      gsize       *written,
                                      char       **problem);

/* Reads a whole export into one imported snapshot. */
gboolean msc_import_read (MscLoaderInput     *input,
                          MscImportSplitFunc  split,
                          gpointer            user,
                          MscLoaderResult    *result,
                          GError            **error);

G_END_DECLS
