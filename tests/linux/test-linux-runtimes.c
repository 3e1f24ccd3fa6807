/* test-linux-runtimes.c — Managed Heap signatures on a real runtime: a JVM
 * with ZGC (its heap is the shared memfd "java_heap", mapped once per view)
 * and with G1 (an anonymous reservation below 32 GiB, for compressed oops).
 * Skipped where no JDK with the source launcher (java File.java) is
 * installed. And a Go program (built here with `go build`, skipped without
 * a Go toolchain): its heap above the arena hint 0xc000000000 is Managed
 * Heap, although its threads' stack pointers lie in it (goroutine stacks).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/linux/msc-linux-test-util.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

static const char java_source[] =
  "public class MscHold {\n"
  "  public static void main (String[] args) throws Exception {\n"
  "    byte[][] keep = new byte[48][];\n"
  "    for (int i = 0; i < keep.length; i++) { keep[i] = new byte[1 << 20]; keep[i][4096] = 1; }\n"
  "    System.out.println (\"ready \" + keep.length);\n"
  "    Thread.sleep (120000);\n"
  "  }\n"
  "}\n";

typedef struct {
  GPid pid;
  char *dir;
} Runtime;

/* Reads the program's output up to its "ready" line; FALSE at end of output. */
static gboolean
wait_ready (int out_fd)
{
  g_autoptr(GIOChannel) out = g_io_channel_unix_new (out_fd);

  g_io_channel_set_close_on_unref (out, TRUE);
  for (;;)
    {
      g_autofree char *line = NULL;

      if (g_io_channel_read_line (out, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
        return FALSE;
      if (g_str_has_prefix (line, "ready"))
        return TRUE;
    }
}

static gboolean
jvm_start (Runtime *jvm, const char *gc)
{
  g_autofree char *java = g_find_program_in_path ("java");
  g_autofree char *source = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { java, gc, "-Xmx256m", "-Xshare:auto", NULL, NULL };
  int out_fd;

  if (java == NULL)
    return FALSE;
  jvm->dir = g_dir_make_tmp ("msc-jvm-XXXXXX", &error);
  g_assert_no_error (error);
  source = g_build_filename (jvm->dir, "MscHold.java", NULL);
  g_file_set_contents (source, java_source, -1, &error);
  g_assert_no_error (error);
  argv[4] = source;
  g_spawn_async_with_pipes (jvm->dir, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                            NULL, NULL, &jvm->pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  if (!wait_ready (out_fd))
    {
      /* A JDK without the source launcher (or a JRE): not our failure. */
      waitpid (jvm->pid, NULL, 0);
      g_unlink (source);
      g_rmdir (jvm->dir);
      g_free (jvm->dir);
      return FALSE;
    }
  g_unlink (source);
  return TRUE;
}

static void
jvm_stop (Runtime *jvm)
{
  kill (jvm->pid, SIGKILL);
  waitpid (jvm->pid, NULL, 0);
  g_rmdir (jvm->dir);
  g_free (jvm->dir);
}

static void
test_zgc (void)
{
  Runtime jvm;
  g_autoptr(TestScan) scan = NULL;
  guint64 resident = 0;
  guint n = 0;

  if (!jvm_start (&jvm, "-XX:+UseZGC"))
    {
      g_test_skip ("no JDK with ZGC and the source launcher");
      return;
    }
  scan = test_scan_run (jvm.pid, MSC_SCAN_DEFAULT);
  for (guint i = 0; i < scan->regions->len; i++)
    {
      const TestRegion *t = test_scan_get (scan, i);

      if ((t->region.flags & MSC_REGION_SUBBLOCK) || g_strcmp0 (t->details, "Java heap (ZGC)") != 0)
        continue;
      g_assert_cmpint (t->region.type, ==, MSC_TYPE_MANAGED_HEAP);
      /* The memfd view, then the rest of the view's reservation. */
      g_assert_cmpuint (test_scan_n_subs (scan, i), >=, 1);
      g_assert_cmpuint (test_scan_get (scan, i + 1)->region.perms & MSC_PERM_SHARED, !=, 0);
      g_assert_cmpuint (t->region.private_ws, ==, 0);
      resident += t->region.shareable_ws;
      n++;
    }
  /* ZGC (JDK 17) maps the heap three times (marked0, marked1, remapped);
   * our 48 MiB of arrays are resident in at least one view. */
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (resident, >=, 48 * MIB);
  jvm_stop (&jvm);
}

static void
test_g1 (void)
{
  Runtime jvm;
  g_autoptr(TestScan) scan = NULL;
  guint64 size = 0, resident = 0;

  if (!jvm_start (&jvm, "-XX:+UseG1GC"))
    {
      g_test_skip ("no JDK with the source launcher");
      return;
    }
  scan = test_scan_run (jvm.pid, MSC_SCAN_DEFAULT);
  for (guint i = 0; i < scan->regions->len; i++)
    {
      const TestRegion *t = test_scan_get (scan, i);

      if ((t->region.flags & MSC_REGION_SUBBLOCK) || g_strcmp0 (t->details, "Java heap") != 0)
        continue;
      g_assert_cmpint (t->region.type, ==, MSC_TYPE_MANAGED_HEAP);
      g_assert_cmpuint (t->region.address + t->region.size, <=, G_GUINT64_CONSTANT (32) << 30);
      size += t->region.size;
      resident += t->region.private_ws;
    }
  /* -Xmx256m, less the CDS archive's heap regions mapped from a file. */
  g_assert_cmpuint (size, >=, 200 * MIB);
  g_assert_cmpuint (size, <=, 256 * MIB);
  g_assert_cmpuint (resident, >=, 48 * MIB);
  jvm_stop (&jvm);
}

static const char go_source[] =
  "package main\n"
  "import (\"bufio\"; \"fmt\"; \"os\")\n"
  "var keep [][]byte\n"
  "func main () {\n"
  "  for i := 0; i < 96; i++ { b := make ([]byte, 1 << 20); for j := range b { b[j] = byte (j) }; keep = append (keep, b) }\n"
  "  fmt.Println (\"ready\")\n"
  "  bufio.NewReader (os.Stdin).ReadString ('\\n')\n"
  "}\n";

/* Builds and starts the Go program; FALSE without a Go toolchain. */
static gboolean
go_start (Runtime *go, int *in_fd)
{
  g_autofree char *toolchain = g_find_program_in_path ("go");
  g_autofree char *source = NULL, *binary = NULL, *cache = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  int status = 0, out_fd;

  if (toolchain == NULL)
    return FALSE;
  go->dir = g_dir_make_tmp ("msc-go-XXXXXX", &error);
  g_assert_no_error (error);
  source = g_build_filename (go->dir, "hold.go", NULL);
  binary = g_build_filename (go->dir, "msc-go-hold", NULL);
  cache = g_build_filename (go->dir, "cache", NULL);
  g_file_set_contents (source, go_source, -1, &error);
  g_assert_no_error (error);
  env = g_environ_setenv (g_get_environ (), "GOCACHE", cache, TRUE);
  env = g_environ_setenv (env, "GO111MODULE", "off", TRUE);
  env = g_environ_setenv (env, "CGO_ENABLED", "0", TRUE);
  {
    const char *argv[] = { toolchain, "build", "-o", binary, source, NULL };

    g_spawn_sync (go->dir, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  {
    const char *argv[] = { binary, NULL };

    g_spawn_async_with_pipes (go->dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &go->pid,
                              in_fd, &out_fd, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_true (wait_ready (out_fd));
  return TRUE;
}

static void
test_go (void)
{
  Runtime go;
  g_autoptr(TestScan) scan = NULL;
  guint64 heap_end = 0, resident = 0;
  guint n = 0;
  int in_fd = -1;  /* open while the program runs: it exits at end of input */

  if (!go_start (&go, &in_fd))
    {
      g_test_skip ("no Go toolchain (go build)");
      return;
    }
  scan = test_scan_run (go.pid, MSC_SCAN_DEFAULT);
  for (guint i = 0; i < scan->regions->len; i++)
    {
      const TestRegion *t = test_scan_get (scan, i);

      if ((t->region.flags & MSC_REGION_SUBBLOCK) || g_strcmp0 (t->details, "Go heap") != 0)
        continue;
      g_assert_cmpint (t->region.type, ==, MSC_TYPE_MANAGED_HEAP);
      /* The first arena hint: nothing else maps there. */
      if (t->region.address == G_GUINT64_CONSTANT (0xc000000000))
        heap_end = t->region.address + t->region.size;
      resident += t->region.private_ws;
      n++;
    }
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (heap_end, >, 0);
  /* Our 96 MiB of written slices are resident, private, in the heap. */
  g_assert_cmpuint (resident, >=, 96 * MIB);
  for (guint i = 0; i < scan->regions->len; i++)
    {
      const TestRegion *t = test_scan_get (scan, i);

      if (t->region.type == MSC_TYPE_STACK)
        g_assert_false (t->region.address >= G_GUINT64_CONSTANT (0xc000000000) && t->region.address < heap_end);
    }
  kill (go.pid, SIGKILL);
  waitpid (go.pid, NULL, 0);
  close (in_fd);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", go.dir);

    g_assert_cmpint (system (command), ==, 0);
  }
  g_free (go.dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linux/runtimes/jvm-zgc", test_zgc);
  g_test_add_func ("/linux/runtimes/jvm-g1", test_g1);
  g_test_add_func ("/linux/runtimes/go", test_go);
  return g_test_run ();
}
