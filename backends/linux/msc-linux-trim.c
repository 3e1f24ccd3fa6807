/* msc-linux-trim.c — Empty Working Set on Linux (linux-notes §4.1).
 *
 * process_madvise (MADV_PAGEOUT) through a pidfd, over the process's
 * resident ranges only (so "requested" means resident bytes, not virtual
 * size), one VMA per iovec: the call stops at the first range it refuses
 * (mlock'ed, hugetlbfs or device mappings give EINVAL), and we want the
 * others done and the refused ones named.  Since 5.12 the call needs
 * CAP_SYS_NICE as well as ptrace read access, even for the caller's own
 * processes.  Without it the only real alternative the kernel offers is
 * cgroup v2 memory.reclaim, used only when the process is alone in a cgroup
 * we may write to (it would trim every process in the cgroup).
 *
 * "Success" from the kernel does not mean anything left RAM: anonymous
 * pages stay when there is no swap.  So the result is judged by the
 * resident size before and after, and the message says what stayed and why.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"
#include "backends/linux/msc-linux-uapi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* Debian 12's headers predate both; the numbers are the same on every
 * architecture (the unified syscall table of 5.1+). */
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_process_madvise
#define __NR_process_madvise 440
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define MSC_TRIM_MAX_IOV 1024                   /* UIO_MAXIOV */
/* import_iovec() silently caps one call at MAX_RW_COUNT (2 GiB - 1 page):
 * keep each call, and so each piece, well below it. */
#define MSC_TRIM_MAX_BATCH (UINT64_C (1) << 30)

typedef struct {
  MscLinuxScan scan;
  MscEmptyResult *result;
  int pidfd;
  struct iovec iov[MSC_TRIM_MAX_IOV];
  size_t n_iov;
  uint64_t batch_bytes;
  int refused_errno;        /* why the first range was refused */
  uint64_t refused_at;
  int fatal_errno;          /* the call as a whole failed: EPERM, ESRCH, ... */
} MscTrim;

static void
msc_format_size (uint64_t bytes, char *out, size_t size)
{
  if (bytes >= (UINT64_C (1) << 30))
    snprintf (out, size, "%.1f GiB", (double) bytes / (double) (UINT64_C (1) << 30));
  else if (bytes >= (UINT64_C (1) << 20))
    snprintf (out, size, "%.1f MiB", (double) bytes / (double) (UINT64_C (1) << 20));
  else
    snprintf (out, size, "%llu KiB", (unsigned long long) (bytes >> 10));
}

/* Appends a sentence to the result's message. */
static void
msc_trim_say (MscEmptyResult *result, const char *format, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 2, 3)))
#endif
  ;

static void
msc_trim_say (MscEmptyResult *result, const char *format, ...)
{
  size_t len = strlen (result->message);
  va_list args;

  if (len > 0 && len + 1 < sizeof result->message)
    result->message[len++] = ' ';
  va_start (args, format);
  vsnprintf (result->message + len, sizeof result->message - len, format, args);
  va_end (args);
}

static void
msc_trim_refuse (MscTrim *trim, const struct iovec *iov, int err)
{
  if (trim->result->ranges_refused++ == 0)
    {
      trim->refused_errno = err;
      trim->refused_at = (uint64_t) (uintptr_t) iov->iov_base;
    }
  trim->result->bytes_refused += iov->iov_len;
}

static int
msc_trim_fatal (int err)
{
  return err == EPERM || err == EACCES || err == ESRCH || err == ENOSYS || err == EBADF;
}

/* Sends the queued ranges; 0, or the errno that stops everything. */
static int
msc_trim_flush (MscTrim *trim)
{
  size_t i = 0;

  while (i < trim->n_iov)
    {
      ssize_t n = syscall (__NR_process_madvise, trim->pidfd, trim->iov + i, trim->n_iov - i, MADV_PAGEOUT, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && msc_trim_fatal (errno))
        return errno;
      if (n < 0)
        {
          msc_trim_refuse (trim, &trim->iov[i++], errno);
          continue;
        }
      /* n counts whole ranges done; the next call reports why the one
       * after them stopped the batch. */
      for (size_t done = (size_t) n; i < trim->n_iov && done >= trim->iov[i].iov_len; i++)
        done -= trim->iov[i].iov_len;
    }
  trim->n_iov = 0;
  trim->batch_bytes = 0;
  return 0;
}

