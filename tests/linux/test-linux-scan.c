/* test-linux-scan.c — the Linux backend against a process whose allocations
 * we know (tests/targets/msc-test-target) and against the kernel's own
 * accounting of it (/proc/PID/smaps_rollup, status, smaps).
 *
 * MSC_LINUX_NO_PAGEMAP_SCAN=1 makes the backend take its pre-6.7 classic
 * pagemap path (a testing aid); the fallback test checks both paths agree.
 * MSC_LINUX_NO_THREAD_SP=1 makes it ignore thread stack pointers, as when
 * ptrace access is denied.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/linux/msc-linux-uapi.h"
#include "tests/linux/msc-linux-test-util.h"

#define KIB (G_GUINT64_CONSTANT (1024))
#define MIB (1024 * KIB)

static TestTarget *target;

static const MscRegion *
top_at (const TestScan *scan, guint64 addr, guint *index)
{
  guint i = test_scan_top_index (scan, addr);

  if (index != NULL)
    *index = i;
  return &test_scan_get (scan, i)->region;
}

static const MscRegion *
sub (const TestScan *scan, guint index, guint n)
{
  g_assert_cmpuint (n, <, test_scan_n_subs (scan, index));
  return &test_scan_get (scan, index + 1 + n)->region;
}

static const char *
details (const TestScan *scan, guint index)
{
  return test_scan_get (scan, index)->details;
}

static void
test_reservation (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  const TestAlloc *a = test_target_alloc (target, "reservation");
  guint i;
  const MscRegion *r = top_at (scan, a->addr, &i);

  g_assert_cmpint (r->type, ==, MSC_TYPE_PRIVATE_DATA);
  g_assert_cmphex (r->address, ==, a->addr);
  g_assert_cmpuint (r->size, ==, 64 * MIB);
  g_assert_cmpuint (r->committed, ==, 16 * MIB);
  g_assert_cmpuint (r->private_bytes, ==, 16 * MIB);
  g_assert_cmpuint (r->total_ws, ==, a->touched);
  g_assert_cmpuint (r->private_ws, ==, a->touched);
  g_assert_cmpuint (r->shareable_ws, ==, 0);
  g_assert_cmpuint (r->protection, ==, MSC_PAGE_READWRITE);
  g_assert_cmpuint (r->storage, ==, MSC_MEM_PRIVATE);
  g_assert_cmpuint (r->blocks, ==, 2);
  g_assert_cmpuint (test_scan_n_subs (scan, i), ==, 2);
  g_assert_cmpuint (sub (scan, i, 0)->size, ==, 16 * MIB);
  g_assert_cmpuint (sub (scan, i, 0)->protection, ==, MSC_PAGE_READWRITE);
  g_assert_cmpuint (sub (scan, i, 1)->committed, ==, 0);
  g_assert_cmpuint (sub (scan, i, 1)->protection, ==, 0);
  g_assert_cmpuint (sub (scan, i, 1)->perms, ==, MSC_PERM_KNOWN);
}

static void
test_file_mapping (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autoptr(GArray) smaps = test_read_smaps (target->pid);
  const TestAlloc *a = test_target_alloc (target, "file");
  const TestSmaps *kernel = test_smaps_find (smaps, a->addr);
  guint i;
  const MscRegion *r = top_at (scan, a->addr, &i);

  g_assert_nonnull (kernel);
  g_assert_cmpint (r->type, ==, MSC_TYPE_MAPPED_FILE);
  g_assert_cmpstr (details (scan, i), ==, target->file);
  g_assert_cmpuint (r->size, ==, a->size);
  g_assert_cmpuint (r->committed, ==, a->size);
  g_assert_cmpuint (r->storage, ==, MSC_MEM_MAPPED);
  g_assert_cmpuint (r->protection, ==, MSC_PAGE_WRITECOPY);
  /* One written page was copied: anonymous, private, ours alone. */
  g_assert_cmpuint (r->private_ws, ==, 4 * KIB);
  g_assert_cmpuint (r->private_bytes, ==, 4 * KIB);
  /* The read pages (fault-around may map a few more): the kernel's count. */
  g_assert_cmpuint (r->shareable_ws, >=, 256 * KIB);
  g_assert_cmpuint (r->total_ws, ==, kernel->rss);
  g_assert_cmpuint (r->shareable_ws, ==, kernel->rss - kernel->anonymous);
}

