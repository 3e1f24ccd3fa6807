/* test-win-scan.c — the Windows backend against msc-win-target.exe (a
 * second process with known allocations) and against itself (working-set
 * figures, which Wine gives for the calling process only).
 *
 * usage: test-win-scan.exe <msc-win-target.exe>
 * With MSC_TARGET_BITS=32 the target is the 32-bit build, scanned through
 * WOW64: its address space ends at 4 GiB, its heaps and stacks come from the
 * PEB32 and TEB32, and each thread also has the 64-bit stack WOW64 gives it.
 */
#include "tests/windows/msc-win-test.h"

#include <stdlib.h>
#include <string.h>

#define KIB 1024u
#define MIB (1024u * 1024u)

static MscTarget target;
static MscRegionTable *table;
static MscScanInfo info;
static unsigned target_bits = 64;

/* The region starting at address, read into *out; out, or NULL if none. */
static const MscRegion *
top_at (uint64_t address, const char *what, MscRegion *out)
{
  size_t i = address != 0 ? msc_test_find_top (table, address) : MSC_NO_PARENT;

  MSC_CHECK (i != MSC_NO_PARENT, "no region starts at 0x%llx (%s)", (unsigned long long) address, what);
  if (i == MSC_NO_PARENT)
    return NULL;
  *out = msc_region_table_row (table, i);
  return out;
}

static const MscTargetItem *
item (const char *name)
{
  return msc_target_require (&target, name);
}

/* Top level regions tile [0, top of user space) in order; each allocation's
 * sub-blocks tile it and add up to its figures. */
static void
test_tiling (void)
{
  SYSTEM_INFO system;
  uint64_t cursor = 0;
  size_t n_top = msc_region_table_n_top_level (table);

  GetSystemInfo (&system);
  for (size_t k = 0; k < n_top; k++)
    {
      size_t i = msc_region_table_top_level (table, k), n_sub = msc_region_table_n_children (table, i);
      MscRegion top = msc_region_table_row (table, i);
      uint64_t size = 0, committed = 0;

      MSC_CHECK (top.address == cursor, "gap or overlap at 0x%llx", (unsigned long long) cursor);
      cursor = top.address + top.size;
      if (top.type == MSC_TYPE_FREE || top.type == MSC_TYPE_UNUSABLE)
        {
          MSC_CHECK (n_sub == 0, "free region with sub-blocks");
          continue;
        }
      MSC_CHECK (n_sub >= 1 && n_sub == top.blocks, "allocation 0x%llx: %zu sub-blocks, Blocks %u",
                 (unsigned long long) top.address, n_sub, top.blocks);
      for (size_t s = 1; s <= n_sub; s++)
        {
          size += msc_region_table_row (table, i + s).size;
          committed += msc_region_table_row (table, i + s).committed;
        }
      MSC_CHECK (size == top.size && committed == top.committed, "sub-blocks of 0x%llx do not add up",
                 (unsigned long long) top.address);
    }
  /* WOW64 gives a 32-bit process 4 GiB; the walk reports all of it. */
  MSC_CHECK (cursor == (target_bits == 32 ? UINT64_C (1) << 32
                                          : ((uint64_t) (uintptr_t) system.lpMaximumApplicationAddress + 1) & ~(uint64_t) 0xFFF),
             "regions end at 0x%llx", (unsigned long long) cursor);
}

static void
test_reservation (void)
{
  const MscTargetItem *it = item ("reservation");
  MscRegion top_row;
  const MscRegion *top = top_at (it->addr, it->name, &top_row);
  size_t i = msc_test_find_top (table, it->addr);

  if (top == NULL)
    return;
  MSC_CHECK (top->type == MSC_TYPE_PRIVATE_DATA, "type %u", top->type);
  MSC_CHECK (top->size == it->size && top->committed == it->committed && top->private_bytes == it->committed,
             "size %llu committed %llu private %llu", (unsigned long long) top->size,
             (unsigned long long) top->committed, (unsigned long long) top->private_bytes);
  MSC_CHECK (top->storage == MEM_PRIVATE && top->blocks == 2, "storage 0x%x blocks %u", top->storage, top->blocks);
  MSC_CHECK (msc_region_table_row (table, i + 1).protection == PAGE_READWRITE
             && msc_region_table_row (table, i + 2).protection == 0, "sub-block protections");
}

static void
test_unusable (void)
{
  const MscTargetItem *it = item ("odd");
  MscRegion top_row, tail_row;
  const MscRegion *top = top_at (it->addr, it->name, &top_row);
  const MscRegion *tail = top_at (it->addr + it->size, "the odd tail", &tail_row);

  if (top == NULL || tail == NULL)
    return;
  MSC_CHECK (top->size == 12 * KIB && top->committed == 12 * KIB, "odd size %llu", (unsigned long long) top->size);
  /* VirtualAlloc bases are 64 KiB aligned: the rest of the granule is lost. */
  MSC_CHECK (tail->type == MSC_TYPE_UNUSABLE && tail->size == 52 * KIB, "tail type %u size %llu", tail->type,
             (unsigned long long) tail->size);
}