static int
msc_trim_add (MscTrim *trim, uint64_t start, uint64_t end)
{
  while (start < end)
    {
      uint64_t len = end - start > MSC_TRIM_MAX_BATCH ? MSC_TRIM_MAX_BATCH : end - start;
      int err;

      if (trim->n_iov == MSC_TRIM_MAX_IOV || trim->batch_bytes + len > MSC_TRIM_MAX_BATCH)
        if ((err = msc_trim_flush (trim)) != 0)
          return err;
      trim->iov[trim->n_iov++] = (struct iovec) { (void *) (uintptr_t) start, (size_t) len };
      trim->batch_bytes += len;
      trim->result->bytes_requested += len;
      trim->result->ranges_requested++;
      start += len;
    }
  return 0;
}

/* Resident ranges cut at VMA boundaries, kernel VMAs left out. */
static int
msc_trim_pageout (MscTrim *trim)
{
  MscLinuxScan *scan = &trim->scan;
  size_t v = 0;
  int err;

  if ((err = msc_linux_pagemap_range (scan, scan->vmas[0].start, scan->vmas[scan->n_vmas - 1].end)) != 0)
    return err;
  for (size_t r = 0; r < scan->n_ranges; r++)
    {
      const MscLinuxRange *range = &scan->ranges[r];

      if (!(range->categories & PAGE_IS_PRESENT) || (range->categories & PAGE_IS_PFNZERO))
        continue;
      while (v < scan->n_vmas && scan->vmas[v].end <= range->start)
        v++;
      for (size_t k = v; k < scan->n_vmas && scan->vmas[k].start < range->end; k++)
        {
          const MscLinuxVma *vma = &scan->vmas[k];
          uint64_t a = vma->start > range->start ? vma->start : range->start;
          uint64_t b = vma->end < range->end ? vma->end : range->end;

          if (vma->kind != MSC_VMA_KERNEL && a < b && (err = msc_trim_add (trim, a, b)) != 0)
            return err;
        }
    }
  return msc_trim_flush (trim);
}

/* ---- the fallback: cgroup v2 memory.reclaim ---- */

