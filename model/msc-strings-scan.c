/* msc-strings-scan.c — see msc-strings-scan.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/msc-backend-error.h"
#include "model/msc-strings-scan.h"

/* Batches handed to the main context and not yet emitted: beyond this the
 * worker waits (a GUI that falls behind must not make the scan balloon). */
#define MSC_MAX_IN_FLIGHT 8
#define MSC_WAIT_SLICE_US (50 * G_TIME_SPAN_MILLISECOND)
/* Batches (and the end of the task, which must come after them: sources of
 * one priority are dispatched in the order they were added) go below
 * GTK's redraw and input: with a batch always ready at the default
 * priority, a GUI inserting the rows would not repaint until the scan ends.
 * The worker waits for the GUI instead (MSC_MAX_IN_FLIGHT). */
#define MSC_DELIVERY_PRIORITY G_PRIORITY_DEFAULT_IDLE

struct _MscStringsScan {
  GObject parent_instance;

  guint pid;
  guint64 address;
  guint64 size;
  guint min_length;
  double fraction;            /* written by the worker, read atomically enough (a double) */
  guint64 n_found;
  MscReadStats stats;
  gboolean started;

  /* The async run: batches cross to the caller's context. */
  GMainContext *context;
  GMutex lock;
  GCond drained;
  guint in_flight;
  double notified_fraction;
};

enum {
  PROP_0,
  PROP_PID,
  PROP_ADDRESS,
  PROP_SIZE,
  PROP_MIN_LENGTH,
  PROP_FRACTION,
  N_PROPS
};

enum {
  SIGNAL_BATCH,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE (MscStringsScan, msc_strings_scan, G_TYPE_OBJECT)

/* ---- the synchronous run ---- */

typedef struct {
  MscStringsScan *self;
  MscStrings *strings;
  GCancellable *cancellable;
} MscRun;

static int
msc_run_data (void *user, uint64_t address, const void *bytes, size_t size)
{
  MscRun *run = user;

  msc_strings_feed (run->strings, address, bytes, size);
  return g_cancellable_is_cancelled (run->cancellable);
}

static int
msc_run_progress (void *user, double fraction)
{
  MscRun *run = user;

  run->self->fraction = fraction;
  return g_cancellable_is_cancelled (run->cancellable);
}

gboolean
msc_strings_scan_run (MscStringsScan *self, MscStringsFunc func, gpointer user_data,
                      GCancellable *cancellable, GError **error)
{
  MscRun run = { self, NULL, cancellable };
  MscMemorySink sink = { msc_run_data, msc_run_progress, &run };
  MscStatus status = { MSC_OK, "" };
  MscStatusCode code;

  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->started = TRUE;
  run.strings = msc_strings_new (self->min_length, func, user_data);
  code = msc_backend_read_resident (self->pid, self->address, self->size, &sink, &self->stats, &status);
  if (code != MSC_ERR_CANCELLED && g_cancellable_is_cancelled (cancellable))
    code = msc_status_set (&status, MSC_ERR_CANCELLED, "%s", _("the strings scan was cancelled"));
  /* Whatever was found before a failure is still delivered. */
  msc_strings_finish (run.strings);
  self->n_found = msc_strings_get_n_found (run.strings);
  msc_strings_free (run.strings);
  if (code == MSC_OK)
    self->fraction = 1.0;
  else
    msc_backend_error_set (error, &status, _("reading the process's memory failed"));
  return code == MSC_OK;
}

/* ---- the asynchronous run ---- */

typedef struct {
  MscStringsScan *self;
  MscStringsBatch *batch;     /* NULL: a progress notification */
} MscDelivery;

static void
msc_delivery_free (gpointer data)
{
  MscDelivery *delivery = data;

  g_clear_pointer (&delivery->batch, msc_strings_batch_unref);
  g_object_unref (delivery->self);
  g_free (delivery);
}

static gboolean
msc_deliver_on_context (gpointer data)
{
  MscDelivery *delivery = data;
  MscStringsScan *self = delivery->self;

  if (delivery->batch != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_BATCH], 0, delivery->batch);
      g_mutex_lock (&self->lock);
      self->in_flight--;
      g_cond_signal (&self->drained);
      g_mutex_unlock (&self->lock);
    }
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  return G_SOURCE_REMOVE;
}

static void
msc_deliver (MscStringsScan *self, MscStringsBatch *batch)
{
  MscDelivery *delivery = g_new0 (MscDelivery, 1);

  delivery->self = g_object_ref (self);
  delivery->batch = batch != NULL ? msc_strings_batch_ref (batch) : NULL;
  g_main_context_invoke_full (self->context, MSC_DELIVERY_PRIORITY, msc_deliver_on_context, delivery,
                              msc_delivery_free);
}

typedef struct {
  MscStringsScan *self;
  GCancellable *cancellable;
} MscAsyncBatch;