static void
test_memfd (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  const TestAlloc *a = test_target_alloc (target, "memfd");
  guint i;
  const MscRegion *r = top_at (scan, a->addr, &i);

  g_assert_cmpint (r->type, ==, MSC_TYPE_SHAREABLE);
  g_assert_true (g_str_has_prefix (details (scan, i), "/memfd:msc-shared"));
  g_assert_cmpuint (r->size, ==, 2 * MIB);
  g_assert_cmpuint (r->committed, ==, 2 * MIB);
  g_assert_cmpuint (r->total_ws, ==, a->touched);
  g_assert_cmpuint (r->shareable_ws, ==, a->touched);
  g_assert_cmpuint (r->private_ws, ==, 0);
  g_assert_cmpuint (r->shared_ws, ==, 0);  /* mapped once, by this process only */
  g_assert_cmpuint (r->private_bytes, ==, 0);
  g_assert_cmpuint (r->protection, ==, MSC_PAGE_READWRITE);
  g_assert_cmpuint (r->perms, ==, MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_WRITE | MSC_PERM_SHARED);
}

static void
test_locked_and_zero_pages (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autoptr(GArray) smaps = test_read_smaps (target->pid);
  const TestAlloc *locked = test_target_alloc (target, "locked");
  const TestAlloc *zero = test_target_alloc (target, "zeropage");
  const MscRegion *r = top_at (scan, locked->addr, NULL);
  const TestSmaps *kernel = test_smaps_find (smaps, zero->addr);

  g_assert_cmpint (r->type, ==, MSC_TYPE_PRIVATE_DATA);
  g_assert_cmpuint (r->size, ==, 64 * KIB);
  g_assert_cmpuint (r->locked_ws, ==, 64 * KIB);
  g_assert_cmpuint (r->total_ws, ==, 64 * KIB);
  /* Read-only faults map the shared zero page, which smaps leaves out of
   * Rss (some kernels allocate real pages instead: trust the kernel). */
  r = top_at (scan, zero->addr, NULL);
  g_assert_nonnull (kernel);
  g_assert_cmpuint (r->size, ==, 1 * MIB);
  g_assert_cmpuint (r->total_ws, ==, kernel->rss);
  g_assert_cmpuint (r->locked_ws, ==, 0);
}

/* Private memory used, then made PROT_NONE: the kernel still charges it
 * (`ac` in VmFlags), so it is committed "No access", not Reserved. */
static void
test_no_access_is_committed (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autoptr(GArray) smaps = test_read_smaps (target->pid);
  const TestAlloc *a = test_target_alloc (target, "noaccess");
  const TestSmaps *kernel = test_smaps_find (smaps, a->addr);
  const MscRegion *r = top_at (scan, a->addr, NULL);
  g_auto(GStrv) flags = NULL;

  g_assert_nonnull (kernel);
  flags = g_strsplit (kernel->vmflags, " ", -1);
  g_assert_true (g_strv_contains ((const char * const *) flags, "ac"));
  g_assert_cmpint (r->type, ==, MSC_TYPE_PRIVATE_DATA);
  g_assert_cmpuint (r->size, ==, a->size);
  g_assert_cmpuint (r->committed, ==, a->size);
  g_assert_cmpuint (r->private_bytes, ==, a->size);
  g_assert_cmpuint (r->protection, ==, MSC_PAGE_NOACCESS);
  g_assert_cmpuint (r->total_ws, ==, kernel->rss);
  g_assert_cmpuint (r->total_ws, ==, a->touched);
}

/* The same without smaps: a process with nothing locked is scanned from
 * maps and pagemap only (no VmFlags), and the used PROT_NONE range still
 * counts as committed because its pages are resident. */
