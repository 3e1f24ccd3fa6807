/* msc-trace-static.c — a statically linked program: nothing can be
 * preloaded into it, so memscope --trace only snapshots it.  It runs a
 * little over one snapshot interval and exits with 5. */
#include <stdlib.h>
#include <time.h>

int
main (void)
{
  struct timespec ts = { 0, 300 * 1000000 };
  void *volatile p = malloc (100000);

  nanosleep (&ts, NULL);
  free (p);
  return 5;
}
