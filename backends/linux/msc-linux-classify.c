/* msc-linux-classify.c — VMAs → VMMap allocations (linux-notes §2).
 *
 * One pass in address order.  Each step takes the VMA at hand (and, where
 * a VMMap allocation spans several VMAs, the ones after it) and appends an
 * allocation whose pieces are its sub-blocks:
 *   Image       all contiguous segments of one ELF file (PROT_NONE gaps
 *               included) + the anonymous .bss tail that starts at its end
 *   Mapped File / Shareable / Managed Heap (files): contiguous VMAs of one
 *               file mapping
 *   Heap        [heap] (main arena), glibc arenas (rw + ---p tail), malloc's
 *               mmapped chunks (split out of merged VMAs)
 *   Stack       [stack], and guard + stack of every thread whose stack
 *               pointer lies there
 *   Private Data  what remains; a contiguous run that contains PROT_NONE
 *               parts is one reservation with its committed chunks.
 */
#include "backends/linux/msc-linux.h"

#include <stdlib.h>
#include <string.h>

#define MSC_RW (MSC_PERM_READ | MSC_PERM_WRITE)

typedef struct {
  MscLinuxScan *scan;
  size_t n_run;          /* pending Private Data: the last n_run pieces, no allocation yet */
  uint64_t *arenas;      /* arena pointers in order of first sight: id = index + 2 */
  size_t n_arenas;
  size_t arenas_cap;
} MscClassifier;

MscLinuxAlloc *
msc_linux_alloc_add (MscLinuxScan *scan, uint8_t type)
{
  MscLinuxAlloc *alloc;

  if (msc_linux_buffer_reserve (&scan->alloc_buffer, (scan->n_allocs + 1) * sizeof *scan->allocs) != 0)
    {
      scan->failed = 1;
      return NULL;
    }
  scan->allocs = scan->alloc_buffer.data;
  alloc = &scan->allocs[scan->n_allocs++];
  memset (alloc, 0, sizeof *alloc);
  alloc->type = type;
  alloc->first_piece = (uint32_t) scan->n_pieces;
  alloc->object = MSC_LINUX_NONE;
  return alloc;
}

/* Appends a piece that no allocation owns yet. */
static int
msc_piece_push (MscLinuxScan *scan, uint32_t vma, uint64_t start, uint64_t end)
{
  MscLinuxPiece *piece;

  if (msc_linux_buffer_reserve (&scan->piece_buffer, (scan->n_pieces + 1) * sizeof *scan->pieces) != 0)
    {
      scan->failed = 1;
      return -1;
    }
  scan->pieces = scan->piece_buffer.data;
  piece = &scan->pieces[scan->n_pieces++];
  memset (piece, 0, sizeof *piece);
  piece->start = start;
  piece->end = end;
  piece->vma = vma;
  return 0;
}

int
msc_linux_piece_add (MscLinuxScan *scan, MscLinuxAlloc *alloc, uint32_t vma, uint64_t start, uint64_t end)
{
  if (msc_piece_push (scan, vma, start, end) != 0)
    return -1;
  alloc->n_pieces++;
  return 0;
}

/* An allocation of VMAs [first, last] whole. */
static MscLinuxAlloc *
msc_alloc_vmas (MscLinuxScan *scan, uint8_t type, size_t first, size_t last, const char *details)
{
  MscLinuxAlloc *alloc = msc_linux_alloc_add (scan, type);

  if (alloc == NULL)
    return NULL;
  alloc->details = details;
  for (size_t i = first; i <= last; i++)
    if (msc_linux_piece_add (scan, alloc, (uint32_t) i, scan->vmas[i].start, scan->vmas[i].end) != 0)
      return NULL;
  return &scan->allocs[scan->n_allocs - 1];
}

static int
msc_adjacent (const MscLinuxScan *scan, size_t i)
{
  return i > 0 && i < scan->n_vmas && scan->vmas[i].start == scan->vmas[i - 1].end;
}

