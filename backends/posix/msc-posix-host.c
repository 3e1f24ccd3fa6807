/* msc-posix-host.c — host services for POSIX systems (Linux, macOS):
 * atomic file replacement and the clock.
 *
 * Saves write an unnamed file (Linux's O_TMPFILE) in dest's directory and
 * give it a name only once it is complete, so a save killed part way (SIGTERM,
 * SIGXFSZ at a file-size limit, SIGKILL) leaves nothing behind: the kernel
 * frees the unnamed inode. Where the file system or system has no O_TMPFILE
 * a named "dest.XXXXXX" is written instead, removed on any failure we see.
 * The data is synced to the disk before the rename only when an old file is
 * replaced (msc_posix_must_sync). */
#define _GNU_SOURCE
#include "backends/backend.h"
#include "backends/msc-backend-host.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* dest's directory ("." for a bare name), malloc'd. */
static char *
msc_posix_dir_of (const char *dest)
{
  const char *slash = strrchr (dest, '/');
  size_t len = slash == NULL ? 1 : slash == dest ? 1 : (size_t) (slash - dest);
  char *dir = malloc (len + 1);

  if (dir == NULL)
    return NULL;
  memcpy (dir, slash == NULL ? "." : dest, len);
  dir[len] = '\0';
  return dir;
}

/* An unnamed file in dest's directory, or -1 (errno) when the system or
 * the file system has none to give. */
static int
msc_posix_open_unnamed (const char *dest)
{
#ifdef O_TMPFILE
  char *dir = msc_posix_dir_of (dest);
  int fd, saved;

  if (dir == NULL)
    return -1;
  fd = open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  saved = errno;
  free (dir);
  errno = saved;
  return fd;
#else
  (void) dest;
  errno = EOPNOTSUPP;
  return -1;
#endif
}

/* The fallback: a named "dest.XXXXXX" (path receives it). */
static int
msc_posix_open_named (const char *dest, char *path)
{
  size_t len = strlen (dest);

  memcpy (path, dest, len);
  memcpy (path + len, ".XXXXXX", sizeof ".XXXXXX");
  return mkstemp (path);
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
  /* An empty tmp_path stands for the unnamed file: nothing to remove. */
  path[0] = '\0';
  fd = msc_posix_open_unnamed (dest);
  if (fd < 0 && (errno == ENOENT || errno == EACCES || errno == EPERM || errno == EROFS || errno == ENOSPC
                 || errno == EDQUOT))
    ;  /* the named file would fail the same way: report this */
  else if (fd < 0)
    fd = msc_posix_open_named (dest, path);
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
      if (path[0] != '\0')
        unlink (path);
      free (path);
      msc_status_set (status, MSC_ERR_IO, "cannot write %s: %s", dest, strerror (saved));
      return NULL;
    }
  *tmp_path = path;
  return file;
}

/* Names the complete unnamed file fd: linked as a fresh "dest.XXXXXX"
 * (link cannot replace a file), then renamed over dest. The signals that
 * end a process wait the few microseconds in between, so the name never
 * outlives a kill other than SIGKILL. Returns 0, or errno. */
static int
msc_posix_name_unnamed (int fd, const char *dest, char *name)
{
  char proc_path[64];
  sigset_t block, old;
  int err = 0;

  snprintf (proc_path, sizeof proc_path, "/proc/self/fd/%d", fd);
  sigemptyset (&block);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGINT);
  sigaddset (&block, SIGHUP);
  sigaddset (&block, SIGQUIT);
  sigaddset (&block, SIGXFSZ);
  sigaddset (&block, SIGPIPE);
  sigaddset (&block, SIGALRM);
  sigprocmask (SIG_BLOCK, &block, &old);
  for (unsigned attempt = 0; attempt < 100; attempt++)
    {
      /* mkstemp() picks a free name; it is removed at once, the link takes
       * it (another process taking it first makes the link fail: retry). */
      int probe = msc_posix_open_named (dest, name);

      if (probe < 0)
        {
          err = errno;
          break;
        }
      close (probe);
      unlink (name);
      if (linkat (AT_FDCWD, proc_path, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        {
          if (rename (name, dest) != 0)
            {
              err = errno;
              unlink (name);
            }
          break;
        }
      err = errno;
      if (err != EEXIST)
        break;
    }
  sigprocmask (SIG_SETMASK, &old, NULL);
  return err;
}

/* Whether the new file must be on the disk before it takes dest's name:
 * when it replaces a file, so that a crash leaves the old capture or the new
 * one, never an empty one. A new name has nothing to lose, and its sync (20 ms
 * for a 32 MB capture) is left to the system, as GLib's g_file_set_contents()
 * does. */
static int
msc_posix_must_sync (const char *dest)
{
  struct stat st;

  return lstat (dest, &st) == 0;
}

MscStatusCode
msc_backend_temp_commit (FILE *file, char *tmp_path, const char *dest, MscStatus *status)
{
  int failed = fflush (file) != 0 || ferror (file)
               || (msc_posix_must_sync (dest) && fsync (fileno (file)) != 0);
  int saved = errno;

  if (!failed && tmp_path[0] == '\0')
    {
      char *name = malloc (strlen (dest) + sizeof ".XXXXXX");

      saved = name == NULL ? ENOMEM : msc_posix_name_unnamed (fileno (file), dest, name);
      failed = saved != 0;
      free (name);
    }
  if (fclose (file) != 0 && !failed)
    {
      failed = 1;
      saved = errno;
    }
  if (!failed && tmp_path[0] != '\0' && rename (tmp_path, dest) != 0)
    {
      failed = 1;
      saved = errno;
    }
  if (failed)
    {
      if (tmp_path[0] != '\0')
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

void
msc_backend_write_behind (FILE *file)
{
#ifdef SYNC_FILE_RANGE_WRITE
  int fd = fileno (file);

  /* 0, 0: the whole file; pages under write-out already are left be. */
  if (fd >= 0 && fflush (file) == 0)
    sync_file_range (fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
  (void) file;
#endif
}

void
msc_backend_prefault (void *address, size_t size)
{
#ifdef MADV_POPULATE_WRITE
  /* Linux 5.14; older kernels say EINVAL and the loop takes its faults. */
  long page = sysconf (_SC_PAGESIZE);
  uintptr_t start = ((uintptr_t) address + (uintptr_t) page - 1) & ~((uintptr_t) page - 1);
  uintptr_t end = ((uintptr_t) address + size) & ~((uintptr_t) page - 1);

  if (page <= 0 || end <= start)
    return;
#ifdef MADV_HUGEPAGE
  /* Past 2 MiB, huge pages where the range holds whole ones: where the host
   * shadows page tables even a populated small page traps on first touch. */
  if (end - start >= MSC_HOST_HUGE_PAGE)
    madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
  madvise ((void *) start, end - start, MADV_POPULATE_WRITE);
#else
  (void) address;
  (void) size;
#endif
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
