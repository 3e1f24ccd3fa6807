/* msc-trace-preload.c — libmemscope-trace.so: the malloc family, exec, fork,
 * dlopen/dlclose and _exit hooks, and start-up (see msc-trace-preload.h).
 *
 * Start-up decides whether this process is the one memscope launched: the
 * launcher puts its pid in MEMSCOPE_TRACE_PID.  LD_PRELOAD stays in the
 * environment so that the traced process goes on being traced when it execs
 * (a shell shim exec'ing the real program keeps its pid); a child it forks
 * stops recording at fork, and a program it spawns finds another pid and
 * records nothing.  With --follow-children each of those gets a channel of
 * its own instead (msc-trace-follow.c) and is traced as a process of its
 * own.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-trace-preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSC_EXPORT __attribute__ ((visibility ("default")))

typedef struct {
  void *(*malloc) (size_t);
  void  (*free) (void *);
  void *(*calloc) (size_t, size_t);
  void *(*realloc) (void *, size_t);
  void *(*reallocarray) (void *, size_t, size_t);
  int   (*posix_memalign) (void **, size_t, size_t);
  void *(*aligned_alloc) (size_t, size_t);
  void *(*memalign) (size_t, size_t);
  void *(*valloc) (size_t);
  void *(*pvalloc) (size_t);
  int   (*execve) (const char *, char *const[], char *const[]);
  int   (*execv) (const char *, char *const[]);
  int   (*execvp) (const char *, char *const[]);
  int   (*execvpe) (const char *, char *const[], char *const[]);
  void *(*dlopen) (const char *, int);
  int   (*dlclose) (void *);
  void  (*exit_now) (int) __attribute__ ((noreturn));
} MscTrReal;

static MscTrReal real;

/* dlsym itself may calloc before calloc is known: that comes from here and
 * is never given back. */
static char msc_tr_pool[16384] __attribute__ ((aligned (16)));
static size_t msc_tr_pool_used;

static int
msc_tr_in_pool (void *p)
{
  return (char *) p >= msc_tr_pool && (char *) p < msc_tr_pool + sizeof msc_tr_pool;
}

static void *
msc_tr_pool_alloc (size_t size)
{
  size_t at = msc_tr_pool_used;

  if (size > sizeof msc_tr_pool - at)
    return NULL;
  msc_tr_pool_used += (size + 15) & ~(size_t) 15;
  return msc_tr_pool + at;
}

#define MSC_RESOLVE(name) (real.name = (__typeof__ (real.name)) dlsym (RTLD_NEXT, #name))

static void
msc_tr_resolve (void)
{
  static int resolving;

  if (resolving || real.free != NULL)
    return;
  resolving = 1;
  MSC_RESOLVE (calloc);
  MSC_RESOLVE (malloc);
  MSC_RESOLVE (realloc);
  MSC_RESOLVE (reallocarray);
  MSC_RESOLVE (posix_memalign);
  MSC_RESOLVE (aligned_alloc);
  MSC_RESOLVE (memalign);
  MSC_RESOLVE (valloc);
  MSC_RESOLVE (pvalloc);
  MSC_RESOLVE (execve);
  MSC_RESOLVE (execv);
  MSC_RESOLVE (execvp);
  MSC_RESOLVE (execvpe);
  MSC_RESOLVE (dlopen);
  MSC_RESOLVE (dlclose);
  real.exit_now = (__typeof__ (real.exit_now)) dlsym (RTLD_NEXT, "_exit");
  MSC_RESOLVE (free);
  resolving = 0;
}

static int
msc_tr_recording (void)
{
  return msc_tr_enabled && !msc_tr_busy;
}

MSC_EXPORT void *
malloc (size_t size)
{
  void *p;

  msc_tr_resolve ();
  if (real.malloc == NULL)
    return msc_tr_pool_alloc (size);
  p = real.malloc (size);
  if (msc_tr_recording ())
    msc_tr_alloc (MSC_TRACE_MALLOC, p, size, MSC_TR_CALLER);
  return p;
}

MSC_EXPORT void
free (void *p)
{
  if (p == NULL || msc_tr_in_pool (p))
    return;
  msc_tr_resolve ();
  if (msc_tr_recording ())
    msc_tr_free (p);
  real.free (p);
}

