/* msc-posix-host.c — host services (file replacement, clock) for POSIX hosts (Linux, macOS). */
#include "backends/backend.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

MscStatusCode
msc_backend_replace_file (const char *tmp, const char *dest, MscStatus *status)
{
  /* rename(2) replaces dest atomically on POSIX file systems. */
  if (rename (tmp, dest) != 0)
    {
      int saved = errno;

      remove (tmp);
      return msc_status_set (status, MSC_ERR_IO, "could not replace %s: %s", dest, strerror (saved));
    }
  return MSC_OK;
}

uint64_t
msc_backend_now (void)
{
  /* FILETIME counts 100 ns ticks from 1601; that is 11644473600 s before 1970. */
  struct timespec ts;

  timespec_get (&ts, TIME_UTC);
  return ((uint64_t) ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t) ts.tv_nsec / 100;
}
