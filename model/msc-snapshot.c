/* msc-snapshot.c — one scan of a process at one time.
 *
 * The regions stay in the plain-C region table (one array, no GObject per
 * region) so 100,000-region snapshots stay cheap; in a session most
 * snapshots hold only what changed since the one before
 * (msc-snapshot-store.c). This type adds the scan-level figures and a
 * summary computed on first use (allocated then: most snapshots of a long
 * session are never summed).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/msc-snapshot-private.h"
#include "model/msc-snapshot-store.h"
#include "model/core/msc-capture.h"

/* FILETIME counts 100 ns ticks from 1601-01-01; that is 11644473600 s before
 * the Unix epoch. */
#define MSC_TICKS_PER_SECOND   G_GUINT64_CONSTANT (10000000)
#define MSC_FILETIME_TO_UNIX_S G_GINT64_CONSTANT (11644473600)

struct _MscSnapshot
{
  GObject parent_instance;

  guint64         timestamp;
  guint64         page_table_size;
  guint64         commit_charge;
  guint64         process_ws;
  guint           n_threads;
  char           *notes;
  MscSnapshotStore *store;
  gboolean        imported;

  /* Computed once; snapshots are shared between the UI and workers, hence
   * g_once rather than a plain flag. */
  gsize           summary_ready;
  MscSummary     *summary;
  /* The Total row alone, for views of many snapshots (the Timeline): a
   * tenth of a summary's memory, summed when the snapshot is made, while
   * its table is at hand (later, a snapshot stored as a change of the one
   * before would be rebuilt for it). */
  MscSummaryRow   total;
};

G_DEFINE_TYPE (MscSnapshot, msc_snapshot, G_TYPE_OBJECT)

G_DEFINE_QUARK (msc-scan-error-quark, msc_scan_error)

enum {
  PROP_0,
  PROP_TIMESTAMP,
  PROP_PAGE_TABLE_SIZE,
  PROP_COMMIT_CHARGE,
  PROP_PROCESS_WS,
  PROP_N_THREADS,
  PROP_NOTES,
  PROP_IMPORTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
msc_snapshot_finalize (GObject *object)
{
  MscSnapshot *self = MSC_SNAPSHOT (object);

  g_clear_pointer (&self->store, msc_snapshot_store_release);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->notes, g_free);

  G_OBJECT_CLASS (msc_snapshot_parent_class)->finalize (object);
}

