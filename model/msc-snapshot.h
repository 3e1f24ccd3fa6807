/* msc-snapshot.h — one scan of a process at one time: owns a region table. */
#pragma once

#include <gio/gio.h>
#include "model/core/msc-region-table.h"
#include "model/core/msc-summary.h"
#include "model/msc-process.h"

G_BEGIN_DECLS

#define MSC_SCAN_ERROR (msc_scan_error_quark ())
GQuark msc_scan_error_quark (void);

/* Codes mirror MscStatusCode of backends/backend.h. */
typedef enum {
  MSC_SCAN_ERROR_NO_PROCESS = 1,
  MSC_SCAN_ERROR_EXITED,
  MSC_SCAN_ERROR_PERMISSION,
  MSC_SCAN_ERROR_UNSUPPORTED,
  MSC_SCAN_ERROR_IO,
  MSC_SCAN_ERROR_NO_MEMORY,
  MSC_SCAN_ERROR_CANCELLED,
  MSC_SCAN_ERROR_INVALID,
} MscScanError;

#define MSC_TYPE_SNAPSHOT (msc_snapshot_get_type ())
G_DECLARE_FINAL_TYPE (MscSnapshot, msc_snapshot, MSC, SNAPSHOT, GObject)

/* Takes ownership of regions. */
MscSnapshot          *msc_snapshot_new               (guint64          timestamp,
                                                      guint64          page_table_size,
                                                      MscRegionTable  *regions);
/* A snapshot imported from a VMMap CSV/TXT export (read-only: nothing can
 * be measured again): its summary is a copy of the file's own table, since
 * the export's details list neither Free nor Unusable regions. Takes
 * ownership of regions. */
MscSnapshot          *msc_snapshot_new_imported      (guint64          timestamp,
                                                      guint64          page_table_size,
                                                      MscRegionTable  *regions,
                                                      const MscSummary *summary);
/* Scans pid with the host's backend. process_out (optional) receives the
 * process metadata the scan found. Runs synchronously: call from a worker. */
MscSnapshot          *msc_snapshot_new_from_scan     (guint            pid,
                                                      guint            scan_flags,
                                                      GCancellable    *cancellable,
                                                      MscProcess     **process_out,
                                                      GError         **error);
/* A full, independent copy (for another session on another thread). */
MscSnapshot          *msc_snapshot_copy              (MscSnapshot     *self);
guint64               msc_snapshot_get_timestamp     (MscSnapshot     *self); /* FILETIME ticks */
GDateTime            *msc_snapshot_dup_date_time     (MscSnapshot     *self); /* (transfer full) */
guint64               msc_snapshot_get_page_table_size (MscSnapshot   *self);
guint64               msc_snapshot_get_commit_charge (MscSnapshot     *self);
void                  msc_snapshot_set_commit_charge (MscSnapshot     *self, guint64 bytes);
guint64               msc_snapshot_get_process_ws    (MscSnapshot     *self);
void                  msc_snapshot_set_process_ws    (MscSnapshot     *self, guint64 bytes);
guint                 msc_snapshot_get_n_threads     (MscSnapshot     *self);
void                  msc_snapshot_set_n_threads     (MscSnapshot     *self, guint n);
const char           *msc_snapshot_get_notes         (MscSnapshot     *self);
void                  msc_snapshot_set_notes         (MscSnapshot     *self, const char *notes);
/* Built on demand for a snapshot stored as a delta (docs/snapshot-storage.md):
 * valid while the caller holds a reference to self (else until a few other
 * snapshots' tables are built or a scan is added to the session). */
const MscRegionTable *msc_snapshot_get_regions       (MscSnapshot     *self);
const MscSummary     *msc_snapshot_get_summary       (MscSnapshot     *self); /* computed once */
const MscSummaryRow  *msc_snapshot_get_total         (MscSnapshot     *self);
gboolean              msc_snapshot_get_imported      (MscSnapshot     *self);

G_END_DECLS
