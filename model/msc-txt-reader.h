/* msc-txt-reader.h — opens VMMap's text export (formats.md §4) as a
 * read-only session of one imported snapshot. Column positions come from
 * the header lines, never from fixed widths. Errors: #MSC_IMPORT_ERROR. */
#pragma once

#include "model/msc-import.h"

G_BEGIN_DECLS

MscSession *msc_txt_read_file   (const char    *path,
                                 GCancellable  *cancellable,
                                 GError       **error);
MscSession *msc_txt_read_memory (const char    *data,
                                 gsize          length,
                                 GError       **error);

G_END_DECLS
