/* test-linux-trace.c — Launch and Trace against programs with known
 * allocations (tests/targets/msc-trace-target.c says what each function
 * allocates; that comment is the reference), python3 allocating a known
 * bytearray, and the robustness cases: fork, exec through a shell shim, a
 * malloc in a signal handler, 8 threads at once, _exit, abort, SIGKILL,
 * programs that cannot be traced. */
#include "config.h"

#include "tests/linux/msc-trace-test-util.h"

#include <elf.h>

/* glibc's default guard: one page. */
#define GUARD 4096

/* What ld.so maps for a library: its PT_LOAD segments from the first page
 * to the last, read from the file itself. */
static guint64
library_span (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;
  const Elf64_Ehdr *eh;
  guint64 lo = G_MAXUINT64, hi = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >=, sizeof *eh);
  eh = (const Elf64_Ehdr *) data;
  g_assert_cmpuint (eh->e_phoff + (guint64) eh->e_phnum * sizeof (Elf64_Phdr), <=, len);
  for (guint i = 0; i < eh->e_phnum; i++)
    {
      const Elf64_Phdr *ph = (const Elf64_Phdr *) (data + eh->e_phoff) + i;

      if (ph->p_type != PT_LOAD)
        continue;
      lo = MIN (lo, ph->p_vaddr & ~(guint64) 4095);
      hi = MAX (hi, (ph->p_vaddr + ph->p_memsz + 4095) & ~(guint64) 4095);
    }
  return hi - lo;
}

static guint64
snapshot_time (Run *run, guint index)
{
  return msc_trace_from_filetime (run->trace,
                                  msc_snapshot_get_timestamp (msc_session_get_snapshot (run->session, index)));
}

/* Heap: each call site of the target with exactly its count and bytes. */
static void
check_heap (Run *run)
{
  g_autoptr(MscCallTree) tree = msc_call_tree_new (run->trace, MSC_REPLAY_HEAP, TRUE, G_MAXUINT64);

  assert_site (tree, "alloc_small", 100, 100 * 1000, 0);
  assert_site (tree, "alloc_calloc", 10, 10 * 1000, 0);
  assert_site (tree, "alloc_leak", 7, 7 * 3000, 7 * 3000);
  assert_site (tree, "alloc_big", 1, 5 * MIB, 0);
  assert_site (tree, "thread_work", 4 * 50, 4 * 50 * 2000, 4 * 2000);
  /* dlclose'd before the end: named from the module list of its time. */
  assert_site (tree, "msc_trace_lib_alloc", 3, 3 * 4242, 3 * 4242);
}

/* glibc's own mappings, seen with the stacks that caused them. */
static void
check_mappings (Run *run)
{
  g_autoptr(MscCallTree) tree = msc_call_tree_new (run->trace, MSC_REPLAY_MAPPINGS, FALSE, G_MAXUINT64);
  const MscCallNode *big = msc_call_tree_find (tree, "alloc_big");
  const MscCallNode *region = msc_call_tree_find (tree, "map_region");
  const MscCallNode *threads = msc_call_tree_find (tree, "start_threads");
  const MscCallNode *arena = msc_call_tree_find (tree, "thread_work");
  g_autoptr(MscCallTree) inverted = msc_call_tree_new (run->trace, MSC_REPLAY_MAPPINGS, TRUE, G_MAXUINT64);
  /* Inverted: the mappings made in load_library itself (its dlopen and
   * dlclose), not the brk that malloc calls further down make. */
  const MscCallNode *library = child (msc_call_tree_get_root (inverted), "load_library");

  g_assert_true (msc_trace_get_mappings_traced (run->trace));
  /* malloc's mmapped chunk: the request and its header, whole pages. */
  g_assert_nonnull (big);
  g_assert_cmpuint (big->count, ==, 1);
  g_assert_cmpuint (big->total, ==, 5 * MIB + 4096);
  g_assert_cmpuint (big->leaked, ==, 0);
  g_assert_nonnull (region);
  g_assert_cmpuint (region->count, ==, 1);
  g_assert_cmpuint (region->total, ==, 64 * MIB);
  g_assert_cmpuint (region->leaked, ==, 64 * MIB);
  /* Four 1 MiB stacks (pthread_attr_setstacksize), each with its guard
   * page on top since glibc 2.27 (bug 22637). */
  g_assert_nonnull (threads);
  g_assert_cmpuint (threads->count, ==, 4);
  g_assert_cmpuint (threads->total, ==, 4 * (MIB + GUARD));
  /* A new arena reserves 64 MiB aligned to 64 MiB: at least that. */
  g_assert_nonnull (arena);
  g_assert_cmpuint (arena->total, >=, 64 * MIB);
  /* ld.so's own mmaps in dlopen: the library's whole image, unmapped again
   * by dlclose. */
  g_assert_nonnull (library);
  g_assert_cmpuint (library->total, ==, library_span (g_getenv ("MSC_TRACE_LIB")));
  g_assert_cmpuint (library->leaked, ==, 0);
}

/* How many of the 4 thread stacks the trace has live at snapshot index,
 * and how many of those the snapshot shows as Stack regions. */