static void
test_heap (void)
{
  const MscTargetItem *it = item ("heap");
  MscRegion top_row;
  const MscRegion *top = top_at (it->addr, it->name, &top_row);
  size_t i = msc_test_find_top (table, it->addr);

  if (top == NULL)
    return;
  MSC_CHECK (top->type == MSC_TYPE_HEAP && top->heap_id > 0, "type %u heap id %u", top->type, top->heap_id);
  MSC_CHECK (strncmp (msc_region_table_details (table, i), "Heap ID: ", 9) == 0, "details \"%s\"",
             msc_region_table_details (table, i));
  /* 100 allocations of 1000 bytes are committed in the heap. */
  MSC_CHECK (top->committed >= 100 * 1000 && top->private_bytes == top->committed, "committed %llu",
             (unsigned long long) top->committed);
}

/* The 2 MiB block the heap VirtualAlloc'd: Heap, with its heap's ID, found
 * through HEAP.VirtualAllocdBlocks.  Wine keeps such blocks in a list of
 * its own layout (no NT HEAP header): there it stays Private Data, which
 * also proves the walk does not misread Wine's heap. */
static void
test_heap_large_block (void)
{
  const MscTargetItem *it = item ("heap-large");
  size_t h = msc_test_find_top (table, item ("heap")->addr);
  size_t i = msc_region_table_find (table, it->addr);
  MscRegion row = msc_region_table_row (table, i);
  const MscRegion *r = i != MSC_NO_PARENT ? &row : NULL;

  MSC_CHECK (r != NULL && h != MSC_NO_PARENT, "no region holds the large block");
  if (r == NULL || h == MSC_NO_PARENT)
    return;
  MSC_CHECK (r->address != msc_region_table_address (table, h) && r->storage == MEM_PRIVATE
             && r->size >= it->size && r->committed >= it->size, "large block: size %llu committed %llu",
             (unsigned long long) r->size, (unsigned long long) r->committed);
  if (msc_test_is_wine ())
    MSC_CHECK (r->type == MSC_TYPE_PRIVATE_DATA && r->heap_id == 0, "Wine: type %u heap id %u", r->type, r->heap_id);
  else
    MSC_CHECK (r->type == MSC_TYPE_HEAP && r->heap_id == msc_region_table_row (table, h).heap_id
               && strcmp (msc_region_table_details (table, i), msc_region_table_details (table, h)) == 0,
               "type %u heap id %u details \"%s\"", r->type, r->heap_id, msc_region_table_details (table, i));
}

/* No CLR in the target: any Managed Heap would be a false positive. */
static void
test_no_managed_heap (void)
{
  for (size_t k = 0; k < msc_region_table_n_top_level (table); k++)
    {
      MscRegion r = msc_region_table_row (table, msc_region_table_top_level (table, k));

      MSC_CHECK (r.type != MSC_TYPE_MANAGED_HEAP, "Managed Heap at 0x%llx", (unsigned long long) r.address);
    }
}

/* PEB->ProcessParameters->CommandLine, in the scan and in the process list,
 * is what the harness passed to CreateProcess. */
static void
test_command_line (void)
{
  MscProcessInfo *list = NULL;
  size_t n = 0;
  MscStatus status = { MSC_OK, "" };
  const char *listed = NULL;

  MSC_CHECK (info.command_line != NULL && strcmp (info.command_line, target.command_line) == 0,
             "scan: \"%s\", expected \"%s\"", info.command_line ? info.command_line : "(null)", target.command_line);
  MSC_CHECK (msc_backend_list_processes (&list, &n, &status) == MSC_OK, "%s", status.message);
  for (size_t i = 0; i < n; i++)
    if (list[i].pid == target.pid)
      listed = list[i].command_line != NULL ? list[i].command_line : "(null)";
  MSC_CHECK (listed != NULL && strcmp (listed, target.command_line) == 0, "list: \"%s\"",
             listed ? listed : "(not listed)");
  msc_backend_free_processes (list, n);
}

/* The thread's stack: its own (stack64 0), or the 64-bit one WOW64 gives a
 * 32-bit thread (stack64 1). */
static const MscRegion *
stack_of (uint32_t tid, int stack64, size_t *index, MscRegion *out)
{
  for (size_t k = 0; k < msc_region_table_n_top_level (table); k++)
    {
      size_t i = msc_region_table_top_level (table, k);
      MscRegion r = msc_region_table_row (table, i);

      if (r.type == MSC_TYPE_STACK && r.thread_id == tid && ((r.flags & MSC_REGION_STACK64) != 0) == stack64)
        {
          *index = i;
          *out = r;
          return out;
        }
    }
  return NULL;
}

