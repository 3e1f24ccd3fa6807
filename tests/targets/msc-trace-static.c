/* msc-trace-static.c — a statically linked program: nothing can be
 * preloaded into it, so memscope --trace sees only its mappings (through
 * ptrace).  map_static maps 8 MiB and keeps it; main mallocs 100,000 bytes
 * (below the mmap threshold: the break moves), runs a little over one
 * snapshot interval and exits with 5. */
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

void *msc_trace_static_kept; /* global: the mapping and its call stay */

void map_static (void);

__attribute__ ((noinline)) void
map_static (void)
{
  char *p = mmap (NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  if (p == MAP_FAILED)
    abort ();
  p[0] = 1;
  msc_trace_static_kept = p;
}

int
main (void)
{
  struct timespec ts = { 0, 300 * 1000000 };
  void *volatile p = malloc (100000);

  map_static ();
  nanosleep (&ts, NULL);
  free (p);
  return 5;
}
