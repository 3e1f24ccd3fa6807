/* msc-session.c — the snapshots of one process, kept in time order (the
 * timeline and Show Changes compare neighbours), and saving them. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "model/msc-session.h"
#include "model/msc-snapshot-private.h"
#include "model/msc-trace-xml.h"

struct _MscSession
{
  GObject parent_instance;

  MscProcess *process;
  GPtrArray  *snapshots;   /* MscSnapshot, ascending timestamp */
  MscTrace   *trace;       /* NULL unless the program was traced */
};

G_DEFINE_TYPE (MscSession, msc_session, G_TYPE_OBJECT)

G_DEFINE_QUARK (msc-session-error-quark, msc_session_error)

enum {
  PROP_0,
  PROP_PROCESS,
  PROP_N_SNAPSHOTS,
  PROP_TRACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SNAPSHOT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
msc_session_dispose (GObject *object)
{
  MscSession *self = MSC_SESSION (object);

  g_clear_object (&self->process);
  g_clear_pointer (&self->snapshots, g_ptr_array_unref);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (msc_session_parent_class)->dispose (object);
}

static void
msc_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MscSession *self = MSC_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROCESS:
      g_value_set_object (value, self->process);
      break;
    case PROP_N_SNAPSHOTS:
      g_value_set_uint (value, msc_session_get_n_snapshots (self));
      break;
    case PROP_TRACE:
      g_value_set_object (value, self->trace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MscSession *self = MSC_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROCESS:
      msc_session_set_process (self, g_value_get_object (value));
      break;
    case PROP_TRACE:
      msc_session_set_trace (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_session_class_init (MscSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = msc_session_dispose;
  object_class->get_property = msc_session_get_property;
  object_class->set_property = msc_session_set_property;

  properties[PROP_PROCESS] =
    g_param_spec_object ("process", NULL, NULL, MSC_TYPE_PROCESS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SNAPSHOTS] =
    g_param_spec_uint ("n-snapshots", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRACE] =
    g_param_spec_object ("trace", NULL, NULL, MSC_TYPE_TRACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MscSession::snapshot-added:
   * @index: where the snapshot now is (time order, so not always the end)
   */
  signals[SNAPSHOT_ADDED] =
    g_signal_new ("snapshot-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
msc_session_init (MscSession *self)
{
  self->snapshots = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * msc_session_new:
 * @process: (nullable): the observed process
 *
 * Returns: (transfer full): a new, empty session
 */
MscSession *
msc_session_new (MscProcess *process)
{
  g_return_val_if_fail (process == NULL || MSC_IS_PROCESS (process), NULL);

  return g_object_new (MSC_TYPE_SESSION, "process", process, NULL);
}

/* Returns: (transfer none) (nullable) */
MscProcess *
msc_session_get_process (MscSession *self)
{
  g_return_val_if_fail (MSC_IS_SESSION (self), NULL);

  return self->process;
}

void
msc_session_set_process (MscSession *self,
                         MscProcess *process)
{
  g_return_if_fail (MSC_IS_SESSION (self));
  g_return_if_fail (process == NULL || MSC_IS_PROCESS (process));

  if (g_set_object (&self->process, process))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCESS]);
}

/* Snapshots mostly arrive in time order, so search from the end; equal
 * timestamps keep their arrival order. */
static guint
msc_session_insertion_index (MscSession *self,
                             guint64     timestamp)
{
  guint index = self->snapshots->len;

  while (index > 0
         && msc_snapshot_get_timestamp (g_ptr_array_index (self->snapshots, index - 1)) > timestamp)
    index--;
  return index;
}

/**
 * msc_session_add_snapshot:
 * @snapshot: (transfer none): the snapshot; the session takes a reference
 *
 * Inserts @snapshot keeping time order and emits #MscSession::snapshot-added.
 * A snapshot that lands last is stored as what changed since the one
 * before it (docs/snapshot-storage.md): add it before showing its regions.
 */
void
msc_session_add_snapshot (MscSession  *self,
                          MscSnapshot *snapshot)
{
  guint index;

  g_return_if_fail (MSC_IS_SESSION (self));
  g_return_if_fail (MSC_IS_SNAPSHOT (snapshot));

  index = msc_session_insertion_index (self, msc_snapshot_get_timestamp (snapshot));
  g_ptr_array_insert (self->snapshots, (gint) index, g_object_ref (snapshot));
  if (index > 0 && index == self->snapshots->len - 1)
    msc_snapshot_share (snapshot, g_ptr_array_index (self->snapshots, index - 1));
  g_signal_emit (self, signals[SNAPSHOT_ADDED], 0, index);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SNAPSHOTS]);
}

/**
 * msc_session_copy:
 * @only: (nullable): the one snapshot to keep, or NULL for all
 *
 * Returns: (transfer full): a new session of the same process sharing the
 * snapshots
 */
MscSession *
msc_session_copy (MscSession  *self,
                  MscSnapshot *only)
{
  MscSession *copy;

  g_return_val_if_fail (MSC_IS_SESSION (self), NULL);

  copy = msc_session_new (self->process);
  msc_session_set_trace (copy, self->trace);
  if (only != NULL)
    msc_session_add_snapshot (copy, only);
  else
    for (guint i = 0; i < self->snapshots->len; i++)
      g_ptr_array_add (copy->snapshots, g_object_ref (g_ptr_array_index (self->snapshots, i)));
  return copy;
}

/* Returns: (transfer none) (nullable): the trace of a launched program */
MscTrace *
msc_session_get_trace (MscSession *self)
{
  g_return_val_if_fail (MSC_IS_SESSION (self), NULL);

  return self->trace;
}

void
msc_session_set_trace (MscSession *self,
                       MscTrace   *trace)
{
  g_return_if_fail (MSC_IS_SESSION (self));
  g_return_if_fail (trace == NULL || MSC_IS_TRACE (trace));

  if (g_set_object (&self->trace, trace))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE]);
}

guint
msc_session_get_n_snapshots (MscSession *self)
{
  g_return_val_if_fail (MSC_IS_SESSION (self), 0);

  return self->snapshots->len;
}

/* Returns: (transfer none) */
MscSnapshot *
msc_session_get_snapshot (MscSession *self,
                          guint       index)
{
  g_return_val_if_fail (MSC_IS_SESSION (self), NULL);
  g_return_val_if_fail (index < self->snapshots->len, NULL);

  return g_ptr_array_index (self->snapshots, index);
}

/* Returns: (transfer none) (nullable): the most recent snapshot */
MscSnapshot *
msc_session_get_latest (MscSession *self)
{
  g_return_val_if_fail (MSC_IS_SESSION (self), NULL);

  if (self->snapshots->len == 0)
    return NULL;
  return g_ptr_array_index (self->snapshots, self->snapshots->len - 1);
}

/**
 * msc_session_get_memory_size:
 *
 * What the session's snapshots hold in memory: their records (full tables
 * or deltas), cached tables and summaries, and each details pool once.
 *
 * Returns: bytes
 */
gsize
msc_session_get_memory_size (MscSession *self)
{
  g_autoptr(GHashTable) pools = NULL;
  gsize bytes = sizeof *self;

  g_return_val_if_fail (MSC_IS_SESSION (self), 0);

  pools = g_hash_table_new (NULL, NULL);
  bytes += self->snapshots->len * sizeof (gpointer);
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      gconstpointer pool_id = NULL;
      gsize pool_size = 0;

      bytes += msc_snapshot_get_memory_size (g_ptr_array_index (self->snapshots, i), &pool_id, &pool_size);
      if (g_hash_table_add (pools, (gpointer) pool_id))
        bytes += pool_size;
    }
  return bytes;
}

