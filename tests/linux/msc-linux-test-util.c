/* msc-linux-test-util.c — see msc-linux-test-util.h. */
#include "tests/linux/msc-linux-test-util.h"

#include <errno.h>
#include <grp.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- scanning ---- */

static int
test_sink_region (void *user, const MscRegion *region, const char *details)
{
  GArray *regions = user;
  TestRegion r = { *region, g_strdup (details ? details : "") };

  g_array_append_val (regions, r);
  return 0;
}

static void
test_region_clear (gpointer data)
{
  g_free (((TestRegion *) data)->details);
}

MscStatusCode
test_scan_try (guint pid, unsigned flags, TestScan **out, MscStatus *status)
{
  TestScan *scan = g_new0 (TestScan, 1);
  MscRegionSink sink = { 0 };
  MscStatusCode code;

  scan->regions = g_array_new (FALSE, TRUE, sizeof (TestRegion));
  g_array_set_clear_func (scan->regions, test_region_clear);
  sink.region = test_sink_region;
  sink.user = scan->regions;
  memset (status, 0, sizeof *status);
  code = msc_backend_scan (pid, flags, &sink, &scan->info, status);
  g_assert_cmpint (code, ==, status->code);
  *out = scan;
  return code;
}

TestScan *
test_scan_run (guint pid, unsigned flags)
{
  TestScan *scan;
  MscStatus status;

  if (test_scan_try (pid, flags, &scan, &status) != MSC_OK)
    g_error ("scan of %u failed: %s", pid, status.message);
  return scan;
}

void
test_scan_free (TestScan *scan)
{
  g_array_unref (scan->regions);
  msc_scan_info_clear (&scan->info);
  g_free (scan);
}

const TestRegion *
test_scan_get (const TestScan *scan, guint index)
{
  g_assert_cmpuint (index, <, scan->regions->len);
  return &g_array_index (scan->regions, TestRegion, index);
}

guint
test_scan_top_index (const TestScan *scan, guint64 addr)
{
  for (guint i = 0; i < scan->regions->len; i++)
    {
      const MscRegion *r = &test_scan_get (scan, i)->region;

      if (!(r->flags & MSC_REGION_SUBBLOCK) && r->address <= addr && addr - r->address < r->size)
        return i;
    }
  g_error ("no top-level region contains 0x%" G_GINT64_MODIFIER "x", addr);
  return 0;
}

guint
test_scan_n_subs (const TestScan *scan, guint index)
{
  guint n = 0;

  while (index + 1 + n < scan->regions->len
         && (test_scan_get (scan, index + 1 + n)->region.flags & MSC_REGION_SUBBLOCK))
    n++;
  return n;
}

guint64
test_scan_sum (const TestScan *scan, gsize field_offset)
{
  guint64 sum = 0;

  for (guint i = 0; i < scan->regions->len; i++)
    {
      const MscRegion *r = &test_scan_get (scan, i)->region;

      if ((r->flags & MSC_REGION_SUBBLOCK) || r->type == MSC_TYPE_FREE || r->type == MSC_TYPE_UNUSABLE)
        continue;
      sum += G_STRUCT_MEMBER (guint64, r, field_offset);
    }
  return sum;
}

/* ---- the test target ---- */

static const char *
test_target_path (void)
{
  const char *path = g_getenv ("MSC_TEST_TARGET");

  if (path == NULL || *path == '\0')
    g_error ("MSC_TEST_TARGET is not set (run through meson test)");
  return path;
}

