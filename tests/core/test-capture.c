/* test-capture.c — output file names (VMMap's rule) and atomic saves. */
#ifdef __linux__
#define _GNU_SOURCE  /* unshare() */
#endif
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#ifdef G_OS_UNIX
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif
#ifdef __linux__
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#endif

#include "tests/core/core-fixture.h"

static void
test_output_path (void)
{
  static const struct {
    const char *requested;
    const char *path;
    MscFileFormat format;
  } cases[] = {
    { "capture", "capture.mmp", MSC_FILE_FORMAT_MMP },           /* no extension: .mmp added */
    { "./out.d/capture", "./out.d/capture.mmp", MSC_FILE_FORMAT_MMP },  /* a dot in a directory */
    { "/tmp/a.b/c.d/e", "/tmp/a.b/c.d/e.mmp", MSC_FILE_FORMAT_MMP },
    { "out.d\\capture", "out.d\\capture.mmp", MSC_FILE_FORMAT_MMP },    /* Windows separator */
    { ".capture", ".capture.mmp", MSC_FILE_FORMAT_MMP },         /* a hidden file, no extension */
    { "dir/.capture", "dir/.capture.mmp", MSC_FILE_FORMAT_MMP },
    { "capture.mmp", "capture.mmp", MSC_FILE_FORMAT_MMP },
    { "capture.MMP", "capture.MMP", MSC_FILE_FORMAT_MMP },
    { "capture.csv", "capture.csv", MSC_FILE_FORMAT_CSV },
    { "out.d/capture.CsV", "out.d/capture.CsV", MSC_FILE_FORMAT_CSV },
    { "capture.txt", "capture.txt", MSC_FILE_FORMAT_TXT },
    { "capture.log", "capture.log", MSC_FILE_FORMAT_TXT },       /* any other extension: text */
    { "capture.csv.bak", "capture.csv.bak", MSC_FILE_FORMAT_TXT },
    { "capture.csvx", "capture.csvx", MSC_FILE_FORMAT_TXT },
    { "out.csv/capture", "out.csv/capture.mmp", MSC_FILE_FORMAT_MMP },
    { ".capture.csv", ".capture.csv", MSC_FILE_FORMAT_CSV },
    { "capture.", "capture.", MSC_FILE_FORMAT_TXT },             /* an (empty) extension */
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MscFileFormat format = (MscFileFormat) -1;
      g_autofree char *path = msc_capture_output_path (cases[i].requested, &format);

      g_test_message ("%s", cases[i].requested);
      g_assert_cmpstr (path, ==, cases[i].path);
      g_assert_cmpint (format, ==, cases[i].format);
    }
  {
    g_autofree char *path = msc_capture_output_path ("x", NULL);

    g_assert_cmpstr (path, ==, "x.mmp");
  }
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Names in dir, sorted, comma-separated. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static char *
read_file (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

/* Each format lands under its name with exactly the writer's bytes; an
 * existing file is replaced; no temporary file is left behind. */
static void
test_save_formats (void)
{
  static const struct {
    const char *name;
    MscFileFormat format;
    CoreWriteFn writer;
  } cases[] = {
    { "out.mmp", MSC_FILE_FORMAT_MMP, core_write_mmp },
    { "out.csv", MSC_FILE_FORMAT_CSV, core_write_csv },
    { "out.txt", MSC_FILE_FORMAT_TXT, core_write_txt },
  };
  g_autofree char *dir = g_dir_make_tmp ("msc-core-XXXXXX", NULL);
  g_autofree char *listing = NULL;
  CoreFixture f;

  core_fixture_main (&f);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autoptr(GBytes) expected = core_write_to_bytes (cases[i].writer, &f);
      MscStatus status = { 0 };
      g_autofree char *text = NULL;

      g_assert_true (g_file_set_contents (path, "old contents\n", -1, NULL));
      g_assert_cmpint (msc_capture_save (&f.capture, path, cases[i].format, &status), ==, MSC_OK);
      text = read_file (path);
      g_assert_cmpmem (text, strlen (text), g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
    }
  /* CSV and text show the latest snapshot: at 0x10000 it has the Mapped
   * File, the first snapshot a Private Data region. */
  {
    g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
    g_autofree char *text = read_file (path);

    g_assert_nonnull (strstr (text, "\"0000000000010000\",\"Mapped File\""));
    g_assert_null (strstr (text, "\"0000000000010000\",\"Private Data\""));
  }
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "out.csv,out.mmp,out.txt");
  core_fixture_clear (&f);
  remove_dir (dir);
}

static void
test_save_invalid (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-core-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *listing = NULL;
  MscStatus status = { 0 };
  CoreFixture f;
  MscCapture empty;

  core_fixture_main (&f);
  empty = f.capture;
  empty.n_snapshots = 0;
  g_assert_true (g_file_set_contents (path, "precious\n", -1, NULL));
  g_assert_cmpint (msc_capture_save (&empty, path, MSC_FILE_FORMAT_CSV, &status), ==, MSC_ERR_INVALID);
  g_assert_nonnull (strstr (status.message, "no snapshot"));
  g_assert_cmpint (msc_capture_save (&f.capture, "", MSC_FILE_FORMAT_CSV, &status), ==, MSC_ERR_INVALID);
  g_assert_cmpint (msc_capture_save (&f.capture, NULL, MSC_FILE_FORMAT_CSV, &status), ==, MSC_ERR_INVALID);
  /* An unknown format fails after the temporary file was made: it goes. */
  g_assert_cmpint (msc_capture_save (&f.capture, path, (MscFileFormat) 42, &status), ==, MSC_ERR_INVALID);
  g_assert_nonnull (strstr (status.message, "keep.csv"));
  text = read_file (path);
  g_assert_cmpstr (text, ==, "precious\n");
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "keep.csv");
  /* status may be NULL */
  g_assert_cmpint (msc_capture_save (&empty, path, MSC_FILE_FORMAT_CSV, NULL), ==, MSC_ERR_INVALID);
  core_fixture_clear (&f);
  remove_dir (dir);
}