static void
test_no_access_without_smaps (void)
{
  const char *const args[] = { "--lock", "0", NULL };
  TestTarget *unlocked = test_target_start (args);
  const TestAlloc *a = test_target_alloc (unlocked, "noaccess");
  g_autoptr(TestScan) scan = test_scan_run (unlocked->pid, MSC_SCAN_DEFAULT);
  g_autoptr(GArray) smaps = test_read_smaps (unlocked->pid);
  const TestSmaps *kernel = test_smaps_find (smaps, a->addr);
  guint i = test_scan_top_index (scan, a->addr);
  const MscRegion *r = &test_scan_get (scan, i)->region;

  /* No commit charge: the scan did not read smaps. */
  g_assert_cmpuint (scan->info.commit_charge, ==, 0);
  g_assert_nonnull (kernel);
  g_assert_cmpuint (r->committed, ==, a->size);
  g_assert_cmpuint (r->protection, ==, MSC_PAGE_NOACCESS);
  g_assert_cmpuint (r->total_ws, ==, kernel->rss);
  test_target_stop (unlocked);
}

static void
test_stacks (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autofree char *task = g_strdup_printf ("/proc/%d/task", target->pid);
  g_autoptr(GDir) dir = g_dir_open (task, 0, NULL);
  g_autoptr(GArray) smaps = test_read_smaps (target->pid);
  const char *name;
  guint n_threads = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint tid = (guint) g_ascii_strtoull (name, NULL, 10);
      g_autofree char *label = g_strdup_printf ("stack-%u", tid);
      g_autofree char *expected = g_strdup_printf ("Thread ID: %u", tid);
      const TestAlloc *a;
      const MscRegion *r;
      guint i;

      n_threads++;
      if (tid == (guint) target->pid)
        continue;
      a = test_target_alloc (target, label);
      r = top_at (scan, a->addr + a->size - 1, &i);
      g_assert_cmpint (r->type, ==, MSC_TYPE_STACK);
      g_assert_cmpuint (r->thread_id, ==, tid);
      g_assert_cmpstr (details (scan, i), ==, expected);
      g_assert_cmphex (r->address, ==, a->addr);
      g_assert_cmpuint (r->size, ==, a->size);
      g_assert_cmpuint (test_scan_n_subs (scan, i), ==, 2);
      g_assert_cmpuint (sub (scan, i, 0)->protection, ==, 0);   /* the guard */
      g_assert_cmpuint (sub (scan, i, 1)->protection, ==, MSC_PAGE_READWRITE);
      g_assert_cmpuint (r->private_ws, >=, a->touched);
      g_assert_cmpuint (r->total_ws, ==, test_smaps_find (smaps, a->addr + sub (scan, i, 0)->size)->rss);
    }
  g_assert_cmpuint (n_threads, ==, scan->info.n_threads);
  for (guint i = 0; i < scan->regions->len; i++)
    {
      const TestRegion *t = test_scan_get (scan, i);

      if (!(t->region.flags & MSC_REGION_SUBBLOCK) && t->region.type == MSC_TYPE_STACK
          && t->region.thread_id == (guint32) target->pid)
        {
          g_autofree char *expected = g_strdup_printf ("Thread ID: %d", target->pid);

          g_assert_cmpstr (t->details, ==, expected);
          return;
        }
    }
  g_error ("no main-thread [stack] region");
}

static void
test_stacks_without_thread_ids (void)
{
  g_autoptr(TestScan) scan = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  g_setenv ("MSC_LINUX_NO_THREAD_SP", "1", TRUE);
  scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_unsetenv ("MSC_LINUX_NO_THREAD_SP");
  g_assert_nonnull (scan->info.notes);
  g_assert_nonnull (strstr (scan->info.notes, "Thread IDs"));
  g_hash_table_iter_init (&iter, target->allocs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const TestAlloc *a = value;
      guint i;
      const MscRegion *r;

      if (!g_str_has_prefix (key, "stack-"))
        continue;
      r = top_at (scan, a->addr, &i);
      g_assert_cmpint (r->type, ==, MSC_TYPE_STACK);   /* by shape: guard + 1 MiB */
      g_assert_cmpuint (r->thread_id, ==, 0);
      g_assert_cmpuint (r->size, ==, a->size);
      g_assert_cmpstr (details (scan, i), ==, "");
      n++;
    }
  g_assert_cmpuint (n, ==, 4);
}