static int
msc_is_anon_private (const MscLinuxVma *vma)
{
  return vma->kind == MSC_VMA_ANON && !(vma->perms & MSC_PERM_SHARED);
}

/* ---- Private Data runs ---- */

/* Pieces are appended in address order and a pending run is always the
 * tail of the piece array, so flushing only has to create allocations
 * over pieces that are already in place. */
static void
msc_run_flush (MscClassifier *c)
{
  MscLinuxScan *scan = c->scan;
  size_t first = scan->n_pieces - c->n_run, n = c->n_run;
  int has_reserved = 0;

  c->n_run = 0;
  for (size_t k = first; k < first + n; k++)
    has_reserved |= scan->vmas[scan->pieces[k].vma].perms == 0;
  for (size_t k = first; k < first + n && !scan->failed; k++)
    {
      /* A reservation and its committed chunks are one allocation; plain
       * anonymous mappings that merely touch are separate ones. */
      size_t last = has_reserved ? first + n - 1 : k;
      const char *managed = msc_linux_managed_anon (scan, scan->pieces[k].start, scan->pieces[last].end);
      MscLinuxAlloc *alloc = msc_linux_alloc_add (scan, managed ? MSC_TYPE_MANAGED_HEAP : MSC_TYPE_PRIVATE_DATA);

      if (alloc == NULL)
        break;
      alloc->details = managed;
      alloc->first_piece = (uint32_t) k;
      alloc->n_pieces = (uint32_t) (last - k + 1);
      k = last;
    }
}

static void
msc_run_add (MscClassifier *c, size_t vma, uint64_t start, uint64_t end)
{
  if (c->n_run > 0 && c->scan->pieces[c->scan->n_pieces - 1].end != start)
    msc_run_flush (c);
  if (msc_piece_push (c->scan, (uint32_t) vma, start, end) == 0)
    c->n_run++;
}

/* ---- Heap and Stack in anonymous memory ---- */

static uint32_t
msc_arena_id (MscClassifier *c, uint64_t arena)
{
  /* Every heap of one arena shares its ID; unknown arenas get their own. */
  for (size_t k = 0; arena != 0 && k < c->n_arenas; k++)
    if (c->arenas[k] == arena)
      return (uint32_t) k + 2;
  if (c->n_arenas == c->arenas_cap)
    {
      size_t cap = c->arenas_cap ? c->arenas_cap * 2 : 16;
      uint64_t *bigger = realloc (c->arenas, cap * sizeof *bigger);

      if (bigger == NULL)
        {
          c->scan->failed = 1;
          return 0;
        }
      c->arenas = bigger;
      c->arenas_cap = cap;
    }
  c->arenas[c->n_arenas++] = arena;
  return (uint32_t) c->n_arenas + 1;
}

static void
msc_alloc_heap (MscLinuxAlloc *alloc, uint32_t heap_id, const char *kind)
{
  if (alloc == NULL)
    return;
  alloc->heap_id = heap_id;
  alloc->details = kind;
  alloc->details_format = MSC_DETAILS_HEAP;
}

static void
msc_alloc_stack (MscLinuxAlloc *alloc, uint32_t thread_id)
{
  if (alloc == NULL)
    return;
  alloc->thread_id = thread_id;
  alloc->details_format = MSC_DETAILS_THREAD;
}

/* Thread stacks: [guard ---p][stack rw-p holding a thread's SP], or the
 * stack alone; by shape when stack pointers could not be read. Returns the
 * number of VMAs taken. */
