/* test-linux-trim.c — Empty Working Set against the kernel's own figures
 * (smaps per VMA and smaps_rollup before and after), on the test target.
 *
 * Anonymous pages can only leave RAM with swap, so as root (CI) the test
 * makes a temporary swap file (linux-notes §4.1), and removes it again; a
 * swap file left by a crashed run is removed by the next one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/swap.h>
#include <unistd.h>

#include "model/msc-working-set.h"
#include "tests/linux/msc-linux-test-util.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)
#define SWAP_PREFIX "/var/tmp/msc-test-swap-"
#define SWAP_SIZE (256 * MIB)

/* ---- a temporary swap file ---- */

static void
swap_remove (const char *path)
{
  swapoff (path);
  g_unlink (path);
}

static void
swap_remove_stale (void)
{
  g_autofree char *swaps = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/swaps", &swaps, NULL, NULL))
    return;
  lines = g_strsplit (swaps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], SWAP_PREFIX))
      {
        g_autofree char *path = g_strndup (lines[i], strcspn (lines[i], " \t"));
        g_autofree char *proc = g_strdup_printf ("/proc/%s", path + strlen (SWAP_PREFIX));

        if (!g_file_test (proc, G_FILE_TEST_EXISTS))
          swap_remove (path);
      }
}

/* The path of a new active swap file, or NULL (with the reason logged). */
static char *
swap_add (void)
{
  char *path = g_strdup_printf (SWAP_PREFIX "%d", (int) getpid ());
  const char *argv[] = { "mkswap", path, NULL };
  g_autofree char *env_path = g_strconcat (g_getenv ("PATH"), ":/usr/sbin:/sbin", NULL);
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "PATH", env_path, TRUE);
  int fd = open (path, O_CREAT | O_TRUNC | O_WRONLY, 0600), status = -1;

  if (fd < 0 || posix_fallocate (fd, 0, (off_t) SWAP_SIZE) != 0 || close (fd) != 0
      || !g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH_FROM_ENVP | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL) || swapon (path, 0) != 0)
    {
      g_test_message ("no temporary swap file (%s): anonymous pages cannot be paged out", g_strerror (errno));
      g_unlink (path);
      g_free (path);
      return NULL;
    }
  return path;
}

static guint64
swap_total (void)
{
  g_autoptr(GHashTable) meminfo = test_read_kv ((guint) getpid (), "../meminfo");

  return test_kv (meminfo, "SwapTotal");
}

/* ---- with the privilege ---- */

static guint64
vma_rss (guint pid, guint64 address)
{
  g_autoptr(GArray) smaps = test_read_smaps (pid);
  const TestSmaps *entry = test_smaps_find (smaps, address);

  g_assert_nonnull (entry);
  return entry->rss;
}

static guint64
rollup_rss (guint pid)
{
  g_autoptr(GHashTable) rollup = test_read_kv (pid, "smaps_rollup");

  return test_kv (rollup, "Rss");
}

static void
sync_file (const char *path)
{
  int fd = open (path, O_RDONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fsync (fd), ==, 0);
  close (fd);
}

static void
test_pageout (void)
{
  g_autofree char *swap = NULL;
  TestTarget *target;
  const TestAlloc *block, *file;
  g_autofree char *answer = NULL;
  g_autoptr(TestScan) after_scan = NULL;
  guint64 file_before, private_touched, rss_before;
  gboolean have_swap;
  MscEmptyResult result;
  MscStatus status;
  guint pid;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root (CAP_SYS_NICE), as in CI");
      return;
    }
  swap_remove_stale ();
  have_swap = swap_total () > 0 || (swap = swap_add ()) != NULL;
  target = test_target_start (NULL);
  pid = (guint) target->pid;
  answer = test_target_command (target, "alloc trim 33554432 33554432");
  block = test_target_alloc (target, "trim");
  file = test_target_alloc (target, "file");
  /* The file mapping's read pages are private page-cache pages: they go
   * without swap once clean (only kswapd writes dirty file pages back).
   * Its one written (copy-on-write) page is anonymous. */
  sync_file (target->file);
  file_before = vma_rss (pid, file->addr);
  private_touched = (file_before - 4096) + (have_swap ? block->touched : 0);
  rss_before = rollup_rss (pid);

  g_assert_cmpint (msc_backend_empty_working_set (pid, &result, &status), ==, MSC_OK);
  g_test_message ("%s", result.message);
  g_assert_cmpuint (result.method, ==, MSC_EMPTY_PAGEOUT);
  g_assert_cmpuint (result.bytes_requested, >=, block->touched);
  g_assert_nonnull (strstr (result.message, "Asked the kernel to page out"));
  /* The target's mlock'ed 64 KiB cannot be paged out: named, not hidden. */
  g_assert_cmpuint (result.ranges_refused, >=, 1);
  g_assert_cmpuint (result.bytes_refused, >=, 64 * 1024);
  g_assert_nonnull (strstr (result.message, "mlock"));

  g_assert_cmpuint (rss_before - rollup_rss (pid), >=, private_touched * 8 / 10);
  g_assert_cmpuint (vma_rss (pid, file->addr), <=, file_before / 5 + 4096);
  /* The next snapshot shows it. */
  after_scan = test_scan_run (pid, MSC_SCAN_DEFAULT);
  if (have_swap)
    g_assert_cmpuint (test_scan_get (after_scan, test_scan_top_index (after_scan, block->addr))->region.total_ws, <=,
                      block->touched / 5);
  else
    g_assert_nonnull (strstr (result.message, "no swap space"));
  g_assert_cmpuint (test_scan_get (after_scan, test_scan_top_index (after_scan, file->addr))->region.total_ws, <=,
                    file_before / 5 + 4096);
  test_target_stop (target);
  if (swap != NULL)
    swap_remove (swap);
}

/* ---- without it ---- */

static void
expect_refusal (void)
{
  TestTarget *target = test_target_start (NULL);
  guint64 rss_before = rollup_rss ((guint) target->pid);
  MscEmptyResult result;
  MscStatus status;

  g_assert_cmpint (msc_backend_empty_working_set ((guint) target->pid, &result, &status), ==, MSC_ERR_PERMISSION);
  g_test_message ("%s", result.message);
  g_assert_cmpuint (result.method, ==, MSC_EMPTY_NONE);
  g_assert_true (g_str_has_prefix (result.message, "Nothing was paged out: process_madvise (MADV_PAGEOUT) on "
                                                   "another process needs CAP_SYS_NICE"));
  g_assert_nonnull (strstr (result.message, "cgroup memory.reclaim, was not possible"));
  g_assert_nonnull (strstr (status.message, result.message));
  g_assert_cmpuint (rollup_rss ((guint) target->pid), >=, rss_before * 9 / 10);
  test_target_stop (target);
}

static void
test_unprivileged (void)
{
  /* Root drops to nobody in a child (setuid clears CAP_SYS_NICE); anyone
   * else already lacks it. */
  if (g_test_subprocess ())
    {
      test_drop_root ();
      expect_refusal ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_no_process (void)
{
  MscEmptyResult result;
  MscStatus status;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (msc_backend_empty_working_set (4194303, &result, &status), ==, MSC_ERR_NO_PROCESS);
  g_assert_nonnull (strstr (result.message, "4194303"));
  g_assert_false (msc_working_set_empty (4194303, NULL, &error));
  g_assert_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_NO_PROCESS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linux/trim/pageout", test_pageout);
  g_test_add_func ("/linux/trim/unprivileged", test_unprivileged);
  g_test_add_func ("/linux/trim/no-process", test_no_process);
  return g_test_run ();
}
