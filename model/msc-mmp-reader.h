/* msc-mmp-reader.h — streaming .mmp reader (libxml2's SAX2 parser, no
 * network, no entity expansion). Tolerant of VMMap's own files. */
#pragma once

#include <gio/gio.h>
#include "model/msc-loader-private.h"

G_BEGIN_DECLS

#define MSC_MMP_ERROR (msc_mmp_error_quark ())
GQuark msc_mmp_error_quark (void);

typedef enum {
  MSC_MMP_ERROR_MALFORMED = 2,    /* not well-formed XML; message names the line */
  MSC_MMP_ERROR_INVALID,      /* well-formed but wrong values; names the line */
  MSC_MMP_ERROR_UNSAFE,       /* DOCTYPE with entities, external references */
  MSC_MMP_ERROR_NO_SNAPSHOT,  /* no Snapshot/Region data in the file */
  MSC_MMP_ERROR_CANCELLED,
} MscMmpError;

/* Turns the input into snapshots (every Snapshot element, file order). */
gboolean msc_mmp_read (MscLoaderInput  *input,
                       MscLoaderResult *result,
                       GError         **error);

G_END_DECLS
