/* msc-linux-scan.c — msc_backend_scan(): runs the stages of msc-linux.h,
 * turns their errno values into messages a user can act on, and makes sure a
 * process that exited (or whose PID was reused) mid-scan is reported as
 * such, never as a complete snapshot: everything is read before the first
 * region is emitted, and the process's start time is checked in between.
 */
#include "backends/linux/msc-linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MSC_TASK_SIZE_47 UINT64_C (0x7ffffffff000)
#define MSC_TASK_SIZE_56 UINT64_C (0xfffffffffff000)
#define MSC_TASK_SIZE_IA32 UINT64_C (0xffffe000)

void
msc_linux_note (MscLinuxScan *scan, const char *format, ...)
{
  char sentence[512];
  size_t old_len = scan->notes ? strlen (scan->notes) : 0, len;
  char *notes;
  va_list args;

  va_start (args, format);
  vsnprintf (sentence, sizeof sentence, format, args);
  va_end (args);
  if (scan->notes != NULL && strstr (scan->notes, sentence) != NULL)
    return;
  len = strlen (sentence);
  notes = realloc (scan->notes, old_len + len + 2);
  if (notes == NULL)
    return;
  if (old_len > 0)
    notes[old_len++] = '\n';
  memcpy (notes + old_len, sentence, len + 1);
  scan->notes = notes;
}

void
msc_linux_scan_free (MscLinuxScan *scan)
{
  msc_linux_pagemap_join (scan);
  if (scan->maps_fd >= 0)
    close (scan->maps_fd);
  if (scan->pagemap_fd >= 0)
    close (scan->pagemap_fd);
  msc_linux_objects_free (scan);
  msc_linux_buffer_free (&scan->maps_buffer);
  msc_linux_buffer_free (&scan->vma_buffer);
  free (scan->tmpfs_devs);
  msc_linux_buffer_free (&scan->range_buffer);
  msc_linux_buffer_free (&scan->piece_buffer);
  msc_linux_buffer_free (&scan->alloc_buffer);
  free (scan->threads);
  free (scan->notes);
}

/* Same process as when the scan began: not gone, not a zombie, PID not reused. */
static int
msc_scan_same_process (uint32_t pid, uint64_t starttime)
{
  MscLinuxStat stat;

  return msc_linux_read_stat (pid, &stat) == 0 && stat.starttime == starttime && stat.state != 'Z'
         && stat.state != 'X';
}

/* Whether the address space the scan read still exists. A process on its
 * way out (or exec'ing) drops it in exit_mm() before its state shows: from
 * then on maps and pagemap read as empty, so a read that ended early looked
 * like the end of the list (issue 15, defect 1: 4 in 140 scans of an exiting
 * process gave a partial capture). The maps file is bound to the address
 * space it was opened on: if it still reads now, it did through the scan. */
static int
msc_scan_mm_alive (const MscLinuxScan *scan)
{
  char c;

  return pread (scan->maps_fd, &c, 1, 0) == 1;
}

/* A read failed: was it because the process is on its way out?  Between
 * exit_mm() and becoming a zombie its files read as empty or fail, while
 * stat still shows it running; status then has no Vm* lines. */
static int
msc_scan_gone (uint32_t pid, uint64_t starttime)
{
  MscLinuxStatus status;

  for (int attempt = 0; attempt < 2; attempt++)
    {
      if (!msc_scan_same_process (pid, starttime) || msc_linux_read_status (pid, &status) != 0 || !status.has_mm)
        return 1;
      usleep (5000);
    }
  return 0;
}

MscStatusCode
msc_linux_scan_error (const MscLinuxScan *scan, uint64_t starttime, int err, const char *what, MscStatus *status)
{
  int denied = err == EACCES || err == EPERM;

  if (err == ESRCH || (denied && !msc_scan_same_process (scan->pid, starttime))
      || (!denied && err != ENOMEM && msc_scan_gone (scan->pid, starttime)))
    return msc_status_set (status, MSC_ERR_EXITED, "process %u exited during the scan", scan->pid);
  if (denied)
    return msc_linux_permission_error (status, scan->pid, what);
  if (err == ENOMEM)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory while scanning process %u", scan->pid);
  return msc_status_set (status, MSC_ERR_IO, "cannot read the %s of process %u: %s", what, scan->pid,
                         strerror (err));
}

static int
msc_scan_open_file (uint32_t pid, const char *name)
{
  char path[64];

  snprintf (path, sizeof path, "/proc/%u/%s", pid, name);
  return open (path, O_RDONLY | O_CLOEXEC);
}