/* ---- saving ---- */

static void
msc_session_capture_process (MscSession        *self,
                             MscCaptureProcess *out)
{
  MscProcess *process = self->process;

  *out = (MscCaptureProcess) { 0 };
  if (process == NULL)
    return;
  out->pid = msc_process_get_pid (process);
  out->bits = msc_process_get_bits (process);
  out->name = msc_process_get_name (process);
  out->user = msc_process_get_user (process);
  out->os = msc_process_get_os (process);
  out->command_line = msc_process_get_command_line (process);
}

/* Walks the snapshots in order for the .mmp writer: each one's regions
 * from the one before, freed once the next is built. */
typedef struct {
  GPtrArray      *snapshots;
  MscRegionTable *owned;      /* the last table built here */
  MscRegionTable *owned_prev; /* the one before: valid until the call after next */
  const MscRegionTable *last; /* the last table handed out */
} MscSessionWalk;

static const MscRegionTable *
msc_session_walk_regions (void   *user,
                          size_t  i)
{
  MscSessionWalk *walk = user;
  MscSnapshot *prev = i > 0 ? g_ptr_array_index (walk->snapshots, i - 1) : NULL;
  MscRegionTable *owned = NULL;
  const MscRegionTable *table;

  table = msc_snapshot_peek_regions (g_ptr_array_index (walk->snapshots, i), prev,
                                     i > 0 ? walk->last : NULL, &owned);
  g_clear_pointer (&walk->owned_prev, msc_region_table_free);
  walk->owned_prev = g_steal_pointer (&walk->owned);
  walk->owned = owned;
  walk->last = table;
  return table;
}

static void
msc_session_walk_clear (MscSessionWalk *walk)
{
  g_clear_pointer (&walk->owned, msc_region_table_free);
  g_clear_pointer (&walk->owned_prev, msc_region_table_free);
}

static void
msc_session_capture_snapshot (MscSnapshot        *snapshot,
                              gboolean            last,
                              MscCaptureSnapshot *out)
{
  out->timestamp = msc_snapshot_get_timestamp (snapshot);
  out->page_table_size = msc_snapshot_get_page_table_size (snapshot);
  out->commit_charge = msc_snapshot_get_commit_charge (snapshot);
  out->process_ws = msc_snapshot_get_process_ws (snapshot);
  out->n_threads = msc_snapshot_get_n_threads (snapshot);
  out->notes = msc_snapshot_get_notes (snapshot);
  /* The others' come through MscCapture.regions_of, one at a time. */
  out->regions = last ? msc_snapshot_get_regions (snapshot) : NULL;
  /* An imported snapshot's summary is the file's, and must be passed; any
   * other the exports compute from the regions when they need it (a .mmp
   * never does: no pass over 100,000 regions for nothing). */
  out->summary = msc_snapshot_get_imported (snapshot) ? msc_snapshot_get_summary (snapshot) : NULL;
}

