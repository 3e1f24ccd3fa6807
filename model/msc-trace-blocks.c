/* msc-trace-blocks.c — see msc-trace-blocks.h.
 *
 * The kernel zeroes a page when it is first written.  Recording a trace
 * fills a new 4 MiB block every 131072 events, and under a hypervisor that
 * zeroing was about half of the recording thread's time (bench-trace at
 * stack depth 12, where the recording thread is what the traced program
 * waits for).  A helper thread, started with the second block (a small
 * trace never needs one), maps and writes each next block while the one
 * before fills up.  When the spare is not ready the block is made where
 * it is asked for: nobody waits for the helper.
 */
#include "config.h"

#include "backends/backend.h"
#include "model/msc-trace-blocks.h"

#define MSC_PAGE 4096

struct _MscTraceBlocks
{
  gsize    size;
  guint    taken;
  GMutex   lock;
  GCond    cond;
  GThread *thread;
  gpointer spare;   /* ready, not yet taken */
  gboolean wanted;  /* make another spare */
  gboolean stop;
};

static gpointer
msc_trace_blocks_make (gsize size)
{
  volatile char *block = msc_backend_block_alloc (size);

  /* A write, not a read: a read would map the shared zero page. */
  for (gsize i = 0; block != NULL && i < size; i += MSC_PAGE)
    block[i] = 0;
  return (gpointer) block;
}

static gpointer
msc_trace_blocks_run (gpointer data)
{
  MscTraceBlocks *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stop)
    {
      gpointer block;

      if (self->spare != NULL || !self->wanted)
        {
          g_cond_wait (&self->cond, &self->lock);
          continue;
        }
      self->wanted = FALSE;
      g_mutex_unlock (&self->lock);
      block = msc_trace_blocks_make (self->size);
      g_mutex_lock (&self->lock);
      self->spare = block;
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

MscTraceBlocks *
msc_trace_blocks_new (gsize size)
{
  MscTraceBlocks *self = g_new0 (MscTraceBlocks, 1);

  self->size = size;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  return self;
}

gpointer
msc_trace_blocks_take (MscTraceBlocks *self)
{
  gpointer block;

  if (self->taken++ == 0)
    return msc_backend_block_alloc (self->size);
  g_mutex_lock (&self->lock);
  if (self->thread == NULL)
    self->thread = g_thread_try_new ("msc-trace-blocks", msc_trace_blocks_run, self, NULL);
  block = self->spare;
  self->spare = NULL;
  self->wanted = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  return block != NULL ? block : msc_backend_block_alloc (self->size);
}

void
msc_trace_blocks_free (MscTraceBlocks *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stop = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (self->thread != NULL)
    g_thread_join (self->thread);
  msc_backend_block_free (self->spare, self->size);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}