/* A destination that cannot be created: an error naming it, and no file. */
static void
test_save_unwritable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-core-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "out.mmp", NULL);
  g_autofree char *listing = NULL;
  MscStatus status = { 0 };
  CoreFixture f;

  core_fixture_main (&f);
  g_assert_cmpint (msc_capture_save (&f.capture, missing, MSC_FILE_FORMAT_MMP, &status), ==, MSC_ERR_IO);
  g_assert_nonnull (strstr (status.message, "out.mmp"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

#ifdef G_OS_UNIX
  /* A read-only directory (root ignores directory permissions). */
  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (dir, "ro", NULL);
      g_autofree char *path = g_build_filename (ro, "out.mmp", NULL);

      g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
      g_assert_cmpint (msc_capture_save (&f.capture, path, MSC_FILE_FORMAT_MMP, &status), ==, MSC_ERR_IO);
      g_assert_nonnull (strstr (status.message, "out.mmp"));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_chmod (ro, 0755);
    }
#endif
  listing = list_dir (dir);
#ifdef G_OS_UNIX
  g_assert_cmpstr (listing, ==, geteuid () != 0 ? "ro" : "");
#else
  g_assert_cmpstr (listing, ==, "");
#endif
  core_fixture_clear (&f);
  remove_dir (dir);
}

#ifdef G_OS_UNIX
static void
save_write_fails_child (const char *path)
{
  MscRegionTable *table = core_make_large_table (20000);  /* several MB of .mmp */
  MscCaptureSnapshot snapshot = { .timestamp = 1, .regions = table };
  MscCapture capture = { { .pid = 1, .bits = 64, .name = "big" }, &snapshot, 1 };
  MscStatus status = { 0 };
  struct rlimit limit = { 64 * 1024, 64 * 1024 };
  g_autofree char *text = NULL;

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_cmpint (msc_capture_save (&capture, path, MSC_FILE_FORMAT_MMP, &status), ==, MSC_ERR_IO);
  g_assert_nonnull (strstr (status.message, "keep.mmp"));
  g_assert_nonnull (strstr (status.message, g_strerror (EFBIG)));
  text = read_file (path);
  g_assert_cmpstr (text, ==, "precious\n");
  msc_region_table_free (table);
}