static void
test_target_read_until_ready (TestTarget *target, GString *answer)
{
  for (;;)
    {
      g_autofree char *line = NULL;
      char label[64];
      TestAlloc alloc;

      if (g_io_channel_read_line (target->out, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
        g_error ("the test target exited before it was ready");
      if (g_str_has_prefix (line, "ready"))
        return;
      if (answer != NULL)
        g_string_append (answer, line);
      if (sscanf (line, "name=%63s addr=%" G_GINT64_MODIFIER "x size=%" G_GUINT64_FORMAT " touched=%" G_GUINT64_FORMAT,
                  label, &alloc.addr, &alloc.size, &alloc.touched) == 4)
        g_hash_table_insert (target->allocs, g_strdup (label), g_memdup2 (&alloc, sizeof alloc));
    }
}

TestTarget *
test_target_start (const char *const *extra_args)
{
  TestTarget *target = g_new0 (TestTarget, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_malloc (1 << 20);
  int out_fd;

  target->dir = g_dir_make_tmp ("msc-linux-XXXXXX", &error);
  g_assert_no_error (error);
  target->file = g_build_filename (target->dir, "data.bin", NULL);
  for (gsize i = 0; i < (1 << 20); i++)
    data[i] = (char) (i * 7 + i / 4096);
  g_file_set_contents (target->file, data, 1 << 20, &error);
  g_assert_no_error (error);
  target->allocs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (argv, (char *) test_target_path ());
  g_ptr_array_add (argv, (char *) "--file");
  g_ptr_array_add (argv, target->file);
  for (gsize i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &target->pid, &target->stdin_fd, &out_fd, NULL, &error);
  g_assert_no_error (error);
  target->out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (target->out, TRUE);
  test_target_read_until_ready (target, NULL);
  return target;
}

const TestAlloc *
test_target_alloc (TestTarget *target, const char *label)
{
  const TestAlloc *alloc = g_hash_table_lookup (target->allocs, label);

  if (alloc == NULL)
    g_error ("the test target did not report %s", label);
  return alloc;
}

char *
test_target_command (TestTarget *target, const char *command)
{
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  GString *answer = g_string_new (NULL);

  g_assert_cmpint (write (target->stdin_fd, line, strlen (line)), ==, (gssize) strlen (line));
  test_target_read_until_ready (target, answer);
  return g_string_free (answer, FALSE);
}

static void
test_wait_or_kill (GPid pid)
{
  int status;

  for (int i = 0; i < 500; i++)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        return;
      g_usleep (10000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}

void
test_target_stop (TestTarget *target)
{
  if (write (target->stdin_fd, "quit\n", 5) != 5)
    kill (target->pid, SIGTERM);
  close (target->stdin_fd);
  test_wait_or_kill (target->pid);
  g_io_channel_unref (target->out);
  g_hash_table_unref (target->allocs);
  g_unlink (target->file);
  g_rmdir (target->dir);
  g_free (target->file);
  g_free (target->dir);
  g_free (target);
}

/* ---- other children ---- */

GPid
test_child_spawn (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL
                   | G_SPAWN_STDIN_FROM_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

GPid
test_child_start (const char *const *argv, const char *exe_basename)
{
  g_autofree char *exe_link = NULL;
  guint64 last_rss = 0;
  int stable = 0;
  GPid pid = test_child_spawn (argv);

  exe_link = g_strdup_printf ("/proc/%d/exe", pid);
  /* Until it has exec'd the real program and stopped growing. */
  for (int i = 0; i < 400 && stable < 4; i++)
    {
      g_autofree char *exe = g_file_read_link (exe_link, NULL);
      g_autoptr(GHashTable) status = NULL;
      guint64 rss;

      g_usleep (50000);
      if (exe == NULL || strcmp (strrchr (exe, '/') + 1, exe_basename) != 0)
        continue;
      status = test_read_kv (pid, "status");
      rss = test_kv (status, "VmRSS");
      stable = rss == last_rss ? stable + 1 : 0;
      last_rss = rss;
    }
  g_assert_cmpint (stable, >=, 4);
  return pid;
}

void
test_child_stop (GPid pid)
{
  kill (pid, SIGKILL);
  test_wait_or_kill (pid);
}

/* ---- the kernel's figures ---- */

GHashTable *
test_read_kv (guint pid, const char *file)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/%s", pid, file);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *kv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      guint64 value;
      char *end;

      if (colon == NULL)
        continue;
      *colon = '\0';
      value = g_ascii_strtoull (colon + 1, &end, 10);
      if (end == colon + 1)
        continue;
      if (strstr (end, "kB") != NULL)
        value *= 1024;
      g_hash_table_insert (kv, g_strdup (lines[i]), g_memdup2 (&value, sizeof value));
    }
  return kv;
}

guint64
test_kv (GHashTable *kv, const char *key)
{
  const guint64 *value = g_hash_table_lookup (kv, key);

  if (value == NULL)
    g_error ("no %s in the kernel's figures", key);
  return *value;
}

static void
test_smaps_field (TestSmaps *entry, const char *line)
{
  static const struct { const char *key; gsize offset; } fields[] = {
    { "Rss:", G_STRUCT_OFFSET (TestSmaps, rss) },
    { "Anonymous:", G_STRUCT_OFFSET (TestSmaps, anonymous) },
    { "Shared_Clean:", G_STRUCT_OFFSET (TestSmaps, shared) },
    { "Shared_Dirty:", G_STRUCT_OFFSET (TestSmaps, shared) },
    { "Swap:", G_STRUCT_OFFSET (TestSmaps, swap) },
    { "Pss:", G_STRUCT_OFFSET (TestSmaps, pss) },
    { "Locked:", G_STRUCT_OFFSET (TestSmaps, locked) },
  };

  if (g_str_has_prefix (line, "VmFlags:"))
    {
      g_strlcpy (entry->vmflags, line + 8, sizeof entry->vmflags);
      return;
    }
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    if (g_str_has_prefix (line, fields[f].key))
      G_STRUCT_MEMBER (guint64, entry, fields[f].offset) += g_ascii_strtoull (line + strlen (fields[f].key), NULL, 10) * 1024;
}

GArray *
test_read_smaps (guint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/smaps", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (TestSmaps));

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_ascii_isxdigit (line[0]) && !g_ascii_isupper (line[0]))
        {
          TestSmaps entry = { 0 };
          char *end;

          entry.start = g_ascii_strtoull (line, &end, 16);
          entry.end = g_ascii_strtoull (end + 1, NULL, 16);
          g_array_append_val (entries, entry);
        }
      else if (entries->len > 0)
        test_smaps_field (&g_array_index (entries, TestSmaps, entries->len - 1), line);
    }
  return entries;
}

const TestSmaps *
test_smaps_find (GArray *smaps, guint64 addr)
{
  for (guint i = 0; i < smaps->len; i++)
    if (g_array_index (smaps, TestSmaps, i).start == addr)
      return &g_array_index (smaps, TestSmaps, i);
  return NULL;
}

void
test_drop_root (void)
{
  const gid_t nobody = 65534;

  if (geteuid () == 0 && (setgroups (0, NULL) != 0 || setgid (nobody) != 0 || setuid (nobody) != 0))
    g_error ("cannot become nobody: %s", g_strerror (errno));
}
