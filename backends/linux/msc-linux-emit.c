/* msc-linux-emit.c — allocations and pieces → MscRegion records, with the
 * Unusable and Free regions that tile the rest of the address space.
 *
 * Column rules (linux-notes §1.2 and the lead's definitions):
 *   Committed  PROT_NONE private → 0 (Reserved); everything else, and shmem
 *              even when PROT_NONE (charged at creation) → Size.
 *   Private    private anonymous → Committed; private file mapping → its
 *              COW'd (anonymous) resident pages + swap; shared → 0.
 *   Protection Win32 PAGE_* of the perms; a private file mapping that may be
 *              written is copy-on-write: WRITECOPY / EXECUTE_WRITECOPY.
 *   Storage    MEM_IMAGE for images, MEM_MAPPED for files and shmem,
 *              MEM_PRIVATE for anonymous memory.
 * A top-level region sums its pieces and shows the protection of its first
 * committed piece, as VMMap shows an allocation's.
 */
#include "backends/linux/msc-linux.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSC_RWX (MSC_PERM_READ | MSC_PERM_WRITE | MSC_PERM_EXECUTE)
#define MSC_PROGRESS_EVERY 4096

typedef struct {
  MscLinuxScan *scan;
  const MscRegionSink *sink;
  uint64_t *vma_ws;      /* Σ total_ws of the pieces of each VMA (Pss split) */
  char details[1024];
} MscEmitter;

static uint32_t
msc_protection (uint8_t perms, int private_file)
{
  int r = perms & MSC_PERM_READ, w = perms & MSC_PERM_WRITE, x = perms & MSC_PERM_EXECUTE;

  if (!r && !w && !x)
    return 0;
  if (x)
    {
      if (w)
        return private_file ? MSC_PAGE_EXECUTE_WRITECOPY : MSC_PAGE_EXECUTE_READWRITE;
      return r ? MSC_PAGE_EXECUTE_READ : MSC_PAGE_EXECUTE;
    }
  if (w)
    return private_file ? MSC_PAGE_WRITECOPY : MSC_PAGE_READWRITE;
  return MSC_PAGE_READONLY;
}

static int
msc_vma_is_anon (const MscLinuxVma *vma)
{
  return vma->kind == MSC_VMA_ANON || vma->kind == MSC_VMA_HEAP || vma->kind == MSC_VMA_STACK
         || vma->kind == MSC_VMA_ANON_NAMED;
}

static int
msc_vma_is_shmem (const MscLinuxScan *scan, const MscLinuxVma *vma)
{
  if (vma->kind == MSC_VMA_ANON_SHMEM || (vma->kind == MSC_VMA_ANON && (vma->perms & MSC_PERM_SHARED)))
    return 1;
  return vma->object != MSC_LINUX_NONE && scan->objects[vma->object].shmem;
}

/* PROT_NONE memory is Reserved unless it is still charged: VM_ACCOUNT (`ac`)
 * survives an mprotect to PROT_NONE (linux-notes §1.2 rule 5). Where smaps was
 * not read the flag is unknown; pages still resident or swapped out show the
 * range was used after it was charged, so it counts as committed. */
static int
msc_piece_reserved (const MscLinuxScan *scan, const MscLinuxVma *vma, const MscLinuxPiece *piece)
{
  if ((vma->perms & MSC_RWX) != 0 || msc_vma_is_shmem (scan, vma))
    return 0;
  if (vma->vmflags & MSC_VMF_KNOWN)
    return !(vma->vmflags & MSC_VMF_AC);
  return piece->total_ws == 0 && piece->swap == 0;
}