static void
msc_snapshot_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MscSnapshot *self = MSC_SNAPSHOT (object);

  switch (prop_id)
    {
    case PROP_TIMESTAMP:
      g_value_set_uint64 (value, self->timestamp);
      break;
    case PROP_PAGE_TABLE_SIZE:
      g_value_set_uint64 (value, self->page_table_size);
      break;
    case PROP_COMMIT_CHARGE:
      g_value_set_uint64 (value, self->commit_charge);
      break;

    case PROP_PROCESS_WS:
      g_value_set_uint64 (value, self->process_ws);
      break;
    case PROP_N_THREADS:
      g_value_set_uint (value, self->n_threads);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_IMPORTED:
      g_value_set_boolean (value, self->imported);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_snapshot_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MscSnapshot *self = MSC_SNAPSHOT (object);

  switch (prop_id)
    {
    case PROP_TIMESTAMP:
      self->timestamp = g_value_get_uint64 (value);
      break;
    case PROP_PAGE_TABLE_SIZE:
      self->page_table_size = g_value_get_uint64 (value);
      break;
    case PROP_COMMIT_CHARGE:
      msc_snapshot_set_commit_charge (self, g_value_get_uint64 (value));
      break;

    case PROP_PROCESS_WS:
      msc_snapshot_set_process_ws (self, g_value_get_uint64 (value));
      break;
    case PROP_N_THREADS:
      msc_snapshot_set_n_threads (self, g_value_get_uint (value));
      break;
    case PROP_NOTES:
      msc_snapshot_set_notes (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_snapshot_class_init (MscSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msc_snapshot_finalize;
  object_class->get_property = msc_snapshot_get_property;
  object_class->set_property = msc_snapshot_set_property;

  /* FILETIME ticks (100 ns since 1601-01-01 UTC), as in the .mmp file. */
  properties[PROP_TIMESTAMP] =
    g_param_spec_uint64 ("timestamp", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Bytes: VMMap's "Page Table" summary row. */
  properties[PROP_PAGE_TABLE_SIZE] =
    g_param_spec_uint64 ("page-table-size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Bytes charged to the commit limit; 0 = not known. */
  properties[PROP_COMMIT_CHARGE] =
    g_param_spec_uint64 ("commit-charge", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Bytes: the whole process's working set where the regions have none
   * (Windows, another process under Wine); 0 = none. */
  properties[PROP_PROCESS_WS] =
    g_param_spec_uint64 ("process-ws", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* 0 = not known. */
  properties[PROP_N_THREADS] =
    g_param_spec_uint ("n-threads", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* What could not be measured and why; NULL when everything was. */
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Read from a VMMap CSV/TXT export: read-only, summary from the file. */
  properties[PROP_IMPORTED] =
    g_param_spec_boolean ("imported", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
msc_snapshot_init (MscSnapshot *self)
{
}

static MscRegionTable *
msc_region_table_new_or_abort (void)
{
  MscRegionTable *table = msc_region_table_new ();

  /* GLib's own allocations abort when memory runs out; so do we. */
  if (table == NULL)
    g_error ("%s: out of memory", G_STRLOC);
  return table;
}

/**
 * msc_snapshot_new:
 * @timestamp: FILETIME ticks
 * @page_table_size: bytes
 * @regions: (transfer full) (nullable): the regions; NULL for none
 *
 * Returns: (transfer full): a new snapshot owning @regions
 */
MscSnapshot *
msc_snapshot_new (guint64         timestamp,
                  guint64         page_table_size,
                  MscRegionTable *regions)
{
  MscSnapshot *self = g_object_new (MSC_TYPE_SNAPSHOT,
                                    "timestamp", timestamp,
                                    "page-table-size", page_table_size,
                                    NULL);

  MscSummary summary;

  if (regions != NULL)
    msc_region_table_trim (regions);  /* complete now: no slack kept for growth */
  msc_summary_compute (&summary, regions, page_table_size);
  self->total = summary.total;
  self->store = msc_snapshot_store_new (regions != NULL ? regions : msc_region_table_new_or_abort (),
                                        G_OBJECT (self));
  return self;
}

/**
 * msc_snapshot_new_imported:
 * @timestamp: FILETIME ticks
 * @page_table_size: bytes
 * @regions: (transfer full) (nullable): the regions the file lists
 * @summary: the file's summary table, copied
 *
 * Returns: (transfer full): a new imported snapshot whose summary is @summary
 */
MscSnapshot *
msc_snapshot_new_imported (guint64           timestamp,
                           guint64           page_table_size,
                           MscRegionTable   *regions,
                           const MscSummary *summary)
{
  MscSnapshot *self;

  g_return_val_if_fail (summary != NULL, NULL);

  self = msc_snapshot_new (timestamp, page_table_size, regions);
  self->imported = TRUE;
  self->summary = g_memdup2 (summary, sizeof *summary);
  self->summary_ready = 1;
  self->total = summary->total;  /* the file's, as the summary */
  return self;
}

/* ---- scanning ---- */

typedef struct {
  MscRegionTable *table;
  GCancellable   *cancellable;
} MscScanData;

static int
msc_scan_region (void            *user,
                 const MscRegion *region,
                 const char      *details)
{
  MscScanData *data = user;

  return msc_region_table_sink (data->table, region, details);
}

static int
msc_scan_progress (void   *user,
                   double  fraction)
{
  MscScanData *data = user;

  return g_cancellable_is_cancelled (data->cancellable);
}

static MscScanError
msc_scan_error_from_status (MscStatusCode code)
{
  switch (code)
    {
    case MSC_ERR_NO_PROCESS:
      return MSC_SCAN_ERROR_NO_PROCESS;
    case MSC_ERR_EXITED:
      return MSC_SCAN_ERROR_EXITED;
    case MSC_ERR_PERMISSION:
      return MSC_SCAN_ERROR_PERMISSION;
    case MSC_ERR_UNSUPPORTED:
      return MSC_SCAN_ERROR_UNSUPPORTED;
    case MSC_ERR_IO:
      return MSC_SCAN_ERROR_IO;
    case MSC_ERR_NO_MEMORY:
      return MSC_SCAN_ERROR_NO_MEMORY;
    case MSC_ERR_CANCELLED:
      return MSC_SCAN_ERROR_CANCELLED;
    case MSC_OK:
    case MSC_ERR_INVALID:
    default:
      return MSC_SCAN_ERROR_INVALID;
    }
}

static char *
msc_nonempty_or_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
}

static MscProcess *
msc_process_new_from_capture (const MscCaptureProcess *captured)
{
  MscProcess *process = msc_process_new (captured->pid, captured->name, captured->bits);

  msc_process_set_user (process, captured->user);
  msc_process_set_os (process, captured->os);
  msc_process_set_command_line (process, captured->command_line);
  return process;
}

/**
 * msc_snapshot_new_from_scan:
 * @pid: the process to scan
 * @scan_flags: MSC_SCAN_* of backends/backend.h
 * @cancellable: (nullable): checked whenever the backend reports progress
 * @process_out: (out) (optional) (transfer full): what the scan learned about
 *   the process
 * @error: a #MSC_SCAN_ERROR with the backend's message
 *
 * Scans @pid with the host's backend. Runs synchronously: call it from a
 * worker thread.
 *
 * Returns: (transfer full) (nullable): the snapshot, or NULL with @error set
 */
MscSnapshot *
msc_snapshot_new_from_scan (guint          pid,
                            guint          scan_flags,
                            GCancellable  *cancellable,
                            MscProcess   **process_out,
                            GError       **error)
{
  MscScanData data = { msc_region_table_new_or_abort (), cancellable };
  MscRegionSink sink = { msc_scan_region, msc_scan_progress, &data };
  MscScanInfo info = { 0 };
  MscStatus status = { MSC_OK, "" };
  MscCaptureProcess captured;
  MscCaptureSnapshot captured_snapshot;
  MscStatusCode code;
  MscSnapshot *self;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  code = msc_backend_scan (pid, scan_flags, &sink, &info, &status);
  /* Whatever the backend made of the refused progress callback (or if it
   * never asked), a cancelled scan is reported as cancelled. */
  if (code != MSC_ERR_CANCELLED && g_cancellable_is_cancelled (cancellable))
    code = msc_status_set (&status, MSC_ERR_CANCELLED, "%s", _("the scan was cancelled"));
  if (code != MSC_OK)
    {
      g_set_error_literal (error, MSC_SCAN_ERROR, msc_scan_error_from_status (code),
                           status.message[0] != '\0' ? status.message : _("the scan failed"));
      msc_region_table_free (data.table);
      msc_scan_info_clear (&info);
      return NULL;
    }

  /* The core's rule, which memscope-capture uses too. */
  msc_capture_from_scan (pid, &info, data.table, &captured, &captured_snapshot);
  self = msc_snapshot_new (captured_snapshot.timestamp, captured_snapshot.page_table_size, data.table);
  self->commit_charge = captured_snapshot.commit_charge;
  self->process_ws = captured_snapshot.process_ws;
  self->n_threads = captured_snapshot.n_threads;
  self->notes = msc_nonempty_or_null (captured_snapshot.notes);
  if (process_out != NULL)
    *process_out = msc_process_new_from_capture (&captured);
  msc_scan_info_clear (&info);
  return self;
}

/* ---- accessors ---- */

guint64
msc_snapshot_get_timestamp (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), 0);

  return self->timestamp;
}

/**
 * msc_snapshot_dup_date_time:
 *
 * Returns: (transfer full) (nullable): the timestamp as a UTC date and time,
 *   or NULL when it is past the year 9999 (a corrupt capture)
 */
GDateTime *
msc_snapshot_dup_date_time (MscSnapshot *self)
{
  g_autoptr(GDateTime) seconds = NULL;
  gint64 unix_seconds;
  guint64 remainder_ticks;

  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), NULL);

  unix_seconds = (gint64) (self->timestamp / MSC_TICKS_PER_SECOND) - MSC_FILETIME_TO_UNIX_S;
  remainder_ticks = self->timestamp % MSC_TICKS_PER_SECOND;
  seconds = g_date_time_new_from_unix_utc (unix_seconds);
  if (seconds == NULL)
    return NULL;
  return g_date_time_add (seconds, (GTimeSpan) (remainder_ticks / 10));
}

guint64
msc_snapshot_get_page_table_size (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), 0);

  return self->page_table_size;
}

guint64
msc_snapshot_get_commit_charge (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), 0);

  return self->commit_charge;
}

void
msc_snapshot_set_commit_charge (MscSnapshot *self,
                                guint64      bytes)
{
  g_return_if_fail (MSC_IS_SNAPSHOT (self));

  if (self->commit_charge == bytes)
    return;
  self->commit_charge = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMIT_CHARGE]);
}

