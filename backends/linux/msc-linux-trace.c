/* msc-linux-trace.c — Launch and Trace: starts a program with
 * libmemscope-trace.so preloaded and turns what it sends (msc-trace-wire.h)
 * into MscTraceSink calls.
 *
 * memscope knows the target ended from waitpid(), not from the socket: a
 * program the target spawned may hold its end open forever.  Everything the
 * target sent is in the socket's queue by the time it is a zombie, so one
 * draining read after waitpid() sees it all.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux-trace.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
msc_backend_can_trace (void)
{
  return 1;
}

uint64_t
msc_backend_trace_clock (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

#define MSC_HUGE_PAGE (2u << 20)

void *
msc_backend_block_alloc (size_t size)
{
  /* Over-map, then keep the 2 MiB-aligned part: only aligned ranges can be
   * huge pages. */
  size_t span = size + MSC_HUGE_PAGE;
  char *p = mmap (NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *aligned;

  if (p == MAP_FAILED)
    return NULL;
  aligned = (char *) (((uintptr_t) p + MSC_HUGE_PAGE - 1) & ~(uintptr_t) (MSC_HUGE_PAGE - 1));
  if (aligned > p)
    munmap (p, (size_t) (aligned - p));
  if (aligned + size < p + span)
    munmap (aligned + size, (size_t) (p + span - (aligned + size)));
  madvise (aligned, size, MADV_HUGEPAGE); /* a hint: without THP it is plain memory */
  return aligned;
}

void
msc_backend_block_free (void *block, size_t size)
{
  if (block != NULL)
    munmap (block, size);
}

/* ---- finding and checking the program ---- */

static int
msc_trace_find_program (const char *name, char *path, size_t size)
{
  const char *dirs = getenv ("PATH");

  if (strchr (name, '/') != NULL)
    return snprintf (path, size, "%s", name) < (int) size && access (path, F_OK) == 0;
  for (const char *p = dirs != NULL ? dirs : "/usr/local/bin:/usr/bin:/bin"; ; )
    {
      const char *colon = strchr (p, ':');
      int len = colon != NULL ? (int) (colon - p) : (int) strlen (p);

      if (snprintf (path, size, "%.*s%s%s", len, p, len > 0 ? "/" : "", name) < (int) size
          && access (path, X_OK) == 0)
        return 1;
      if (colon == NULL)
        return 0;
      p = colon + 1;
    }
}

/* 1 when path is an ELF without a program interpreter: nothing loads a
 * preload library into it. */
static int
msc_trace_is_static (const char *path)
{
  Elf64_Ehdr eh;
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  int is_static = 0;

  if (fd < 0)
    return 0;
  if (pread (fd, &eh, sizeof eh, 0) == (ssize_t) sizeof eh && memcmp (eh.e_ident, ELFMAG, SELFMAG) == 0
      && eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof (Elf64_Phdr))
    {
      is_static = 1;
      for (unsigned i = 0; i < eh.e_phnum; i++)
        {
          Elf64_Phdr ph;

          if (pread (fd, &ph, sizeof ph, (off_t) (eh.e_phoff + i * sizeof ph)) != (ssize_t) sizeof ph)
            break;
          if (ph.p_type == PT_INTERP)
            is_static = 0;
        }
    }
  close (fd);
  return is_static;
}

static MscStatusCode
msc_trace_check_program (const char *name, char *path, size_t size, MscTraceMode *mode,
                         MscStatus *status)
{
  struct stat st;

  if (!msc_trace_find_program (name, path, size) || stat (path, &st) != 0)
    return msc_status_set (status, MSC_ERR_INVALID, "program not found: %s", name);
  if (!S_ISREG (st.st_mode) || access (path, X_OK) != 0)
    return msc_status_set (status, MSC_ERR_INVALID, "%s is not an executable program", path);
  if (st.st_mode & (S_ISUID | S_ISGID))
    return msc_status_set (status, MSC_ERR_INVALID,
                           "%s is setuid or setgid: the loader ignores a preloaded tracer "
                           "there, so it cannot be traced", path);
  *mode = msc_trace_is_static (path) ? MSC_TRACE_STATIC : MSC_TRACE_TRACED;
  return MSC_OK;
}

MscStatusCode
msc_backend_trace_check (const char *program, MscTraceMode *mode, MscStatus *status)
{
  char path[4096];

  if (program == NULL || program[0] == '\0')
    return msc_status_set (status, MSC_ERR_INVALID, "no program to launch");
  return msc_trace_check_program (program, path, sizeof path, mode, status);
}

/* ---- starting it ---- */

typedef struct {
  char fd[64];
  char pid[64];
  char follow[64];
  char preload[4096 + 64];
  char **envp;
} MscTraceEnv;