static size_t
msc_classify_stack (MscClassifier *c, size_t i)
{
  MscLinuxScan *scan = c->scan;
  const MscLinuxVma *v = &scan->vmas[i];
  const MscLinuxVma *next = i + 1 < scan->n_vmas ? &scan->vmas[i + 1] : NULL;
  int guard_below = v->perms == 0 && next != NULL && msc_adjacent (scan, i + 1)
                    && msc_is_anon_private (next) && next->perms == MSC_RW
                    && v->end - v->start <= (UINT64_C (1) << 20);

  if (guard_below && next->tid != 0)
    {
      msc_run_flush (c);
      msc_alloc_stack (msc_alloc_vmas (scan, MSC_TYPE_STACK, i, i + 1, NULL), next->tid);
      return 2;
    }
  if (v->tid != 0 && v->perms == MSC_RW)
    {
      msc_run_flush (c);
      msc_alloc_stack (msc_alloc_vmas (scan, MSC_TYPE_STACK, i, i, NULL), v->tid);
      return 1;
    }
  if (guard_below && scan->n_threads_unknown > 0 && msc_linux_stack_shape (scan, v, next))
    {
      msc_run_flush (c);
      msc_alloc_stack (msc_alloc_vmas (scan, MSC_TYPE_STACK, i, i + 1, NULL), 0);
      return 2;
    }
  return 0;
}

/* Anonymous private memory of VMA i from `from` on. Returns the next VMA. */
static size_t
msc_classify_anon (MscClassifier *c, size_t i, uint64_t from)
{
  MscLinuxScan *scan = c->scan;
  const MscLinuxVma *v = &scan->vmas[i];
  uint64_t addr = from, arena, length;
  size_t taken;

  if (from == v->start)
    {
      if ((taken = msc_classify_stack (c, i)) > 0)
        return i + taken;
      if ((taken = msc_linux_heap_arena (scan, i, &arena)) > 0)
        {
          msc_run_flush (c);
          msc_alloc_heap (msc_alloc_vmas (scan, MSC_TYPE_HEAP, i, i + taken - 1, NULL),
                          msc_arena_id (c, arena), "GLIBC ARENA");
          return i + taken;
        }
    }
  while (v->perms == MSC_RW && (length = msc_linux_heap_chunk (scan, i, addr)) > 0 && !scan->failed)
    {
      MscLinuxAlloc *alloc;

      msc_run_flush (c);
      alloc = msc_linux_alloc_add (scan, MSC_TYPE_HEAP);
      if (alloc == NULL || msc_linux_piece_add (scan, alloc, (uint32_t) i, addr, addr + length) != 0)
        break;
      msc_alloc_heap (alloc, 1, "GLIBC MMAP CHUNK");
      addr += length;
    }
  if (addr < v->end)
    msc_run_add (c, i, addr, v->end);
  return i + 1;
}

/* ---- files ---- */

static size_t
msc_classify_image (MscClassifier *c, size_t i)
{
  MscLinuxScan *scan = c->scan;
  const MscLinuxVma *v = &scan->vmas[i];
  const MscLinuxObject *object = &scan->objects[v->object];
  MscLinuxAlloc *alloc = msc_linux_alloc_add (scan, MSC_TYPE_IMAGE);
  uint64_t tail_end;
  size_t j = i;

  if (alloc == NULL)
    return scan->n_vmas;
  alloc->object = v->object;
  alloc->details = v->name;
  if (object->elf != NULL)
    {
      alloc->image_bias = msc_linux_elf_bias (object->elf, v->start, v->offset);
      if (msc_linux_elf_is_dyn (object->elf))
        alloc->flags |= MSC_REGION_ASLR;
    }
  /* Segments of the object, and anonymous PROT_NONE holes between two of
   * its segments (loaders that unmap/remap holes). */
  while (j < scan->n_vmas && (j == i || msc_adjacent (scan, j)))
    {
      const MscLinuxVma *w = &scan->vmas[j];
      int hole = msc_is_anon_private (w) && w->perms == 0 && msc_adjacent (scan, j + 1)
                 && scan->vmas[j + 1].object == v->object;

      if (w->object != v->object && !hole)
        break;
      msc_linux_piece_add (scan, &scan->allocs[scan->n_allocs - 1], (uint32_t) j, w->start, w->end);
      j++;
    }
  alloc = &scan->allocs[scan->n_allocs - 1];
  /* The .bss tail: anonymous rw-p starting exactly at the image's end, cut
   * at the image's memory end when the kernel merged it with more. */
  if (j >= scan->n_vmas || !msc_adjacent (scan, j) || !msc_is_anon_private (&scan->vmas[j])
      || scan->vmas[j].perms != MSC_RW || scan->vmas[j].tid != 0)
    return j;
  tail_end = scan->vmas[j].end;
  if (object->elf != NULL)
    {
      uint64_t mem_end = msc_linux_elf_mem_end (object->elf, alloc->image_bias);

      mem_end = (mem_end + scan->page_size - 1) & ~(scan->page_size - 1);
      if (mem_end <= scan->vmas[j].start)
        return j;
      if (mem_end < tail_end)
        tail_end = mem_end;
    }
  msc_linux_piece_add (scan, alloc, (uint32_t) j, scan->vmas[j].start, tail_end);
  if (tail_end < scan->vmas[j].end)
    return msc_classify_anon (c, j, tail_end);
  return j + 1;
}