static void
msc_piece_figures (MscEmitter *e, const MscLinuxPiece *piece, MscRegion *r)
{
  const MscLinuxScan *scan = e->scan;
  const MscLinuxVma *vma = &scan->vmas[piece->vma];
  int shared = (vma->perms & MSC_PERM_SHARED) != 0;
  int anon = msc_vma_is_anon (vma);
  int reserved = msc_piece_reserved (scan, vma, piece);

  r->address = piece->start;
  r->size = piece->end - piece->start;
  r->committed = reserved ? 0 : r->size;
  /* Committed memory without access is "No access", as VMMap shows it. */
  r->protection = msc_protection (vma->perms, !shared && vma->kind == MSC_VMA_FILE);
  if (r->protection == 0 && !reserved)
    r->protection = MSC_PAGE_NOACCESS;
  r->perms = vma->perms | MSC_PERM_KNOWN;
  r->storage = anon && !shared ? MSC_MEM_PRIVATE : MSC_MEM_MAPPED;
  r->total_ws = piece->total_ws;
  r->shareable_ws = piece->shareable_ws;
  r->private_ws = piece->total_ws - piece->shareable_ws;
  r->shared_ws = piece->shared_ws;
  r->swap = piece->swap;
  if (shared)
    r->private_bytes = 0;
  else if (anon)
    r->private_bytes = r->committed;
  else
    r->private_bytes = r->private_ws + r->swap;
  if (piece->ws_unknown)
    r->flags |= MSC_REGION_WS_UNKNOWN;
  if (!scan->smaps_read)
    return;  /* status VmLck == 0: nothing is locked, locked_ws = 0 is exact */
  if (!(vma->vmflags & MSC_VMF_KNOWN))
    {
      r->flags |= MSC_REGION_LOCKED_UNKNOWN;
      return;
    }
  r->locked_ws = (vma->vmflags & MSC_VMF_LO) ? r->total_ws : 0;
  if ((vma->vmflags & MSC_VMF_NR) && !(vma->vmflags & MSC_VMF_AC) && !reserved && !shared)
    r->flags |= MSC_REGION_NORESERVE;
  r->flags |= MSC_REGION_PSS_KNOWN;
  /* smaps gives Pss per VMA; a VMA split into chunks shares it out by
   * resident bytes (exact for the usual exclusive anonymous chunks). */
  if (piece->start == vma->start && piece->end == vma->end)
    r->pss = vma->pss;
  else if (e->vma_ws != NULL && e->vma_ws[piece->vma] > 0)
    r->pss = (uint64_t) ((double) vma->pss * (double) piece->total_ws / (double) e->vma_ws[piece->vma]);
}

/* The sub-block's details: the sections it holds, for images. */
static const char *
msc_piece_details (MscEmitter *e, const MscLinuxAlloc *alloc, const MscLinuxPiece *piece)
{
  const MscLinuxScan *scan = e->scan;
  const MscLinuxVma *vma = &scan->vmas[piece->vma];
  const MscLinuxElf *elf = NULL;

  if (alloc->type != MSC_TYPE_IMAGE)
    return NULL;
  if (alloc->object != MSC_LINUX_NONE)
    elf = scan->objects[alloc->object].elf;
  else if (vma->kind == MSC_VMA_VDSO && scan->bits == (sizeof (void *) * 8))
    elf = msc_linux_elf_vdso ();
  if (elf != NULL)
    msc_linux_elf_sections (elf, alloc->image_bias, piece->start, piece->end, e->details, sizeof e->details);
  else
    e->details[0] = '\0';
  if (e->details[0] == '\0' && vma->kind == MSC_VMA_ANON && (vma->perms & MSC_PERM_WRITE))
    return ".bss";
  return e->details;
}

static const char *
msc_alloc_details (MscEmitter *e, const MscLinuxAlloc *alloc)
{
  switch (alloc->details_format)
    {
    case MSC_DETAILS_HEAP:
      snprintf (e->details, sizeof e->details, "Heap ID: %u [%s]", alloc->heap_id, alloc->details);
      return e->details;
    case MSC_DETAILS_THREAD:
      if (alloc->thread_id == 0)
        return NULL;
      snprintf (e->details, sizeof e->details, "Thread ID: %u", alloc->thread_id);
      return e->details;
    default:
      return alloc->details;
    }
}

static void
msc_region_add (MscRegion *top, const MscRegion *r)
{
  top->size += r->size;
  top->committed += r->committed;
  top->private_bytes += r->private_bytes;
  top->total_ws += r->total_ws;
  top->private_ws += r->private_ws;
  top->shareable_ws += r->shareable_ws;
  top->shared_ws += r->shared_ws;
  top->locked_ws += r->locked_ws;
  top->pss += r->pss;
  top->swap += r->swap;
}

static void
msc_alloc_top (MscEmitter *e, const MscLinuxAlloc *alloc, MscRegion *top)
{
  const uint16_t any_flags = MSC_REGION_WS_UNKNOWN | MSC_REGION_LOCKED_UNKNOWN | MSC_REGION_NORESERVE;
  uint16_t all_flags = MSC_REGION_PSS_KNOWN;
  int have_protection = 0;

  memset (top, 0, sizeof *top);
  for (uint32_t p = 0; p < alloc->n_pieces; p++)
    {
      MscRegion r = { 0 };

      msc_piece_figures (e, &e->scan->pieces[alloc->first_piece + p], &r);
      if (p == 0)
        {
          top->address = r.address;
          top->storage = r.storage;
          top->perms = r.perms;
        }
      if (!have_protection && r.committed > 0)
        {
          top->protection = r.protection;
          top->perms = r.perms;
          have_protection = 1;
        }
      msc_region_add (top, &r);
      top->flags |= r.flags & any_flags;
      all_flags &= r.flags;
    }
  top->flags |= all_flags | alloc->flags;
  top->blocks = alloc->n_pieces;
  top->type = alloc->type;
  top->heap_id = alloc->heap_id;
  top->thread_id = alloc->thread_id;
  if (alloc->type == MSC_TYPE_IMAGE)
    top->storage = MSC_MEM_IMAGE;
}

