/* msc-windows-tag.c — stacks, heaps and the PEB/TEB blocks, in System
 * Informer's order (windows-notes.md §1.3): the first tag an allocation
 * gets is the one it keeps. */
#include "backends/windows/msc-windows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KUSER_SHARED_DATA: the same address in every process, both bitnesses. */
#define MSC_WIN_USER_SHARED_DATA 0x7FFE0000ull
#define MSC_WIN_HEADER_SIZE 0x40

static MscWinAlloc *
msc_win_untagged_alloc_at (MscWinScan *scan, uint64_t address)
{
  size_t a = address != 0 ? msc_win_find_alloc (scan, address) : (size_t) -1;

  if (a == (size_t) -1 || scan->allocs[a].type != MSC_N_TYPES)
    return NULL;
  return &scan->allocs[a];
}

/* ---- stacks ---- */

static void
msc_win_tag_stack (MscWinScan *scan, const MscWinLayout *layout, uint64_t teb, uint32_t thread_id, int stack64)
{
  uint8_t bytes[MSC_WIN_TIB_SIZE];
  MscWinTib tib;
  MscWinAlloc *alloc;

  /* NT_TIB starts the TEB. */
  if (teb == 0 || msc_win_read (scan->process, teb, bytes, sizeof bytes) != 0
      || msc_win_parse_tib (layout, bytes, sizeof bytes, &tib) != 0 || tib.stack_base <= tib.stack_limit)
    return;
  /* The top of the stack is always committed and inside the reservation;
   * StackLimit moves as the stack grows. */
  alloc = msc_win_untagged_alloc_at (scan, tib.stack_base - 1);
  if (alloc == NULL)
    return;
  alloc->type = MSC_TYPE_STACK;
  alloc->thread_id = thread_id;
  if (stack64)
    {
      /* VMMap's label for the 64-bit stack WOW64 gives every 32-bit thread. */
      alloc->flags |= MSC_REGION_STACK64;
      free (alloc->details);
      alloc->details = strdup ("64-bit thread stack");
    }
}

void
msc_win_tag_stacks (MscWinScan *scan)
{
  for (size_t t = 0; t < scan->n_threads; t++)
    {
      const MscWinThread *thread = &scan->threads[t];

      if (scan->wow64)
        msc_win_tag_stack (scan, &msc_win_layout32, thread->teb32, thread->thread_id, 0);
      msc_win_tag_stack (scan, scan->layout, thread->teb, thread->thread_id, scan->wow64);
    }
}

/* ---- heaps ---- */

typedef struct {
  uint64_t base;
  uint32_t id;
  const MscWinLayout *layout;   /* its bitness (WOW64 targets have both) */
} MscWinHeap;

typedef struct {
  MscWinHeap *heaps;
  size_t n, cap;
  uint64_t process_heap;
  uint64_t process_heap32;
} MscWinHeapList;

static void
msc_win_heap_add (MscWinHeapList *list, const MscWinLayout *layout, uint64_t base)
{
  if (base == 0)
    return;
  for (size_t i = 0; i < list->n; i++)
    if (list->heaps[i].base == base)
      return;
  if (list->n == list->cap)
    {
      size_t cap = list->cap ? list->cap * 2 : 16;
      MscWinHeap *grown = realloc (list->heaps, cap * sizeof *grown);

      if (grown == NULL)
        return;
      list->heaps = grown;
      list->cap = cap;
    }
  list->heaps[list->n].base = base;
  list->heaps[list->n].layout = layout;
  list->heaps[list->n].id = (uint32_t) list->n + 1;  /* System Informer's Index + 1 */
  list->n++;
}

/* PEB.ProcessHeaps in order (the heap IDs Windows tools show); Wine never
 * fills that array, so its PEB.ProcessHeap at least is known. */