/* In the worker: wait for room, then hand the batch over. */
static void
msc_async_batch (MscStringsBatch *batch, gpointer user_data)
{
  MscAsyncBatch *data = user_data;
  MscStringsScan *self = data->self;
  double fraction = self->fraction;

  g_mutex_lock (&self->lock);
  while (self->in_flight >= MSC_MAX_IN_FLIGHT && !g_cancellable_is_cancelled (data->cancellable))
    g_cond_wait_until (&self->drained, &self->lock, g_get_monotonic_time () + MSC_WAIT_SLICE_US);
  self->in_flight++;
  g_mutex_unlock (&self->lock);
  msc_deliver (self, batch);
  if (fraction - self->notified_fraction >= 0.01)
    {
      self->notified_fraction = fraction;
      msc_deliver (self, NULL);
    }
}

static void
msc_strings_scan_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MscStringsScan *self = source;
  MscAsyncBatch data = { self, cancellable };
  GError *error = NULL;

  if (msc_strings_scan_run (self, msc_async_batch, &data, cancellable, &error))
    {
      msc_deliver (self, NULL);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

void
msc_strings_scan_run_async (MscStringsScan *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MSC_IS_STRINGS_SCAN (self));
  g_return_if_fail (self->context == NULL);

  self->context = g_main_context_ref_thread_default ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, msc_strings_scan_run_async);
  g_task_set_priority (task, MSC_DELIVERY_PRIORITY);
  g_task_run_in_thread (task, msc_strings_scan_thread);
}

gboolean
msc_strings_scan_run_finish (MscStringsScan *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- accessors ---- */

guint
msc_strings_scan_get_pid (MscStringsScan *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), 0);
  return self->pid;
}

guint64
msc_strings_scan_get_address (MscStringsScan *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), 0);
  return self->address;
}

guint64
msc_strings_scan_get_size (MscStringsScan *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), 0);
  return self->size;
}

guint
msc_strings_scan_get_min_length (MscStringsScan *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), 0);
  return self->min_length;
}

double
msc_strings_scan_get_fraction (MscStringsScan *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), 0.0);
  return self->fraction;
}

guint64
msc_strings_scan_get_n_found (MscStringsScan *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), 0);
  return self->n_found;
}

const MscReadStats *
msc_strings_scan_get_stats (MscStringsScan *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_SCAN (self), NULL);
  return &self->stats;
}

/* ---- GObject ---- */

static void
msc_strings_scan_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MscStringsScan *self = MSC_STRINGS_SCAN (object);

  switch (prop_id)
    {
    case PROP_PID:
      g_value_set_uint (value, self->pid);
      break;
    case PROP_ADDRESS:
      g_value_set_uint64 (value, self->address);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_MIN_LENGTH:
      g_value_set_uint (value, self->min_length);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_strings_scan_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MscStringsScan *self = MSC_STRINGS_SCAN (object);

  switch (prop_id)
    {
    case PROP_PID:
      self->pid = g_value_get_uint (value);
      break;
    case PROP_ADDRESS:
      self->address = g_value_get_uint64 (value);
      break;
    case PROP_SIZE:
      self->size = g_value_get_uint64 (value);
      break;
    case PROP_MIN_LENGTH:
      self->min_length = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_strings_scan_finalize (GObject *object)
{
  MscStringsScan *self = MSC_STRINGS_SCAN (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->drained);
  G_OBJECT_CLASS (msc_strings_scan_parent_class)->finalize (object);
}

static void
msc_strings_scan_class_init (MscStringsScanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = msc_strings_scan_get_property;
  object_class->set_property = msc_strings_scan_set_property;
  object_class->finalize = msc_strings_scan_finalize;

  properties[PROP_PID] = g_param_spec_uint ("pid", NULL, NULL, 0, G_MAXUINT, 0, construct);
  properties[PROP_ADDRESS] = g_param_spec_uint64 ("address", NULL, NULL, 0, G_MAXUINT64, 0, construct);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, construct);
  properties[PROP_MIN_LENGTH] = g_param_spec_uint ("min-length", NULL, NULL, 1, G_MAXUINT,
                                                   MSC_STRINGS_DEFAULT_MIN_LENGTH, construct);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* batch: (MscStringsBatch *) hits in address order; ref it to keep it. */
  signals[SIGNAL_BATCH] = g_signal_new ("batch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 1,
                                        MSC_TYPE_STRINGS_BATCH | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
msc_strings_scan_init (MscStringsScan *self)
{
  self->min_length = MSC_STRINGS_DEFAULT_MIN_LENGTH;
  g_mutex_init (&self->lock);
  g_cond_init (&self->drained);
}

MscStringsScan *
msc_strings_scan_new (guint pid, guint64 address, guint64 size, guint min_length)
{
  return g_object_new (MSC_TYPE_STRINGS_SCAN,
                       "pid", pid,
                       "address", address,
                       "size", size,
                       "min-length", min_length > 0 ? min_length : MSC_STRINGS_DEFAULT_MIN_LENGTH,
                       NULL);
}
