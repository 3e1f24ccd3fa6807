/* msc-csv-reader.h — opens VMMap's CSV export (formats.md §3) as a
 * read-only session of one imported snapshot. Errors: #MSC_IMPORT_ERROR. */
#pragma once

#include "model/msc-import.h"

G_BEGIN_DECLS

MscSession *msc_csv_read_file   (const char    *path,
                                 GCancellable  *cancellable,
                                 GError       **error);
MscSession *msc_csv_read_memory (const char    *data,
                                 gsize          length,
                                 GError       **error);

G_END_DECLS
