/* msc-linux-pagemap.c — working-set figures from the page tables.
 *
 * One PAGEMAP_SCAN ioctl walk (6.7+) over the whole address range returns
 * runs of pages with equal categories; the kernel merges runs across VMA
 * boundaries, so 65k touched VMAs come back as a handful of ranges.  The
 * definitions match smaps exactly (fs/proc/task_mmu.c):
 *   Total WS     = present pages except the shared zero page (smaps Rss:
 *                  vm_normal_page() is NULL for the zero page)
 *   Shareable WS = present pages that are not anonymous (PAGE_IS_FILE: page
 *                  cache and shmem) = Rss - Anonymous
 *   Shared WS    = of those, the ones not mapped exclusively.  PAGEMAP_SCAN
 *                  has no exclusive bit, so only these ranges are read again
 *                  from the classic pagemap for bit 56.
 *   Swap         = swapped pages (not MADV_GUARD_INSTALL markers, which the
 *                  kernel also reports as swap entries).
 * Kernels without PAGEMAP_SCAN use msc-linux-classic.c to build the same
 * ranges from the classic pagemap.
 */
#include "backends/linux/msc-linux.h"
#include "backends/linux/msc-linux-uapi.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSC_SCAN_VEC_LEN 4096
#define MSC_SHARED_WINDOW_PAGES 32768  /* 256 KiB of pagemap entries per pread */
#define MSC_SHARED_GAP_PAGES 256       /* read across smaller gaps: fewer syscalls */
#define MSC_SHARED_MAX_SEGMENTS 512

int
msc_linux_ranges_add (MscLinuxScan *scan, uint64_t start, uint64_t end, uint64_t categories)
{
  if (msc_linux_buffer_reserve (&scan->range_buffer, (scan->n_ranges + 1) * sizeof *scan->ranges) != 0)
    return -1;
  scan->ranges = scan->range_buffer.data;
  scan->ranges[scan->n_ranges++] = (MscLinuxRange) { start, end, categories };
  return 0;
}

static int
msc_forced_classic (void)
{
  /* Testing aid (documented in tests/linux): exercise the pre-6.7 path on a
   * kernel that has PAGEMAP_SCAN, to check both give the same figures. */
  const char *value = getenv ("MSC_LINUX_NO_PAGEMAP_SCAN");

  return value != NULL && value[0] != '\0' && strcmp (value, "0") != 0;
}

/* One ioctl; returns the number of regions, or -1 with errno. */
static long
msc_scan_call (MscLinuxScan *scan, struct pm_scan_arg *arg)
{
  long n;

  do
    n = ioctl (scan->pagemap_fd, PAGEMAP_SCAN, arg);
  while (n < 0 && errno == EINTR);
  return n;
}

#define MSC_SCAN_UNSUPPORTED (-1)

/* Keeps one returned region.  When a walk stops early, 6.18 was seen to
 * return, after the regions below walk_end, a stale one from far above it
 * (a self-scan whose address space changed): the next call reports that
 * part again, so anything at or above walk_end, or out of order, is dropped
 * to keep the ranges sorted and counted once. */
static int
msc_scan_keep (MscLinuxScan *scan, const struct page_region *region, uint64_t walk_end)
{
  uint64_t start = region->start, end = region->end < walk_end ? region->end : walk_end;

  if (scan->n_ranges > 0 && start < scan->ranges[scan->n_ranges - 1].end)
    start = scan->ranges[scan->n_ranges - 1].end;
  if (start >= end)
    return 0;
  return msc_linux_ranges_add (scan, start, end, region->categories) != 0 ? ENOMEM : 0;
}

