/* msc-linux-buffer.c — the scan's large arrays (maps text, VMAs, pieces,
 * allocations, page ranges).
 *
 * They are mmap'd with MAP_POPULATE and grown with mremap +
 * MADV_POPULATE_WRITE: a 65k-VMA scan needs ~15 MB of fresh memory, and
 * taking one page fault per 4 KiB page was the largest single cost of the
 * scan on the test VM (≈11 µs per fault vs ≈2 µs per page populated by the
 * kernel in one call).  Growth by mremap moves no bytes.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  /* Linux 5.14 */
#endif

static size_t
msc_round (size_t bytes)
{
  size_t page = (size_t) sysconf (_SC_PAGESIZE);

  return (bytes + page - 1) & ~(page - 1);
}

int
msc_linux_buffer_reserve (MscLinuxBuffer *buffer, size_t bytes)
{
  size_t cap;
  void *p;

  if (bytes <= buffer->cap)
    return 0;
  cap = buffer->cap ? buffer->cap : msc_round (64u << 10);
  while (cap < bytes)
    cap *= 2;
  if (buffer->data == NULL)
    {
      p = mmap (NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
      if (p == MAP_FAILED)
        return -1;
    }
  else
    {
      p = mremap (buffer->data, buffer->cap, cap, MREMAP_MAYMOVE);
      if (p == MAP_FAILED)
        return -1;
      /* Older kernels say EINVAL: the pages then fault in one by one. */
      madvise ((char *) p + buffer->cap, cap - buffer->cap, MADV_POPULATE_WRITE);
    }
  buffer->data = p;
  buffer->cap = cap;
  return 0;
}

void
msc_linux_buffer_free (MscLinuxBuffer *buffer)
{
  if (buffer->data != NULL)
    munmap (buffer->data, buffer->cap);
  buffer->data = NULL;
  buffer->cap = 0;
}