static void
msc_win_heaps_from_peb (MscWinScan *scan, const MscWinLayout *layout, uint64_t peb_address, MscWinHeapList *list)
{
  MscWinPeb peb;
  uint8_t *array;
  size_t n;

  if (peb_address == 0 || msc_win_read_peb (scan->process, layout, peb_address, &peb) != 0)
    return;
  if (layout == &msc_win_layout32 && scan->wow64)
    list->process_heap32 = peb.process_heap;
  else
    list->process_heap = peb.process_heap;
  n = peb.number_of_heaps <= MSC_WIN_MAX_HEAPS ? peb.number_of_heaps : 0;
  array = n > 0 ? malloc (n * layout->ptr_size) : NULL;
  if (array != NULL && msc_win_read (scan->process, peb.process_heaps, array, n * layout->ptr_size) == 0)
    for (size_t i = 0; i < n; i++)
      msc_win_heap_add (list, layout, msc_win_get_ptr (layout, array + i * layout->ptr_size));
  free (array);
  msc_win_heap_add (list, layout, peb.process_heap);
}

static const MscWinHeap *
msc_win_heap_find (const MscWinHeapList *list, uint64_t base)
{
  for (size_t i = 0; i < list->n; i++)
    if (list->heaps[i].base == base)
      return &list->heaps[i];
  return NULL;
}

static void
msc_win_heap_tag (MscWinScan *scan, MscWinAlloc *alloc, const MscWinHeapList *list, const MscWinHeap *heap,
                  uint32_t signature)
{
  char details[64];
  const char *kind = "";

  if (heap->base == list->process_heap || heap->base == list->process_heap32)
    kind = heap->base == list->process_heap32 && scan->wow64 ? " [Process Heap 32-bit]" : " [Process Heap]";
  else if (signature == MSC_WIN_SEGMENT_HEAP_SIGNATURE)
    kind = " [Segment Heap]";
  alloc->type = MSC_TYPE_HEAP;
  alloc->heap_id = heap->id;
  /* A heap in a section (HEAP_SHARED, CSRSS's) is VMMap's "Heap (Shareable)". */
  if (scan->blocks[alloc->first].type == MEM_MAPPED)
    alloc->flags |= MSC_REGION_SHAREABLE_HEAP;
  snprintf (details, sizeof details, "Heap ID: %u%s", heap->id, kind);
  free (alloc->details);
  alloc->details = strdup (details);
}

/* The heap header signature of the allocation at alloc (either bitness for
 * a WOW64 target), the HEAP_SEGMENT.Heap pointer next to it and the layout
 * that matched. */
static uint32_t
msc_win_heap_signature (MscWinScan *scan, const MscWinAlloc *alloc, uint64_t *segment_heap,
                        const MscWinLayout **layout)
{
  const MscWinLayout *layouts[2] = { scan->layout, scan->wow64 ? &msc_win_layout32 : NULL };
  const MscWinBlock *first = &scan->blocks[alloc->first];
  uint8_t header[MSC_WIN_HEADER_SIZE];

  *segment_heap = 0;
  if (first->state != MEM_COMMIT || (first->protect & (PAGE_GUARD | PAGE_NOACCESS)) || first->type == MEM_IMAGE
      || msc_win_read (scan->process, alloc->base, header, sizeof header) != 0)
    return 0;
  for (int i = 0; i < 2 && layouts[i] != NULL; i++)
    {
      uint32_t signature = msc_win_get_u32 (header + layouts[i]->heap_signature);

      if (signature == MSC_WIN_HEAP_SIGNATURE || signature == MSC_WIN_SEGMENT_HEAP_SIGNATURE)
        {
          *layout = layouts[i];
          if (signature == MSC_WIN_HEAP_SIGNATURE)
            *segment_heap = msc_win_get_ptr (layouts[i], header + layouts[i]->heap_segment_heap);
          return signature;
        }
    }
  return 0;
}

/* Blocks too large for the heap's segments (over VirtualMemoryThreshold,
 * about 508 KiB on x64) get their own VirtualAlloc region, listed in
 * HEAP.VirtualAllocdBlocks; each entry (HEAP_VIRTUAL_ALLOC_ENTRY) starts its
 * region.  Wine keeps such blocks in a list of its own layout that no
 * Windows tool reads, and segment heaps in a tree; both stay Private Data. */
