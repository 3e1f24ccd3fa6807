/* msc-csv-reader.h — opens VMMap's CSV export (formats.md §3) as a
 * read-only session of one imported snapshot. Errors: #MSC_IMPORT_ERROR. */
#pragma once

#include "model/msc-import.h"
#include "model/msc-loader-private.h"

G_BEGIN_DECLS

gboolean msc_csv_read (MscLoaderInput  *input,
                      MscLoaderResult *result,
                      GError         **error);

G_END_DECLS
