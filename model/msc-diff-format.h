/* msc-diff-format.h — text views for reviewing captures outside the GUI:
 * a summary-first diff of two snapshots (memscope --diff) and a stable,
 * line-per-region view of a whole capture (memscope --text, for a git
 * textconv). Both are deterministic and use fixed column widths, so a
 * change in one region changes one line. */
#pragma once

#include <glib.h>

#include "model/core/msc-format.h"
#include "model/msc-diff.h"
#include "model/msc-session.h"

G_BEGIN_DECLS

/* Room for any msc_format_delta() text, NUL included. */
#define MSC_DELTA_LEN (MSC_FORMAT_KB_LEN + 2)

/* "+2,048" / "-4" in KB (or, with count, a plain number); "" for no
 * change. A change under 512 bytes still shows, as "+0". Returns cell,
 * which holds MSC_DELTA_LEN bytes. Shared by --diff and the GUI's Show
 * Changes, so both write a delta the same way. */
char *msc_format_delta     (gint64       delta,
                            gboolean     count,
                            char        *cell);

/* Appends text to out as every text view shows it: controls, invisible
 * line breaks and bidirectional overrides escaped (msc_text_escape()), so
 * a crafted Details or path cannot forge or reorder a line. */
void msc_string_append_escaped (GString    *out,
                                const char *text);
/* The same as a new string (g_free). */
char *msc_text_escaped         (const char *text);

/* Appends the diff to out: a "---"/"+++" header naming label_a/label_b and
 * the snapshot times, the per-type summary deltas in KB (changed rows and
 * Total), then every new (+), removed (-) and changed (~) region with its
 * address, sub-blocks indented; changed ones list "field old -> new". bits
 * (32 or 64) picks 8 or 16 address digits. */
void msc_diff_format       (MscDiff     *diff,
                            const char  *label_a,
                            const char  *label_b,
                            guint        bits,
                            GString     *out);

/* Appends the whole capture: process, then per snapshot its time, summary
 * table and every region (Free included), one line each. */
void msc_session_format    (MscSession  *session,
                            GString     *out);

G_END_DECLS
