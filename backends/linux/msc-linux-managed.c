/* msc-linux-managed.c — runtime heaps in anonymous memory (VMMap's Managed
 * Heap).  The signatures of linux-notes §2 rule 3 that need no names:
 *
 * - Go: arena hints at 0x00c0 << 32 in each 1 TiB window (amd64:
 *   runtime/malloc.go mallocinit), in a process whose image has Go's
 *   sections (.go.buildinfo / .gopclntab / .note.go.buildid). The heap grows
 *   up from a hint and is mapped in 4 MiB chunks (pallocChunkBytes), so a Go
 *   heap mapping starts 4 MiB-aligned within 64 GiB above a hint; the rest of
 *   each window (0x7fc0... is where the kernel puts ordinary mmaps) is not.
 *   Goroutine stacks live in this heap: it is not a thread stack.
 * - JVM (G1, Parallel, Serial): libjvm.so is mapped and the heap uses
 *   compressed oops, which place it below 32 GiB (zero-based or 32-bit mode;
 *   `-Xlog:gc+init` "Heap address").  Larger heaps are not recognised.
 * - V8 with pointer compression: a 4 GiB-aligned reservation of 4 GiB
 *   (the pointer cage), in a process that maps V8.
 * ZGC and .NET use memfds and are recognised by name in msc-linux-objects.c;
 * Go ≥ 1.25 names its mappings ([anon: Go: ...]) where the kernel allows.
 */
#include "backends/linux/msc-linux.h"

#include <string.h>

#define MSC_GO_ARENA_BASE  UINT64_C (0xc000000000)
#define MSC_GO_WINDOW_MASK ((UINT64_C (1) << 40) - 1)
#define MSC_GO_HEAP_SPAN   (UINT64_C (64) << 30)
#define MSC_GO_CHUNK       (UINT64_C (4) << 20)
#define MSC_JVM_COOPS_END  (UINT64_C (32) << 30)
#define MSC_V8_CAGE        (UINT64_C (4) << 30)

static const char *
msc_basename (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

void
msc_linux_managed_detect (MscLinuxScan *scan)
{
  for (size_t o = 0; o < scan->n_objects; o++)
    {
      const MscLinuxObject *object = &scan->objects[o];
      const char *base = msc_basename (scan->vmas[object->first_vma].name);

      if (object->kind != MSC_OBJECT_IMAGE)
        continue;
      if (strncmp (base, "libjvm.so", 9) == 0)
        scan->runtimes |= MSC_RUNTIME_JVM;
      else if (strncmp (base, "libnode.so", 10) == 0 || strncmp (base, "libv8", 5) == 0
               || strcmp (base, "node") == 0 || strcmp (base, "electron") == 0 || strcmp (base, "chrome") == 0)
        scan->runtimes |= MSC_RUNTIME_V8;
      if (object->elf != NULL
          && (msc_linux_elf_has_section (object->elf, ".go.buildinfo")
              || msc_linux_elf_has_section (object->elf, ".gopclntab")
              || msc_linux_elf_has_section (object->elf, ".note.go.buildid")))
        scan->runtimes |= MSC_RUNTIME_GO;
    }
}

int
msc_linux_managed_go_heap (const MscLinuxScan *scan, uint64_t start)
{
  uint64_t in_window = start & MSC_GO_WINDOW_MASK;

  return (scan->runtimes & MSC_RUNTIME_GO) && start % MSC_GO_CHUNK == 0 && in_window >= MSC_GO_ARENA_BASE
         && in_window - MSC_GO_ARENA_BASE < MSC_GO_HEAP_SPAN;
}

const char *
msc_linux_managed_anon (const MscLinuxScan *scan, uint64_t start, uint64_t end)
{
  if (msc_linux_managed_go_heap (scan, start))
    return "Go heap";
  if ((scan->runtimes & MSC_RUNTIME_JVM) && end <= MSC_JVM_COOPS_END && scan->bits == 64)
    return "Java heap";
  if ((scan->runtimes & MSC_RUNTIME_V8) && start % MSC_V8_CAGE == 0 && end - start >= MSC_V8_CAGE)
    return "V8 heap (pointer-compression cage)";
  return NULL;
}