/* The temporary file can be made but the write fails half-way (a 64 KiB
 * file-size limit, EFBIG): error, the existing capture untouched, and the
 * temporary file gone. The limit is set in a subprocess. */
static void
test_save_write_fails (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *listing = NULL;

  if (g_test_subprocess ())
    {
      save_write_fails_child (g_getenv ("MSC_SAVE_PATH"));
      return;
    }
  dir = g_dir_make_tmp ("msc-core-XXXXXX", NULL);
  path = g_build_filename (dir, "keep.mmp", NULL);
  g_assert_true (g_file_set_contents (path, "precious\n", -1, NULL));
  g_setenv ("MSC_SAVE_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  text = read_file (path);
  g_assert_cmpstr (text, ==, "precious\n");
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "keep.mmp");
  remove_dir (dir);
}

/* Saves of a large capture to path, over and over, in a child process;
 * SIGXFSZ and SIGTERM keep their default action (death). */
static pid_t
save_in_child (const char *path,
               rlim_t      file_limit,
               guint       n_saves)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      MscRegionTable *table = core_make_large_table (20000);  /* several MB of .mmp */
      MscCaptureSnapshot snapshot = { .timestamp = 1, .regions = table };
      MscCapture capture = { { .pid = 1, .bits = 64, .name = "big" }, &snapshot, 1 };
      struct rlimit limit = { file_limit, file_limit };
      MscStatus status = { 0 };

      signal (SIGXFSZ, SIG_DFL);
      signal (SIGTERM, SIG_DFL);
      if (file_limit != RLIM_INFINITY && setrlimit (RLIMIT_FSIZE, &limit) != 0)
        _exit (3);
      for (guint i = 0; i < n_saves; i++)
        if (msc_capture_save (&capture, path, MSC_FILE_FORMAT_MMP, &status) != MSC_OK)
          _exit (2);
      _exit (0);
    }
  return pid;
}

/* Whether process pid has a file of dir open for writing (a save under
 * way): its /proc/PID/fd links name the directory, an unnamed file as
 * "dir/#123 (deleted)". */
static gboolean
saving_into (pid_t       pid,
             const char *dir)
{
  g_autofree char *fds = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) listing = g_dir_open (fds, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *link = g_build_filename (fds, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && g_str_has_prefix (target, dir) && target[strlen (dir)] == '/')
        return TRUE;
    }
  return FALSE;
}

/* dest holds what was there or a whole capture, never part of one. */
static void
assert_whole (const char *path)
{
  g_autofree char *text = read_file (path);

  g_assert_true (g_str_equal (text, "precious\n") || g_str_has_suffix (text, "</MemoryMap>\n"));
}

/* A save killed part way leaves no file behind (issue 15, defect 6): by
 * SIGXFSZ at a file-size limit (its default action, unlike
 * test_save_write_fails), and by SIGTERM caught while the file is being
 * written. */
static void
test_save_killed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-core-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.mmp", NULL);
  g_autofree char *listing = NULL;
  int wstatus;
  pid_t pid;

  g_assert_true (g_file_set_contents (path, "precious\n", -1, NULL));
  pid = save_in_child (path, 64 * 1024, 1);
  g_assert_cmpint (waitpid (pid, &wstatus, 0), ==, pid);
  g_assert_true (WIFSIGNALED (wstatus));
  g_assert_cmpint (WTERMSIG (wstatus), ==, SIGXFSZ);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "keep.mmp");
  assert_whole (path);

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /proc to see a save under way");
      remove_dir (dir);
      return;
    }
  pid = save_in_child (path, RLIM_INFINITY, 1000);
  while (!saving_into (pid, dir) && waitpid (pid, &wstatus, WNOHANG) == 0)
    g_usleep (100);
  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wstatus, 0), ==, pid);
  g_assert_true (WIFSIGNALED (wstatus));  /* not all 1,000 saves were done */
  g_clear_pointer (&listing, g_free);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "keep.mmp");
  assert_whole (path);
  remove_dir (dir);
}

#ifdef __linux__
/* In a child with its own mount namespace: a 64 KiB tmpfs on dir holding
 * keep.mmp, a save of several MB onto it (full), then the same read-only.
 * Exit status: 0 = both failed cleanly, 77 = no mount allowed here. */
