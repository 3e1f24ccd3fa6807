/* msc-linux-memory.c — reading a process's memory for the Strings view
 * without changing what Memscope measures (linux-notes §4.2).
 *
 * Reading a page that is not in the target's page tables faults it in: a
 * read of an untouched file mapping through /proc/PID/mem was measured to
 * raise that VMA's Rss from 0 to 64 MiB (fault-around and readahead), and a
 * swapped page is swapped back in.  So the range is first walked with
 * PAGEMAP_SCAN (or the classic pagemap before 6.7), a window at a time, and
 * only runs of PRESENT pages are read, with process_vm_readv (one copy) or,
 * where only /proc/PID/mem is permitted (its check uses the filesystem
 * credentials), pread.  A page reclaimed between the walk and the read is
 * faulted back in; that window is a few microseconds.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"
#include "backends/linux/msc-linux-uapi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define MSC_READ_CHUNK (256 * 1024)                /* fits in L2: the consumer scans it hot */
#define MSC_READ_WINDOW (UINT64_C (64) << 20)      /* pagemap walked 64 MiB at a time */

typedef struct {
  MscLinuxScan scan;
  const MscMemorySink *sink;
  MscReadStats *stats;
  uint64_t start;          /* the requested range */
  uint64_t end;
  uint64_t starttime;
  int mem_fd;              /* /proc/PID/mem once process_vm_readv was refused */
  unsigned char *buffer;
} MscReader;

static int
msc_open_mem (uint32_t pid)
{
  char path[64];

  snprintf (path, sizeof path, "/proc/%u/mem", pid);
  return open (path, O_RDONLY | O_CLOEXEC);
}

/* Reads [addr, addr + len) into buf: bytes read (short at the first
 * unreadable page), or -1 with errno. */
static ssize_t
msc_reader_copy (MscReader *reader, uint64_t addr, void *buf, size_t len)
{
  struct iovec local = { buf, len };
  struct iovec remote = { (void *) (uintptr_t) addr, len };
  ssize_t n;

  if (reader->mem_fd < 0)
    {
      n = process_vm_readv ((pid_t) reader->scan.pid, &local, 1, &remote, 1, 0);
      if (n >= 0 || (errno != EPERM && errno != ENOSYS))
        return n;
      reader->mem_fd = msc_open_mem (reader->scan.pid);
      if (reader->mem_fd < 0)
        return -1;
    }
  do
    n = pread (reader->mem_fd, buf, len, (off_t) addr);
  while (n < 0 && errno == EINTR);
  return n;
}

static MscStatusCode
msc_reader_cancelled (MscReader *reader, MscStatus *status)
{
  return msc_status_set (status, MSC_ERR_CANCELLED, "reading the memory of process %u was cancelled",
                         reader->scan.pid);
}

static int
msc_reader_progress (MscReader *reader, uint64_t at)
{
  const MscMemorySink *sink = reader->sink;

  if (sink->progress == NULL)
    return 0;
  return sink->progress (sink->user, (double) (at - reader->start) / (double) (reader->end - reader->start));
}

static MscStatusCode
msc_reader_error (MscReader *reader, int err, MscStatus *status)
{
  if (err == EACCES || err == EPERM)
    return msc_linux_permission_error (status, reader->scan.pid, "memory");
  return msc_linux_scan_error (&reader->scan, reader->starttime, err, "memory", status);
}

