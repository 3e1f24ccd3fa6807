/* msc-windows-managed.c — VMMap's Managed Heap: the .NET garbage
 * collector's memory.
 *
 * The documented way to enumerate it is the CLR debugging API
 * (ICorDebugProcess5::EnumerateHeapRegions, windows-notes.md §2.1), which
 * needs the runtime's own debugging DLLs and a COM host; a plain-C scanner
 * cannot use it.  What can be checked from outside without guessing:
 *
 * - Segments (.NET Framework's clr.dll / mscorwks.dll, CoreCLR up to .NET 6,
 *   later ones with the segments GC, clrgc.dll): every GC segment starts
 *   with the runtime's heap_segment record (gcpriv.h: allocated, committed,
 *   reserved, used, mem, ...), five pointers into the segment itself whose
 *   order and bounds must agree with what VirtualQueryEx reports.  Random
 *   data passes that test essentially never.
 * - Regions (CoreCLR 7+, 64-bit, the default since .NET 7): the GC reserves
 *   its whole region range up front, by default 256 GiB of MEM_PRIVATE
 *   (dotnet/runtime #85556); nothing else in a .NET process reserves that
 *   much private memory.  A GCRegionRange set smaller is not recognised.
 *
 * Both rules apply only in a process that has the runtime loaded, and only
 * to allocations nothing else claimed (they run after the other tags).
 */
#include "backends/windows/msc-windows.h"

#include <stdlib.h>
#include <string.h>

#define MSC_WIN_GC_REGION_RANGE   (UINT64_C (256) << 30)
#define MSC_WIN_GC_HEADER_LIMIT   UINT64_C (0x10000)  /* heap_segment.mem lies in the first granule */

static const char *
msc_win_basename (const char *path)
{
  const char *slash = strrchr (path, '\\');

  return slash != NULL ? slash + 1 : path;
}

unsigned
msc_win_managed_runtime (const char *image_path)
{
  const char *name = image_path != NULL ? msc_win_basename (image_path) : "";

  if (_stricmp (name, "coreclr.dll") == 0)
    return MSC_WIN_RUNTIME_CORECLR;
  if (_stricmp (name, "clr.dll") == 0 || _stricmp (name, "mscorwks.dll") == 0)
    return MSC_WIN_RUNTIME_CLR;
  return 0;
}

/* heap_segment at the candidate's base: mem ≤ allocated ≤ committed ≤
 * reserved, used ≤ committed, all inside the allocation, and committed is
 * where VirtualQueryEx says the committed run ends or before it. */
static int
msc_win_gc_segment_header (const MscWinManagedCandidate *c)
{
  const MscWinLayout *layout = c->layout;
  uint64_t allocated, committed, reserved, used, mem;

  if (c->header == NULL || c->header_size < 5u * layout->ptr_size)
    return 0;
  allocated = msc_win_get_ptr (layout, c->header);
  committed = msc_win_get_ptr (layout, c->header + layout->ptr_size);
  reserved = msc_win_get_ptr (layout, c->header + 2 * layout->ptr_size);
  used = msc_win_get_ptr (layout, c->header + 3 * layout->ptr_size);
  mem = msc_win_get_ptr (layout, c->header + 4 * layout->ptr_size);
  return mem > c->base && mem - c->base <= MSC_WIN_GC_HEADER_LIMIT
         && mem <= allocated && allocated <= committed && used <= committed
         && committed <= reserved && committed <= c->committed_end
         && reserved <= c->base + c->size;
}

const char *
msc_win_managed_classify (const MscWinManagedCandidate *c)
{
  if (c->runtimes == 0 || c->storage != MEM_PRIVATE)
    return NULL;
  if (msc_win_gc_segment_header (c))
    return "GC";
  if ((c->runtimes & MSC_WIN_RUNTIME_CORECLR) && c->layout->ptr_size == 8 && c->size >= MSC_WIN_GC_REGION_RANGE)
    return "GC";
  return NULL;
}

/* The end of the run of committed blocks that starts the allocation. */
static uint64_t
msc_win_committed_end (const MscWinScan *scan, const MscWinAlloc *alloc)
{
  uint64_t end = alloc->base;

  for (size_t b = alloc->first; b < alloc->first + alloc->n_blocks && scan->blocks[b].state == MEM_COMMIT; b++)
    end = scan->blocks[b].base + scan->blocks[b].size;
  return end;
}

static void
msc_win_classify_alloc (MscWinScan *scan, MscWinAlloc *alloc, unsigned runtimes, const MscWinLayout *layout)
{
  const MscWinBlock *first = &scan->blocks[alloc->first];
  const MscWinBlock *last = &scan->blocks[alloc->first + alloc->n_blocks - 1];
  uint8_t header[5 * 8];
  MscWinManagedCandidate c = {
    .base = alloc->base,
    .size = last->base + last->size - alloc->base,
    .committed_end = msc_win_committed_end (scan, alloc),
    .storage = first->type,
    .runtimes = runtimes,
    .layout = layout,
  };
  const char *label;

  if (first->state == MEM_COMMIT && !(first->protect & (PAGE_GUARD | PAGE_NOACCESS))
      && msc_win_read (scan->process, alloc->base, header, 5 * layout->ptr_size) == 0)
    {
      c.header = header;
      c.header_size = 5 * layout->ptr_size;
    }
  label = msc_win_managed_classify (&c);
  if (label == NULL)
    return;
  alloc->type = MSC_TYPE_MANAGED_HEAP;
  free (alloc->details);
  alloc->details = strdup (label);
}

/* Runs after msc_win_tag_files(): the runtime is known from the images, and
 * only what fell through to Private Data is looked at again. */
void
msc_win_tag_managed (MscWinScan *scan)
{
  /* Managed code in a WOW64 process is 32-bit, and so are its GC's records. */
  const MscWinLayout *layout = scan->wow64 ? &msc_win_layout32 : scan->layout;
  unsigned runtimes = 0;

  for (size_t a = 0; a < scan->n_allocs; a++)
    if (scan->allocs[a].type == MSC_TYPE_IMAGE)
      runtimes |= msc_win_managed_runtime (scan->allocs[a].details);
  if (runtimes == 0)
    return;
  for (size_t a = 0; a < scan->n_allocs; a++)
    if (scan->allocs[a].type == MSC_TYPE_PRIVATE_DATA && scan->allocs[a].details == NULL)
      msc_win_classify_alloc (scan, &scan->allocs[a], runtimes, layout);
}