MSC_EXPORT void *
calloc (size_t n, size_t size)
{
  void *p;

  msc_tr_resolve ();
  if (real.calloc == NULL)
    return msc_tr_pool_alloc (n * size); /* dlsym's own few bytes, zeroed: static */
  p = real.calloc (n, size);
  if (msc_tr_recording ())
    msc_tr_alloc (MSC_TRACE_CALLOC, p, n * size, MSC_TR_CALLER);
  return p;
}

static void
msc_tr_realloc_record (int op, void *old, void *p, size_t size, uint64_t caller)
{
  MscWireOp rec = { 0 };

  rec.h.op = (uint8_t) op;
  rec.address = (uint64_t) (uintptr_t) p;
  rec.size = size;
  rec.old_address = (uint64_t) (uintptr_t) old;
  rec.error = p == NULL && size != 0 ? ENOMEM : 0;
  msc_tr_op (&rec, caller);
}

MSC_EXPORT void *
realloc (void *old, size_t size)
{
  void *p;

  msc_tr_resolve ();
  /* A bootstrap block moves to the real heap; its old size is unknown, so
   * copy what the pool holds from it on (never more than asked). */
  if (msc_tr_in_pool (old))
    {
      size_t room = (size_t) (msc_tr_pool + sizeof msc_tr_pool - (char *) old);

      p = malloc (size);
      if (p != NULL)
        memcpy (p, old, size < room ? size : room);
      return p;
    }
  p = real.realloc (old, size);
  if (msc_tr_recording ())
    msc_tr_realloc_record (MSC_TRACE_REALLOC, old, p, size, MSC_TR_CALLER);
  return p;
}

MSC_EXPORT void *
reallocarray (void *old, size_t n, size_t size)
{
  void *p;

  msc_tr_resolve ();
  p = real.reallocarray (old, n, size);
  if (msc_tr_recording ())
    msc_tr_realloc_record (MSC_TRACE_REALLOCARRAY, old, p, n * size, MSC_TR_CALLER);
  return p;
}

MSC_EXPORT int
posix_memalign (void **out, size_t alignment, size_t size)
{
  int ret;

  msc_tr_resolve ();
  ret = real.posix_memalign (out, alignment, size);
  if (msc_tr_recording ())
    msc_tr_alloc (MSC_TRACE_POSIX_MEMALIGN, ret == 0 ? *out : NULL, size, MSC_TR_CALLER);
  return ret;
}

/* The aligned and page-sized variants: one shape, one recorder. */
#define MSC_ALIGNED_HOOK(name, op)                                  \
  MSC_EXPORT void *                                                 \
  name (size_t alignment, size_t size)                              \
  {                                                                 \
    void *p;                                                        \
                                                                    \
    msc_tr_resolve ();                                              \
    p = real.name (alignment, size);                                \
    if (msc_tr_recording ())                                        \
      msc_tr_alloc (op, p, size, MSC_TR_CALLER);                    \
    return p;                                                       \
  }
#define MSC_PAGE_HOOK(name, op)                                     \
  MSC_EXPORT void *                                                 \
  name (size_t size)                                                \
  {                                                                 \
    void *p;                                                        \
                                                                    \
    msc_tr_resolve ();                                              \
    p = real.name (size);                                           \
    if (msc_tr_recording ())                                        \
      msc_tr_alloc (op, p, size, MSC_TR_CALLER);                    \
    return p;                                                       \
  }

MSC_ALIGNED_HOOK (aligned_alloc, MSC_TRACE_ALIGNED_ALLOC)
MSC_ALIGNED_HOOK (memalign, MSC_TRACE_MEMALIGN)
MSC_PAGE_HOOK (valloc, MSC_TRACE_VALLOC)
MSC_PAGE_HOOK (pvalloc, MSC_TRACE_PVALLOC)

/* ---- process events ---- */

/* exec replaces the image: what the threads buffered must go first.  If
 * exec fails the threads go on sending records one by one (slower, same
 * records). */
static long msc_tr_pid;
/* What msc_tr_patch_libc() found, said again by each fork child's hello. */
static int msc_tr_patched;

/* This is the traced process itself: a vfork child shares our memory (and
 * so msc_tr_enabled) but is not us, and must leave our buffers alone. */
static int
msc_tr_is_traced (void)
{
  return msc_tr_enabled && getpid () == msc_tr_pid;
}

static void
msc_tr_before_exec (void)
{
  msc_tr_resolve ();
  if (msc_tr_is_traced ())
    msc_tr_flush_all ();
}

/* exit() and _exit(): everything out, then memscope's last snapshot. */
static void
msc_tr_before_exit (void)
{
  if (msc_tr_is_traced ())
    {
      msc_tr_flush_all ();
      msc_tr_exit_handshake ();
    }
}

