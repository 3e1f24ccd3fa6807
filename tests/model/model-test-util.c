/* model-test-util.c — see model-test-util.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tests/model/model-test-util.h"

char *
model_data_path (const char *name)
{
  return g_build_filename (MSC_TEST_DATA_DIR, "model", name, NULL);
}

MscSession *
model_load (const char *name)
{
  g_autofree char *path = model_data_path (name);
  g_autoptr(GError) error = NULL;
  MscSession *session = msc_loader_load (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

MscSession *
model_load_bytes (GBytes *data, MscFileFormat format)
{
  g_autoptr(GError) error = NULL;
  MscSession *session = msc_loader_load_memory_as (g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                                   format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

GBytes *
model_file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

GBytes *
model_data_bytes (const char *name)
{
  g_autofree char *path = model_data_path (name);

  return model_file_bytes (path);
}

GBytes *
model_write (MscSession *session, MscFileFormat format)
{
  g_autoptr(GError) error = NULL;
#ifdef G_OS_UNIX
  /* In memory: the fuzz harnesses write every input several times, and a
   * temporary file each time made them ten times slower. */
  char *data = NULL;
  size_t length = 0;
  FILE *file = open_memstream (&data, &length);

  g_assert_nonnull (file);
  g_assert_true (msc_session_write (session, file, format, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fclose (file), ==, 0);
  return g_bytes_new_with_free_func (data, length, free, data);
#else
  FILE *file = tmpfile ();
  GByteArray *bytes = g_byte_array_new ();
  char buffer[65536];
  size_t n;

  g_assert_nonnull (file);
  g_assert_true (msc_session_write (session, file, format, &error));
  g_assert_no_error (error);
  rewind (file);
  while ((n = fread (buffer, 1, sizeof buffer, file)) > 0)
    g_byte_array_append (bytes, (const guint8 *) buffer, (guint) n);
  g_assert_false (ferror (file));
  fclose (file);
  return g_byte_array_free_to_bytes (bytes);
#endif
}

char *
model_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("msc-model-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
model_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      model_remove_tree (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

const MscRegionTable *
model_regions (MscSession *session, guint snapshot)
{
  g_assert_cmpuint (snapshot, <, msc_session_get_n_snapshots (session));
  return msc_snapshot_get_regions (msc_session_get_snapshot (session, snapshot));
}

MscRegion
model_region (MscSession *session, guint snapshot, size_t i)
{
  const MscRegionTable *table = model_regions (session, snapshot);

  g_assert_cmpuint (i, <, msc_region_table_length (table));
  return msc_region_table_row (table, i);
}

void
model_assert_error (const GError *error, GQuark domain, int code, ...)
{
  va_list args;
  const char *needle;

  g_assert_error (error, domain, code);
  va_start (args, code);
  while ((needle = va_arg (args, const char *)) != NULL)
    if (strstr (error->message, needle) == NULL)
      g_error ("error message “%s” does not contain “%s”", error->message, needle);
  va_end (args);
}
