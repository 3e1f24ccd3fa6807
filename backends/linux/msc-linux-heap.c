/* msc-linux-heap.c — glibc's native heaps beyond [heap] (linux-notes §2
 * rule 4, measured on glibc 2.36):
 *
 * - Non-main arenas: an anonymous rw-p VMA starting on a HEAP_MAX_SIZE
 *   boundary (2 × DEFAULT_MMAP_THRESHOLD_MAX: 64 MiB on 64-bit, 1 MiB on
 *   32-bit) with a ---p tail up to the next boundary.  Confirmed by the
 *   heap_info header at the base: {ar_ptr, prev, size, mprotect_size, ...},
 *   mprotect_size being the rw length.
 * - mmapped chunks (≥ M_MMAP_THRESHOLD, 128 KiB by default): the chunk
 *   header {prev_size = 0, size | IS_MMAPPED} sits at the mapping's start.
 *   The kernel merges adjacent anonymous VMAs with equal flags, so one VMA
 *   may hold several chunks; walking the headers splits it again.
 *
 * Headers are read with process_vm_readv (PTRACE_MODE_ATTACH), and only on
 * resident pages: reading a non-resident page would fault it in and change
 * the very figures being measured (linux-notes §4.2).
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#define MSC_IS_MMAPPED 0x2
#define MSC_CHUNK_FLAGS 0x7
#define MSC_MIN_MMAP_CHUNK (UINT64_C (128) << 10)

int
msc_linux_read_memory (MscLinuxScan *scan, uint64_t addr, void *buf, size_t len)
{
  struct iovec local = { buf, len };
  struct iovec remote = { (void *) (uintptr_t) addr, len };
  ssize_t n;

  if (scan->memory_denied)
    return -1;
  n = process_vm_readv ((pid_t) scan->pid, &local, 1, &remote, 1, 0);
  if (n == (ssize_t) len)
    return 0;
  if (n < 0 && (errno == EPERM || errno == EACCES))
    {
      scan->memory_denied = 1;
      msc_linux_note (scan, "Reading the process's memory is not permitted (it needs ptrace "
                      "access), so glibc arenas were recognised by their shape only and malloc's "
                      "mmapped chunks are shown as Private Data.");
    }
  return -1;
}

/* Reads n words of the target's pointer size at addr. */
static int
msc_read_words (MscLinuxScan *scan, uint64_t addr, uint64_t *words, size_t n)
{
  uint32_t raw32[8];
  uint64_t raw64[8];

  if (scan->bits == 32)
    {
      if (msc_linux_read_memory (scan, addr, raw32, n * 4) != 0)
        return -1;
      for (size_t i = 0; i < n; i++)
        words[i] = raw32[i];
      return 0;
    }
  if (msc_linux_read_memory (scan, addr, raw64, n * 8) != 0)
    return -1;
  memcpy (words, raw64, n * 8);
  return 0;
}

static int
msc_is_anon_private (const MscLinuxVma *vma, uint8_t perms)
{
  return vma->kind == MSC_VMA_ANON && vma->perms == perms;
}

size_t
msc_linux_heap_arena (MscLinuxScan *scan, size_t i, uint64_t *arena)
{
  const uint64_t heap_max = scan->bits == 32 ? UINT64_C (1) << 20 : UINT64_C (64) << 20;
  const MscLinuxVma *rw = &scan->vmas[i];
  uint64_t rw_size = rw->end - rw->start;
  uint64_t info[4];  /* ar_ptr, prev, size, mprotect_size */
  size_t n = 1;

  *arena = 0;
  if (!msc_is_anon_private (rw, MSC_PERM_READ | MSC_PERM_WRITE) || rw->start % heap_max != 0 || rw_size > heap_max)
    return 0;
  if (rw_size < heap_max)
    {
      const MscLinuxVma *tail = i + 1 < scan->n_vmas ? &scan->vmas[i + 1] : NULL;

      if (tail == NULL || !msc_is_anon_private (tail, 0) || tail->start != rw->end
          || tail->end != rw->start + heap_max)
        return 0;
      n = 2;
    }
  if (!msc_linux_page_present (scan, rw->start))
    return 0;  /* glibc writes heap_info at once: an arena's first page is resident */
  if (msc_read_words (scan, rw->start, info, 4) != 0)
    return scan->memory_denied ? n : 0;  /* no permission: the shape must do */
  if (info[0] == 0 || info[3] != rw_size || info[2] > info[3])
    return 0;
  *arena = info[0];
  return n;
}

uint64_t
msc_linux_heap_chunk (MscLinuxScan *scan, size_t i, uint64_t addr)
{
  const MscLinuxVma *vma = &scan->vmas[i];
  uint64_t header[2], size;

  if (vma->end - addr < MSC_MIN_MMAP_CHUNK || !msc_linux_page_present (scan, addr)
      || msc_read_words (scan, addr, header, 2) != 0)
    return 0;
  /* prev_size is 0 unless memalign moved the chunk inside its mapping;
   * the flags of an mmapped chunk are exactly IS_MMAPPED (sysmalloc's
   * set_head (p, size | IS_MMAPPED)). */
  if (header[0] != 0 || (header[1] & MSC_CHUNK_FLAGS) != MSC_IS_MMAPPED)
    return 0;
  size = header[1] & ~(uint64_t) MSC_CHUNK_FLAGS;
  if (size % scan->page_size != 0 || size < MSC_MIN_MMAP_CHUNK || size > vma->end - addr)
    return 0;
  return size;
}