guint64
msc_snapshot_get_process_ws (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), 0);

  return self->process_ws;
}

void
msc_snapshot_set_process_ws (MscSnapshot *self,
                             guint64      bytes)
{
  g_return_if_fail (MSC_IS_SNAPSHOT (self));

  if (self->process_ws == bytes)
    return;
  self->process_ws = bytes;
  if (self->summary != NULL)
    self->summary->process_ws = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCESS_WS]);
}

guint
msc_snapshot_get_n_threads (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), 0);

  return self->n_threads;
}

void
msc_snapshot_set_n_threads (MscSnapshot *self,
                            guint        n)
{
  g_return_if_fail (MSC_IS_SNAPSHOT (self));

  if (self->n_threads == n)
    return;
  self->n_threads = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_THREADS]);
}

/* Returns: (transfer none) (nullable) */
const char *
msc_snapshot_get_notes (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), NULL);

  return self->notes;
}

/* NULL and "" both mean "no notes". */
void
msc_snapshot_set_notes (MscSnapshot *self,
                        const char  *notes)
{
  g_return_if_fail (MSC_IS_SNAPSHOT (self));

  if (notes != NULL && notes[0] == '\0')
    notes = NULL;
  if (g_strcmp0 (self->notes, notes) == 0)
    return;
  g_free (self->notes);
  self->notes = g_strdup (notes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

/* Returns: (transfer none): the snapshot's regions, never NULL; held while
 * the caller holds a reference to the snapshot (msc-snapshot-store.h) */
const MscRegionTable *
msc_snapshot_get_regions (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), NULL);

  return msc_snapshot_store_get_regions (self->store);
}

