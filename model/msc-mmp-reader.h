/* msc-mmp-reader.h — streaming .mmp reader (libxml2 xmlTextReader, no
 * network, no entity expansion). Tolerant of VMMap's own files. */
#pragma once

#include <gio/gio.h>
#include "model/msc-session.h"

G_BEGIN_DECLS

#define MSC_MMP_ERROR (msc_mmp_error_quark ())
GQuark msc_mmp_error_quark (void);

typedef enum {
  MSC_MMP_ERROR_OPEN = 1,     /* missing file, directory, unreadable */
  MSC_MMP_ERROR_MALFORMED,    /* not well-formed XML; message names the line */
  MSC_MMP_ERROR_INVALID,      /* well-formed but wrong values; names the line */
  MSC_MMP_ERROR_UNSAFE,       /* DOCTYPE with entities, external references */
  MSC_MMP_ERROR_NO_SNAPSHOT,  /* no Snapshot/Region data in the file */
  MSC_MMP_ERROR_CANCELLED,
} MscMmpError;

/* Reads a whole file into a new session (every Snapshot, time order). */
MscSession *msc_mmp_read_file   (const char    *path,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Same, from memory (for tests and fuzzing). */
MscSession *msc_mmp_read_memory (const char    *data,
                                 gsize          length,
                                 GError       **error);

G_END_DECLS
