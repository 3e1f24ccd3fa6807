/* msc-txt-reader.h — opens VMMap's text export (formats.md §4) as a
 * read-only session of one imported snapshot. Column positions come from
 * the header lines, never from fixed widths. Errors: #MSC_IMPORT_ERROR. */
#pragma once

#include "model/msc-import.h"
#include "model/msc-loader-private.h"

G_BEGIN_DECLS

gboolean msc_txt_read (MscLoaderInput  *input,
                      MscLoaderResult *result,
                      GError         **error);

G_END_DECLS
