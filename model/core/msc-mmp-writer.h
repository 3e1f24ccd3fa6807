/* msc-mmp-writer.h — the .mmp writer in pieces, for a capture written as a
 * scan emits it (msc_capture_scan_save) rather than from a finished table.
 * msc_mmp_write() is these pieces in order. Internal to model/core. */
#pragma once

#include "model/core/msc-capture.h"
#include "model/core/msc-output.h"

/* The XML declaration, the MemoryMap start tag and the Process element. */
void msc_mmp_write_head           (MscOutput *out, const MscCaptureProcess *process);
void msc_mmp_write_snapshot_start (MscOutput *out, const MscCaptureSnapshot *snapshot);
/* One region, in table order; *skip_subs starts at 0 for each snapshot. */
void msc_mmp_write_region         (MscOutput *out, const MscRegion *region, const char *details,
                                   int *skip_subs);
void msc_mmp_write_snapshot_end   (MscOutput *out);
void msc_mmp_write_tail           (MscOutput *out);
