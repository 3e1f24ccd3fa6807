/* msc-posix-relay.c — one job at a time on a second thread (pthreads).
 *
 * A large save formats its next buffer while the thread hands the last one
 * to the kernel: copying 32 MB into the page cache is a quarter of a
 * 60,000-mapping capture's time, and the scan has a core to spare by then. */
#include "backends/backend.h"

#include <pthread.h>
#include <stdlib.h>

struct MscRelay {
  pthread_t       thread;
  pthread_mutex_t lock;
  pthread_cond_t  changed;
  void          (*fn) (void *);  /* the job to run, NULL when none */
  void           *arg;
  int             busy;          /* a job was given and has not finished */
  int             closing;
};

static void *
msc_relay_main (void *data)
{
  MscRelay *relay = data;

  pthread_mutex_lock (&relay->lock);
  for (;;)
    {
      void (*fn) (void *) = relay->fn;

      if (fn == NULL && relay->closing)
        break;
      if (fn == NULL)
        {
          pthread_cond_wait (&relay->changed, &relay->lock);
          continue;
        }
      relay->fn = NULL;
      pthread_mutex_unlock (&relay->lock);
      fn (relay->arg);
      pthread_mutex_lock (&relay->lock);
      relay->busy = 0;
      pthread_cond_broadcast (&relay->changed);
    }
  pthread_mutex_unlock (&relay->lock);
  return NULL;
}

/* With the lock held: until the job given last has finished. */
static void
msc_relay_wait_idle (MscRelay *relay)
{
  while (relay->busy)
    pthread_cond_wait (&relay->changed, &relay->lock);
}

MscRelay *
msc_backend_relay_new (void)
{
  MscRelay *relay = calloc (1, sizeof *relay);

  if (relay == NULL)
    return NULL;
  pthread_mutex_init (&relay->lock, NULL);
  pthread_cond_init (&relay->changed, NULL);
  if (pthread_create (&relay->thread, NULL, msc_relay_main, relay) != 0)
    {
      pthread_cond_destroy (&relay->changed);
      pthread_mutex_destroy (&relay->lock);
      free (relay);
      return NULL;
    }
  return relay;
}

void
msc_backend_relay_wait (MscRelay *relay)
{
  pthread_mutex_lock (&relay->lock);
  msc_relay_wait_idle (relay);
  pthread_mutex_unlock (&relay->lock);
}

void
msc_backend_relay_run (MscRelay *relay, void (*fn) (void *), void *arg)
{
  pthread_mutex_lock (&relay->lock);
  msc_relay_wait_idle (relay);
  relay->fn = fn;
  relay->arg = arg;
  relay->busy = 1;
  pthread_cond_broadcast (&relay->changed);
  pthread_mutex_unlock (&relay->lock);
}

void
msc_backend_relay_free (MscRelay *relay)
{
  if (relay == NULL)
    return;
  pthread_mutex_lock (&relay->lock);
  msc_relay_wait_idle (relay);
  relay->closing = 1;
  pthread_cond_broadcast (&relay->changed);
  pthread_mutex_unlock (&relay->lock);
  pthread_join (relay->thread, NULL);
  pthread_cond_destroy (&relay->changed);
  pthread_mutex_destroy (&relay->lock);
  free (relay);
}
