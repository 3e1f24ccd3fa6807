/* msc-trace-target.c — a program whose allocations are known, for the
 * tracer's tests (tests/linux/test-linux-trace.c).  Each call site is its
 * own never-inlined function, so the call tree must name it with exactly
 * the bytes and count below:
 *
 *   alloc_small    100 x malloc (1000), all freed
 *   alloc_calloc    10 x calloc (10, 100), all freed
 *   alloc_leak       7 x malloc (3000), never freed
 *   alloc_big        1 x malloc (5 MiB): above the mmap threshold, so glibc
 *                    maps it itself (the call a preloaded mmap never sees)
 *   map_region       1 x mmap (64 MiB), kept to the end
 *   start_threads    4 threads with 1 MiB stacks (glibc maps them); each
 *                    thread_work mallocs 50 x 2000 in its new arena and
 *                    keeps 1 of them
 *   load_library     dlopen (argv[1]); its msc_trace_lib_alloc leaks
 *                    3 x 4242; dlclose
 *
 * then sleeps SLEEP_MS (or $MSC_TRACE_TARGET_SLEEP_MS: the GUI test sets it
 * through Launch and Trace's environment) so that interval snapshots see it
 * all, and ends as
 * the mode (argv[2]) says: exit, _exit, abort, kill (SIGKILL itself), fork
 * (a child's fork_alloc mallocs 3 x 7777 and frees one, the child lives
 * CHILD_MS and leaves with _exit (4); the parent then mallocs 8888),
 * fork-exec (the child execs this program in mode exit), spawn (the same
 * through posix_spawn: a vfork child), signal (a SIGUSR1 handler mallocs
 * 5555), stress (8 threads x 20000 malloc (440) + free at once), exit-busy
 * (MSC_TARGET_BUSY_THREADS threads malloc and free without end, thread w
 * its i-th block of MSC_TARGET_BUSY_SIZE (w, i) bytes; the program exits
 * once each has made MSC_TARGET_BUSY_MIN), unwind
 * (msc-trace-target-unwind.c: the same frame reached through different
 * outer frames, for the tracer's unwind cache).  The parent waits for its
 * child and returns 7 as in the other modes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/targets/msc-trace-target.h"

#define NOINLINE __attribute__ ((noinline))
#define SLEEP_MS 1200
#define CHILD_MS 700

/* Stores that keep the compiler from dropping the allocations.  Only the
 * main thread's straight-line code uses sink: a block that is freed goes
 * through a local volatile pointer of its own, since threads (and a signal
 * handler) sharing one would free each other's blocks. */
static void *volatile sink;
void *msc_trace_leaks[7]; /* global: -O1 must not drop the stores (and the mallocs) */
static pthread_barrier_t ready, finish;

static void
sleep_ms (int ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

  while (nanosleep (&ts, &ts) != 0)
    ;
}

NOINLINE static void
alloc_small (void)
{
  void *blocks[100];

  for (int i = 0; i < 100; i++)
    blocks[i] = malloc (1000);
  for (int i = 0; i < 100; i++)
    free (blocks[i]);
}

NOINLINE static void
alloc_calloc (void)
{
  for (int i = 0; i < 10; i++)
    {
      void *volatile block = calloc (10, 100);
      free (block);
    }
}

NOINLINE static void
alloc_leak (void)
{
  for (int i = 0; i < 7; i++)
    msc_trace_leaks[i] = malloc (3000);
}

NOINLINE static void
alloc_big (void)
{
  char *p = malloc (5 << 20);

  p[0] = 1;
  sink = p;
  free (p);
}