/* TRUE for a snapshot read from a CSV/TXT export (see
 * msc_snapshot_new_imported()). */
gboolean
msc_snapshot_get_imported (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), FALSE);

  return self->imported;
}

/* Returns: (transfer none): VMMap's summary table, computed on first call
 * (an imported snapshot's: the file's) */
const MscSummary *
msc_snapshot_get_summary (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), NULL);

  if (g_once_init_enter (&self->summary_ready))
    {
      MscSummary *summary = g_new (MscSummary, 1);

      msc_summary_compute (summary, msc_snapshot_store_get_regions (self->store), self->page_table_size);
      summary->process_ws = self->process_ws;
      self->summary = summary;
      g_once_init_leave (&self->summary_ready, 1);
    }
  return self->summary;
}

/**
 * msc_snapshot_get_total:
 * @self: a snapshot
 *
 * The summary's Total row, without keeping the whole summary: what a view
 * of every snapshot of a long session needs (issue 20).
 *
 * Returns: (transfer none): the Total row, computed on first call
 */
const MscSummaryRow *
msc_snapshot_get_total (MscSnapshot *self)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), NULL);

  return &self->total;
}

/* ---- sharing (msc-snapshot-private.h) ---- */

gboolean
msc_snapshot_share (MscSnapshot *self,
                    MscSnapshot *prev)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self) && MSC_IS_SNAPSHOT (prev), FALSE);

  /* An export's regions leave out what it does not list: never a base. */
  if (self->imported || prev->imported)
    return FALSE;
  return msc_snapshot_store_share (self->store, prev->store);
}

const MscRegionDelta *
msc_snapshot_get_delta_from (MscSnapshot *self,
                             MscSnapshot *prev)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self) && MSC_IS_SNAPSHOT (prev), NULL);

  return msc_snapshot_store_delta_from (self->store, prev->store);
}

const MscRegionTable *
msc_snapshot_peek_regions (MscSnapshot           *self,
                           MscSnapshot           *prev,
                           const MscRegionTable  *prev_regions,
                           MscRegionTable       **owned)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), NULL);

  return msc_snapshot_store_peek_regions (self->store, prev != NULL ? prev->store : NULL, prev_regions, owned);
}

gsize
msc_snapshot_get_memory_size (MscSnapshot   *self,
                              gconstpointer *pool_id,
                              gsize         *pool_size)
{
  gsize bytes;

  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), 0);

  bytes = sizeof *self + msc_snapshot_store_memory_size (self->store, pool_id, pool_size)
          + msc_snapshot_store_cache_size (self->store);
  if (self->summary != NULL)
    bytes += sizeof *self->summary;
  if (self->notes != NULL)
    bytes += strlen (self->notes) + 1;
  return bytes;
}

/* Returns: (transfer full): a snapshot of its own with the same figures and
 * a full copy of the regions, for another session on another thread (a
 * live view of a recording): it shares no table, and so no cache, with self. */
MscSnapshot *
msc_snapshot_copy (MscSnapshot *self)
{
  const MscRegionTable *regions;
  MscRegionTable *table;
  MscSnapshot *copy;

  g_return_val_if_fail (MSC_IS_SNAPSHOT (self), NULL);

  regions = msc_snapshot_get_regions (self);
  table = msc_region_table_new ();
  for (size_t i = 0; i < msc_region_table_length (regions); i++)
    {
      MscRegion row = msc_region_table_row (regions, i);

      if (msc_region_table_append (table, &row, msc_region_table_details (regions, i)) != 0)
        g_error ("out of memory copying a snapshot");
    }
  copy = msc_snapshot_new (msc_snapshot_get_timestamp (self), msc_snapshot_get_page_table_size (self), table);
  msc_snapshot_set_commit_charge (copy, msc_snapshot_get_commit_charge (self));
  msc_snapshot_set_process_ws (copy, msc_snapshot_get_process_ws (self));
  msc_snapshot_set_n_threads (copy, msc_snapshot_get_n_threads (self));
  msc_snapshot_set_notes (copy, msc_snapshot_get_notes (self));
  return copy;
}
