/* msc-linux-classic.c — the working-set path for kernels without
 * PAGEMAP_SCAN (< 6.7): /proc/PID/pagemap read per VMA in large chunks and
 * turned into the same ranges PAGEMAP_SCAN returns, so counting is shared.
 *
 * The classic entries carry the exclusive bit (56) directly, so the ranges
 * get MSC_PAGE_IS_SHARED instead of a second read.  What they lack is the
 * zero-page category: a read-faulted anonymous page maps the shared zero
 * page, which smaps does not count in Rss.  With page frame numbers visible
 * (CAP_SYS_ADMIN) we learn the zero page's PFN from our own mapping.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"
#include "backends/linux/msc-linux-uapi.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define MSC_CLASSIC_CHUNK_PAGES 65536  /* 512 KiB of entries per pread */

/* Reading a reservation costs 8 bytes per page even when nothing is
 * mapped: skip the ones that cannot be worth it and say so (n/a). */
#define MSC_CLASSIC_MAX_NONE  (UINT64_C (1) << 30)
#define MSC_CLASSIC_MAX_VMA   (UINT64_C (64) << 30)

static pthread_once_t zero_pfn_once = PTHREAD_ONCE_INIT;
static uint64_t zero_pfn;

static void
msc_find_zero_pfn (void)
{
  long ps = sysconf (_SC_PAGESIZE);
  volatile char *page = mmap (NULL, (size_t) ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uint64_t entry = 0;
  int fd;

  if (page == MAP_FAILED)
    return;
  (void) page[0];  /* a read fault maps the zero page */
  fd = open ("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      if (pread (fd, &entry, sizeof entry, (off_t) ((uintptr_t) page / (uintptr_t) ps * 8)) == sizeof entry
          && (entry & MSC_PM_PRESENT))
        zero_pfn = entry & MSC_PM_PFN_MASK;
      close (fd);
    }
  munmap ((void *) page, (size_t) ps);
}

static uint64_t
msc_entry_categories (uint64_t entry, uint64_t zero)
{
  uint64_t categories = 0;

  if (entry & MSC_PM_PRESENT)
    {
      categories = PAGE_IS_PRESENT;
      if (entry & MSC_PM_FILE)
        categories |= PAGE_IS_FILE | ((entry & MSC_PM_EXCLUSIVE) ? 0 : MSC_PAGE_IS_SHARED);
      else if (zero != 0 && (entry & MSC_PM_PFN_MASK) == zero)
        categories |= PAGE_IS_PFNZERO;
    }
  else if (entry & MSC_PM_SWAP)
    categories = PAGE_IS_SWAPPED | ((entry & MSC_PM_GUARD) ? PAGE_IS_GUARD : 0)
                 | ((entry & MSC_PM_FILE) ? PAGE_IS_FILE : 0);
  return categories;
}

static int
msc_classic_add (MscLinuxScan *scan, uint64_t addr, uint64_t categories)
{
  MscLinuxRange *last = scan->n_ranges ? &scan->ranges[scan->n_ranges - 1] : NULL;

  if (last != NULL && last->end == addr && last->categories == categories)
    {
      last->end += scan->page_size;
      return 0;
    }
  return msc_linux_ranges_add (scan, addr, addr + scan->page_size, categories);
}

static int
msc_classic_walk (MscLinuxScan *scan, uint64_t start, uint64_t end, uint64_t *entries, uint64_t zero)
{
  const uint64_t ps = scan->page_size;

  for (uint64_t addr = start; addr < end;)
    {
      uint64_t pages = (end - addr) / ps;
      ssize_t got;

      if (pages > MSC_CLASSIC_CHUNK_PAGES)
        pages = MSC_CLASSIC_CHUNK_PAGES;
      do
        got = pread (scan->pagemap_fd, entries, (size_t) pages * 8, (off_t) (addr / ps * 8));
      while (got < 0 && errno == EINTR);
      if (got < 0)
        return errno;
      if (got == 0)
        return ESRCH;  /* the mm is gone: the process exited */
      for (size_t i = 0; i < (size_t) got / 8; i++, addr += ps)
        {
          uint64_t categories = msc_entry_categories (entries[i], zero);

          if (categories != 0 && msc_classic_add (scan, addr, categories) != 0)
            return ENOMEM;
        }
    }
  return 0;
}

int
msc_linux_classic_scan (MscLinuxScan *scan)
{
  uint64_t *entries = malloc (MSC_CLASSIC_CHUNK_PAGES * sizeof *entries);
  size_t skipped = 0;
  int err = 0;

  if (entries == NULL)
    return ENOMEM;
  pthread_once (&zero_pfn_once, msc_find_zero_pfn);
  scan->classic_pagemap = 1;
  for (size_t i = 0; i < scan->n_vmas && err == 0; i++)
    {
      MscLinuxVma *vma = &scan->vmas[i];
      uint64_t size = vma->end - vma->start;

      if (size > MSC_CLASSIC_MAX_VMA
          || (size > MSC_CLASSIC_MAX_NONE && (vma->perms & (MSC_PERM_READ | MSC_PERM_WRITE | MSC_PERM_EXECUTE)) == 0))
        {
          vma->ws_unknown = 1;
          skipped++;
          continue;
        }
      err = msc_classic_walk (scan, vma->start, vma->end, entries, zero_pfn);
    }
  free (entries);
  if (skipped > 0)
    msc_linux_note (scan, "This kernel has no PAGEMAP_SCAN (Linux 6.7+); the working set of %zu very "
                    "large reservations was not read (shown as n/a).", skipped);
  if (zero_pfn == 0)
    msc_linux_note (scan, "This kernel has no PAGEMAP_SCAN (Linux 6.7+) and page frame numbers are "
                    "hidden (no CAP_SYS_ADMIN): pages mapped to the shared zero page may be "
                    "counted in Total WS.");
  return err;
}

int
msc_linux_classic_range (MscLinuxScan *scan, uint64_t start, uint64_t end)
{
  uint64_t *entries = malloc (MSC_CLASSIC_CHUNK_PAGES * sizeof *entries);
  int err;

  if (entries == NULL)
    return ENOMEM;
  pthread_once (&zero_pfn_once, msc_find_zero_pfn);
  scan->classic_pagemap = 1;
  err = msc_classic_walk (scan, start, end, entries, zero_pfn);
  free (entries);
  return err;
}