static void
test_heaps (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  const char *chunks[] = { "chunk-8m", "chunk-300k" };
  GHashTableIter iter;
  gpointer key, value;
  gboolean main_arena = FALSE;

  g_hash_table_iter_init (&iter, target->allocs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const TestAlloc *a = value;
      guint i;
      const MscRegion *r;
      g_autofree char *expected = NULL;

      if (!g_str_has_prefix (key, "arena-"))
        continue;
      r = top_at (scan, a->addr, &i);
      expected = g_strdup_printf ("Heap ID: %u [GLIBC ARENA]", r->heap_id);
      g_assert_cmpint (r->type, ==, MSC_TYPE_HEAP);
      g_assert_cmphex (r->address, ==, a->addr);
      g_assert_cmpuint (r->size, ==, a->size);
      g_assert_cmpuint (r->heap_id, >=, 2);
      g_assert_cmpstr (details (scan, i), ==, expected);
      g_assert_cmpuint (test_scan_n_subs (scan, i), ==, 2);
      g_assert_cmpuint (r->private_ws, >=, a->touched);
      g_hash_table_add (ids, GUINT_TO_POINTER (r->heap_id));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 4);  /* one arena per thread */
  for (gsize c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      const TestAlloc *a = test_target_alloc (target, chunks[c]);
      guint i;
      const MscRegion *r = top_at (scan, a->addr, &i);

      g_assert_cmpint (r->type, ==, MSC_TYPE_HEAP);
      g_assert_cmphex (r->address, ==, a->addr);
      g_assert_cmpuint (r->size, ==, a->size);
      g_assert_cmpuint (r->private_ws, ==, a->touched);
      g_assert_cmpuint (r->committed, ==, a->size);
      g_assert_cmpuint (r->heap_id, ==, 1);
      g_assert_cmpstr (details (scan, i), ==, "Heap ID: 1 [GLIBC MMAP CHUNK]");
      g_assert_cmpuint (test_scan_n_subs (scan, i), ==, 1);
    }
  for (guint i = 0; i < scan->regions->len; i++)
    if (g_strcmp0 (details (scan, i), "Heap ID: 1 [GLIBC MAIN ARENA]") == 0)
      main_arena = test_scan_get (scan, i)->region.type == MSC_TYPE_HEAP;
  g_assert_true (main_arena);
}

static guint
find_image (const TestScan *scan, const char *suffix)
{
  for (guint i = 0; i < scan->regions->len; i++)
    {
      const TestRegion *t = test_scan_get (scan, i);

      if (!(t->region.flags & MSC_REGION_SUBBLOCK) && g_str_has_suffix (t->details, suffix))
        return i;
    }
  g_error ("no region for %s", suffix);
  return 0;
}

/* Every sub-block names its sections; .text and .data/.bss show up. */
static void
assert_image (const TestScan *scan, guint i, gboolean bss_tail)
{
  const MscRegion *r = &test_scan_get (scan, i)->region;
  guint n = test_scan_n_subs (scan, i);
  gboolean text = FALSE, data = FALSE;

  g_assert_cmpint (r->type, ==, MSC_TYPE_IMAGE);
  g_assert_cmpuint (r->storage, ==, MSC_MEM_IMAGE);
  g_assert_true (r->flags & MSC_REGION_ASLR);
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpuint (r->blocks, ==, n);
  for (guint k = 0; k < n; k++)
    {
      const char *names = details (scan, i + 1 + k);

      g_assert_cmpstr (names, !=, "");
      text |= strstr (names, ".text") != NULL && sub (scan, i, k)->protection == MSC_PAGE_EXECUTE_READ;
      data |= strstr (names, ".data") != NULL || strstr (names, ".bss") != NULL;
    }
  g_assert_true (text);
  g_assert_true (data);
  if (bss_tail)
    g_assert_cmpstr (details (scan, i + n), ==, ".bss");
}

static void
test_images (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autofree char *exe_link = g_strdup_printf ("/proc/%d/exe", target->pid);
  g_autofree char *exe = g_file_read_link (exe_link, NULL);
  guint vdso;

  g_assert_nonnull (exe);
  assert_image (scan, find_image (scan, exe), TRUE);   /* the target's own .bss is 20 KiB */
  assert_image (scan, find_image (scan, "/libc.so.6"), TRUE);
  vdso = find_image (scan, "[vdso]");
  g_assert_cmpint (test_scan_get (scan, vdso)->region.type, ==, MSC_TYPE_IMAGE);
  g_assert_nonnull (strstr (details (scan, vdso + 1), ".text"));
}

