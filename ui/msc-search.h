/* msc-search.h — the text matching behind the views' search and filter
 * fields. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether needle occurs in haystack, ignoring ASCII case.  Paths, "Heap
 * ID: 3" and the Strings view's (ASCII) strings need no Unicode folding,
 * and g_utf8_casefold per row would allocate 100,000 times per keystroke.
 * An empty needle matches everything. */
gboolean msc_search_contains (const char *haystack,
                              const char *needle);

G_END_DECLS