NOINLINE static void *
map_region (void)
{
  char *p = mmap (NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  if (p == MAP_FAILED)
    abort ();
  p[0] = 1;
  return p;
}

NOINLINE static void *
thread_work (void *data)
{
  void *blocks[50];

  (void) data;
  for (int i = 0; i < 50; i++)
    blocks[i] = malloc (2000);
  for (int i = 1; i < 50; i++)
    free (blocks[i]);
  pthread_barrier_wait (&ready);
  pthread_barrier_wait (&finish);
  return blocks[0];
}

NOINLINE static void
start_threads (pthread_t threads[4])
{
  pthread_attr_t attr;

  pthread_attr_init (&attr);
  pthread_attr_setstacksize (&attr, 1 << 20);
  for (int i = 0; i < 4; i++)
    pthread_create (&threads[i], &attr, thread_work, NULL);
  pthread_attr_destroy (&attr);
}

NOINLINE static void
load_library (const char *path)
{
  void *lib = dlopen (path, RTLD_NOW);
  void (*alloc) (void);

  if (lib == NULL)
    {
      fprintf (stderr, "msc-trace-target: %s\n", dlerror ());
      exit (3);
    }
  alloc = (void (*) (void)) dlsym (lib, "msc_trace_lib_alloc");
  alloc ();
  dlclose (lib);
}

NOINLINE static void *
stress_work (void *data)
{
  (void) data;
  for (int i = 0; i < 20000; i++)
    {
      void *volatile block = malloc (440);
      free (block);
    }
  return NULL;
}

static void
stress (void)
{
  pthread_t threads[8];

  for (int i = 0; i < 8; i++)
    pthread_create (&threads[i], NULL, stress_work, NULL);
  for (int i = 0; i < 8; i++)
    pthread_join (threads[i], NULL);
}

static _Atomic int busy_progress[MSC_TARGET_BUSY_THREADS];

/* Still allocating when the main thread exits: exit's flush meets its
 * buffer at any point of a record. */
NOINLINE static void *
busy_work (void *data)
{
  int w = (int) (intptr_t) data;

  for (int i = 0;; i++)
    {
      void *volatile block = malloc (MSC_TARGET_BUSY_SIZE (w, i));

      free (block);
      atomic_store (&busy_progress[w], i + 1);
    }
  return NULL;
}

static void
exit_busy (void)
{
  for (int w = 0; w < MSC_TARGET_BUSY_THREADS; w++)
    {
      pthread_t thread;

      pthread_create (&thread, NULL, busy_work, (void *) (intptr_t) w);
    }
  for (int w = 0; w < MSC_TARGET_BUSY_THREADS; w++)
    while (atomic_load (&busy_progress[w]) < MSC_TARGET_BUSY_MIN)
      sleep_ms (1);
}

static void
on_usr1 (int signo)
{
  void *volatile block = malloc (5555);

  (void) signo;
  free (block);
}

NOINLINE static void
fork_alloc (void)
{
  void *volatile block = malloc (7777);

  free (block);
  msc_trace_leaks[0] = malloc (7777);
  msc_trace_leaks[1] = malloc (7777);
}

/* The same program again, as the child: its capture is the "exit" run's. */
static void
exec_self (const char *library)
{
  char *const argv[] = { "msc-trace-target", (char *) library, "exit", NULL };

  execv ("/proc/self/exe", argv);
  _exit (127);
}

static void
fork_child (const char *mode, const char *library)
{
  extern char **environ;
  pid_t pid = 0;

  if (strcmp (mode, "spawn") == 0)
    {
      char *const argv[] = { "msc-trace-target", (char *) library, "exit", NULL };

      if (posix_spawn (&pid, "/proc/self/exe", NULL, NULL, argv, environ) != 0)
        exit (3);
    }
  else if ((pid = fork ()) == 0)
    {
      if (strcmp (mode, "fork-exec") == 0)
        exec_self (library);
      fork_alloc ();
      sleep_ms (CHILD_MS);
      _exit (4);
    }
  waitpid (pid, NULL, 0);
  {
    void *volatile block = malloc (8888);

    free (block);
  }
}

/* How the program ends: the modes that return do so with status 7. */
static int
finish_as (const char *mode, const char *library)
{
  if (strcmp (mode, "_exit") == 0)
    _exit (9);
  if (strcmp (mode, "abort") == 0)
    abort ();
  if (strcmp (mode, "kill") == 0)
    kill (getpid (), SIGKILL);
  if (strcmp (mode, "fork") == 0 || strcmp (mode, "fork-exec") == 0 || strcmp (mode, "spawn") == 0)
    fork_child (mode, library);
  if (strcmp (mode, "signal") == 0)
    {
      signal (SIGUSR1, on_usr1);
      raise (SIGUSR1);
    }
  if (strcmp (mode, "stress") == 0)
    stress ();
  if (strcmp (mode, "exit-busy") == 0)
    exit_busy ();
  if (strcmp (mode, "unwind") == 0)
    msc_trace_target_unwind ();
  return 7;
}

int
main (int argc, char **argv)
{
  pthread_t threads[4];
  void *region;

  if (argc < 3)
    {
      fprintf (stderr, "usage: msc-trace-target LIBRARY MODE\n");
      return 2;
    }
  alloc_small ();
  alloc_calloc ();
  alloc_leak ();
  alloc_big ();
  region = map_region ();
  pthread_barrier_init (&ready, NULL, 5);
  pthread_barrier_init (&finish, NULL, 5);
  start_threads (threads);
  pthread_barrier_wait (&ready);
  load_library (argv[1]);
  sleep_ms (getenv ("MSC_TRACE_TARGET_SLEEP_MS") != NULL ? atoi (getenv ("MSC_TRACE_TARGET_SLEEP_MS")) : SLEEP_MS);
  pthread_barrier_wait (&finish);
  for (int i = 0; i < 4; i++)
    pthread_join (threads[i], NULL);
  sink = region;
  return finish_as (argv[2], argv[1]);
}