/* Top-level regions tile [0, TASK_SIZE); sub-blocks tile their parent and
 * sum to it; every allocation has sub-blocks, Free and Unusable none. */
static void
assert_tiling (const TestScan *scan)
{
  guint64 cursor = 0;

  for (guint i = 0; i < scan->regions->len;)
    {
      const MscRegion *r = &test_scan_get (scan, i)->region;
      guint n = test_scan_n_subs (scan, i);
      MscRegion sum = { 0 };

      g_assert_false (r->flags & MSC_REGION_SUBBLOCK);
      g_assert_cmphex (r->address, ==, cursor);
      g_assert_cmpuint (r->size, >, 0);
      cursor = r->address + r->size;
      if (r->type == MSC_TYPE_FREE || r->type == MSC_TYPE_UNUSABLE)
        {
          g_assert_cmpuint (n, ==, 0);
          i++;
          continue;
        }
      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpuint (r->blocks, ==, n);
      sum.address = r->address;
      for (guint k = 0; k < n; k++)
        {
          const MscRegion *s = sub (scan, i, k);

          g_assert_cmphex (s->address, ==, sum.address + sum.size);
          g_assert_cmpint (s->type, ==, r->type);
          g_assert_cmpuint (s->blocks, ==, 0);
          g_assert_cmpuint (s->private_ws + s->shareable_ws, ==, s->total_ws);
          g_assert_cmpuint (s->shared_ws, <=, s->shareable_ws);
          sum.size += s->size;
          sum.committed += s->committed;
          sum.private_bytes += s->private_bytes;
          sum.total_ws += s->total_ws;
          sum.shared_ws += s->shared_ws;
        }
      g_assert_cmpuint (sum.size, ==, r->size);
      g_assert_cmpuint (sum.committed, ==, r->committed);
      g_assert_cmpuint (sum.private_bytes, ==, r->private_bytes);
      g_assert_cmpuint (sum.total_ws, ==, r->total_ws);
      g_assert_cmpuint (sum.shared_ws, ==, r->shared_ws);
      i += 1 + n;
    }
  g_assert_cmphex (cursor, ==, scan->info.bits == 32 ? G_GUINT64_CONSTANT (0xffffe000)
                                                    : G_GUINT64_CONSTANT (0x7ffffffff000));
  g_assert_cmpint (test_scan_get (scan, 0)->region.type, ==, MSC_TYPE_UNUSABLE);
}

static void
test_tiling (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);

  assert_tiling (scan);
}

/* Every process on this machine scans, or has vanished meanwhile. */
static void
test_every_process (void)
{
  MscProcessInfo *list = NULL;
  size_t n = 0;
  MscStatus status;
  guint scanned = 0;

  g_assert_cmpint (msc_backend_list_processes (&list, &n, &status), ==, MSC_OK);
  for (size_t i = 0; i < n; i++)
    {
      g_autoptr(TestScan) scan = NULL;
      MscStatusCode code;

      if (list[i].access != MSC_OK)
        continue;
      code = test_scan_try (list[i].pid, MSC_SCAN_PSS, &scan, &status);
      if (code == MSC_ERR_EXITED || code == MSC_ERR_NO_PROCESS)
        continue;
      if (code != MSC_OK)
        g_error ("scan of %u (%s) failed: %s", list[i].pid, list[i].name, status.message);
      assert_tiling (scan);
      scanned++;
    }
  g_assert_cmpuint (scanned, >=, 2);
  msc_backend_free_processes (list, n);
}

/* Per-process totals = the kernel's.  Shared WS depends on other processes
 * mapping the same library pages, so it is compared when two scans around
 * the kernel's figures agree. */
