/* msc-windows-relay.c — one job at a time on a second thread (Win32
 * threads, SRW lock and condition variable: Vista and later).
 *
 * A large save formats its next buffer while the thread hands the last one
 * to the system (see the POSIX twin, posix/msc-posix-relay.c). */
#include "backends/windows/msc-windows.h"

#include <stdlib.h>

struct MscRelay {
  HANDLE             thread;
  SRWLOCK            lock;
  CONDITION_VARIABLE changed;
  void             (*fn) (void *);  /* the job to run, NULL when none */
  void              *arg;
  int                busy;          /* a job was given and has not finished */
  int                closing;
};

static DWORD WINAPI
msc_relay_main (LPVOID data)
{
  MscRelay *relay = data;

  AcquireSRWLockExclusive (&relay->lock);
  for (;;)
    {
      void (*fn) (void *) = relay->fn;

      if (fn == NULL && relay->closing)
        break;
      if (fn == NULL)
        {
          SleepConditionVariableSRW (&relay->changed, &relay->lock, INFINITE, 0);
          continue;
        }
      relay->fn = NULL;
      ReleaseSRWLockExclusive (&relay->lock);
      fn (relay->arg);
      AcquireSRWLockExclusive (&relay->lock);
      relay->busy = 0;
      WakeAllConditionVariable (&relay->changed);
    }
  ReleaseSRWLockExclusive (&relay->lock);
  return 0;
}

MscRelay *
msc_backend_relay_new (void)
{
  MscRelay *relay = calloc (1, sizeof *relay);

  if (relay == NULL)
    return NULL;
  InitializeSRWLock (&relay->lock);
  InitializeConditionVariable (&relay->changed);
  relay->thread = CreateThread (NULL, 0, msc_relay_main, relay, 0, NULL);
  if (relay->thread == NULL)
    {
      free (relay);
      return NULL;
    }
  return relay;
}

/* With the lock held: until the job given last has finished. */
static void
msc_relay_wait_idle (MscRelay *relay)
{
  while (relay->busy)
    SleepConditionVariableSRW (&relay->changed, &relay->lock, INFINITE, 0);
}

void
msc_backend_relay_wait (MscRelay *relay)
{
  AcquireSRWLockExclusive (&relay->lock);
  msc_relay_wait_idle (relay);
  ReleaseSRWLockExclusive (&relay->lock);
}

void
msc_backend_relay_run (MscRelay *relay, void (*fn) (void *), void *arg)
{
  AcquireSRWLockExclusive (&relay->lock);
  msc_relay_wait_idle (relay);
  relay->fn = fn;
  relay->arg = arg;
  relay->busy = 1;
  WakeAllConditionVariable (&relay->changed);
  ReleaseSRWLockExclusive (&relay->lock);
}

void
msc_backend_relay_free (MscRelay *relay)
{
  if (relay == NULL)
    return;
  AcquireSRWLockExclusive (&relay->lock);
  msc_relay_wait_idle (relay);
  relay->closing = 1;
  WakeAllConditionVariable (&relay->changed);
  ReleaseSRWLockExclusive (&relay->lock);
  WaitForSingleObject (relay->thread, INFINITE);
  CloseHandle (relay->thread);
  free (relay);
}
