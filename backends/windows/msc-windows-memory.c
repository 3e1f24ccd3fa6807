/* msc-windows-memory.c — reading a process's memory (Strings view) and
 * Empty Working Set. */
#include "backends/windows/msc-windows.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pages per piece handed to the sink (the header promises a few hundred KiB). */
#define MSC_WIN_READ_PAGES 64

static uint64_t
msc_win_page_size (void)
{
  SYSTEM_INFO system;

  GetSystemInfo (&system);
  return system.dwPageSize;
}

MscStatusCode
msc_backend_read_memory (uint32_t pid, uint64_t address, void *buf, size_t size,
                         size_t *n_read, MscStatus *status)
{
  HANDLE process = msc_win_open_process (pid, PROCESS_VM_READ, status);
  uint64_t page = msc_win_page_size ();
  size_t done = 0;

  *n_read = 0;
  if (process == NULL)
    return status != NULL ? status->code : MSC_ERR_PERMISSION;
  /* ReadProcessMemory fails as a whole when any page is unreadable; go
   * page by page so the readable start still arrives. */
  while (done < size)
    {
      uint64_t at = address + done;
      size_t chunk = (size_t) (page - at % page);

      if (chunk > size - done)
        chunk = size - done;
      if (msc_win_read (process, at, (char *) buf + done, chunk) != 0)
        break;
      done += chunk;
    }
  CloseHandle (process);
  *n_read = done;
  if (done == 0)
    return msc_status_set (status, MSC_ERR_IO, "cannot read memory of process %u at 0x%llx", pid,
                           (unsigned long long) address);
  return MSC_OK;
}

/* ---- resident pages only ---- */

typedef struct {
  HANDLE process;
  uint64_t page;
  const MscMemorySink *sink;
  MscReadStats *stats;
  int residency_known;        /* QueryWorkingSetEx answered */
  PSAPI_WORKING_SET_EX_INFORMATION ws[MSC_WIN_READ_PAGES];
  uint8_t buf[MSC_WIN_READ_PAGES * 4096];
} MscWinReader;

/* Which of n pages at address are resident; all of them when the OS will
 * not say (Wine for other processes), so the text is still found. */
static void
msc_win_residency (MscWinReader *r, uint64_t address, size_t n, int resident[])
{
  for (size_t i = 0; i < n; i++)
    r->ws[i].VirtualAddress = (void *) (uintptr_t) (address + i * r->page);
  if (r->residency_known && !QueryWorkingSetEx (r->process, r->ws, (DWORD) (n * sizeof r->ws[0])))
    r->residency_known = 0;
  for (size_t i = 0; i < n; i++)
    resident[i] = !r->residency_known || (r->ws[i].VirtualAttributes.Flags & 1);
  if (!r->residency_known)
    r->stats->pages_unverified += n;
}

/* Reads one committed, readable block's pages [start, end); 0, or -1 when
 * the sink stopped. */
static int
msc_win_read_block (MscWinReader *r, uint64_t start, uint64_t end)
{
  int resident[MSC_WIN_READ_PAGES];

  for (uint64_t at = start; at < end;)
    {
      size_t n = (size_t) ((end - at) / r->page), run = 0;

      if (n > MSC_WIN_READ_PAGES)
        n = MSC_WIN_READ_PAGES;
      msc_win_residency (r, at, n, resident);
      for (size_t i = 0; i <= n; i++)
        {
          if (i < n && resident[i])
            {
              run++;
              continue;
            }
          if (run > 0)
            {
              uint64_t from = at + (i - run) * r->page;

              if (msc_win_read (r->process, from, r->buf, run * r->page) == 0)
                {
                  r->stats->bytes_read += run * r->page;
                  if (r->sink->data (r->sink->user, from, r->buf, run * r->page) != 0)
                    return -1;
                }
              else
                r->stats->pages_unreadable += run;
            }
          if (i < n)
            r->stats->pages_not_resident++;
          run = 0;
        }
      at += n * r->page;
    }
  return 0;
}

static int
msc_win_readable (const MEMORY_BASIC_INFORMATION *mbi)
{
  DWORD readable = PAGE_READONLY | PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READ
                   | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY;

  return mbi->State == MEM_COMMIT && (mbi->Protect & readable) && !(mbi->Protect & PAGE_GUARD);
}