/* Contiguous VMAs of one file mapping (offsets continue); a Managed Heap
 * memfd also takes the PROT_NONE reservation that follows its views (ZGC). */
static size_t
msc_classify_file (MscClassifier *c, size_t i, uint8_t type, const char *details)
{
  MscLinuxScan *scan = c->scan;
  uint32_t object = scan->vmas[i].object;
  size_t j = i + 1;

  while (j < scan->n_vmas && msc_adjacent (scan, j))
    {
      const MscLinuxVma *prev = &scan->vmas[j - 1], *w = &scan->vmas[j];
      int same = w->object == object && w->offset == prev->offset + (prev->end - prev->start);
      int reserve = type == MSC_TYPE_MANAGED_HEAP && msc_is_anon_private (w) && w->perms == 0;

      if (!same && !reserve)
        break;
      j++;
    }
  msc_alloc_vmas (scan, type, i, j - 1, details);
  if (!scan->failed)
    scan->allocs[scan->n_allocs - 1].object = object;
  return j;
}

static size_t
msc_classify_object (MscClassifier *c, size_t i)
{
  MscLinuxScan *scan = c->scan;
  const MscLinuxVma *v = &scan->vmas[i];
  const MscLinuxObject *object = &scan->objects[v->object];

  msc_run_flush (c);
  switch (object->kind)
    {
    case MSC_OBJECT_IMAGE:
      return msc_classify_image (c, i);
    case MSC_OBJECT_MANAGED:
      return msc_classify_file (c, i, MSC_TYPE_MANAGED_HEAP, object->managed);
    case MSC_OBJECT_SHAREABLE:
      return msc_classify_file (c, i, MSC_TYPE_SHAREABLE, v->name);
    default:
      return msc_classify_file (c, i, MSC_TYPE_MAPPED_FILE, v->name);
    }
}

/* ---- named and kernel-provided VMAs ---- */

/* [anon:<name>] from PR_SET_VMA_ANON_NAME: runtimes that name their
 * mappings say what they are (Go ≥ 1.25, glibc ≥ 2.39 decorate_maps). */