/* Walks [start, end) into scan->ranges; 0, MSC_SCAN_UNSUPPORTED or errno. */
static int
msc_scan_range (MscLinuxScan *scan, uint64_t start, uint64_t end)
{
  struct page_region *vec;
  struct pm_scan_arg arg;
  int first = 1, err = 0;

  if (start >= end)
    return 0;
  vec = malloc (MSC_SCAN_VEC_LEN * sizeof *vec);
  if (vec == NULL)
    return ENOMEM;
  memset (&arg, 0, sizeof arg);
  arg.size = sizeof arg;
  arg.start = start;
  arg.end = end;
  arg.vec = (uint64_t) (uintptr_t) vec;
  arg.vec_len = MSC_SCAN_VEC_LEN;
  arg.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
  arg.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_FILE | PAGE_IS_PFNZERO | PAGE_IS_GUARD;
  for (;;)
    {
      long n = msc_scan_call (scan, &arg);

      if (n < 0 && first && errno == EINVAL && (arg.return_mask & PAGE_IS_GUARD))
        {
          /* 6.7–6.14 reject the GUARD category; those kernels have no
           * guard markers to tell apart from swap anyway. */
          arg.return_mask &= ~(uint64_t) PAGE_IS_GUARD;
          continue;
        }
      if (n < 0)
        {
          err = first && (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP) ? MSC_SCAN_UNSUPPORTED : errno;
          break;
        }
      first = 0;
      for (long i = 0; i < n && err == 0; i++)
        err = msc_scan_keep (scan, &vec[i], arg.walk_end);
      if (err != 0 || arg.walk_end >= end)
        break;
      if (arg.walk_end <= arg.start)
        {
          err = EIO;  /* no progress: never loop forever on a kernel bug */
          break;
        }
      arg.start = arg.walk_end;
    }
  free (vec);
  return err;
}

/* The walk needs no VMA list: it runs on its own thread while the maps
 * text is read and parsed (both only read-lock the mm), which hides most of
 * its cost on a 2-core machine.  x86-64's 47-bit user space is walked
 * first; whatever lies above (LA57) is walked after the join. */
#define MSC_SCAN_EARLY_END UINT64_C (0x7ffffffff000)

static void *
msc_scan_worker (void *data)
{
  MscLinuxScan *scan = data;

  scan->pagemap_err = msc_scan_range (scan, 0, MSC_SCAN_EARLY_END);
  return NULL;
}

void
msc_linux_pagemap_start (MscLinuxScan *scan)
{
  if (msc_forced_classic ())
    return;
  scan->pagemap_started = pthread_create (&scan->pagemap_thread, NULL, msc_scan_worker, scan) == 0;
}

void
msc_linux_pagemap_join (MscLinuxScan *scan)
{
  if (!scan->pagemap_started)
    return;
  pthread_join (scan->pagemap_thread, NULL);
  scan->pagemap_started = 0;
  scan->pagemap_joined = 1;
}

int
msc_linux_pagemap_scan (MscLinuxScan *scan)
{
  uint64_t done = 0, end;
  int err = 0;

  msc_linux_pagemap_join (scan);
  if (scan->n_vmas == 0)
    return 0;
  end = scan->vmas[scan->n_vmas - 1].end;
  if (msc_forced_classic ())
    err = MSC_SCAN_UNSUPPORTED;
  else if (scan->pagemap_joined)
    {
      err = scan->pagemap_err;
      done = MSC_SCAN_EARLY_END;
    }
  if (err == 0 && end > done)
    err = msc_scan_range (scan, done, end);
  if (err == MSC_SCAN_UNSUPPORTED)
    {
      scan->n_ranges = 0;
      return msc_linux_classic_scan (scan);
    }
  return err;
}

int
msc_linux_pagemap_range (MscLinuxScan *scan, uint64_t start, uint64_t end)
{
  int err = msc_forced_classic () ? MSC_SCAN_UNSUPPORTED : msc_scan_range (scan, start, end);

  if (err == MSC_SCAN_UNSUPPORTED)
    err = msc_linux_classic_range (scan, start, end);
  return err;
}

int
msc_linux_page_present (const MscLinuxScan *scan, uint64_t addr)
{
  size_t i = msc_linux_find (scan->ranges, scan->n_ranges, sizeof *scan->ranges, addr);

  return i < scan->n_ranges && (scan->ranges[i].categories & PAGE_IS_PRESENT) != 0;
}

/* ---- Shared WS: bit 56 of the classic pagemap over resident file ranges ---- */

typedef struct {
  uint64_t start;
  uint64_t end;
  MscLinuxPiece *piece;
} MscSharedSegment;

typedef struct {
  MscLinuxScan *scan;
  uint64_t *entries;
  MscSharedSegment segments[MSC_SHARED_MAX_SEGMENTS];
  size_t n;
} MscSharedBatch;

static void
msc_shared_count (MscSharedBatch *batch, MscSharedSegment *segment, uint64_t window_start,
                  uint64_t end, size_t n_entries)
{
  const uint64_t ps = batch->scan->page_size;
  const uint64_t want = MSC_PM_PRESENT | MSC_PM_FILE;

  for (uint64_t addr = segment->start; addr < end; addr += ps)
    {
      size_t index = (size_t) ((addr - window_start) / ps);

      if (index < n_entries && (batch->entries[index] & (want | MSC_PM_EXCLUSIVE)) == want)
        segment->piece->shared_ws += ps;
    }
}