static void
test_stacks (void)
{
  const char *names[3] = { "stack-0", "stack-1", "main-thread" };
  char expected[32];

  for (int s = 0; s < 3; s++)
    {
      const MscTargetItem *it = item (names[s]);
      MscRegion stack_row, stack64_row;
      size_t i = 0;
      const MscRegion *stack = stack_of (it->tid, 0, &i, &stack_row);
      size_t j = 0;
      const MscRegion *stack64 = stack_of (it->tid, 1, &j, &stack64_row);

      MSC_CHECK (stack != NULL, "no stack for thread %u (%s)", it->tid, it->name);
      if (stack == NULL)
        continue;
      snprintf (expected, sizeof expected, "Thread ID: %u", it->tid);
      MSC_CHECK (strcmp (msc_region_table_details (table, i), expected) == 0, "details \"%s\"",
                 msc_region_table_details (table, i));
      if (target_bits == 32)
        MSC_CHECK (stack64 != NULL && stack64 != stack
                   && strcmp (msc_region_table_details (table, j), "64-bit thread stack") == 0,
                   "thread %u: no separate \"64-bit thread stack\"", it->tid);
      else
        MSC_CHECK (stack64 == NULL, "thread %u of a 64-bit process has a \"64-bit thread stack\"", it->tid);
      /* Windows reserves what CreateThread asked for; Wine raises small
       * reservations to its 1 MiB minimum. */
      if (it->size != 0)
        MSC_CHECK (msc_test_is_wine () ? stack->size >= it->size && stack->size <= 1 * MIB : stack->size == it->size,
                   "%s: size %llu, reserved %llu", it->name, (unsigned long long) stack->size,
                   (unsigned long long) it->size);
    }
  MSC_CHECK (info.n_threads == 3, "threads %u", info.n_threads);
}

static void
test_file (void)
{
  const MscTargetItem *it = item ("file");
  MscRegion top_row;
  const MscRegion *top = top_at (it->addr, it->name, &top_row);
  size_t i = msc_test_find_top (table, it->addr);

  if (top == NULL)
    return;
  MSC_CHECK (top->type == MSC_TYPE_MAPPED_FILE && top->storage == MEM_MAPPED, "type %u", top->type);
  MSC_CHECK (top->size == it->size, "size %llu", (unsigned long long) top->size);
  MSC_CHECK (_stricmp (msc_region_table_details (table, i), it->path) == 0, "path \"%s\", expected \"%s\"",
             msc_region_table_details (table, i), it->path);
}

static void
test_section (void)
{
  const MscTargetItem *it = item ("section");
  MscRegion top_row;
  const MscRegion *top = top_at (it->addr, it->name, &top_row);

  if (top == NULL)
    return;
  MSC_CHECK (top->type == MSC_TYPE_SHAREABLE && top->storage == MEM_MAPPED, "type %u", top->type);
  MSC_CHECK (top->size == it->size && top->committed == it->committed, "size %llu", (unsigned long long) top->size);
  MSC_CHECK (top->private_bytes == 0, "a section is not private: %llu", (unsigned long long) top->private_bytes);
}

/* DYNAMIC_BASE in the PE file on disk: the reference for "Image (ASLR)". */
static int
file_is_dynamic_base (const char *path)
{
  unsigned char header[1024];
  FILE *file = fopen (path, "rb");
  size_t n = file != NULL ? fread (header, 1, sizeof header, file) : 0;
  uint32_t pe;

  if (file != NULL)
    fclose (file);
  MSC_CHECK (n == sizeof header && header[0] == 'M' && header[1] == 'Z', "cannot read the PE header of %s", path);
  if (n != sizeof header)
    return -1;
  pe = header[0x3C] | header[0x3D] << 8 | (uint32_t) header[0x3E] << 16 | (uint32_t) header[0x3F] << 24;
  MSC_CHECK (pe + 24 + 72 <= n, "PE header offset %u", pe);
  return pe + 24 + 72 <= n ? (header[pe + 24 + 70] & 0x40) != 0 : -1;
}

/* The target's own image: path, its sections named on the sub-blocks, and
 * "Image (ASLR)" exactly when the file opted in to ASLR. */