/* Reads resident pages [start, end) to the sink in chunks. */
static MscStatusCode
msc_reader_present (MscReader *reader, uint64_t start, uint64_t end, MscStatus *status)
{
  const uint64_t ps = reader->scan.page_size;

  for (uint64_t at = start; at < end;)
    {
      size_t len = end - at < MSC_READ_CHUNK ? (size_t) (end - at) : MSC_READ_CHUNK;
      ssize_t n = msc_reader_copy (reader, at, reader->buffer, len);

      if (n == 0 || (n < 0 && errno != EFAULT && errno != EIO))
        return msc_reader_error (reader, n == 0 ? ESRCH : errno, status);  /* 0: the mm is gone */
      if (n > 0)
        {
          reader->stats->bytes_read += (uint64_t) n;
          if (reader->sink->data (reader->sink->user, at, reader->buffer, (size_t) n) != 0)
            return msc_reader_cancelled (reader, status);
          at += (uint64_t) n;
        }
      if (n < (ssize_t) len)
        {
          /* Unmapped or made unreadable since the walk: skip its page. */
          uint64_t next = (at & ~(ps - 1)) + ps;

          reader->stats->pages_unreadable++;
          at = next < end ? next : end;
        }
      if (msc_reader_progress (reader, at) != 0)
        return msc_reader_cancelled (reader, status);
    }
  return MSC_OK;
}

/* Everything here is page-aligned. */
static uint64_t
msc_pages (const MscReader *reader, uint64_t start, uint64_t end)
{
  return (end - start) / reader->scan.page_size;
}

/* One pagemap window [start, end) of a readable VMA. */
static MscStatusCode
msc_reader_window (MscReader *reader, uint64_t start, uint64_t end, MscStatus *status)
{
  MscLinuxScan *scan = &reader->scan;
  uint64_t present = 0, guard = 0;
  MscStatusCode code = MSC_OK;
  int err;

  scan->n_ranges = 0;
  err = msc_linux_pagemap_range (scan, start, end);
  if (err != 0)
    return msc_linux_scan_error (scan, reader->starttime, err, "page table (pagemap)", status);
  for (size_t i = 0; i < scan->n_ranges && code == MSC_OK; i++)
    {
      const MscLinuxRange *range = &scan->ranges[i];
      uint64_t a = range->start > start ? range->start : start;
      uint64_t b = range->end < end ? range->end : end;

      if (a >= b)
        continue;
      if (range->categories & PAGE_IS_PRESENT)
        {
          present += msc_pages (reader, a, b);
          code = msc_reader_present (reader, a, b, status);
        }
      else if (range->categories & PAGE_IS_GUARD)
        guard += msc_pages (reader, a, b);
    }
  reader->stats->pages_unreadable += guard;
  reader->stats->pages_not_resident += msc_pages (reader, start, end) - present - guard;
  return code;
}

static MscStatusCode
msc_reader_vma (MscReader *reader, const MscLinuxVma *vma, MscStatus *status)
{
  uint64_t start = vma->start > reader->start ? vma->start : reader->start;
  uint64_t end = vma->end < reader->end ? vma->end : reader->end;

  /* [vvar] and friends are kernel pages (device-like, no struct page). */
  if (!(vma->perms & MSC_PERM_READ) || vma->kind == MSC_VMA_KERNEL)
    {
      reader->stats->pages_unreadable += msc_pages (reader, start, end);
      return MSC_OK;
    }
  for (uint64_t at = start; at < end;)
    {
      uint64_t next = end - at > MSC_READ_WINDOW ? at + MSC_READ_WINDOW : end;
      MscStatusCode code = msc_reader_window (reader, at, next, status);

      if (code != MSC_OK)
        return code;
      if (msc_reader_progress (reader, next) != 0)
        return msc_reader_cancelled (reader, status);
      at = next;
    }
  return MSC_OK;
}

/* Walks the VMAs overlapping the range; gaps count as unmapped. */
static MscStatusCode
msc_reader_run (MscReader *reader, MscStatus *status)
{
  MscLinuxScan *scan = &reader->scan;
  uint64_t at = reader->start, mapped = 0;
  size_t i = msc_linux_find (scan->vmas, scan->n_vmas, sizeof *scan->vmas, reader->start);

  for (; i < scan->n_vmas && scan->vmas[i].start < reader->end; i++)
    {
      const MscLinuxVma *vma = &scan->vmas[i];
      MscStatusCode code;

      if (vma->end <= reader->start)
        continue;
      if (vma->start > at)
        reader->stats->pages_unmapped += msc_pages (reader, at, vma->start);
      code = msc_reader_vma (reader, vma, status);
      if (code != MSC_OK)
        return code;
      mapped++;
      at = vma->end;
    }
  if (at < reader->end)
    reader->stats->pages_unmapped += msc_pages (reader, at, reader->end);
  if (mapped == 0)
    return msc_status_set (status, MSC_ERR_INVALID,
                           "nothing is mapped at 0x%llx–0x%llx in process %u any more (the region "
                           "was freed; refresh)", (unsigned long long) reader->start,
                           (unsigned long long) reader->end, scan->pid);
  return MSC_OK;
}

