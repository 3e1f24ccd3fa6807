/* msc-windows-scan.c — msc_backend_scan() on Windows: the stages of
 * msc-windows.h in order, then the records.
 *
 * Column rules (VMMap, windows-notes.md §2.2):
 *   Committed  the MEM_COMMIT blocks.
 *   Private    committed MEM_PRIVATE blocks; in images and mapped views the
 *              pages that are resident and not shareable (copied on write).
 *   Protection sub-blocks: their protection (0 = reserved); an allocation:
 *              its AllocationProtect, as VMMap and System Informer show it.
 */
#include "backends/windows/msc-windows.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
msc_win_scan_clear (MscWinScan *scan)
{
  for (size_t b = 0; b < scan->n_blocks; b++)
    free (scan->blocks[b].details);
  for (size_t a = 0; a < scan->n_allocs; a++)
    free (scan->allocs[a].details);
  free (scan->blocks);
  free (scan->allocs);
  free (scan->threads);
  free (scan->notes);
  if (scan->process != NULL)
    CloseHandle (scan->process);
}

/* Windows reports no page-table size per process; count the page-table
 * pages (4 KiB each, one per 2 MiB, 1 GiB and 512 GiB of address space
 * that holds committed memory, plus the top level) the committed ranges
 * need.  The notes say that this is an estimate. */
static uint64_t
msc_win_page_tables (const MscWinScan *scan)
{
  static const unsigned shifts[3] = { 21, 30, 39 };
  uint64_t pages = 1;

  for (int level = 0; level < 3; level++)
    {
      uint64_t last = UINT64_MAX;

      for (size_t b = 0; b < scan->n_blocks; b++)
        {
          const MscWinBlock *block = &scan->blocks[b];
          uint64_t first, end;

          if (block->state != MEM_COMMIT)
            continue;
          first = block->base >> shifts[level];
          end = (block->base + block->size - 1) >> shifts[level];
          pages += end - first + 1 - (first == last);
          last = end;
        }
    }
  return pages * 4096;
}

static void
msc_win_block_region (const MscWinScan *scan, const MscWinBlock *block, MscRegion *r)
{
  memset (r, 0, sizeof *r);
  r->address = block->base;
  r->size = block->size;
  r->storage = block->type;
  if (block->state == MEM_COMMIT)
    {
      r->committed = block->size;
      r->protection = block->protect;
      r->private_bytes = block->type == MEM_PRIVATE ? block->size : block->private_ws;
    }
  r->total_ws = block->total_ws;
  r->private_ws = block->private_ws;
  r->shareable_ws = block->shareable_ws;
  r->shared_ws = block->shared_ws;
  r->locked_ws = block->locked_ws;
  if (!scan->ws_known)
    r->flags |= MSC_REGION_WS_UNKNOWN;
  /* A shared section's private pages are its copy-on-write copies, which
   * only QueryWorkingSetEx tells; without it the 0 above means nothing. */
  if (!scan->ws_known && block->state == MEM_COMMIT && block->type != MEM_PRIVATE)
    r->flags |= MSC_REGION_PRIVATE_UNKNOWN;
}

static const char *
msc_win_alloc_details (const MscWinAlloc *alloc, char *buf, size_t len)
{
  if (alloc->type == MSC_TYPE_STACK && !(alloc->flags & MSC_REGION_STACK64))
    {
      snprintf (buf, len, "Thread ID: %u", alloc->thread_id);
      return buf;
    }
  return alloc->details;
}

static int
msc_win_emit_alloc (const MscWinScan *scan, const MscWinAlloc *alloc, const MscRegionSink *sink)
{
  MscRegion top = { 0 }, r;
  char details[64];

  top.address = alloc->base;
  top.type = alloc->type;
  top.flags = alloc->flags;
  if (alloc->type == MSC_TYPE_FREE || alloc->type == MSC_TYPE_UNUSABLE)
    {
      top.size = scan->blocks[alloc->first].size;
      top.storage = MEM_FREE;
      top.blocks = 1;
      return sink->region (sink->user, &top, NULL);
    }
  for (size_t b = alloc->first; b < alloc->first + alloc->n_blocks; b++)
    {
      msc_win_block_region (scan, &scan->blocks[b], &r);
      top.size += r.size;
      top.committed += r.committed;
      top.private_bytes += r.private_bytes;
      top.total_ws += r.total_ws;
      top.private_ws += r.private_ws;
      top.shareable_ws += r.shareable_ws;
      top.shared_ws += r.shared_ws;
      top.locked_ws += r.locked_ws;
      top.flags |= r.flags;
    }
  top.storage = scan->blocks[alloc->first].type;
  top.protection = scan->blocks[alloc->first].allocation_protect;
  top.blocks = (uint32_t) alloc->n_blocks;
  top.heap_id = alloc->heap_id;
  top.thread_id = alloc->thread_id;
  if (sink->region (sink->user, &top, msc_win_alloc_details (alloc, details, sizeof details)) != 0)
    return -1;
  for (size_t b = alloc->first; b < alloc->first + alloc->n_blocks; b++)
    {
      msc_win_block_region (scan, &scan->blocks[b], &r);
      r.flags |= MSC_REGION_SUBBLOCK | alloc->flags;
      r.type = alloc->type;
      r.heap_id = alloc->heap_id;
      r.thread_id = alloc->thread_id;
      if (sink->region (sink->user, &r, scan->blocks[b].details) != 0)
        return -1;
    }
  return 0;
}