static guint
stack_regions_at (Run *run, guint index, guint *typed)
{
  guint64 at = snapshot_time (run, index);
  const MscRegionTable *regions = msc_snapshot_get_regions (msc_session_get_snapshot (run->session, index));
  g_autoptr(MscTraceReplay) replay = msc_trace_replay_new (run->trace, MSC_REPLAY_MAPPINGS);
  g_autoptr(GArray) live = NULL;
  guint stacks = 0;

  *typed = 0;
  msc_trace_replay_run (replay, at, NULL);
  live = msc_trace_replay_live (replay);
  for (guint i = 0; i < live->len; i++)
    {
      const MscLiveBlock *b = &g_array_index (live, MscLiveBlock, i);
      size_t r;

      if (b->size != MIB + GUARD || !stack_has (run->trace, b->stack, "start_threads"))
        continue;
      stacks++;
      r = msc_region_table_find (regions, b->address + b->size - 1);
      if (r != MSC_NO_PARENT && msc_region_table_row (regions, r).type == MSC_TYPE_STACK)
        (*typed)++;
    }
  return stacks;
}

/* In a snapshot while the threads live, each of their stacks is a Stack
 * region and the trace says start_threads made it.  Which interval
 * snapshot first sees the four threads depends on how fast the target
 * started (a loaded machine took more than two intervals), so every
 * snapshot between the first and the last is looked at: the threads wait
 * SLEEP_MS, several intervals, so some must show all four, and a snapshot
 * taken while one was being created may show it as not yet a Stack. */
static void
check_stack_regions (Run *run)
{
  guint n = msc_session_get_n_snapshots (run->session);
  guint best = 0, with_four = 0;

  for (guint index = 1; index + 1 < n; index++)
    {
      guint typed;

      if (stack_regions_at (run, index, &typed) != 4)
        continue;
      with_four++;
      best = MAX (best, typed);
    }
  g_assert_cmpuint (with_four, >, 0);
  g_assert_cmpuint (best, ==, 4);
}

/* Says where a block's mapping went missing, before the test fails on it
 * (seen once in some fifty runs on a loaded machine, not yet explained). */
static void
print_ranges (Run *run, const MscLiveBlock *b, GArray *ranges)
{
  g_printerr ("block %#" G_GINT64_MODIFIER "x (%" G_GUINT64_FORMAT " bytes) in no mapping of thread_work; "
              "the live mappings:\n", b->address, b->size);
  for (guint k = 0; k < ranges->len; k++)
    {
      const MscLiveBlock *m = &g_array_index (ranges, MscLiveBlock, k);

      g_printerr ("  %#" G_GINT64_MODIFIER "x +%" G_GUINT64_FORMAT ":", m->address, m->size);
      for (guint32 node = m->stack; node != 0; node = msc_trace_get_node (run->trace, node)->parent)
        g_printerr (" %s", msc_trace_get_function (run->trace, node));
      g_printerr ("\n");
    }
}

/* The blocks a thread kept lie in a Heap region the thread's first malloc
 * mapped (its arena). */
static void
check_arena_origin (Run *run)
{
  g_autoptr(MscTraceReplay) heap = msc_trace_replay_new (run->trace, MSC_REPLAY_HEAP);
  g_autoptr(MscTraceReplay) maps = msc_trace_replay_new (run->trace, MSC_REPLAY_MAPPINGS);
  g_autoptr(GArray) blocks = NULL;
  g_autoptr(GArray) ranges = NULL;
  const MscRegionTable *regions = msc_snapshot_get_regions (msc_session_get_latest (run->session));
  guint checked = 0;

  msc_trace_replay_run (heap, G_MAXUINT64, NULL);
  msc_trace_replay_run (maps, G_MAXUINT64, NULL);
  blocks = msc_trace_replay_live (heap);
  ranges = msc_trace_replay_live (maps);
  for (guint i = 0; i < blocks->len; i++)
    {
      const MscLiveBlock *b = &g_array_index (blocks, MscLiveBlock, i);
      gboolean found = FALSE;

      if (!stack_has (run->trace, b->stack, "thread_work"))
        continue;
      for (guint k = 0; k < ranges->len && !found; k++)
        {
          const MscLiveBlock *m = &g_array_index (ranges, MscLiveBlock, k);

          found = b->address >= m->address && b->address < m->address + m->size
                  && stack_has (run->trace, m->stack, "thread_work");
        }
      if (!found)
        print_ranges (run, b, ranges);
      g_assert_true (found);
      g_assert_cmpint (msc_region_table_row (regions, msc_region_table_find (regions, b->address)).type,
                       ==, MSC_TYPE_HEAP);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 4);
}

/* Start, every interval, exit: the interval ones INTERVAL ± 20 % apart. */
static void
check_snapshots (Run *run)
{
  guint n = msc_session_get_n_snapshots (run->session);

  g_assert_cmpuint (n, >=, 6);
  for (guint i = 2; i + 1 < n; i++)
    {
      double gap = (double) (snapshot_time (run, i) - snapshot_time (run, i - 1)) / 1e9;

      g_assert_cmpfloat (gap, >=, INTERVAL * 0.8);
      g_assert_cmpfloat (gap, <=, INTERVAL * 1.2);
    }
}

static void
test_target (gconstpointer data)
{
  Run run = record_target (data, "exit");

  g_assert_cmpint (run.exit_status, ==, 7);
  g_assert_false (msc_trace_get_cut_short (run.trace));
  check_heap (&run);
  check_mappings (&run);
  check_stack_regions (&run);
  check_arena_origin (&run);
  check_snapshots (&run);
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/trace/target/frame-pointers", "FP", test_target);
  g_test_add_data_func ("/trace/target/no-frame-pointers", "NOFP", test_target);
  return g_test_run ();
}