static void
assert_totals (guint pid, unsigned flags)
{
  for (int attempt = 0;; attempt++)
    {
      g_autoptr(GHashTable) rollup = test_read_kv (pid, "smaps_rollup");
      g_autoptr(GHashTable) status = test_read_kv (pid, "status");
      g_autoptr(TestScan) scan = test_scan_run (pid, flags);
      guint64 shared = test_kv (rollup, "Shared_Clean") + test_kv (rollup, "Shared_Dirty");

      g_assert_cmpuint (TEST_SUM (scan, total_ws), ==, test_kv (rollup, "Rss"));
      g_assert_cmpuint (TEST_SUM (scan, private_ws), ==, test_kv (rollup, "Anonymous"));
      g_assert_cmpuint (TEST_SUM (scan, shareable_ws), ==, test_kv (rollup, "Rss") - test_kv (rollup, "Anonymous"));
      g_assert_cmpuint (TEST_SUM (scan, swap), ==, test_kv (rollup, "Swap"));
      g_assert_cmpuint (TEST_SUM (scan, size), ==, test_kv (status, "VmSize"));
      g_assert_cmpuint (TEST_SUM (scan, locked_ws), ==, test_kv (status, "VmLck"));
      g_assert_cmpuint (scan->info.page_table_size, ==, test_kv (status, "VmPTE"));
      if (TEST_SUM (scan, shared_ws) == shared || attempt == 4)
        {
          g_assert_cmpuint (TEST_SUM (scan, shared_ws), ==, shared);
          return;
        }
    }
}

static void
test_totals (void)
{
  assert_totals (target->pid, MSC_SCAN_DEFAULT);
}

static void
test_totals_classic_pagemap (void)
{
  g_setenv ("MSC_LINUX_NO_PAGEMAP_SCAN", "1", TRUE);
  assert_totals (target->pid, MSC_SCAN_DEFAULT);
  g_unsetenv ("MSC_LINUX_NO_PAGEMAP_SCAN");
}

/* The kernel's own answer, not the backend's: a PAGEMAP_SCAN with a zero
 * size is refused as invalid (EINVAL) by a kernel that has the ioctl, and
 * as unknown (ENOTTY) by one before 6.7. */
static gboolean
kernel_has_pagemap_scan (void)
{
  struct pm_scan_arg arg = { 0 };
  int fd = open ("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), saved;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ioctl (fd, PAGEMAP_SCAN, &arg), ==, -1);
  saved = errno;
  close (fd);
  return saved != ENOTTY;
}

/* Both page-table paths give the same regions and figures. */
static void
test_fallback_identical (void)
{
  if (!kernel_has_pagemap_scan ())
    {
      g_test_skip ("kernel has no PAGEMAP_SCAN (Linux 6.7+): both scans would take the classic path");
      return;
    }
  for (int attempt = 0;; attempt++)
    {
      g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
      g_autoptr(TestScan) classic = NULL;
      gboolean same;

      g_setenv ("MSC_LINUX_NO_PAGEMAP_SCAN", "1", TRUE);
      classic = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
      g_unsetenv ("MSC_LINUX_NO_PAGEMAP_SCAN");
      g_assert_cmpuint (scan->regions->len, ==, classic->regions->len);
      same = TRUE;
      for (guint i = 0; i < scan->regions->len; i++)
        {
          const TestRegion *a = test_scan_get (scan, i), *b = test_scan_get (classic, i);

          g_assert_cmpstr (a->details, ==, b->details);
          g_assert_cmphex (a->region.address, ==, b->region.address);
          g_assert_cmpuint (a->region.size, ==, b->region.size);
          g_assert_cmpint (a->region.type, ==, b->region.type);
          g_assert_cmpuint (a->region.total_ws, ==, b->region.total_ws);
          g_assert_cmpuint (a->region.private_ws, ==, b->region.private_ws);
          g_assert_cmpuint (a->region.swap, ==, b->region.swap);
          g_assert_cmpuint (a->region.private_bytes, ==, b->region.private_bytes);
          same &= a->region.shared_ws == b->region.shared_ws;
        }
      if (same || attempt == 4)
        {
          g_assert_true (same);
          return;
        }
    }
}

static void
test_pss_and_commit (void)
{
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_PSS);
  g_autoptr(GArray) smaps = test_read_smaps (target->pid);
  g_autoptr(GHashTable) rollup = test_read_kv (target->pid, "smaps_rollup");
  const TestAlloc *arena = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint64 commit = 0, pss = TEST_SUM (scan, pss);
  guint i;

  for (guint k = 0; k < smaps->len; k++)
    {
      const TestSmaps *e = &g_array_index (smaps, TestSmaps, k);

      if (strstr (e->vmflags, " ac") != NULL)
        commit += e->end - e->start;
    }
  g_assert_cmpuint (scan->info.commit_charge, ==, commit);
  /* smaps prints Pss per VMA in whole kB; the rollup sums exact values. */
  g_assert_cmpuint (pss, <=, test_kv (rollup, "Pss") + smaps->len * KIB);
  g_assert_cmpuint (pss + smaps->len * KIB, >=, test_kv (rollup, "Pss"));
  for (i = 0; i < scan->regions->len; i++)
    {
      const MscRegion *r = &test_scan_get (scan, i)->region;

      if (r->type != MSC_TYPE_FREE && r->type != MSC_TYPE_UNUSABLE)
        g_assert_true (r->flags & MSC_REGION_PSS_KNOWN);
    }
  /* glibc arenas are MAP_NORESERVE: committed, but not charged. */
  g_hash_table_iter_init (&iter, target->allocs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, "arena-"))
      arena = value;
  g_assert_nonnull (arena);
  top_at (scan, arena->addr, &i);
  g_assert_true (sub (scan, i, 0)->flags & MSC_REGION_NORESERVE);
  g_assert_cmpuint (sub (scan, i, 0)->committed, >, 0);
}