static void
test_image (void)
{
  int found = 0, text = 0;

  for (size_t k = 0; k < msc_region_table_n_top_level (table); k++)
    {
      size_t i = msc_region_table_top_level (table, k);
      const char *details = msc_region_table_details (table, i);
      size_t len = strlen (details);

      if (msc_region_table_row (table, i).type != MSC_TYPE_IMAGE || len < 18
          || _stricmp (details + len - 18, "msc-win-target.exe") != 0)
        continue;
      found = 1;
      MSC_CHECK (((msc_region_table_row (table, i).flags & MSC_REGION_ASLR) != 0) == file_is_dynamic_base (details),
                 "Image (ASLR) does not match DYNAMIC_BASE of %s", details);
      for (size_t s = 1; s <= msc_region_table_n_children (table, i); s++)
        text |= strstr (msc_region_table_details (table, i + s), ".text") != NULL;
    }
  MSC_CHECK (found, "no Image region for msc-win-target.exe");
  MSC_CHECK (text, "no sub-block names the .text section");
  MSC_CHECK (info.bits == target_bits && _stricmp (info.name, "msc-win-target.exe") == 0, "bits %u name %s",
             info.bits, info.name);
}

/* Wine gives working-set figures for the calling process only
 * (windows-notes.md §3): there the columns must say n/a, not zero. */
static void
test_remote_ws (void)
{
  const MscTargetItem *it = item ("reservation");
  MscRegion top_row;
  const MscRegion *top = top_at (it->addr, it->name, &top_row);

  if (top == NULL)
    return;
  if (msc_test_is_wine ())
    {
      MSC_CHECK ((top->flags & MSC_REGION_WS_UNKNOWN) && info.notes != NULL && strstr (info.notes, "QueryWorkingSetEx"),
                 "flags 0x%x notes %s", top->flags, info.notes ? info.notes : "(none)");
      /* The whole process's figure instead, at least what the target touched. */
      MSC_CHECK (info.process_ws >= it->touched, "process working set %llu", (unsigned long long) info.process_ws);
    }
  else if (info.process_ws != 0)
    MSC_CHECK (0, "a process working set %llu beside per-region figures", (unsigned long long) info.process_ws);
  else
    MSC_CHECK (!(top->flags & MSC_REGION_WS_UNKNOWN) && top->total_ws >= it->touched && top->private_ws == top->total_ws,
               "total ws %llu", (unsigned long long) top->total_ws);
}

/* A self-scan: 4 MiB committed, exactly 1 MiB of it written. */
static void
test_self_ws (void)
{
  char *block = VirtualAlloc (NULL, 4 * MIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  MscScanInfo self_info = { 0 };
  MscRegionTable *self;
  MscRegion row;
  const MscRegion *r;
  size_t i;

  for (size_t offset = 0; offset < 1 * MIB; offset += 4096)
    block[offset] = 1;
  self = msc_test_scan (GetCurrentProcessId (), &self_info);
  MSC_CHECK (self != NULL, "self-scan failed");
  if (self == NULL)
    return;
  i = msc_test_find_top (self, (uint64_t) (uintptr_t) block);
  row = msc_region_table_row (self, i);
  r = i != MSC_NO_PARENT ? &row : NULL;
  MSC_CHECK (r != NULL && !(r->flags & MSC_REGION_WS_UNKNOWN), "no working set for the self-scan");
  if (r != NULL)
    MSC_CHECK (r->total_ws == 1 * MIB && r->private_ws == 1 * MIB && r->shareable_ws == 0,
               "total %llu private %llu shareable %llu", (unsigned long long) r->total_ws,
               (unsigned long long) r->private_ws, (unsigned long long) r->shareable_ws);
  msc_region_table_free (self);
  msc_scan_info_clear (&self_info);
  VirtualFree (block, 0, MEM_RELEASE);
}

int
main (int argc, char **argv)
{
  char file[MAX_PATH];
  int code = msc_target_setup (&target, argc, argv, "test-win-scan", file, sizeof file);

  if (code != 0)
    return code;
  if (getenv ("MSC_TARGET_BITS") != NULL && strcmp (getenv ("MSC_TARGET_BITS"), "32") == 0)
    target_bits = 32;
  table = msc_test_scan (target.pid, &info);
  if (table == NULL)
    return 1;
  msc_test_run ("tiling", test_tiling);
  msc_test_run ("reservation", test_reservation);
  msc_test_run ("unusable", test_unusable);
  msc_test_run ("heap", test_heap);
  msc_test_run ("heap-large-block", test_heap_large_block);
  msc_test_run ("no-managed-heap", test_no_managed_heap);
  msc_test_run ("command-line", test_command_line);
  msc_test_run ("stacks", test_stacks);
  msc_test_run ("mapped-file", test_file);
  msc_test_run ("pagefile-section", test_section);
  msc_test_run ("image", test_image);
  msc_test_run ("remote-working-set", test_remote_ws);
  msc_test_run ("self-working-set", test_self_ws);
  msc_region_table_free (table);
  msc_scan_info_clear (&info);
  msc_target_teardown (&target, file);
  return msc_test_exit_status ();
}