static int
save_on_small_tmpfs (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "keep.mmp", NULL);
  MscRegionTable *table = core_make_large_table (20000);
  MscCaptureSnapshot snapshot = { .timestamp = 1, .regions = table };
  MscCapture capture = { { .pid = 1, .bits = 64, .name = "big" }, &snapshot, 1 };
  MscStatus status = { 0 };
  const char *const reasons[] = { g_strerror (ENOSPC), g_strerror (EROFS) };

  if (unshare (CLONE_NEWNS) != 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
      || mount ("tmpfs", dir, "tmpfs", 0, "size=64k") != 0)
    return 77;
  if (!g_file_set_contents (path, "precious\n", -1, NULL))
    return 2;
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *text = NULL;
      g_autofree char *listing = NULL;

      if (round == 1 && mount (NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0)
        return 77;
      if (msc_capture_save (&capture, path, MSC_FILE_FORMAT_MMP, &status) != MSC_ERR_IO
          || strstr (status.message, "keep.mmp") == NULL || strstr (status.message, reasons[round]) == NULL)
        return 3 + (int) round;
      text = read_file (path);
      listing = list_dir (dir);
      if (g_strcmp0 (text, "precious\n") != 0 || g_strcmp0 (listing, "keep.mmp") != 0)
        return 5 + (int) round;
    }
  umount (dir);
  msc_region_table_free (table);
  return 0;
}

/* Saves onto a full file system and a read-only one fail with the OS's
 * reason, keep what was there and leave nothing behind (issue 15, fault
 * tests). */
static void
test_save_small_tmpfs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-core-XXXXXX", NULL);
  int wstatus;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (save_on_small_tmpfs (dir));
  g_assert_cmpint (waitpid (pid, &wstatus, 0), ==, pid);
  g_assert_true (WIFEXITED (wstatus));
  g_rmdir (dir);
  if (WEXITSTATUS (wstatus) == 77)
    {
      g_test_skip ("mounting a tmpfs needs CAP_SYS_ADMIN (a mount namespace)");
      return;
    }
  g_assert_cmpint (WEXITSTATUS (wstatus), ==, 0);
}
#endif
#endif

#ifdef __linux__
/* The saves' syncs, counted: a program's own definition comes before the C
 * library's, for the core linked into it too. */
static int fsync_calls;

int fsync (int fd);

int
fsync (int fd)
{
  g_atomic_int_inc (&fsync_calls);
  return (int) syscall (SYS_fsync, fd);
}

/* A capture replacing a file is on the disk before it takes the name (a
 * power cut leaves the old one or the new one); a new name has nothing to
 * lose and is not made to wait for the disk. */
static void
test_save_sync_policy (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-core-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.mmp", NULL);
  MscStatus status = { 0 };
  CoreFixture f;

  core_fixture_main (&f);
  g_atomic_int_set (&fsync_calls, 0);
  g_assert_cmpint (msc_capture_save (&f.capture, path, MSC_FILE_FORMAT_MMP, &status), ==, MSC_OK);
  g_assert_cmpint (g_atomic_int_get (&fsync_calls), ==, 0);
  g_assert_cmpint (msc_capture_save (&f.capture, path, MSC_FILE_FORMAT_MMP, &status), ==, MSC_OK);
  g_assert_cmpint (g_atomic_int_get (&fsync_calls), ==, 1);
  core_fixture_clear (&f);
  remove_dir (dir);
}
#endif

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/output-path", test_output_path);
  g_test_add_func ("/capture/save-formats", test_save_formats);
  g_test_add_func ("/capture/save-invalid", test_save_invalid);
  g_test_add_func ("/capture/save-unwritable", test_save_unwritable);
#ifdef G_OS_UNIX
  g_test_add_func ("/capture/save-write-fails", test_save_write_fails);
  g_test_add_func ("/capture/save-killed", test_save_killed);
#endif
#ifdef __linux__
  g_test_add_func ("/capture/save-small-tmpfs", test_save_small_tmpfs);
  g_test_add_func ("/capture/save-sync-policy", test_save_sync_policy);
#endif
  return g_test_run ();
}