static size_t
msc_classify_named (MscClassifier *c, size_t i)
{
  MscLinuxScan *scan = c->scan;
  const char *name = scan->vmas[i].name;
  const char *inner = name + 6;  /* after "[anon:" */
  const char *tid;
  size_t j = i + 1;

  while (j < scan->n_vmas && msc_adjacent (scan, j) && strcmp (scan->vmas[j].name, name) == 0)
    j++;
  msc_run_flush (c);
  while (*inner == ' ')
    inner++;
  if (strncmp (inner, "Go:", 3) == 0 || strncmp (inner, "dalvik-", 7) == 0)
    msc_alloc_vmas (scan, MSC_TYPE_MANAGED_HEAP, i, j - 1, name);
  else if ((tid = strstr (inner, "pthread stack:")) != NULL || (tid = strstr (inner, "pthread user stack:")) != NULL)
    msc_alloc_stack (msc_alloc_vmas (scan, MSC_TYPE_STACK, i, j - 1, NULL),
                     (uint32_t) strtoul (strchr (tid, ':') + 1, NULL, 10));
  else if (strncmp (inner, "glibc: malloc arena", 19) == 0)
    msc_alloc_heap (msc_alloc_vmas (scan, MSC_TYPE_HEAP, i, j - 1, NULL), msc_arena_id (c, 0), "GLIBC ARENA");
  else if (strncmp (inner, "glibc: malloc", 13) == 0)
    msc_alloc_heap (msc_alloc_vmas (scan, MSC_TYPE_HEAP, i, j - 1, NULL), 1, "GLIBC MMAP CHUNK");
  else
    msc_alloc_vmas (scan, MSC_TYPE_PRIVATE_DATA, i, j - 1, name);
  return j;
}

static size_t
msc_classify_one (MscClassifier *c, size_t i)
{
  MscLinuxScan *scan = c->scan;
  const MscLinuxVma *v = &scan->vmas[i];
  size_t j = i + 1;

  switch (v->kind)
    {
    case MSC_VMA_FILE:
      return msc_classify_object (c, i);
    case MSC_VMA_ANON_NAMED:
      return msc_classify_named (c, i);
    case MSC_VMA_ANON:
      if (!(v->perms & MSC_PERM_SHARED))
        return msc_classify_anon (c, i, v->start);
      break;
    default:
      break;
    }
  msc_run_flush (c);
  while (v->kind != MSC_VMA_ANON && j < scan->n_vmas && msc_adjacent (scan, j)
         && strcmp (scan->vmas[j].name, v->name) == 0)
    j++;
  switch (v->kind)
    {
    case MSC_VMA_HEAP:
      msc_alloc_heap (msc_alloc_vmas (scan, MSC_TYPE_HEAP, i, j - 1, NULL), 1, "GLIBC MAIN ARENA");
      break;
    case MSC_VMA_STACK:
      msc_alloc_stack (msc_alloc_vmas (scan, MSC_TYPE_STACK, i, j - 1, NULL), scan->pid);
      break;
    case MSC_VMA_VDSO:
      {
        MscLinuxAlloc *alloc = msc_alloc_vmas (scan, MSC_TYPE_IMAGE, i, j - 1, v->name);

        const MscLinuxElf *vdso = msc_linux_elf_vdso ();

        if (alloc != NULL)
          {
            /* Our own vDSO stands in for the target's (msc-linux-emit.c). */
            alloc->flags |= MSC_REGION_ASLR;
            alloc->image_bias = vdso != NULL ? msc_linux_elf_bias (vdso, v->start, v->offset) : v->start;
          }
        break;
      }
    default:
      /* [vvar], [vvar_vclock], [uprobes], [anon_shmem:...], shared anon
       * without a name: kernel-provided or shmem pages. */
      msc_alloc_vmas (scan, MSC_TYPE_SHAREABLE, i, j - 1, v->name[0] ? v->name : NULL);
      break;
    }
  return j;
}

int
msc_linux_classify (MscLinuxScan *scan)
{
  MscClassifier c = { .scan = scan };
  size_t i = 0;

  /* Usually one piece and one allocation per VMA: reserve that at once. */
  if (msc_linux_buffer_reserve (&scan->piece_buffer, (scan->n_vmas + 64) * sizeof *scan->pieces) != 0
      || msc_linux_buffer_reserve (&scan->alloc_buffer, (scan->n_vmas + 64) * sizeof *scan->allocs) != 0)
    return -1;

  while (i < scan->n_vmas && !scan->failed)
    i = msc_classify_one (&c, i);
  if (!scan->failed)
    msc_run_flush (&c);
  free (c.arenas);
  return scan->failed ? -1 : 0;
}