static void
msc_win_tag_large_blocks (MscWinScan *scan, const MscWinHeapList *list, const MscWinHeap *heap)
{
  uint8_t header[MSC_WIN_HEAP_HEADER_SIZE];
  uint64_t head, entry;

  if (msc_win_read (scan->process, heap->base, header, sizeof header) != 0
      || msc_win_parse_heap_lists (heap->layout, header, sizeof header, heap->base, &head, &entry) != 0)
    return;
  /* The list may change while the target runs: bound the walk. */
  for (size_t n = 0; entry != head && entry != 0 && n < scan->n_allocs; n++)
    {
      MscWinAlloc *alloc = msc_win_untagged_alloc_at (scan, entry);

      if (alloc != NULL && alloc->base == entry && scan->blocks[alloc->first].type == MEM_PRIVATE)
        msc_win_heap_tag (scan, alloc, list, heap, 0);
      entry = msc_win_read_ptr (scan->process, heap->layout, entry);
    }
}

void
msc_win_tag_heaps (MscWinScan *scan)
{
  MscWinHeapList list = { 0 };
  const MscWinLayout *layout = scan->layout;
  uint64_t segment_heap;
  uint32_t signature;

  msc_win_heaps_from_peb (scan, scan->layout, scan->peb, &list);
  if (scan->wow64)
    msc_win_heaps_from_peb (scan, &msc_win_layout32, scan->peb32, &list);
  for (size_t i = 0; i < list.n; i++)
    {
      MscWinAlloc *alloc = msc_win_untagged_alloc_at (scan, list.heaps[i].base);

      if (alloc != NULL)
        msc_win_heap_tag (scan, alloc, &list, &list.heaps[i],
                          msc_win_heap_signature (scan, alloc, &segment_heap, &layout));
    }
  /* Further segments of known heaps carry the segment signature and point
   * back at their heap; on Wine, where PEB.ProcessHeaps stays empty, every
   * heap (HeapCreate's too) is found this way (windows-notes.md §5.2). */
  for (size_t a = 0; a < scan->n_allocs; a++)
    {
      MscWinAlloc *alloc = &scan->allocs[a];
      const MscWinHeap *heap;

      if (alloc->type != MSC_N_TYPES || (signature = msc_win_heap_signature (scan, alloc, &segment_heap, &layout)) == 0)
        continue;
      heap = msc_win_heap_find (&list, segment_heap);
      if (heap == NULL)
        {
          msc_win_heap_add (&list, layout, alloc->base);
          heap = msc_win_heap_find (&list, alloc->base);
        }
      if (heap != NULL)
        msc_win_heap_tag (scan, alloc, &list, heap, signature);
    }
  for (size_t i = 0; i < list.n; i++)
    msc_win_tag_large_blocks (scan, &list, &list.heaps[i]);
  free (list.heaps);
}

/* ---- PEB, TEB, USER_SHARED_DATA: labelled sub-blocks of Private Data ---- */

static void
msc_win_label_block (MscWinScan *scan, uint64_t address, const char *label)
{
  size_t b = address != 0 ? msc_win_find_block (scan, address) : (size_t) -1;

  if (b != (size_t) -1 && scan->blocks[b].state != MEM_FREE)
    msc_win_append_text (&scan->blocks[b].details, label);
}

/* Not "Thread ID: n": readers take a missing ThreadId from that form
 * (docs/file-formats.md), and these blocks are no stacks. */
void
msc_win_tag_system (MscWinScan *scan)
{
  char label[64];

  msc_win_label_block (scan, scan->peb, "PEB");
  msc_win_label_block (scan, scan->peb32, "PEB32");
  msc_win_label_block (scan, MSC_WIN_USER_SHARED_DATA, "USER_SHARED_DATA");
  for (size_t t = 0; t < scan->n_threads; t++)
    {
      snprintf (label, sizeof label, "TEB of thread %u", scan->threads[t].thread_id);
      msc_win_label_block (scan, scan->threads[t].teb, label);
      snprintf (label, sizeof label, "TEB32 of thread %u", scan->threads[t].thread_id);
      msc_win_label_block (scan, scan->threads[t].teb32, label);
    }
}
