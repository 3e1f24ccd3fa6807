/* msc-trace-patch.c — the mappings an LD_PRELOAD hook never sees.
 *
 * glibc maps memory for itself (malloc's chunks above the mmap threshold,
 * new arenas, thread stacks, brk growth) by calling its internal __mmap,
 * __munmap, __mremap, __mprotect, __madvise, __brk directly: a preloaded
 * `mmap` is not on that path (linux-notes.md §6, measured).  In libc.so the
 * public names are aliases of those very functions (same address, checked
 * with nm -D on glibc 2.36), so rewriting the entry of the public function
 * catches both the program's calls and libc's own.
 *
 * Each of these functions is a thin system-call wrapper, so the entry is
 * overwritten with an absolute jump to our complete replacement below and
 * the original is never called again: no instruction has to be relocated
 * (the trap of trampolines).  The jump is 14 bytes; a function's ELF size
 * says whether it has room.  docs/tracing.md lists what this still misses
 * (ld.so's own mmaps while it loads a library, raw system calls) and why
 * the other mechanisms were not taken.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-trace-preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MSC_JUMP_SIZE 14

static void **msc_tr_curbrk;

long
msc_tr_syscall6 (long nr, long a, long b, long c, long d, long e, long f)
{
  long ret;
  register long r10 __asm__ ("r10") = d;
  register long r8 __asm__ ("r8") = e;
  register long r9 __asm__ ("r9") = f;

  __asm__ volatile ("syscall"
                    : "=a" (ret)
                    : "a" (nr), "D" (a), "S" (b), "d" (c), "r" (r10), "r" (r8), "r" (r9)
                    : "rcx", "r11", "memory");
  return ret;
}

int
msc_tr_failed (long ret)
{
  return ret < 0 && ret > -4096;
}

void *
msc_tr_raw_map (size_t size)
{
  long p = msc_tr_syscall6 (SYS_mmap, 0, (long) size, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  return msc_tr_failed (p) ? NULL : (void *) p;
}

void
msc_tr_raw_unmap (void *p, size_t size)
{
  if (p != NULL)
    msc_tr_syscall6 (SYS_munmap, (long) p, (long) size, 0, 0, 0, 0);
}

/* Sets errno from a raw result as libc's wrapper would. */
static long
msc_tr_result (long ret)
{
  if (msc_tr_failed (ret))
    {
      errno = (int) -ret;
      return -1;
    }
  return ret;
}

/* rec arrives with its op, range, flags and time; the result decides the
 * rest.  When a call is stamped matters across threads: one that gives
 * address space back is stamped before the system call, one that takes it
 * after, so that a range one thread unmaps and another maps at once replays
 * in the kernel's order however long the unwinding in between takes. */
static void
msc_tr_record_op (MscWireOp *rec, long ret, uint64_t caller)
{
  if (!msc_tr_enabled || msc_tr_busy)
    return;
  if (msc_tr_failed (ret))
    {
      rec->address = 0;
      rec->error = (int32_t) -ret;
    }
  msc_tr_op (rec, caller);
}

static void *
msc_tr_mmap (void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
  long ret;
  MscWireOp rec = { .h.op = MSC_TRACE_MMAP, .size = len, .old_address = (uint64_t) (uintptr_t) addr,
                    .flags = (uint32_t) (prot & 0xff) | (uint32_t) flags << 8 };

  if (offset & 0xfff)
    ret = -EINVAL;
  else
    ret = msc_tr_syscall6 (SYS_mmap, (long) addr, (long) len, prot, flags, fd, (long) offset);
  rec.time = msc_tr_now ();
  rec.address = (uint64_t) ret;
  msc_tr_record_op (&rec, ret, MSC_TR_CALLER);
  return (void *) msc_tr_result (ret);
}

static int
msc_tr_munmap (void *addr, size_t len)
{
  MscWireOp rec = { .h.op = MSC_TRACE_MUNMAP, .time = msc_tr_now (), .address = (uint64_t) (uintptr_t) addr,
                    .size = len };
  long ret = msc_tr_syscall6 (SYS_munmap, (long) addr, (long) len, 0, 0, 0, 0);

  msc_tr_record_op (&rec, ret, MSC_TR_CALLER);
  return (int) msc_tr_result (ret);
}

/* mremap is variadic; new_address arrives in the fifth register either way
 * and only means something with MREMAP_FIXED.  It gives the old range back:
 * stamped before. */
static void *
msc_tr_mremap (void *old, size_t old_size, size_t new_size, int flags, void *new_address)
{
  MscWireOp rec = { .h.op = MSC_TRACE_MREMAP, .time = msc_tr_now (), .size = new_size,
                    .old_address = (uint64_t) (uintptr_t) old, .old_size = old_size, .flags = (uint32_t) flags };
  long ret = msc_tr_syscall6 (SYS_mremap, (long) old, (long) old_size, (long) new_size, flags,
                              (long) new_address, 0);

  rec.address = (uint64_t) ret;
  msc_tr_record_op (&rec, ret, MSC_TR_CALLER);
  return (void *) msc_tr_result (ret);
}

static int
msc_tr_mprotect (void *addr, size_t len, int prot)
{
  MscWireOp rec = { .h.op = MSC_TRACE_MPROTECT, .time = msc_tr_now (), .address = (uint64_t) (uintptr_t) addr,
                    .size = len, .flags = (uint32_t) prot };
  long ret = msc_tr_syscall6 (SYS_mprotect, (long) addr, (long) len, prot, 0, 0, 0);

  msc_tr_record_op (&rec, ret, MSC_TR_CALLER);
  return (int) msc_tr_result (ret);
}

