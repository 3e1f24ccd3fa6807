/* msc-posix-host.c — host services for POSIX systems (Linux, macOS):
 * atomic file replacement and the clock. */
#include "backends/backend.h"
#include "backends/msc-backend-host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static mode_t
msc_posix_new_file_mode (const char *dest)
{
  struct stat st;
  mode_t mask;

  if (stat (dest, &st) == 0)
    return st.st_mode & 07777;
  /* umask can only be read by setting it; restore at once. */
  mask = umask (022);
  umask (mask);
  return 0666 & ~mask;
}

FILE *
msc_backend_temp_open (const char *dest, char **tmp_path, MscStatus *status)
{
  size_t len = strlen (dest);
  char *path = malloc (len + sizeof ".XXXXXX");
  FILE *file;
  int fd;

  *tmp_path = NULL;
  if (path == NULL)
    {
      msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
      return NULL;
    }
  memcpy (path, dest, len);
  memcpy (path + len, ".XXXXXX", sizeof ".XXXXXX");
  fd = mkstemp (path);
  if (fd < 0)
    {
      int saved = errno;

      msc_status_set (status, MSC_ERR_IO, "cannot write %s: %s", dest, strerror (saved));
      free (path);
      return NULL;
    }
  if (fchmod (fd, msc_posix_new_file_mode (dest)) != 0 || (file = fdopen (fd, "wb")) == NULL)
    {
      int saved = errno;

      close (fd);
      unlink (path);
      free (path);
      msc_status_set (status, MSC_ERR_IO, "cannot write %s: %s", dest, strerror (saved));
      return NULL;
    }
  *tmp_path = path;
  return file;
}

MscStatusCode
msc_backend_temp_commit (FILE *file, char *tmp_path, const char *dest, MscStatus *status)
{
  int failed = fflush (file) != 0 || ferror (file) || fsync (fileno (file)) != 0;
  int saved = errno;

  if (fclose (file) != 0 && !failed)
    {
      failed = 1;
      saved = errno;
    }
  if (!failed && rename (tmp_path, dest) != 0)
    {
      failed = 1;
      saved = errno;
    }
  if (failed)
    {
      unlink (tmp_path);
      free (tmp_path);
      return msc_status_set (status, MSC_ERR_IO, "could not write %s: %s", dest,
                             strerror (saved ? saved : EIO));
    }
  free (tmp_path);
  return MSC_OK;
}

void
msc_host_remove_file (const char *path)
{
  unlink (path);
}

uint64_t
msc_backend_now (void)
{
  /* FILETIME counts 100 ns ticks from 1601; that is 11644473600 s before 1970. */
  struct timespec ts;

  timespec_get (&ts, TIME_UTC);
  return ((uint64_t) ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t) ts.tv_nsec / 100;
}

void
msc_backend_binary_stdin (void)
{
  /* POSIX streams have no text mode. */
}

uint32_t
msc_backend_self_pid (void)
{
  return (uint32_t) getpid ();
}
