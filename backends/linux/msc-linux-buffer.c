/* msc-linux-buffer.c — the scan's large arrays (maps text, VMAs, pieces,
 * allocations, page ranges).
 *
 * Fresh memory is the scan's largest hidden cost: a 60k-VMA scan fills
 * ~15 MB. Taking one page fault per 4 KiB page costs ≈11 µs each on the test
 * VM, and where the host shadows the guest's page tables even a populated
 * page traps on its first touch (≈5 µs). So an array starts small, populated
 * in one call (MAP_POPULATE, MADV_POPULATE_WRITE), and once it outgrows
 * 2 MiB moves to 2 MiB-aligned spans asking for transparent huge pages: one
 * mapping per 2 MiB instead of 512 (filling 16 MB: 0.3 ms instead of 22).
 * Growth mremaps onto a fresh aligned span, moving page table entries, not
 * bytes, and populates only as far as the array is used.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"
#include "backends/msc-backend-host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  /* Linux 5.14 */
#endif

#define MSC_SMALL_START ((size_t) 64 << 10)

static size_t
msc_round (size_t bytes, size_t unit)
{
  return (bytes + unit - 1) & ~(unit - 1);
}

/* cap bytes (a multiple of MSC_HOST_HUGE_PAGE) at such a boundary, unpopulated. */
static char *
msc_huge_span (size_t cap)
{
  char *raw = mmap (NULL, cap + MSC_HOST_HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *start;

  if (raw == MAP_FAILED)
    return NULL;
  start = (char *) msc_round ((uintptr_t) raw, MSC_HOST_HUGE_PAGE);
  if (start > raw)
    munmap (raw, (size_t) (start - raw));
  munmap (start + cap, (size_t) (raw + MSC_HOST_HUGE_PAGE - start));
#ifdef MADV_HUGEPAGE
  /* Refused (a kernel without THP): small pages, as before. */
  madvise (start, cap, MADV_HUGEPAGE);
#endif
  return start;
}

/* Below 2 MiB: small pages, grown in place or moved by mremap. */
static int
msc_buffer_grow_small (MscLinuxBuffer *buffer, size_t cap)
{
  void *p;

  if (buffer->data == NULL)
    p = mmap (NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  else
    p = mremap (buffer->data, buffer->cap, cap, MREMAP_MAYMOVE);
  if (p == MAP_FAILED)
    return -1;
  buffer->data = p;
  buffer->cap = cap;
  return 0;
}

/* 2 MiB and up: a huge-page span. Small pages are copied in (under 2 MiB,
 * fewer than their own faults would cost); huge ones move by mremap. */
static int
msc_buffer_grow_huge (MscLinuxBuffer *buffer, size_t cap)
{
  char *span = msc_huge_span (cap);
  void *moved;

  if (span == NULL)
    return -1;
  if (buffer->cap >= MSC_HOST_HUGE_PAGE)
    {
      moved = mremap (buffer->data, buffer->cap, cap, MREMAP_MAYMOVE | MREMAP_FIXED, span);
      if (moved == MAP_FAILED)
        {
          munmap (span, cap);
          return -1;
        }
    }
  else
    {
      size_t keep = buffer->populated;

      madvise (span, msc_round (keep, MSC_HOST_HUGE_PAGE), MADV_POPULATE_WRITE);
      if (buffer->data != NULL)
        {
          memcpy (span, buffer->data, keep);
          munmap (buffer->data, buffer->cap);
        }
      buffer->populated = msc_round (keep, MSC_HOST_HUGE_PAGE);
    }
  buffer->data = span;
  buffer->cap = cap;
  return 0;
}

int
msc_linux_buffer_reserve (MscLinuxBuffer *buffer, size_t bytes)
{
  size_t want;

  if (bytes > buffer->cap)
    {
      size_t cap = buffer->cap ? buffer->cap : MSC_SMALL_START;

      while (cap < bytes)
        cap *= 2;
      if ((cap < MSC_HOST_HUGE_PAGE ? msc_buffer_grow_small (buffer, cap)
                                    : msc_buffer_grow_huge (buffer, cap)) != 0)
        return -1;
    }
  /* Populated up to what is asked, to the next huge page in huge spans. */
  want = buffer->cap < MSC_HOST_HUGE_PAGE ? buffer->cap : msc_round (bytes, MSC_HOST_HUGE_PAGE);
  if (want > buffer->cap)
    want = buffer->cap;
  if (want > buffer->populated)
    {
      /* Older kernels say EINVAL: the pages then fault in one by one. */
      madvise ((char *) buffer->data + buffer->populated, want - buffer->populated, MADV_POPULATE_WRITE);
      buffer->populated = want;
    }
  return 0;
}

void
msc_linux_buffer_free (MscLinuxBuffer *buffer)
{
  if (buffer->data != NULL)
    munmap (buffer->data, buffer->cap);
  buffer->data = NULL;
  buffer->cap = 0;
  buffer->populated = 0;
}
