/* msc-import.h — opening VMMap's own CSV and text exports
 * (../shared/design/formats.md §3–4) as a read-only snapshot whose summary
 * is the file's summary table. The per-format readers are
 * msc-csv-reader.h and msc-txt-reader.h; this is what they share. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MSC_IMPORT_ERROR (msc_import_error_quark ())
GQuark msc_import_error_quark (void);

typedef enum {
  MSC_IMPORT_ERROR_MISSING = 2,  /* a section (summary, details) is absent */
  MSC_IMPORT_ERROR_MALFORMED,    /* a line is not what VMMap writes; names the line */
  MSC_IMPORT_ERROR_CANCELLED,
  MSC_IMPORT_ERROR_TRUNCATED,    /* cut short: a line cut off, rows missing */
} MscImportError;

G_END_DECLS