/* The process's cgroup v2 directory, e.g. /sys/fs/cgroup/user.slice/x.scope. */
static int
msc_cgroup_dir (uint32_t pid, char *dir, size_t size)
{
  char path[64], text[4096];
  const char *line;
  char *end;

  snprintf (path, sizeof path, "/proc/%u/cgroup", pid);
  if (msc_linux_read_small (path, text, sizeof text) <= 0)
    return -1;
  line = strncmp (text, "0::", 3) == 0 ? text : strstr (text, "\n0::");
  if (line == NULL)
    return -1;
  line += line[0] == '\n' ? 4 : 3;
  if ((end = strchr (line, '\n')) != NULL)
    *end = '\0';
  /* A hybrid (v1 + v2) host mounts the v2 tree at .../unified. */
  snprintf (dir, size, "%s%s",
            access ("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified",
            line);
  return 0;
}

/* Number of processes in the cgroup other than pid, or -1. */
static long
msc_cgroup_others (const char *dir, uint32_t pid)
{
  char path[4200], text[8192];
  long others = 0;

  snprintf (path, sizeof path, "%s/cgroup.procs", dir);
  if (msc_linux_read_small (path, text, sizeof text) < 0)
    return -1;
  for (char *p = text; *p != '\0';)
    {
      char *end;
      unsigned long value = strtoul (p, &end, 10);

      if (end == p)
        break;
      others += value != pid;
      p = end + (*end == '\n');
    }
  return others;
}

/* Why the fallback was not possible: opens the cgroup's memory.reclaim, or
 * returns -1 with the reason in `why`. */
static int
msc_cgroup_open_reclaim (uint32_t pid, char *dir, size_t dir_size, char *why, size_t size)
{
  char path[4200];
  long others;
  int fd;

  if (msc_cgroup_dir (pid, dir, dir_size) != 0)
    {
      snprintf (why, size, "the process is in no cgroup v2 hierarchy");
      return -1;
    }
  if ((others = msc_cgroup_others (dir, pid)) != 0)
    {
      snprintf (why, size, others < 0 ? "its cgroup %s cannot be read"
                : "its cgroup %s also holds other processes, which would be trimmed too", dir);
      return -1;
    }
  snprintf (path, sizeof path, "%s/memory.reclaim", dir);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    snprintf (why, size, errno == ENOENT ? "its cgroup %s has no memory.reclaim (memory controller, Linux 5.19+)"
              : "this user may not write memory.reclaim of its cgroup %s", dir);
  return fd;
}

/* 0 when memory.reclaim was written; else -1 and why in `why`. */
static int
msc_trim_cgroup (MscTrim *trim, uint64_t bytes, char *why, size_t size)
{
  char dir[4096], amount[32];
  int fd = msc_cgroup_open_reclaim (trim->scan.pid, dir, sizeof dir, why, size);
  int len, failed;

  if (fd < 0)
    return -1;
  len = snprintf (amount, sizeof amount, "%llu", (unsigned long long) bytes);
  /* EAGAIN: less than asked could be reclaimed; the sizes tell how much. */
  failed = write (fd, amount, (size_t) len) < 0 && errno != EAGAIN;
  if (failed)
    snprintf (why, size, "writing memory.reclaim of %s failed: %s", dir, strerror (errno));
  close (fd);
  if (failed)
    return -1;
  trim->result->method = MSC_EMPTY_CGROUP_RECLAIM;
  trim->result->bytes_requested = bytes;
  msc_trim_say (trim->result, "process_madvise was not permitted, so the process's own cgroup (%s) was "
                "asked to reclaim %llu bytes through memory.reclaim.", dir, (unsigned long long) bytes);
  return 0;
}

/* ---- the message ---- */

/* Rss and Anonymous from smaps_rollup: exact (a page-table walk), where
 * status's VmRSS comes from per-CPU counters that may lag by dozens of
 * pages since Linux 6.2, too coarse to tell "a little" from "nothing". */
static int
msc_trim_rss (uint32_t pid, uint64_t *rss, uint64_t *anon)
{
  char path[64], text[4096];
  const char *line;

  snprintf (path, sizeof path, "/proc/%u/smaps_rollup", pid);
  if (msc_linux_read_small (path, text, sizeof text) <= 0 || (line = strstr (text, "\nRss:")) == NULL)
    return ESRCH;
  *rss = strtoull (line + 5, NULL, 10) * 1024;
  line = strstr (text, "\nAnonymous:");
  *anon = line != NULL ? strtoull (line + 11, NULL, 10) * 1024 : 0;
  return 0;
}

static uint64_t
msc_swap_total (void)
{
  char text[8192];
  const char *line;

  if (msc_linux_read_small ("/proc/meminfo", text, sizeof text) <= 0
      || (line = strstr (text, "SwapTotal:")) == NULL)
    return 0;
  return strtoull (line + 10, NULL, 10) * 1024;
}

static const char *
msc_refusal_reason (int err)
{
  if (err == EINVAL)
    return "the kernel does not page out mlock'ed, hugetlbfs or device mappings";
  if (err == ENOMEM)
    return "they were unmapped meanwhile";
  return strerror (err);
}

static void
msc_trim_report (MscTrim *trim, uint64_t anon_after)
{
  MscEmptyResult *result = trim->result;
  char a[32], b[32], c[32];

  msc_format_size (result->rss_before, a, sizeof a);
  msc_format_size (result->rss_after, b, sizeof b);
  if (result->method == MSC_EMPTY_PAGEOUT)
    {
      msc_format_size (result->bytes_requested, c, sizeof c);
      msc_trim_say (result, "Asked the kernel to page out %s of process %u (MADV_PAGEOUT; resident "
                    "ranges: %u).", c, trim->scan.pid, result->ranges_requested);
    }
  msc_trim_say (result, "Resident size: %s before, %s after.", a, b);
  if (result->ranges_refused > 0)
    {
      msc_format_size (result->bytes_refused, c, sizeof c);
      msc_trim_say (result, "Ranges refused: %u (%s, the first at 0x%llx): %s.", result->ranges_refused, c,
                    (unsigned long long) trim->refused_at, msc_refusal_reason (trim->refused_errno));
    }
  if (anon_after > 0 && msc_swap_total () == 0)
    {
      msc_format_size (anon_after, c, sizeof c);
      msc_trim_say (result, "%s of anonymous memory stayed resident: this system has no swap space to "
                    "move it to.", c);
    }
  if (result->rss_after < result->rss_before)
    msc_trim_say (result, "Pages the process uses again come back on their next access.");
}

static MscStatusCode
msc_trim_denied (MscTrim *trim, int err, MscStatus *status)
{
  char why[4400];

  if (msc_trim_cgroup (trim, trim->result->rss_before, why, sizeof why) == 0)
    return MSC_OK;
  msc_trim_say (trim->result, "Nothing was paged out: %s, and the fallback, cgroup memory.reclaim, was not "
                "possible: %s.", err == ENOSYS
                  ? "this kernel has no process_madvise (Linux 5.10+)"
                  : "process_madvise (MADV_PAGEOUT) on another process needs CAP_SYS_NICE (run Memscope "
                    "as root, or grant it: sudo setcap cap_sys_nice+ep memscope)",
                why);
  return msc_status_set (status, err == ENOSYS ? MSC_ERR_UNSUPPORTED : MSC_ERR_PERMISSION,
                         "cannot empty the working set of process %u. %s", trim->scan.pid, trim->result->message);
}

static MscStatusCode
msc_trim_run (MscTrim *trim, uint64_t starttime, MscStatus *status)
{
  uint64_t anon_after;
  int err;

  trim->pidfd = (int) syscall (__NR_pidfd_open, trim->scan.pid, 0);
  err = trim->pidfd < 0 ? errno : 0;
  if (err == 0)
    {
      trim->result->method = MSC_EMPTY_PAGEOUT;
      err = msc_trim_pageout (trim);
    }
  if (err == EPERM || err == ENOSYS)
    {
      trim->result->method = MSC_EMPTY_NONE;
      if (msc_trim_denied (trim, err, status) != MSC_OK)
        return status != NULL ? status->code : MSC_ERR_PERMISSION;
    }
  else if (err != 0)
    return msc_linux_scan_error (&trim->scan, starttime, err, "memory", status);
  if ((err = msc_trim_rss (trim->scan.pid, &trim->result->rss_after, &anon_after)) != 0)
    return msc_linux_scan_error (&trim->scan, starttime, err, "memory figures (smaps_rollup)", status);
  msc_trim_report (trim, anon_after);
  if (trim->result->rss_after >= trim->result->rss_before)
    return msc_status_set (status, MSC_ERR_UNSUPPORTED, "the working set of process %u did not shrink. %s",
                           trim->scan.pid, trim->result->message);
  return MSC_OK;
}

MscStatusCode
msc_backend_empty_working_set (uint32_t pid, MscEmptyResult *result, MscStatus *status)
{
  MscTrim *trim = calloc (1, sizeof *trim);
  MscLinuxStat stat;
  MscLinuxStatus before;
  uint64_t anon_before;
  MscStatusCode code;
  int err;

  memset (result, 0, sizeof *result);
  if (trim == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  msc_linux_scan_init (&trim->scan, pid, MSC_SCAN_DEFAULT);
  trim->result = result;
  trim->pidfd = -1;
  code = msc_linux_scan_open (&trim->scan, &stat, &before, status);
  if (code == MSC_OK && (err = msc_linux_maps_read (&trim->scan)) != 0)
    code = msc_linux_scan_error (&trim->scan, stat.starttime, err, "memory map", status);
  if (code == MSC_OK && trim->scan.n_vmas == 0)
    code = msc_linux_scan_error (&trim->scan, stat.starttime, ESRCH, "memory map", status);
  if (code == MSC_OK && (err = msc_trim_rss (pid, &result->rss_before, &anon_before)) != 0)
    code = msc_linux_scan_error (&trim->scan, stat.starttime, err, "memory figures (smaps_rollup)", status);
  if (code == MSC_OK)
    code = msc_trim_run (trim, stat.starttime, status);
  if (code != MSC_OK && result->message[0] == '\0' && status != NULL)
    snprintf (result->message, sizeof result->message, "%s", status->message);
  else if (code == MSC_OK && status != NULL)
    msc_status_set (status, MSC_OK, "%s", "");
  if (trim->pidfd >= 0)
    close (trim->pidfd);
  msc_linux_scan_free (&trim->scan);
  free (trim);
  return code;
}
