/* msc-windows-walk.c — VirtualQueryEx from address 0 to the top of user
 * space: blocks, grouped into allocations by allocation base (System
 * Informer's PhQueryMemoryItemList, windows-notes.md §1.2). */
#include "backends/windows/msc-windows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A WOW64 process's address space as VMMap shows it: the 32-bit part. */
#define MSC_WIN_WOW64_END 0x100000000ull

static int
msc_win_grow (void **array, size_t *cap, size_t n, size_t size)
{
  size_t grown_cap;
  void *grown;

  if (n < *cap)
    return 0;
  grown_cap = *cap ? *cap * 2 : 1024;
  grown = realloc (*array, grown_cap * size);
  if (grown == NULL)
    return -1;
  *array = grown;
  *cap = grown_cap;
  return 0;
}

static MscWinBlock *
msc_win_add_block (MscWinScan *scan)
{
  MscWinBlock *block;

  if (msc_win_grow ((void **) &scan->blocks, &scan->cap_blocks, scan->n_blocks, sizeof *block) != 0)
    return NULL;
  block = &scan->blocks[scan->n_blocks++];
  memset (block, 0, sizeof *block);
  return block;
}

static MscWinAlloc *
msc_win_add_alloc (MscWinScan *scan, uint64_t base, uint8_t type)
{
  MscWinAlloc *alloc;

  if (msc_win_grow ((void **) &scan->allocs, &scan->cap_allocs, scan->n_allocs, sizeof *alloc) != 0)
    return NULL;
  alloc = &scan->allocs[scan->n_allocs++];
  memset (alloc, 0, sizeof *alloc);
  alloc->base = base;
  alloc->first = scan->n_blocks - 1;
  alloc->n_blocks = 1;
  alloc->type = type;
  return alloc;
}

/* A free range; VirtualAlloc only returns bases on the allocation
 * granularity, so the part below the next boundary is Unusable (VMMap; the
 * tail of an allocation that is not a multiple of 64 KiB). */
static int
msc_win_add_free (MscWinScan *scan, uint64_t base, uint64_t end, uint64_t granularity)
{
  uint64_t aligned = (base + granularity - 1) & ~(granularity - 1);

  if (aligned > end)
    aligned = end;
  for (int part = 0; part < 2; part++)
    {
      uint64_t start = part == 0 ? base : aligned, stop = part == 0 ? aligned : end;
      MscWinBlock *block;

      if (start == stop)
        continue;
      if ((block = msc_win_add_block (scan)) == NULL)
        return -1;
      block->base = block->allocation_base = start;
      block->size = stop - start;
      block->state = MEM_FREE;
      if (msc_win_add_alloc (scan, start, part == 0 ? MSC_TYPE_UNUSABLE : MSC_TYPE_FREE) == NULL)
        return -1;
    }
  return 0;
}

static int
msc_win_add_used (MscWinScan *scan, const MEMORY_BASIC_INFORMATION *mbi, uint64_t end)
{
  MscWinBlock *block = msc_win_add_block (scan);
  MscWinAlloc *last = scan->n_allocs ? &scan->allocs[scan->n_allocs - 1] : NULL;

  if (block == NULL)
    return -1;
  block->base = (uint64_t) (uintptr_t) mbi->BaseAddress;
  block->size = end - block->base;
  block->allocation_base = (uint64_t) (uintptr_t) mbi->AllocationBase;
  block->state = mbi->State;
  block->protect = mbi->State == MEM_COMMIT ? mbi->Protect : 0;
  block->type = mbi->Type;
  block->allocation_protect = mbi->AllocationProtect;
  if (last != NULL && last->type == MSC_N_TYPES && last->base == block->allocation_base)
    {
      last->n_blocks++;
      return 0;
    }
  return msc_win_add_alloc (scan, block->allocation_base, MSC_N_TYPES) != NULL ? 0 : -1;
}

MscStatusCode
msc_win_walk (MscWinScan *scan, MscStatus *status)
{
  SYSTEM_INFO system;
  MEMORY_BASIC_INFORMATION mbi;
  uint64_t address, limit;

  GetSystemInfo (&system);
  limit = (uint64_t) (uintptr_t) system.lpMaximumApplicationAddress + 1;
  limit &= ~(uint64_t) (system.dwPageSize - 1);
  if (scan->wow64 && limit > MSC_WIN_WOW64_END)
    limit = MSC_WIN_WOW64_END;
  for (address = 0; address < limit;)
    {
      uint64_t end;
      int failed;

      if (VirtualQueryEx (scan->process, (const void *) (uintptr_t) address, &mbi, sizeof mbi) == 0)
        break;
      end = (uint64_t) (uintptr_t) mbi.BaseAddress + mbi.RegionSize;
      if (end > limit || end <= address)
        end = limit;
      if (mbi.State == MEM_FREE)
        failed = msc_win_add_free (scan, address, end, system.dwAllocationGranularity);
      else
        failed = msc_win_add_used (scan, &mbi, end);
      if (failed)
        return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory while reading the regions of process %u", scan->pid);
      address = end;
    }
  if (scan->n_blocks == 0)
    return msc_status_set (status, WaitForSingleObject (scan->process, 0) == WAIT_OBJECT_0 ? MSC_ERR_EXITED : MSC_ERR_PERMISSION,
                           "cannot read the address space of process %u", scan->pid);
  if (address < limit && msc_win_add_free (scan, address, limit, system.dwAllocationGranularity) != 0)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  scan->user_end = limit > address ? limit : address;
  return MSC_OK;
}

/* Blocks are sorted and do not overlap: binary search on the start. */
size_t
msc_win_find_block (const MscWinScan *scan, uint64_t address)
{
  size_t lo = 0, hi = scan->n_blocks;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      const MscWinBlock *block = &scan->blocks[mid];

      if (address < block->base)
        hi = mid;
      else if (address - block->base >= block->size)
        lo = mid + 1;
      else
        return mid;
    }
  return (size_t) -1;
}

size_t
msc_win_find_alloc (const MscWinScan *scan, uint64_t address)
{
  size_t block = msc_win_find_block (scan, address);
  size_t lo = 0, hi = scan->n_allocs;

  if (block == (size_t) -1)
    return block;
  /* The allocation whose first block is the last one at or before block. */
  while (hi - lo > 1)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (scan->allocs[mid].first <= block)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

int
msc_win_append_text (char **list, const char *text)
{
  size_t old = *list != NULL ? strlen (*list) : 0, n = strlen (text);
  char *grown = realloc (*list, old + n + 3);

  if (grown == NULL)
    return -1;
  if (old > 0)
    memcpy (grown + old, ", ", 2), old += 2;
  memcpy (grown + old, text, n + 1);
  *list = grown;
  return 0;
}

void
msc_win_note (MscWinScan *scan, const char *sentence)
{
  size_t old = scan->notes != NULL ? strlen (scan->notes) : 0, n = strlen (sentence);
  char *grown;

  if (scan->notes != NULL && strstr (scan->notes, sentence) != NULL)
    return;
  grown = realloc (scan->notes, old + n + 2);
  if (grown == NULL)
    return;
  if (old > 0)
    grown[old++] = '\n';
  memcpy (grown + old, sentence, n + 1);
  scan->notes = grown;
}
