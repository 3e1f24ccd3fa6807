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

/* "<element Timestamp=... PageTableSize=..." and the
 * snapshot's other attributes, unclosed: Snapshot and SnapshotDelta share
 * them. */
void msc_mmp_snapshot_attrs (MscOutput *out, const char *element, const MscCaptureSnapshot *snapshot);
/* name="value" for a number: name is a literal such as " Size=\"". */
void msc_mmp_number_attr (MscOutput *out, const char *name, uint64_t value);