void
msc_linux_scan_init (MscLinuxScan *scan, uint32_t pid, unsigned flags)
{
  memset (scan, 0, sizeof *scan);
  scan->pid = pid;
  scan->flags = flags;
  scan->maps_fd = scan->pagemap_fd = -1;
  scan->page_size = (uint64_t) sysconf (_SC_PAGESIZE);
}

/* Checks the PID names a live user process and opens maps and pagemap. */
MscStatusCode
msc_linux_scan_open (MscLinuxScan *scan, MscLinuxStat *stat, MscLinuxStatus *proc_status, MscStatus *status)
{
  uint32_t pid = scan->pid;
  int err = 0;

  if (pid == 0 || (err = msc_linux_read_stat (pid, stat)) == ENOENT || err == ESRCH)
    return msc_status_set (status, MSC_ERR_NO_PROCESS, "no process with ID %u", pid);
  if (err != 0)
    return msc_status_set (status, MSC_ERR_IO, "cannot read the status of process %u: %s", pid, strerror (err));
  if (msc_linux_is_kernel_thread (stat))
    return msc_status_set (status, MSC_ERR_INVALID,
                           "process %u (%s) is a kernel thread: it has no user address space to scan",
                           pid, stat->comm);
  if (stat->state == 'Z' || stat->state == 'X')
    return msc_status_set (status, MSC_ERR_EXITED, "process %u (%s) has exited", pid, stat->comm);
  if (msc_linux_read_status (pid, proc_status) != 0)
    return msc_status_set (status, MSC_ERR_EXITED, "process %u exited during the scan", pid);
  if (proc_status->tgid != 0 && proc_status->tgid != pid)
    return msc_status_set (status, MSC_ERR_NO_PROCESS, "%u is a thread of process %u, not a process ID",
                           pid, proc_status->tgid);
  scan->maps_fd = msc_scan_open_file (pid, "maps");
  if (scan->maps_fd < 0)
    return msc_linux_scan_error (scan, stat->starttime, errno, "memory map", status);
  scan->pagemap_fd = msc_scan_open_file (pid, "pagemap");
  if (scan->pagemap_fd < 0)
    return msc_linux_scan_error (scan, stat->starttime, errno, "page table (pagemap)", status);
  return MSC_OK;
}

static uint64_t
msc_read_mmap_min_addr (void)
{
  char buf[64];

  if (msc_linux_read_small ("/proc/sys/vm/mmap_min_addr", buf, sizeof buf) <= 0)
    return 0;
  return strtoull (buf, NULL, 10);
}

/* Bits, page size, the Unusable floor and TASK_SIZE (the top of Free). */
static void
msc_scan_geometry (MscLinuxScan *scan)
{
  uint64_t last_end = scan->n_vmas ? scan->vmas[scan->n_vmas - 1].end : 0;
  uint64_t top;

  scan->page_size = (uint64_t) sysconf (_SC_PAGESIZE);
  scan->bits = msc_linux_exe_bits (scan->pid);
  if (scan->bits == 0)
    scan->bits = last_end > UINT64_C (0xffffffff) ? 64 : 32;
  scan->mmap_min_addr = msc_read_mmap_min_addr ();
#if defined(__x86_64__)
  /* x86-64: 47-bit user space, 56-bit with LA57 once a mapping was placed
   * above 47 bits; IA32 tasks end at 0xffffe000. */
  if (scan->bits == 32)
    top = MSC_TASK_SIZE_IA32;
  else
    top = last_end > MSC_TASK_SIZE_47 ? MSC_TASK_SIZE_56 : MSC_TASK_SIZE_47;
#elif defined(__aarch64__)
  top = last_end > (UINT64_C (1) << 48) ? UINT64_C (1) << 52 : UINT64_C (1) << 48;
#else
  for (top = UINT64_C (1) << 32; top < last_end && top < (UINT64_C (1) << 63); top <<= 1)
    ;
#endif
  if (top < last_end)
    top = last_end;
  scan->task_size = top;
}

static int
msc_scan_progress (const MscRegionSink *sink, double fraction)
{
  return sink->progress != NULL && sink->progress (sink->user, fraction) != 0;
}

static void
msc_scan_info (MscLinuxScan *scan, const MscLinuxStat *stat, const MscLinuxStatus *proc_status,
               MscScanInfo *info)
{
  struct utsname uts;

  info->pid = scan->pid;
  info->bits = scan->bits;
  info->page_table_size = proc_status->vm_pte;
  info->n_threads = proc_status->threads;
  info->commit_charge = scan->smaps_read ? scan->commit_charge : 0;
  msc_linux_process_name (scan->pid, stat->comm, info->name, sizeof info->name);
  msc_linux_user_name (proc_status->uid, info->user, sizeof info->user);
  if (uname (&uts) == 0)
    snprintf (info->os, sizeof info->os, "Linux %.57s", uts.release);
  info->command_line = msc_linux_command_line (scan->pid);
  info->notes = scan->notes;
  scan->notes = NULL;
}

