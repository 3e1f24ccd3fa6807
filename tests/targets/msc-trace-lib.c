/* msc-trace-lib.c — the library msc-trace-target dlopens: it allocates
 * (3 x 4242 bytes, leaked) and is dlclose'd before the trace ends, so its
 * frames must be named from the module list of their time. */
#include <stdlib.h>

void msc_trace_lib_alloc (void);

void *msc_trace_lib_kept[3]; /* global: -O must not drop the stores (and the mallocs) */

__attribute__ ((noinline)) void
msc_trace_lib_alloc (void)
{
  for (int i = 0; i < 3; i++)
    msc_trace_lib_kept[i] = malloc (4242);
}
