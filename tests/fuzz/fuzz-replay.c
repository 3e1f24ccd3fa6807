/* fuzz-replay.c — runs a libFuzzer harness over every file of the
 * directories given, so each build exercises it (no clang needed). */
#include "config.h"

#include <stdint.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
replay_dir (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        continue;
      g_file_get_contents (file, &contents, &length, &error);
      g_assert_no_error (error);
      g_print ("%s\n", file);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      n++;
    }
  return n;
}

int
main (int argc, char **argv)
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += replay_dir (argv[i]);
  g_print ("%u inputs replayed\n", n);
  /* An empty corpus would make this test pass without testing anything. */
  return n > 0 ? 0 : 1;
}