/* Everything that reads the process, in order. */
static MscStatusCode
msc_scan_read (MscLinuxScan *scan, uint64_t starttime, const MscLinuxStatus *proc_status,
               const MscRegionSink *sink, MscStatus *status)
{
  int err;

  msc_linux_pagemap_start (scan);
  if ((err = msc_linux_maps_read (scan)) != 0)
    return msc_linux_scan_error (scan, starttime, err, "memory map", status);
  if (scan->n_vmas == 0)
    return msc_linux_scan_error (scan, starttime, ESRCH, "memory map", status);
  if (msc_scan_progress (sink, 0.1))
    goto cancelled;
  msc_scan_geometry (scan);
  msc_linux_mounts_read (scan);
  if ((err = msc_linux_objects_build (scan)) != 0)
    return msc_linux_scan_error (scan, starttime, err, "mapped files", status);
  msc_linux_managed_detect (scan);
  if ((err = msc_linux_threads_read (scan)) != 0)
    return msc_linux_scan_error (scan, starttime, err == ENOENT ? ESRCH : err, "threads", status);
  if (msc_scan_progress (sink, 0.2))
    goto cancelled;
  if ((err = msc_linux_pagemap_scan (scan)) != 0)
    return msc_linux_scan_error (scan, starttime, err, "page table (pagemap)", status);
  if (msc_scan_progress (sink, 0.5))
    goto cancelled;
  if ((proc_status->vm_lck > 0 || (scan->flags & MSC_SCAN_PSS)) && (err = msc_linux_smaps_read (scan)) != 0)
    return msc_linux_scan_error (scan, starttime, err, "memory map details (smaps)", status);
  if (msc_scan_progress (sink, 0.65))
    goto cancelled;
  if (msc_linux_classify (scan) != 0)
    return msc_linux_scan_error (scan, starttime, ENOMEM, "memory map", status);
  if ((err = msc_linux_pagemap_count (scan)) != 0)
    return msc_linux_scan_error (scan, starttime, err, "page table (pagemap)", status);
  if (msc_scan_progress (sink, 0.8))
    goto cancelled;
  return MSC_OK;

cancelled:
  return msc_status_set (status, MSC_ERR_CANCELLED, "the scan of process %u was cancelled", scan->pid);
}

static void
msc_scan_notes (MscLinuxScan *scan)
{
  for (size_t i = 0; i < scan->n_vmas; i++)
    if (scan->vmas[i].hugetlb)
      {
        msc_linux_note (scan, "hugetlbfs pages are not counted in the working set (as in the "
                        "kernel's smaps Rss).");
        break;
      }
}

MscStatusCode
msc_backend_scan (uint32_t pid, unsigned flags, const MscRegionSink *sink,
                  MscScanInfo *info, MscStatus *status)
{
  MscLinuxScan scan;
  MscLinuxStat stat;
  MscLinuxStatus proc_status;
  MscStatusCode code;

  memset (info, 0, sizeof *info);
  info->timestamp = msc_backend_now ();
  msc_linux_scan_init (&scan, pid, flags);
  code = msc_linux_scan_open (&scan, &stat, &proc_status, status);
  if (code == MSC_OK)
    code = msc_scan_read (&scan, stat.starttime, &proc_status, sink, status);
  if (code == MSC_OK && (!msc_scan_same_process (pid, stat.starttime) || !msc_scan_mm_alive (&scan)))
    code = msc_status_set (status, MSC_ERR_EXITED, "process %u exited during the scan", pid);
  if (code == MSC_OK)
    {
      uint64_t timestamp = info->timestamp;

      msc_scan_notes (&scan);
      msc_scan_info (&scan, &stat, &proc_status, info);
      info->timestamp = timestamp;
      if (sink->begin != NULL && sink->begin (sink->user, info) != 0)
        code = msc_status_set (status, MSC_ERR_CANCELLED, "the scan of process %u was stopped", pid);
      else
        code = msc_linux_emit (&scan, sink, status);
    }
  msc_linux_scan_free (&scan);
  if (code != MSC_OK)
    {
      uint64_t timestamp = info->timestamp;

      msc_scan_info_clear (info);
      info->pid = pid;
      info->timestamp = timestamp;
    }
  else if (status != NULL)
    msc_status_set (status, MSC_OK, "%s", "");
  return code;
}