MscStatusCode
msc_backend_read_resident (uint32_t pid, uint64_t address, uint64_t size,
                           const MscMemorySink *sink, MscReadStats *stats, MscStatus *status)
{
  MscWinReader *r;
  uint64_t page = msc_win_page_size (), end, at;
  MEMORY_BASIC_INFORMATION mbi;
  int mapped = 0, stopped = 0;

  memset (stats, 0, sizeof *stats);
  stats->page_size = page;
  if (size == 0 || address + size < address || address + size > UINT64_MAX - page || sink == NULL
      || sink->data == NULL)
    return msc_status_set (status, MSC_ERR_INVALID, "cannot read 0x%llx bytes at 0x%llx: not a valid range",
                           (unsigned long long) size, (unsigned long long) address);
  /* Whole pages: residency is per page (a partial page would never advance). */
  at = address & ~(page - 1);
  end = (address + size + page - 1) & ~(page - 1);
  address = at;
  size = end - at;
  r = calloc (1, sizeof *r);
  if (r == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  r->process = msc_win_open_process (pid, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, status);
  if (r->process == NULL)
    {
      free (r);
      return status != NULL ? status->code : MSC_ERR_PERMISSION;
    }
  r->page = page;
  r->sink = sink;
  r->stats = stats;
  r->residency_known = 1;
  while (!stopped && at < end && VirtualQueryEx (r->process, (void *) (uintptr_t) at, &mbi, sizeof mbi) != 0)
    {
      uint64_t block_end = (uint64_t) (uintptr_t) mbi.BaseAddress + mbi.RegionSize;

      if (block_end > end)
        block_end = end;
      mapped |= mbi.State != MEM_FREE;
      if (mbi.State == MEM_FREE)
        stats->pages_unmapped += (block_end - at) / r->page;
      else if (!msc_win_readable (&mbi))
        stats->pages_unreadable += (block_end - at) / r->page;
      else
        stopped = msc_win_read_block (r, at, block_end) != 0;
      at = block_end;
      if (!stopped && sink->progress != NULL && size > 0)
        stopped = sink->progress (sink->user, (double) (at - address) / (double) size) != 0;
    }
  CloseHandle (r->process);
  free (r);
  if (stopped)
    return msc_status_set (status, MSC_ERR_CANCELLED, "reading process %u was cancelled", pid);
  if (!mapped)
    return msc_status_set (status, MSC_ERR_INVALID, "nothing is mapped at 0x%llx in process %u any more",
                           (unsigned long long) address, pid);
  return MSC_OK;
}

/* ---- Empty Working Set ---- */

static uint64_t
msc_win_working_set_size (HANDLE process)
{
  PROCESS_MEMORY_COUNTERS counters = { .cb = sizeof counters };

  return GetProcessMemoryInfo (process, &counters, sizeof counters) ? counters.WorkingSetSize : 0;
}

MscStatusCode
msc_backend_empty_working_set (uint32_t pid, MscEmptyResult *result, MscStatus *status)
{
  HANDLE process;
  char reason[256];
  BOOL ok;

  memset (result, 0, sizeof *result);
  process = msc_win_open_process (pid, PROCESS_SET_QUOTA | PROCESS_QUERY_INFORMATION, status);
  if (process == NULL)
    {
      snprintf (result->message, sizeof result->message, "%s", status != NULL ? status->message : "");
      return status != NULL ? status->code : MSC_ERR_PERMISSION;
    }
  result->method = MSC_EMPTY_OS_CALL;
  result->rss_before = msc_win_working_set_size (process);
  result->bytes_requested = result->rss_before;
  ok = EmptyWorkingSet (process);
  if (!ok)
    msc_win_error_text (GetLastError (), reason, sizeof reason);
  result->rss_after = msc_win_working_set_size (process);
  CloseHandle (process);
  if (!ok)
    {
      snprintf (result->message, sizeof result->message, "Windows refused to empty the working set of process %u: %s",
                pid, reason);
      return msc_status_set (status, MSC_ERR_PERMISSION, "%s", result->message);
    }
  if (result->rss_after >= result->rss_before)
    {
      /* Wine's EmptyWorkingSet succeeds without trimming anything. */
      snprintf (result->message, sizeof result->message,
                "EmptyWorkingSet succeeded, but the working set of process %u did not shrink.", pid);
      return msc_status_set (status, MSC_ERR_UNSUPPORTED, "%s", result->message);
    }
  snprintf (result->message, sizeof result->message, "The working set of process %u went from %llu KB to %llu KB.",
            pid, (unsigned long long) result->rss_before / 1024, (unsigned long long) result->rss_after / 1024);
  return MSC_OK;
}