/* Reads the pagemap under the queued segments, one window per pread. */
static int
msc_shared_flush (MscSharedBatch *batch)
{
  const uint64_t ps = batch->scan->page_size;
  size_t i = 0;

  while (i < batch->n)
    {
      uint64_t window_start = batch->segments[i].start;
      uint64_t window_end = window_start + MSC_SHARED_WINDOW_PAGES * ps;
      uint64_t last_end = batch->segments[batch->n - 1].end;
      ssize_t got;
      size_t n_entries;

      if (window_end > last_end)
        window_end = last_end;
      do
        got = pread (batch->scan->pagemap_fd, batch->entries, (size_t) ((window_end - window_start) / ps) * 8,
                     (off_t) (window_start / ps * 8));
      while (got < 0 && errno == EINTR);
      if (got < 0)
        return errno;
      n_entries = (size_t) got / 8;
      while (i < batch->n && batch->segments[i].start < window_end)
        {
          MscSharedSegment *segment = &batch->segments[i];
          uint64_t end = segment->end < window_end ? segment->end : window_end;

          msc_shared_count (batch, segment, window_start, end, n_entries);
          if (segment->end > window_end)
            {
              segment->start = window_end;
              break;
            }
          i++;
        }
    }
  batch->n = 0;
  return 0;
}

static int
msc_shared_add (MscSharedBatch *batch, uint64_t start, uint64_t end, MscLinuxPiece *piece)
{
  if (batch->n > 0)
    {
      uint64_t gap = start - batch->segments[batch->n - 1].end;

      if (batch->n == MSC_SHARED_MAX_SEGMENTS || gap > MSC_SHARED_GAP_PAGES * batch->scan->page_size)
        {
          int err = msc_shared_flush (batch);

          if (err != 0)
            return err;
        }
    }
  batch->segments[batch->n++] = (MscSharedSegment) { start, end, piece };
  return 0;
}

/* ---- counting ranges into pieces ---- */

static int
msc_count_overlap (MscLinuxScan *scan, MscSharedBatch *batch, MscLinuxPiece *piece,
                   const MscLinuxRange *range)
{
  uint64_t start = range->start > piece->start ? range->start : piece->start;
  uint64_t end = range->end < piece->end ? range->end : piece->end;
  uint64_t bytes = end - start;
  uint64_t categories = range->categories;

  if ((categories & PAGE_IS_PRESENT) && !(categories & PAGE_IS_PFNZERO))
    {
      piece->total_ws += bytes;
      if (categories & PAGE_IS_FILE)
        {
          piece->shareable_ws += bytes;
          if (scan->classic_pagemap)
            piece->shared_ws += (categories & MSC_PAGE_IS_SHARED) ? bytes : 0;
          else
            return msc_shared_add (batch, start, end, piece);
        }
    }
  else if ((categories & PAGE_IS_SWAPPED) && !(categories & PAGE_IS_GUARD))
    piece->swap += bytes;
  return 0;
}

int
msc_linux_pagemap_count (MscLinuxScan *scan)
{
  MscSharedBatch *batch = calloc (1, sizeof *batch);
  size_t r = 0;
  int err = 0;

  if (batch == NULL)
    return ENOMEM;
  batch->scan = scan;
  batch->entries = malloc (MSC_SHARED_WINDOW_PAGES * sizeof *batch->entries);
  if (batch->entries == NULL)
    {
      free (batch);
      return ENOMEM;
    }
  for (size_t p = 0; p < scan->n_pieces && err == 0; p++)
    {
      MscLinuxPiece *piece = &scan->pieces[p];
      const MscLinuxVma *vma = &scan->vmas[piece->vma];

      while (r < scan->n_ranges && scan->ranges[r].end <= piece->start)
        r++;
      /* hugetlb pages are not in smaps Rss "for historical reasons"
       * (proc.rst); keep the definitions identical. */
      if (vma->hugetlb || vma->ws_unknown)
        {
          piece->ws_unknown = vma->ws_unknown;
          continue;
        }
      for (size_t k = r; k < scan->n_ranges && scan->ranges[k].start < piece->end && err == 0; k++)
        err = msc_count_overlap (scan, batch, piece, &scan->ranges[k]);
    }
  if (err == 0 && batch->n > 0)
    err = msc_shared_flush (batch);
  free (batch->entries);
  free (batch);
  return err;
}
