/* msc-windows-ws.c — working-set figures per page with QueryWorkingSetEx,
 * many pages per call (windows-notes.md §1.4, §2.3).
 *
 *   Total WS      Valid
 *   Private WS    Valid && !Shared (Wine fakes ShareCount; on Windows this
 *                 equals System Informer's ShareCount == 0)
 *   Shareable WS  Valid && Shared
 *   Shared WS     Valid && Shared && ShareCount > 1
 *   Locked WS     Valid && Locked
 * Where the OS refuses (Wine for other processes, protected processes) the
 * columns are n/a for the whole scan and the notes say why.
 */
#include "backends/windows/msc-windows.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>

/* 16 K pages (64 MiB of address space) per call: 256 KiB of entries. */
#define MSC_WIN_WS_BATCH 16384

typedef struct {
  MscWinScan *scan;
  PSAPI_WORKING_SET_EX_INFORMATION *entries;
  uint32_t *block_of;         /* entries[i] describes a page of blocks[block_of[i]] */
  size_t n;
  uint64_t page_size;
  DWORD error;
} MscWinWsBatch;

static void
msc_win_ws_count (MscWinBlock *block, ULONG_PTR flags, uint64_t page_size)
{
  /* PSAPI_WORKING_SET_EX_BLOCK: Valid:1 ShareCount:3 Win32Protection:11
   * Shared:1 Node:6 Locked:1 LargePage:1 ... */
  int valid = flags & 1, shared = (flags >> 15) & 1, locked = (flags >> 22) & 1;
  unsigned share_count = (flags >> 1) & 7;

  if (!valid)
    return;
  block->total_ws += page_size;
  if (shared)
    {
      block->shareable_ws += page_size;
      if (share_count > 1)
        block->shared_ws += page_size;
    }
  else
    block->private_ws += page_size;
  if (locked)
    block->locked_ws += page_size;
}

static int
msc_win_ws_flush (MscWinWsBatch *batch)
{
  /* For a self-scan, the pseudo-handle: Wine answers only for it (a real
   * handle to the own process gets STATUS_INVALID_INFO_CLASS). */
  HANDLE process = batch->scan->pid == GetCurrentProcessId () ? GetCurrentProcess () : batch->scan->process;

  if (batch->n == 0)
    return 0;
  if (!QueryWorkingSetEx (process, batch->entries, (DWORD) (batch->n * sizeof batch->entries[0])))
    {
      batch->error = GetLastError ();
      return -1;
    }
  for (size_t i = 0; i < batch->n; i++)
    msc_win_ws_count (&batch->scan->blocks[batch->block_of[i]], batch->entries[i].VirtualAttributes.Flags,
                      batch->page_size);
  batch->n = 0;
  return 0;
}

static int
msc_win_ws_block (MscWinWsBatch *batch, size_t b)
{
  const MscWinBlock *block = &batch->scan->blocks[b];

  for (uint64_t offset = 0; offset < block->size; offset += batch->page_size)
    {
      if (batch->n == MSC_WIN_WS_BATCH && msc_win_ws_flush (batch) != 0)
        return -1;
      batch->entries[batch->n].VirtualAddress = (void *) (uintptr_t) (block->base + offset);
      batch->block_of[batch->n++] = (uint32_t) b;
    }
  return 0;
}

static void
msc_win_ws_unknown (MscWinScan *scan, DWORD error)
{
  PROCESS_MEMORY_COUNTERS counters = { .cb = sizeof counters };
  char reason[256], sentence[512];

  for (size_t b = 0; b < scan->n_blocks; b++)
    scan->blocks[b].total_ws = scan->blocks[b].private_ws = scan->blocks[b].shareable_ws =
      scan->blocks[b].shared_ws = scan->blocks[b].locked_ws = 0;
  msc_win_error_text (error, reason, sizeof reason);
  snprintf (sentence, sizeof sentence,
            "Working-set figures are not available for this process (QueryWorkingSetEx: %s).", reason);
  msc_win_note (scan, sentence);
  /* The process as a whole still has a figure (the one the process chooser
   * shows): give it, marked as such, rather than leave only "n/a". */
  if (GetProcessMemoryInfo (scan->process, &counters, sizeof counters))
    {
      scan->process_ws = counters.WorkingSetSize;
      snprintf (sentence, sizeof sentence,
                "The working set of the whole process is %llu K (GetProcessMemoryInfo); it is not split by region.",
                (unsigned long long) ((counters.WorkingSetSize + 512) / 1024));
      msc_win_note (scan, sentence);
    }
  scan->ws_known = 0;
}

void
msc_win_working_set (MscWinScan *scan)
{
  SYSTEM_INFO system;
  MscWinWsBatch batch = { .scan = scan };
  int failed = 0;

  GetSystemInfo (&system);
  batch.page_size = system.dwPageSize;
  batch.entries = malloc (MSC_WIN_WS_BATCH * sizeof batch.entries[0]);
  batch.block_of = malloc (MSC_WIN_WS_BATCH * sizeof batch.block_of[0]);
  batch.error = ERROR_NOT_ENOUGH_MEMORY;
  failed = batch.entries == NULL || batch.block_of == NULL;
  for (size_t b = 0; !failed && b < scan->n_blocks; b++)
    if (scan->blocks[b].state == MEM_COMMIT)
      failed = msc_win_ws_block (&batch, b) != 0;
  if (!failed)
    failed = msc_win_ws_flush (&batch) != 0;
  free (batch.entries);
  free (batch.block_of);
  scan->ws_known = !failed;
  if (failed)
    msc_win_ws_unknown (scan, batch.error);
}