static int
msc_tr_madvise (void *addr, size_t len, int advice)
{
  MscWireOp rec = { .h.op = MSC_TRACE_MADVISE, .time = msc_tr_now (), .address = (uint64_t) (uintptr_t) addr,
                    .size = len, .flags = (uint32_t) advice };
  long ret = msc_tr_syscall6 (SYS_madvise, (long) addr, (long) len, advice, 0, 0, 0);

  /* The advices that drop pages change what is committed; the rest are hints. */
  if (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE)
    msc_tr_record_op (&rec, ret, MSC_TR_CALLER);
  return (int) msc_tr_result (ret);
}

/* glibc's __brk: sbrk reads the break from __curbrk, so it must follow.
 * Only the main arena moves the break, under its lock: stamped before. */
static int
msc_tr_brk (void *addr)
{
  uint64_t old = (uint64_t) (uintptr_t) *msc_tr_curbrk;
  MscWireOp rec = { .h.op = MSC_TRACE_BRK, .time = msc_tr_now (), .old_address = old };
  long ret = msc_tr_syscall6 (SYS_brk, (long) addr, 0, 0, 0, 0, 0);

  *msc_tr_curbrk = (void *) ret;
  if ((uintptr_t) ret < (uintptr_t) addr)
    {
      errno = ENOMEM;
      return -1;
    }
  rec.address = (uint64_t) ret;
  rec.size = (uint64_t) ret > old ? (uint64_t) ret - old : old - (uint64_t) ret;
  if ((uint64_t) ret != old && old != 0)
    msc_tr_record_op (&rec, 0, MSC_TR_CALLER);
  return 0;
}

typedef struct {
  const char *name;
  void *replacement;
  unsigned char *entry;
} MscTrPatch;

/* Finds name in libc with room for the jump; returns NULL and says why. */
static unsigned char *
msc_tr_find (void *libc, const char *name, char *why, size_t why_size)
{
  void *entry = dlsym (libc, name);
  Dl_info info;
  const ElfW(Sym) *sym = NULL;

  if (entry == NULL)
    snprintf (why, why_size, "libc has no %s", name);
  else if (!dladdr1 (entry, &info, (void **) &sym, RTLD_DL_SYMENT) || sym == NULL)
    snprintf (why, why_size, "the size of libc's %s is unknown", name);
  else if (sym->st_size < MSC_JUMP_SIZE)
    snprintf (why, why_size, "libc's %s is too short to redirect", name);
  else
    return entry;
  return NULL;
}

static int
msc_tr_write_jump (unsigned char *entry, void *target)
{
  uintptr_t page = (uintptr_t) entry & ~(uintptr_t) 4095;
  size_t len = ((uintptr_t) entry + MSC_JUMP_SIZE - page + 4095) & ~(size_t) 4095;
  /* jmp *0(%rip), then the absolute address: no register is touched, which
   * matters for variadic mremap (%al counts its vector arguments). */
  unsigned char jump[MSC_JUMP_SIZE] = { 0xff, 0x25, 0, 0, 0, 0 };
  uint64_t to = (uint64_t) (uintptr_t) target;

  memcpy (jump + 6, &to, sizeof to);
  if (msc_tr_failed (msc_tr_syscall6 (SYS_mprotect, (long) page, (long) len,
                                      PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0)))
    return 0;
  memcpy (entry, jump, sizeof jump);
  msc_tr_syscall6 (SYS_mprotect, (long) page, (long) len, PROT_READ | PROT_EXEC, 0, 0, 0);
  __builtin___clear_cache ((char *) entry, (char *) entry + MSC_JUMP_SIZE);
  return 1;
}

int
msc_tr_patch_libc (void)
{
  MscTrPatch patches[] = {
    { "mmap", (void *) msc_tr_mmap, NULL },
    { "munmap", (void *) msc_tr_munmap, NULL },
    { "mremap", (void *) msc_tr_mremap, NULL },
    { "mprotect", (void *) msc_tr_mprotect, NULL },
    { "madvise", (void *) msc_tr_madvise, NULL },
    { "brk", (void *) msc_tr_brk, NULL },
  };
  char why[256] = "";
  void *libc = dlopen ("libc.so.6", RTLD_NOW | RTLD_NOLOAD);

  if (libc == NULL)
    snprintf (why, sizeof why, "libc.so.6 is not loaded");
  msc_tr_curbrk = libc != NULL ? dlsym (libc, "__curbrk") : NULL;
  if (libc != NULL && msc_tr_curbrk == NULL)
    snprintf (why, sizeof why, "libc has no __curbrk");
  /* All or nothing: every entry is checked before the first is written. */
  for (size_t i = 0; i < sizeof patches / sizeof patches[0] && why[0] == '\0'; i++)
    patches[i].entry = msc_tr_find (libc, patches[i].name, why, sizeof why);
  for (size_t i = 0; i < sizeof patches / sizeof patches[0] && why[0] == '\0'; i++)
    if (!msc_tr_write_jump (patches[i].entry, patches[i].replacement))
      snprintf (why, sizeof why, "libc's code cannot be made writable (%s)",
                i == 0 ? "nothing was changed" : "some calls are traced, some not");
  if (libc != NULL)
    dlclose (libc);
  if (why[0] == '\0')
    return 1;
  {
    char note[400];

    snprintf (note, sizeof note, "mappings glibc makes for itself (malloc's large blocks, arenas, "
                                 "thread stacks, brk) are not traced: %s", why);
    msc_tr_note (note);
  }
  return 0;
}