static MscStatusCode
msc_win_emit (const MscWinScan *scan, const MscRegionSink *sink, MscStatus *status)
{
  for (size_t a = 0; a < scan->n_allocs; a++)
    {
      if (msc_win_emit_alloc (scan, &scan->allocs[a], sink) != 0)
        return msc_status_set (status, MSC_ERR_NO_MEMORY,
                               "out of memory while storing the regions of process %u", scan->pid);
      if (a % 4096 == 4095 && sink->progress != NULL
          && sink->progress (sink->user, 0.9 + 0.1 * (double) a / (double) scan->n_allocs) != 0)
        return msc_status_set (status, MSC_ERR_CANCELLED, "the scan of process %u was cancelled", scan->pid);
    }
  return MSC_OK;
}

static void
msc_win_fill_info (MscWinScan *scan, MscScanInfo *info)
{
  PROCESS_MEMORY_COUNTERS_EX counters = { .cb = sizeof counters };

  info->pid = scan->pid;
  info->bits = scan->bits;
  info->timestamp = msc_backend_now ();
  info->n_threads = (uint32_t) scan->n_threads;
  info->page_table_size = msc_win_page_tables (scan);
  /* PrivateUsage is the process's commit charge (Task Manager's "Commit size"). */
  if (GetProcessMemoryInfo (scan->process, (PROCESS_MEMORY_COUNTERS *) &counters, sizeof counters))
    info->commit_charge = counters.PrivateUsage;
  info->process_ws = scan->ws_known ? 0 : scan->process_ws;
  msc_win_process_name (scan->pid, info->name, sizeof info->name);
  msc_win_process_user (scan->process, info->user, sizeof info->user);
  msc_win_os_version (info->os, sizeof info->os);
  info->command_line = msc_win_command_line (scan->process, scan->peb, scan->peb32);
  msc_win_note (scan, "Page Table is estimated from the committed address ranges; Windows does not report it per process.");
  info->notes = scan->notes;
  scan->notes = NULL;
}

static int
msc_win_progress (const MscRegionSink *sink, double fraction)
{
  return sink->progress != NULL && sink->progress (sink->user, fraction) != 0;
}

static MscStatusCode
msc_win_scan_stages (MscWinScan *scan, const MscRegionSink *sink, MscStatus *status)
{
  MscStatusCode code;

  if (msc_win_find_pebs (scan) != 0)
    msc_win_note (scan, "The PEB could not be read: heaps are found by their signature only.");
  if ((code = msc_win_list_threads (scan, status)) != MSC_OK || (code = msc_win_walk (scan, status)) != MSC_OK)
    return code;
  if (msc_win_progress (sink, 0.3))
    return msc_status_set (status, MSC_ERR_CANCELLED, "the scan of process %u was cancelled", scan->pid);
  msc_win_tag_stacks (scan);
  msc_win_tag_heaps (scan);
  msc_win_tag_system (scan);
  msc_win_tag_files (scan);
  msc_win_tag_managed (scan);
  if (msc_win_progress (sink, 0.5))
    return msc_status_set (status, MSC_ERR_CANCELLED, "the scan of process %u was cancelled", scan->pid);
  msc_win_working_set (scan);
  if (WaitForSingleObject (scan->process, 0) == WAIT_OBJECT_0)
    return msc_status_set (status, MSC_ERR_EXITED, "process %u exited while it was being scanned", scan->pid);
  return MSC_OK;
}

MscStatusCode
msc_backend_scan (uint32_t pid, unsigned flags, const MscRegionSink *sink,
                  MscScanInfo *info, MscStatus *status)
{
  MscWinScan scan = { .pid = pid };
  MscStatusCode code;

  (void) flags;  /* Pss is a Linux figure */
  memset (info, 0, sizeof *info);
  scan.process = msc_win_open_process (pid, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, status);
  if (scan.process == NULL)
    return status != NULL ? status->code : MSC_ERR_PERMISSION;
  scan.bits = msc_win_process_bits (scan.process, &scan.wow64);
  scan.wine = msc_win_is_wine ();
  scan.layout = sizeof (void *) == 8 ? &msc_win_layout64 : &msc_win_layout32;
  if (scan.bits == 64 && sizeof (void *) == 4)
    code = msc_status_set (status, MSC_ERR_UNSUPPORTED,
                           "process %u is a 64-bit process; analyse it with the 64-bit Memscope", pid);
  else
    code = msc_win_scan_stages (&scan, sink, status);
  if (code == MSC_OK)
    {
      msc_win_fill_info (&scan, info);
      if (sink->begin != NULL && sink->begin (sink->user, info) != 0)
        code = msc_status_set (status, MSC_ERR_CANCELLED, "the scan of process %u was stopped", pid);
      else
        code = msc_win_emit (&scan, sink, status);
    }
  if (code != MSC_OK)
    msc_scan_info_clear (info);
  msc_win_scan_clear (&scan);
  return code;
}
