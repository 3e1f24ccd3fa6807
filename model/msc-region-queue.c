/* msc-region-queue.c — see msc-region-queue.h.
 *
 * Batches go to the worker on one queue and come back on another, to be
 * filled again: a few hundred KiB of batches are reused for a whole file,
 * so the reader touches no new memory for them. */
#include "config.h"

#include <string.h>

#include "model/msc-region-queue.h"

/* Regions per batch: large enough that a hand-over is rare, small enough
 * that the worker starts early. */
#define MSC_QUEUE_BATCH 1024
/* Batches out at once: the reader waits when the worker is this far behind. */
#define MSC_QUEUE_IN_FLIGHT 4

typedef struct {
  MscRegion region;
  gsize     details;  /* offset into the batch's details */
  int       line;
} MscQueued;

typedef struct {
  MscRegionBuilder *builder;
  GArray           *regions;  /* MscQueued */
  GString          *details;  /* each region's, NUL-terminated */
} MscBatch;

struct _MscRegionQueue {
  GThread          *thread;   /* NULL until the first batch fills */
  GAsyncQueue      *work;     /* MscBatch *, or the queue itself to stop */
  GAsyncQueue      *done;     /* MscBatch *, placed */
  guint             out;      /* batches on either queue or with the worker */
  MscBatch         *filling;
  MscRegionBuilder *builder;

  /* Set by whichever thread placed the refused region, read after a sync. */
  gint              failed;
  char             *problem;
  int               problem_line;
};

static MscBatch *
msc_batch_new (void)
{
  MscBatch *batch = g_new0 (MscBatch, 1);

  /* Grown as filled: a small capture (most loads) needs little. */
  batch->regions = g_array_new (FALSE, FALSE, sizeof (MscQueued));
  batch->details = g_string_new (NULL);
  return batch;
}

static void
msc_batch_free (MscBatch *batch)
{
  g_array_unref (batch->regions);
  g_string_free (batch->details, TRUE);
  g_free (batch);
}

static void
msc_batch_reset (MscBatch *batch)
{
  g_array_set_size (batch->regions, 0);
  g_string_truncate (batch->details, 0);
}

/* Places a batch's regions, up to the first refused. */
static void
msc_batch_place (MscRegionQueue *self,
                 MscBatch       *batch)
{
  for (guint i = 0; i < batch->regions->len && !g_atomic_int_get (&self->failed); i++)
    {
      const MscQueued *q = &g_array_index (batch->regions, MscQueued, i);
      char *problem = NULL;

      if (!msc_region_builder_add (batch->builder, &q->region, batch->details->str + q->details, &problem))
        {
          self->problem = problem;
          self->problem_line = q->line;
          g_atomic_int_set (&self->failed, TRUE);
        }
    }
}

static gpointer
msc_queue_worker (gpointer data)
{
  MscRegionQueue *self = data;

  for (;;)
    {
      gpointer item = g_async_queue_pop (self->work);

      if (item == self)
        return NULL;
      msc_batch_place (self, item);
      g_async_queue_push (self->done, item);
    }
}

MscRegionQueue *
msc_region_queue_new (void)
{
  MscRegionQueue *self = g_new0 (MscRegionQueue, 1);

  self->work = g_async_queue_new ();
  self->done = g_async_queue_new ();
  self->filling = msc_batch_new ();
  return self;
}

/* Back from the worker: a placed batch, ready to be filled again. */
static MscBatch *
msc_queue_take_back (MscRegionQueue *self,
                     gboolean        wait)
{
  MscBatch *batch = wait ? g_async_queue_pop (self->done) : g_async_queue_try_pop (self->done);

  if (batch != NULL)
    self->out--;
  return batch;
}

static void
msc_queue_hand_over (MscRegionQueue *self)
{
  MscBatch *next;

  if (self->thread == NULL)
    self->thread = g_thread_new ("msc-regions", msc_queue_worker, self);
  g_async_queue_push (self->work, self->filling);
  self->out++;
  next = msc_queue_take_back (self, self->out >= MSC_QUEUE_IN_FLIGHT);
  self->filling = next != NULL ? next : msc_batch_new ();
  msc_batch_reset (self->filling);
  self->filling->builder = self->builder;
}

void
msc_region_queue_start (MscRegionQueue   *self,
                        MscRegionBuilder *builder)
{
  self->builder = builder;
  self->filling->builder = builder;
}

void
msc_region_queue_add (MscRegionQueue  *self,
                      const MscRegion *region,
                      const char      *details,
                      int              line)
{
  MscQueued q = { *region, self->filling->details->len, line };

  g_array_append_val (self->filling->regions, q);
  g_string_append_len (self->filling->details, details != NULL ? details : "",
                       details != NULL ? (gssize) strlen (details) + 1 : 1);
  if (self->filling->regions->len >= MSC_QUEUE_BATCH)
    msc_queue_hand_over (self);
}

gboolean
msc_region_queue_failed (MscRegionQueue *self)
{
  return g_atomic_int_get (&self->failed);
}

gboolean
msc_region_queue_sync (MscRegionQueue  *self,
                       char           **problem,
                       int             *line)
{
  /* The worker's batches first: they came before the one being filled. */
  while (self->out > 0)
    {
      MscBatch *batch = msc_queue_take_back (self, TRUE);

      msc_batch_free (batch);
    }
  msc_batch_place (self, self->filling);
  msc_batch_reset (self->filling);
  if (!g_atomic_int_get (&self->failed))
    return TRUE;
  *problem = g_steal_pointer (&self->problem);
  *line = self->problem_line;
  return FALSE;
}

void
msc_region_queue_free (MscRegionQueue *self)
{
  MscBatch *batch;

  if (self == NULL)
    return;
  if (self->thread != NULL)
    {
      g_async_queue_push (self->work, self);
      g_thread_join (self->thread);
    }
  while ((batch = g_async_queue_try_pop (self->done)) != NULL)
    msc_batch_free (batch);
  msc_batch_free (self->filling);
  g_async_queue_unref (self->work);
  g_async_queue_unref (self->done);
  g_free (self->problem);
  g_free (self);
}
