/* bench-trace-work.c — the workload of bench-trace: PAIRS malloc + free
 * pairs made at a stack depth of about DEPTH frames (main and libc's start
 * frames included).  usage: bench-trace-work DEPTH [PAIRS] */
#include <stdlib.h>

#define NOINLINE __attribute__ ((noinline))

static void *volatile sink;
static volatile int after;

NOINLINE static void
leaf (long pairs)
{
  for (long i = 0; i < pairs; i++)
    {
      sink = malloc (32 + (size_t) (i & 63));
      free (sink);
    }
}

/* The store after the call keeps it from becoming a jump. */
NOINLINE static void
descend (int depth, long pairs)
{
  if (depth <= 1)
    leaf (pairs);
  else
    descend (depth - 1, pairs);
  after++;
}

int
main (int argc, char **argv)
{
  int depth = argc > 1 ? atoi (argv[1]) : 12;
  long pairs = argc > 2 ? atol (argv[2]) : 2000000;

  /* _start, __libc_start_main, __libc_start_call_main, main, leaf: 5 */
  descend (depth > 5 ? depth - 5 : 1, pairs);
  return 0;
}
