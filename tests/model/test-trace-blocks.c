/* test-trace-blocks.c — a trace's event blocks (model/msc-trace-blocks.c):
 * zeroed, each its own, and from the third on faulted in ahead by the
 * helper thread, so that the recording thread does not wait for the
 * kernel to zero them. */
#include "config.h"

#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "backends/backend.h"
#include "model/msc-trace-blocks.h"

#define SIZE (4u << 20)

static void
assert_zero (const guint8 *block)
{
  for (gsize i = 0; i < SIZE; i += 4096)
    g_assert_cmpuint (block[i], ==, 0);
}

/* How many of the block's pages are in memory (Linux's mincore()). */
static void
assert_resident (gpointer block)
{
#ifdef __linux__
  gsize n = SIZE / 4096, resident = 0;
  g_autofree unsigned char *in = g_malloc (n);

  g_assert_cmpint (mincore (block, SIZE, in), ==, 0);
  for (gsize i = 0; i < n; i++)
    resident += in[i] & 1;
  g_assert_cmpuint (resident, ==, n);
#else
  (void) block;
#endif
}

static void
test_ahead (void)
{
  MscTraceBlocks *blocks = msc_trace_blocks_new (SIZE);
  gpointer first = msc_trace_blocks_take (blocks);
  gpointer second = msc_trace_blocks_take (blocks);
  gpointer third;

  /* The helper starts with the second block and makes the third: a
   * second is ample for 4 MiB, even on a loaded machine. */
  g_usleep (G_USEC_PER_SEC);
  third = msc_trace_blocks_take (blocks);
  /* Made ahead where the backend maps them (the Linux tracer's); the
   * others' blocks are plain zeroed memory, checked below all the same. */
  if (g_strcmp0 (msc_backend_name (), "linux") == 0)
    assert_resident (third);
  g_assert_true (first != second && second != third && first != third);
  assert_zero (third);
  memset (third, 0x5a, SIZE);
  assert_zero (first);
  assert_zero (second);
  msc_trace_blocks_free (blocks);
  msc_backend_block_free (first, SIZE);
  msc_backend_block_free (second, SIZE);
  msc_backend_block_free (third, SIZE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace-blocks/ahead", test_ahead);
  return g_test_run ();
}
