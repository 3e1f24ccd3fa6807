/* msc-process-lookup.h — find a live process by PID or name prefix. */
#pragma once

#include <glib.h>

#include "model/core/msc-process-find.h"

G_BEGIN_DECLS

/* text is a decimal PID, or a name prefix matched against process names as
 * VMMap does (case-insensitive; the calling process itself is never a match).
 * Returns the matches (MscProcessMatch), lowest PID first (at least one), or
 * NULL with error. The matching is the plain-C core's (msc_process_find()),
 * shared with memscope-capture. */
GArray *msc_process_lookup (const char *text, GError **error);

/* VMMap takes the first match silently; we say which one was taken when
 * text matched several (matches from msc_process_lookup()), so a user can
 * pick another by PID. NULL when there was no choice. */
char   *msc_process_lookup_describe_choice (const char *text,
                                            GArray     *matches);

G_END_DECLS