/* The target's commands (used by snapshot-diff tests elsewhere): a new
 * mapping appears with exactly its size and touched pages, then goes. */
static void
test_alloc_and_free (void)
{
  g_autofree char *answer = test_target_command (target, "alloc extra 3000000 1000000");
  const TestAlloc *a = test_target_alloc (target, "extra");
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autoptr(TestScan) after = NULL;
  g_autofree char *freed = NULL;
  guint64 addr = a->addr;
  const MscRegion *r = top_at (scan, addr, NULL);

  g_assert_true (g_str_has_prefix (answer, "name=extra addr=0x"));
  g_assert_cmpuint (a->size, ==, 3002368);      /* pages */
  g_assert_cmpuint (a->touched, ==, 1003520);
  g_assert_cmpint (r->type, ==, MSC_TYPE_PRIVATE_DATA);
  g_assert_cmphex (r->address, ==, addr);
  g_assert_cmpuint (r->size, ==, a->size);
  g_assert_cmpuint (r->private_ws, ==, a->touched);
  freed = test_target_command (target, "free extra");
  g_assert_cmpstr (freed, ==, "freed=extra\n");
  g_hash_table_remove (target->allocs, "extra");
  after = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_assert_cmpint (top_at (after, addr, NULL)->type, ==, MSC_TYPE_FREE);
}

/* The benchmark's shape: N one-page VMAs that cannot merge, all resident. */
static void
test_bench_mode (void)
{
  const char *const args[] = { "--bench-vmas", "2000", "--bench-touch", "8388608", NULL };
  TestTarget *bench = test_target_start (args);
  const TestAlloc *vmas = test_target_alloc (bench, "bench-vmas");
  const TestAlloc *touch = test_target_alloc (bench, "bench-touch");
  g_autoptr(TestScan) scan = test_scan_run (bench->pid, MSC_SCAN_DEFAULT);
  guint64 ws = 0, n = 0, page = (guint64) sysconf (_SC_PAGESIZE);

  for (guint64 addr = vmas->addr; addr < vmas->addr + vmas->size; addr += page)
    {
      const MscRegion *r = top_at (scan, addr, NULL);

      g_assert_cmpuint (r->size, ==, page);
      g_assert_cmpuint (r->protection, ==, (addr - vmas->addr) / page % 2 ? MSC_PAGE_READONLY : MSC_PAGE_READWRITE);
      ws += r->total_ws;
      n++;
    }
  g_assert_cmpuint (n, ==, 2000);
  g_assert_cmpuint (ws, ==, vmas->touched);
  g_assert_cmpuint (top_at (scan, touch->addr, NULL)->private_ws, ==, touch->touched);
  assert_totals (bench->pid, MSC_SCAN_DEFAULT);
  test_target_stop (bench);
}

