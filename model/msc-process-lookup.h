/* msc-process-lookup.h — find a live process by PID or name prefix. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint pid;
  char  name[256];
} MscProcessMatch;

/* text is a decimal PID, or a name prefix matched against process names as
 * VMMap does (case-insensitive; the calling process itself is never a match).
 * Returns the matches, lowest PID first (at least one), or NULL with error. */
GArray *msc_process_lookup (const char *text, GError **error);

G_END_DECLS