static MscStatusCode
msc_reader_open (MscReader *reader, MscStatus *status)
{
  MscLinuxStat stat;
  MscLinuxStatus proc_status;
  MscStatusCode code = msc_linux_scan_open (&reader->scan, &stat, &proc_status, status);
  int err;

  if (code != MSC_OK)
    return code;
  reader->starttime = stat.starttime;
  if ((err = msc_linux_maps_read (&reader->scan)) != 0)
    return msc_linux_scan_error (&reader->scan, reader->starttime, err, "memory map", status);
  reader->buffer = malloc (MSC_READ_CHUNK);
  if (reader->buffer == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory reading process %u", reader->scan.pid);
  return MSC_OK;
}

MscStatusCode
msc_backend_read_resident (uint32_t pid, uint64_t address, uint64_t size,
                           const MscMemorySink *sink, MscReadStats *stats, MscStatus *status)
{
  MscReader reader;
  MscStatusCode code;

  memset (stats, 0, sizeof *stats);
  memset (&reader, 0, sizeof reader);
  msc_linux_scan_init (&reader.scan, pid, MSC_SCAN_DEFAULT);
  stats->page_size = reader.scan.page_size;
  if (size == 0 || address + size < address || sink == NULL || sink->data == NULL)
    return msc_status_set (status, MSC_ERR_INVALID, "cannot read 0x%llx bytes at 0x%llx: not a valid range",
                           (unsigned long long) size, (unsigned long long) address);
  reader.sink = sink;
  reader.stats = stats;
  /* Whole pages: residency is per page. */
  reader.start = address & ~(stats->page_size - 1);
  reader.end = (address + size + stats->page_size - 1) & ~(stats->page_size - 1);
  reader.mem_fd = -1;
  code = msc_reader_open (&reader, status);
  if (code == MSC_OK)
    code = msc_reader_run (&reader, status);
  if (code == MSC_OK)
    {
      MscLinuxStat stat;

      if (msc_linux_read_stat (pid, &stat) != 0 || stat.starttime != reader.starttime)
        code = msc_status_set (status, MSC_ERR_EXITED, "process %u exited while its memory was read", pid);
    }
  if (reader.mem_fd >= 0)
    close (reader.mem_fd);
  free (reader.buffer);
  msc_linux_scan_free (&reader.scan);
  if (code == MSC_OK && status != NULL)
    msc_status_set (status, MSC_OK, "%s", "");
  return code;
}

MscStatusCode
msc_backend_read_memory (uint32_t pid, uint64_t address, void *buf, size_t size,
                         size_t *n_read, MscStatus *status)
{
  ssize_t n;
  int fd, saved;

  *n_read = 0;
  fd = msc_open_mem (pid);
  if (fd < 0)
    {
      saved = errno;
      if (saved == ENOENT)
        return msc_status_set (status, MSC_ERR_NO_PROCESS, "there is no process with ID %u", pid);
      return msc_linux_permission_error (status, pid, "memory");
    }
  /* A read stops short at the first unmapped or unreadable page. */
  n = pread (fd, buf, size, (off_t) address);
  saved = errno;
  close (fd);
  if (n <= 0)
    return msc_status_set (status, MSC_ERR_IO, "cannot read memory of process %u at 0x%llx: %s", pid,
                           (unsigned long long) address, n == 0 ? "not mapped" : strerror (saved));
  *n_read = (size_t) n;
  return MSC_OK;
}