static int
msc_trace_env_is (const char *entry, const char *name)
{
  size_t len = strlen (name);

  return strncmp (entry, name, len) == 0 && entry[len] == '=';
}

/* Built before fork: the child of a threaded process may not malloc. */
/* Whether entry's name is set by one of the additions. */
static int
msc_trace_env_replaced (const char *entry, const char *const *added)
{
  for (size_t i = 0; added != NULL && added[i] != NULL; i++)
    {
      size_t len = strcspn (added[i], "=");

      if (strncmp (entry, added[i], len) == 0 && entry[len] == '=')
        return 1;
    }
  return 0;
}

static MscStatusCode
msc_trace_env_build (MscTraceEnv *env, const char *preload_path, MscTraceMode mode, int follow,
                     const char *const *added, MscStatus *status)
{
  extern char **environ;
  const char *old = getenv ("LD_PRELOAD");
  size_t n = 0, n_added = 0, k = 0;

  while (environ[n] != NULL)
    n++;
  while (added != NULL && added[n_added] != NULL)
    n_added++;
  env->envp = calloc (n + n_added + 5, sizeof *env->envp);
  if (env->envp == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  for (size_t i = 0; i < n; i++)
    if (!msc_trace_env_replaced (environ[i], added)
        && (mode == MSC_TRACE_STATIC
            || (!msc_trace_env_is (environ[i], "LD_PRELOAD") && !msc_trace_env_is (environ[i], MSC_WIRE_ENV_FD)
                && !msc_trace_env_is (environ[i], MSC_WIRE_ENV_PID)
                && !msc_trace_env_is (environ[i], MSC_WIRE_ENV_FOLLOW))))
      env->envp[k++] = environ[i];
  for (size_t i = 0; i < n_added; i++)
    env->envp[k++] = (char *) added[i];
  if (mode == MSC_TRACE_TRACED)
    {
      snprintf (env->preload, sizeof env->preload, "LD_PRELOAD=%s%s%s", preload_path,
                old != NULL && old[0] ? ":" : "", old != NULL ? old : "");
      env->envp[k++] = env->preload;
      env->envp[k++] = env->fd;
      env->envp[k++] = env->pid;
      if (follow)
        env->envp[k++] = env->follow;
    }
  env->envp[k] = NULL;
  return MSC_OK;
}

static void
msc_trace_put_number (char *buf, size_t size, const char *name, long value)
{
  char digits[24];
  int n = 0;
  size_t len = strlen (name);

  do
    digits[n++] = (char) ('0' + value % 10);
  while ((value /= 10) > 0);
  if (len + 2 + (size_t) n > size)
    return;
  memcpy (buf, name, len);
  buf[len++] = '=';
  while (n > 0)
    buf[len++] = digits[--n];
  buf[len] = '\0';
}

/* In the child: only async-signal-safe calls until exec.  A static
 * program waits on go_fd until memscope's watcher is attached. */
static void __attribute__ ((noreturn))
msc_trace_child (const char *path, const char *const *argv, MscTraceEnv *env, const int channel[2],
                 int own_group, const char *directory, int go_fd, int err_fd)
{
  int e;
  char go;

  if (own_group)
    setpgid (0, 0);
  if (directory != NULL && chdir (directory) != 0)
    {
      e = errno;
      if (write (err_fd, &e, sizeof e) < 0)
        _exit (127);
      _exit (127);
    }
  if (go_fd >= 0)
    while (read (go_fd, &go, 1) < 0 && errno == EINTR)
      ;
  if (channel[0] >= 0)
    {
      /* A duplicate without close-on-exec: the traced program keeps it
       * across its own exec (a shim exec'ing the real program). */
      int fd = fcntl (channel[0], F_DUPFD, 3);

      msc_trace_put_number (env->fd, sizeof env->fd, MSC_WIRE_ENV_FD, fd);
      msc_trace_put_number (env->pid, sizeof env->pid, MSC_WIRE_ENV_PID, getpid ());
    }
  /* The rendezvous: every process the program starts inherits it. */
  if (channel[1] >= 0)
    msc_trace_put_number (env->follow, sizeof env->follow, MSC_WIRE_ENV_FOLLOW,
                          fcntl (channel[1], F_DUPFD, 3));
  execve (path, (char *const *) argv, env->envp);
  e = errno;
  if (write (err_fd, &e, sizeof e) < 0)
    _exit (127);
  _exit (127);
}

MscTraceLaunch *
msc_trace_launch_new (pid_t pid)
{
  MscTraceLaunch *launch = calloc (1, sizeof *launch);

  if (launch == NULL)
    return NULL;
  launch->pid = pid;
  launch->fd = launch->follow_fd = launch->pidfd = -1;
  return launch;
}

static void
msc_trace_close_pair (int fds[2])
{
  for (int i = 0; i < 2; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  fds[0] = fds[1] = -1;
}

MscStatusCode
msc_backend_trace_launch (const char *const *argv, const char *preload_path, unsigned flags,
                          const MscTraceStart *start, MscTraceLaunch **out, MscTraceMode *mode,
                          MscStatus *status)
{
  const char *directory = start != NULL ? start->directory : NULL;
  struct stat dir_st;
  char path[4096];
  int sv[2] = { -1, -1 }, rv[2] = { -1, -1 }, errp[2], go[2] = { -1, -1 }, ends[2];
  int follow = (flags & MSC_TRACE_FOLLOW_CHILDREN) != 0;
  MscTraceEnv env = { 0 };
  MscTraceLaunch *launch;
  int child_errno = 0;
  ssize_t got;

  *out = NULL;
  if (argv == NULL || argv[0] == NULL)
    return msc_status_set (status, MSC_ERR_INVALID, "no program to launch");
  if (msc_trace_check_program (argv[0], path, sizeof path, mode, status) != MSC_OK)
    return status->code;
  if (directory != NULL && (stat (directory, &dir_st) != 0 || !S_ISDIR (dir_st.st_mode)))
    return msc_status_set (status, MSC_ERR_INVALID, "the working directory %s is not a directory", directory);
  /* Its children would need the watcher to follow forks and a capture
   * each: refused rather than half done. */
  if (*mode == MSC_TRACE_STATIC && follow)
    return msc_status_set (status, MSC_ERR_INVALID,
                           "%s is statically linked: the processes it starts cannot be "
                           "followed (trace it without following children)", path);
  if (*mode == MSC_TRACE_TRACED && access (preload_path, R_OK) != 0)
    return msc_status_set (status, MSC_ERR_UNSUPPORTED, "the tracer library %s is missing: %s",
                           preload_path, strerror (errno));
  launch = msc_trace_launch_new (0);
  if (launch == NULL || msc_trace_env_build (&env, preload_path, *mode, follow, start != NULL ? start->environment : NULL, status) != MSC_OK)
    {
      free (launch);
      return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
    }
  /* A static program's channel carries the watcher's records. */
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0
      || (follow && socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rv) != 0)
      || (*mode == MSC_TRACE_STATIC && pipe2 (go, O_CLOEXEC) != 0)
      || pipe2 (errp, O_CLOEXEC) != 0)
    {
      msc_status_set (status, MSC_ERR_IO, "cannot create the trace channel: %s", strerror (errno));
      goto fail;
    }
  msc_wire_grow_channel (sv[1]);
  ends[0] = *mode == MSC_TRACE_TRACED ? sv[1] : -1;
  ends[1] = rv[1];
  launch->pid = fork ();
  if (launch->pid == 0)
    msc_trace_child (path, argv, &env, ends, (flags & MSC_TRACE_OWN_GROUP) != 0, directory, go[0], errp[1]);
  close (errp[1]);
  if (go[0] >= 0)
    close (go[0]);
  if (rv[1] >= 0)
    close (rv[1]);
  rv[1] = -1;
  if (launch->pid < 0)
    {
      msc_status_set (status, MSC_ERR_IO, "cannot start %s: %s", path, strerror (errno));
      close (errp[0]);
      if (go[1] >= 0)
        close (go[1]);
      goto fail;
    }
  if (*mode == MSC_TRACE_STATIC)
    {
      launch->watch = msc_trace_watch_start (launch->pid, sv[1], go[1]);
      if (launch->watch == NULL)
        {
          kill (launch->pid, SIGKILL);
          close (go[1]);
          close (sv[1]);
        }
    }
  else
    close (sv[1]);
  sv[1] = -1; /* the child's, or the watcher's */
  while ((got = read (errp[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR)
    ;
  close (errp[0]);
  if (launch->watch == NULL && *mode == MSC_TRACE_STATIC)
    child_errno = EAGAIN; /* no thread for the watcher */
  if (got == (ssize_t) sizeof child_errno || child_errno != 0)
    {
      if (launch->watch != NULL)
        msc_trace_watch_free (launch->watch); /* it reaps the child */
      else
        waitpid (launch->pid, NULL, 0);
      msc_status_set (status, MSC_ERR_INVALID, "cannot run %s: %s", path, strerror (child_errno));
      goto fail;
    }
  free (env.envp);
  launch->fd = sv[0];
  launch->follow_fd = rv[0];
  launch->running = 1;
  *out = launch;
  return MSC_OK;

fail:
  msc_trace_close_pair (sv);
  msc_trace_close_pair (rv);
  free (env.envp);
  free (launch);
  return status->code;
}

uint32_t
msc_backend_trace_pid (MscTraceLaunch *launch)
{
  return (uint32_t) launch->pid;
}
