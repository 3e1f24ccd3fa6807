/* msc-diff-format.h — text views for reviewing captures outside the GUI:
 * a summary-first diff of two snapshots (memscope --diff) and a stable,
 * line-per-region view of a whole capture (memscope --text, for a git
 * textconv). Both are deterministic and use fixed column widths, so a
 * change in one region changes one line. */
#pragma once

#include <glib.h>

#include "model/msc-diff.h"
#include "model/msc-session.h"

G_BEGIN_DECLS

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