/* The capture the core writers take; NULL (with error) when there is no
 * snapshot. The snapshot array is the caller's to g_free(). */
static MscCaptureSnapshot *
msc_session_capture (MscSession     *self,
                     const char     *path,
                     MscCapture     *capture,
                     MscSessionWalk *walk,
                     GError        **error)
{
  MscCaptureSnapshot *snapshots;
  guint n = self->snapshots->len;

  *capture = (MscCapture) { 0 };
  if (n == 0)
    {
      if (path != NULL)
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_EMPTY,
                       _("could not write %s: there is no snapshot to save"), display);
        }
      else
        g_set_error_literal (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_EMPTY,
                             _("there is no snapshot to save"));
      return NULL;
    }
  snapshots = g_new0 (MscCaptureSnapshot, n);
  for (guint i = 0; i < n; i++)
    msc_session_capture_snapshot (g_ptr_array_index (self->snapshots, i), i == n - 1, &snapshots[i]);
  *walk = (MscSessionWalk) { self->snapshots, NULL, NULL, NULL };
  capture->regions_of = msc_session_walk_regions;
  capture->user = walk;
  msc_session_capture_process (self, &capture->process);
  capture->snapshots = snapshots;
  capture->n_snapshots = n;
  /* The caller frees it (msc_session_capture_clear). */
  if (self->trace != NULL)
    capture->trailer = msc_trace_xml_write (self->trace);
  return snapshots;
}

static void
msc_session_capture_clear (MscCapture *capture)
{
  g_free ((char *) capture->trailer);
  if (capture->user != NULL)
    msc_session_walk_clear (capture->user);
}

static gboolean
msc_session_write_failed (const MscStatus *status,
                          GError         **error)
{
  g_set_error_literal (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_WRITE,
                       status->message[0] != '\0' ? status->message : _("the file could not be written"));
  return FALSE;
}

/**
 * msc_session_save:
 * @path: where to write; replaced atomically (left as it was on failure)
 * @format: .mmp writes every snapshot, CSV and text the latest
 * @error: #MSC_SESSION_ERROR_EMPTY or #MSC_SESSION_ERROR_WRITE
 *
 * Returns: TRUE once @path holds the whole capture
 */
gboolean
msc_session_save (MscSession    *self,
                  const char    *path,
                  MscFileFormat  format,
                  GError       **error)
{
  g_autofree MscCaptureSnapshot *snapshots = NULL;
  MscCapture capture;
  MscSessionWalk walk;
  MscStatus status = { MSC_OK, "" };
  MscStatusCode code;

  g_return_val_if_fail (MSC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  snapshots = msc_session_capture (self, path, &capture, &walk, error);
  if (snapshots == NULL)
    return FALSE;
  code = msc_capture_save (&capture, path, format, &status);
  msc_session_capture_clear (&capture);
  if (code != MSC_OK)
    return msc_session_write_failed (&status, error);
  return TRUE;
}

/**
 * msc_session_write:
 * @out: an open stream; not closed
 * @format: .mmp writes every snapshot, CSV and text the latest
 * @error: #MSC_SESSION_ERROR_EMPTY or #MSC_SESSION_ERROR_WRITE
 *
 * Writes what msc_session_save() would, to @out, flushing it. Not atomic.
 *
 * Returns: TRUE when everything was written
 */
gboolean
msc_session_write (MscSession    *self,
                   FILE          *out,
                   MscFileFormat  format,
                   GError       **error)
{
  g_autofree MscCaptureSnapshot *snapshots = NULL;
  MscCapture capture;
  MscSessionWalk walk;
  MscStatus status = { MSC_OK, "" };
  MscStatusCode code;

  g_return_val_if_fail (MSC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  snapshots = msc_session_capture (self, NULL, &capture, &walk, error);
  if (snapshots == NULL)
    return FALSE;
  switch (format)
    {
    case MSC_FILE_FORMAT_MMP:
      code = msc_mmp_write (out, &capture, &status);
      break;
    case MSC_FILE_FORMAT_CSV:
      code = msc_csv_write (out, &capture.process, &snapshots[capture.n_snapshots - 1], &status);
      break;
    case MSC_FILE_FORMAT_TXT:
      code = msc_txt_write (out, &capture.process, &snapshots[capture.n_snapshots - 1], &status);
      break;
    default:
      msc_session_capture_clear (&capture);
      g_return_val_if_reached (FALSE);
    }
  msc_session_capture_clear (&capture);
  if (code != MSC_OK)
    return msc_session_write_failed (&status, error);
  return TRUE;
}
