/* msc-import.h — opening VMMap's own CSV and text exports
 * (../shared/design/formats.md §3–4) as a read-only snapshot whose summary
 * is the file's summary table. The per-format readers are
 * msc-csv-reader.h and msc-txt-reader.h; this is what they share. */
#pragma once

#include <gio/gio.h>

#include "model/core/msc-capture.h"
#include "model/msc-session.h"

G_BEGIN_DECLS

#define MSC_IMPORT_ERROR (msc_import_error_quark ())
GQuark msc_import_error_quark (void);

typedef enum {
  MSC_IMPORT_ERROR_OPEN = 1,   /* missing file, directory, unreadable */
  MSC_IMPORT_ERROR_MISSING,    /* a section (summary, details) is absent */
  MSC_IMPORT_ERROR_MALFORMED,  /* a line is not what VMMap writes; names the line */
  MSC_IMPORT_ERROR_CANCELLED,
} MscImportError;

/* What a capture file holds, judged from its first bytes: '<' or a BOM →
 * .mmp, '"' → CSV, "Process:" or a summary header → text. When the bytes
 * say nothing, the extension of path (nullable) decides; else .mmp, whose
 * reader explains best what is wrong with a file. */
MscFileFormat msc_import_sniff      (const char *data,
                                     gsize       length,
                                     const char *path);
/* The same, from the first bytes of the file at path (none when it cannot
 * be read: the reader chosen will say why). */
MscFileFormat msc_import_sniff_file (const char *path);

G_END_DECLS
