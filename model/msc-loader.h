/* msc-loader.h — opening a capture: the one place that reads the input,
 * decides its format and hands the bytes to the reader for it.
 *
 * The input is read once, front to back: the format is sniffed from the
 * first bytes held in a buffer, and the reader goes on from there. So pipes,
 * FIFOs and standard input ("-") open like files. The readers
 * (msc-mmp-reader.h, msc-csv-reader.h, msc-txt-reader.h) only turn bytes
 * into snapshots; the session is made here. */
#pragma once

#include <gio/gio.h>

#include "model/core/msc-capture.h"
#include "model/msc-session.h"

G_BEGIN_DECLS

#define MSC_LOADER_ERROR (msc_loader_error_quark ())
GQuark msc_loader_error_quark (void);

typedef enum {
  MSC_LOADER_ERROR_OPEN = 1,   /* missing file, directory, unreadable */
  MSC_LOADER_ERROR_READ,       /* reading failed part way */
} MscLoaderError;

/* The name that stands for standard input. */
#define MSC_LOADER_STDIN "-"

/* What a capture holds, judged from its first bytes: '<' or a BOM → .mmp,
 * '"' → CSV, "Process:" → text. When the bytes say nothing, the extension
 * of path (nullable) decides; else .mmp, whose reader explains best what is
 * wrong with a file. */
MscFileFormat msc_loader_sniff       (const char     *data,
                                      gsize           length,
                                      const char     *path);

/* Opens the capture at path ("-": standard input): a .mmp, or VMMap's CSV or
 * text export as one read-only snapshot. The content decides the format,
 * the name only when the content cannot (msc_import_sniff()). Errors:
 * #MSC_LOADER_ERROR, or the reader's (#MSC_MMP_ERROR, #MSC_IMPORT_ERROR). */
MscSession *msc_loader_load           (const char     *path,
                                       GCancellable   *cancellable,
                                       GError        **error);
/* The same from memory; name (nullable) labels the process when the data
 * names none, and decides the format as a path's extension would. */
MscSession *msc_loader_load_memory    (const char     *data,
                                       gsize           length,
                                       const char     *name,
                                       GError        **error);
/* From memory in the given format, whatever the bytes look like (tests,
 * fuzzing: every reader sees every input). */
MscSession *msc_loader_load_memory_as (const char     *data,
                                       gsize           length,
                                       MscFileFormat   format,
                                       GError        **error);

G_END_DECLS