MSC_EXPORT int
execve (const char *path, char *const argv[], char *const envp[])
{
  msc_tr_before_exec ();
  return real.execve (path, argv, envp);
}

MSC_EXPORT int
execv (const char *path, char *const argv[])
{
  msc_tr_before_exec ();
  return real.execv (path, argv);
}

MSC_EXPORT int
execvp (const char *file, char *const argv[])
{
  msc_tr_before_exec ();
  return real.execvp (file, argv);
}

MSC_EXPORT int
execvpe (const char *file, char *const argv[], char *const envp[])
{
  msc_tr_before_exec ();
  return real.execvpe (file, argv, envp);
}

/* A followed process is not memscope's child: it cannot learn the exit
 * code from waitpid(), so the process sends it. */
static void
msc_tr_send_status (int code)
{
  if (msc_tr_following () && msc_tr_is_traced ())
    msc_tr_status (code);
}

MSC_EXPORT void
_exit (int status)
{
  msc_tr_resolve ();
  msc_tr_before_exit ();
  msc_tr_send_status (status);
  real.exit_now (status);
}

static void
msc_tr_on_exit (int status, void *data)
{
  (void) data;
  msc_tr_send_status (status);
}

MSC_EXPORT void *
dlopen (const char *file, int mode)
{
  void *handle;
  int watching;

  msc_tr_resolve ();
  watching = msc_tr_maps_begin ();
  handle = real.dlopen (file, mode);
  if (watching)
    msc_tr_maps_end (MSC_TR_CALLER);
  if (handle != NULL && msc_tr_recording ())
    msc_tr_modules ();
  return handle;
}

MSC_EXPORT int
dlclose (void *handle)
{
  int ret, watching;

  msc_tr_resolve ();
  watching = msc_tr_maps_begin ();
  ret = real.dlclose (handle);
  if (watching)
    msc_tr_maps_end (MSC_TR_CALLER);
  if (ret == 0 && msc_tr_recording ())
    msc_tr_modules ();
  return ret;
}

static int
msc_tr_env_number (const char *name, long *value)
{
  const char *text = getenv (name);
  char *end;

  if (text == NULL || text[0] == '\0')
    return 0;
  errno = 0;
  *value = strtol (text, &end, 10);
  return errno == 0 && *end == '\0';
}

/* This process's first records: who it is, what is loaded. */
static void
msc_tr_begin (void)
{
  msc_tr_pid = getpid ();
  msc_tr_hello (msc_tr_patched);
  msc_tr_modules ();
  msc_tr_enabled = 1;
}

/* The parent's channel and buffers are the parent's: the child forgets
 * them.  Followed, it goes on as a process of its own on a new channel.
 * Not when fork came from a signal handler that interrupted the tracer:
 * the buffer it would start from is half written. */
static void
msc_tr_after_fork (void)
{
  int fd;

  msc_tr_forked_child ();
  if (msc_tr_busy || (fd = msc_tr_follow_connect ()) < 0)
    return;
  msc_tr_busy++;
  msc_tr_record_restart (fd);
  msc_tr_maps_forked ();
  msc_tr_begin ();
  msc_tr_busy--;
}

/* Runs before main (and again in each image after exec). */
__attribute__ ((constructor)) static void
msc_tr_start (void)
{
  long fd, pid;
  int channel;

  msc_tr_resolve ();
  msc_tr_follow_init ();
  if (msc_tr_env_number (MSC_WIRE_ENV_FD, &fd) && msc_tr_env_number (MSC_WIRE_ENV_PID, &pid)
      && pid == (long) getpid ())
    channel = (int) fd;
  else if ((channel = msc_tr_follow_connect ()) < 0)
    return; /* not launched by memscope, or a process the traced one started, not followed */
  msc_tr_busy++;
  msc_tr_clock_init ();
  msc_tr_record_init (channel);
  pthread_atfork (NULL, NULL, msc_tr_after_fork);
  if (msc_tr_following ())
    on_exit (msc_tr_on_exit, NULL);
  msc_tr_patched = msc_tr_patch_libc ();
  msc_tr_begin ();
  msc_tr_busy--;
}

/* exit() runs this after the program's atexit handlers: what remains in the
 * buffers goes out, and the frees that follow go out one by one. */
__attribute__ ((destructor)) static void
msc_tr_stop (void)
{
  msc_tr_before_exit ();
}