static void
test_info (void)
{
  guint64 before = msc_backend_now ();
  g_autoptr(TestScan) scan = test_scan_run (target->pid, MSC_SCAN_DEFAULT);
  g_autoptr(GHashTable) status = test_read_kv (target->pid, "status");
  const char *user = g_get_user_name ();

  g_assert_cmpuint (scan->info.pid, ==, (guint) target->pid);
  g_assert_cmpuint (scan->info.bits, ==, 64);
  g_assert_cmpstr (scan->info.name, ==, "msc-test-target");
  g_assert_cmpstr (scan->info.user, ==, user);
  g_assert_true (g_str_has_prefix (scan->info.os, "Linux "));
  g_assert_nonnull (strstr (scan->info.command_line, "msc-test-target --file "));
  g_assert_cmpuint (scan->info.n_threads, ==, test_kv (status, "Threads"));
  g_assert_cmpuint (scan->info.n_threads, ==, 5);
  g_assert_cmpuint (scan->info.timestamp, >=, before);
  g_assert_cmpuint (scan->info.timestamp, <=, msc_backend_now ());
  /* VmLck > 0 made the scan read smaps for Locked WS: the charge is known. */
  g_assert_cmpuint (scan->info.commit_charge, >, 0);
  g_assert_null (scan->info.notes);
}

static void
test_third_party (gconstpointer data)
{
  const char *const *argv = data;
  g_autofree char *resolved = NULL;
  GPid pid;

  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      g_autofree char *reason = g_strdup_printf ("%s is not installed", argv[0]);

      g_test_skip (reason);
      return;
    }
  resolved = realpath (argv[0], NULL);
  pid = test_child_start (argv, strrchr (resolved, '/') + 1);
  assert_totals (pid, MSC_SCAN_DEFAULT);
  assert_totals (pid, MSC_SCAN_PSS);
  test_child_stop (pid);
}

int
main (int argc, char **argv)
{
  static const char *const sleep_argv[] = { "/usr/bin/sleep", "30", NULL };
  static const char *const python_argv[] = { "/usr/bin/python3", "-c", "import time; time.sleep(30)", NULL };
  int result;

  g_test_init (&argc, &argv, NULL);
  target = test_target_start (NULL);
  g_test_add_func ("/linux/scan/reservation", test_reservation);
  g_test_add_func ("/linux/scan/file-mapping", test_file_mapping);
  g_test_add_func ("/linux/scan/memfd", test_memfd);
  g_test_add_func ("/linux/scan/locked-and-zero-pages", test_locked_and_zero_pages);
  g_test_add_func ("/linux/scan/no-access-is-committed", test_no_access_is_committed);
  g_test_add_func ("/linux/scan/no-access-without-smaps", test_no_access_without_smaps);
  g_test_add_func ("/linux/scan/stacks", test_stacks);
  g_test_add_func ("/linux/scan/stacks-without-thread-ids", test_stacks_without_thread_ids);
  g_test_add_func ("/linux/scan/heaps", test_heaps);
  g_test_add_func ("/linux/scan/images", test_images);
  g_test_add_func ("/linux/scan/tiling", test_tiling);
  g_test_add_func ("/linux/scan/every-process", test_every_process);
  g_test_add_func ("/linux/scan/totals", test_totals);
  g_test_add_func ("/linux/scan/totals-classic-pagemap", test_totals_classic_pagemap);
  g_test_add_func ("/linux/scan/fallback-identical", test_fallback_identical);
  g_test_add_func ("/linux/scan/pss-and-commit", test_pss_and_commit);
  g_test_add_func ("/linux/scan/info", test_info);
  g_test_add_func ("/linux/scan/alloc-and-free", test_alloc_and_free);
  g_test_add_func ("/linux/scan/bench-mode", test_bench_mode);
  g_test_add_data_func ("/linux/scan/third-party/sleep", sleep_argv, test_third_party);
  g_test_add_data_func ("/linux/scan/third-party/python", python_argv, test_third_party);
  result = g_test_run ();
  test_target_stop (target);
  return result;
}