static int
msc_emit_alloc (MscEmitter *e, const MscLinuxAlloc *alloc)
{
  MscRegion top;

  msc_alloc_top (e, alloc, &top);
  if (e->sink->region (e->sink->user, &top, msc_alloc_details (e, alloc)) != 0)
    return -1;
  for (uint32_t p = 0; p < alloc->n_pieces; p++)
    {
      const MscLinuxPiece *piece = &e->scan->pieces[alloc->first_piece + p];
      MscRegion r = { 0 };

      msc_piece_figures (e, piece, &r);
      r.flags |= MSC_REGION_SUBBLOCK | alloc->flags;
      r.type = alloc->type;
      r.heap_id = alloc->heap_id;
      r.thread_id = alloc->thread_id;
      if (alloc->type == MSC_TYPE_IMAGE)
        r.storage = MSC_MEM_IMAGE;
      if (e->sink->region (e->sink->user, &r, msc_piece_details (e, alloc, piece)) != 0)
        return -1;
    }
  return 0;
}

static int
msc_emit_free (MscEmitter *e, uint8_t type, uint64_t start, uint64_t end)
{
  MscRegion r = { 0 };

  r.address = start;
  r.size = end - start;
  r.type = type;
  r.storage = MSC_MEM_FREE;
  r.blocks = 1;
  return e->sink->region (e->sink->user, &r, NULL);
}

static uint64_t *
msc_vma_ws (const MscLinuxScan *scan)
{
  uint64_t *ws = calloc (scan->n_vmas ? scan->n_vmas : 1, sizeof *ws);

  if (ws != NULL)
    for (size_t p = 0; p < scan->n_pieces; p++)
      ws[scan->pieces[p].vma] += scan->pieces[p].total_ws;
  return ws;
}

static MscStatusCode
msc_emit_all (MscEmitter *e, MscStatus *status)
{
  MscLinuxScan *scan = e->scan;
  uint64_t cursor = 0, first = scan->n_allocs ? scan->pieces[0].start : scan->task_size;
  uint64_t unusable_end = scan->mmap_min_addr < first ? scan->mmap_min_addr : first;

  /* Nothing can be mapped below vm.mmap_min_addr: VMMap's Unusable. */
  if (unusable_end > 0 && msc_emit_free (e, MSC_TYPE_UNUSABLE, 0, unusable_end) != 0)
    goto no_memory;
  cursor = unusable_end;
  for (size_t a = 0; a < scan->n_allocs; a++)
    {
      const MscLinuxAlloc *alloc = &scan->allocs[a];
      uint64_t start = scan->pieces[alloc->first_piece].start;

      if (start > cursor && msc_emit_free (e, MSC_TYPE_FREE, cursor, start) != 0)
        goto no_memory;
      if (msc_emit_alloc (e, alloc) != 0)
        goto no_memory;
      cursor = scan->pieces[alloc->first_piece + alloc->n_pieces - 1].end;
      if (a % MSC_PROGRESS_EVERY == MSC_PROGRESS_EVERY - 1 && e->sink->progress != NULL
          && e->sink->progress (e->sink->user, 0.8 + 0.2 * (double) a / (double) scan->n_allocs) != 0)
        return msc_status_set (status, MSC_ERR_CANCELLED, "the scan of process %u was cancelled", scan->pid);
    }
  if (cursor < scan->task_size && msc_emit_free (e, MSC_TYPE_FREE, cursor, scan->task_size) != 0)
    goto no_memory;
  return MSC_OK;

no_memory:
  return msc_status_set (status, MSC_ERR_NO_MEMORY,
                         "out of memory while storing the regions of process %u", scan->pid);
}

MscStatusCode
msc_linux_emit (MscLinuxScan *scan, const MscRegionSink *sink, MscStatus *status)
{
  MscEmitter *e = calloc (1, sizeof *e);
  MscStatusCode code;

  if (e == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  e->scan = scan;
  e->sink = sink;
  if (scan->smaps_read)
    e->vma_ws = msc_vma_ws (scan);
  code = msc_emit_all (e, status);
  free (e->vma_ws);
  free (e);
  return code;
}
