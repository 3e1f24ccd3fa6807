/* msc-strings-scan.h — the Strings view's work: the resident, readable pages
 * of one region of a live process streamed through the strings extractor.
 *
 * Pages that are not resident are skipped, never faulted in (the scan must
 * not change the working set it sits next to); the stats say how many.
 * Results arrive in batches in address order, so a 1 GiB region never has
 * to be held by the scan itself.
 */
#pragma once

#include <gio/gio.h>

#include "backends/backend.h"
#include "model/msc-snapshot.h"  /* MSC_SCAN_ERROR */
#include "model/msc-strings.h"

G_BEGIN_DECLS

#define MSC_TYPE_STRINGS_SCAN (msc_strings_scan_get_type ())
G_DECLARE_FINAL_TYPE (MscStringsScan, msc_strings_scan, MSC, STRINGS_SCAN, GObject)

/* min_length 0 means MSC_STRINGS_DEFAULT_MIN_LENGTH. */
MscStringsScan     *msc_strings_scan_new          (guint                pid,
                                                   guint64              address,
                                                   guint64              size,
                                                   guint                min_length);

/* Runs synchronously in the calling thread (a worker: it reads the whole
 * region); func gets each batch in that thread.  Cancelling stops it soon
 * with G_IO_ERROR_CANCELLED; other failures are MSC_SCAN_ERROR (no such
 * process, permission denied, region gone).  Runs once per object. */
gboolean            msc_strings_scan_run          (MscStringsScan      *self,
                                                   MscStringsFunc       func,
                                                   gpointer             user_data,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* The same in a GTask thread.  Each batch is emitted as the "batch" signal,
 * and progress as the "fraction" property, on the thread-default main
 * context of the caller, all before callback runs.  The worker waits when
 * the main context falls behind, so memory stays bounded. */
void                msc_strings_scan_run_async    (MscStringsScan      *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            msc_strings_scan_run_finish   (MscStringsScan      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

guint               msc_strings_scan_get_pid      (MscStringsScan      *self);
guint64             msc_strings_scan_get_address  (MscStringsScan      *self);
guint64             msc_strings_scan_get_size     (MscStringsScan      *self);
guint               msc_strings_scan_get_min_length (MscStringsScan    *self);
/* Fraction of the region walked, in [0, 1]. */
double              msc_strings_scan_get_fraction (MscStringsScan      *self);
guint64             msc_strings_scan_get_n_found  (MscStringsScan      *self);
/* What was read and skipped (pages_not_resident: skipped as not resident);
 * valid once the run has ended, also after a failure. */
const MscReadStats *msc_strings_scan_get_stats    (MscStringsScan      *self);

G_END_DECLS
