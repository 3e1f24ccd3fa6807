/* test-linux-buffer.c — the scan's large arrays (backends/linux/
 * msc-linux-buffer.c): what was written survives every growth, small pages
 * to huge spans and huge span to huge span, and the huge spans are 2 MiB
 * aligned and asking for transparent huge pages (smaps VmFlags "hg"). */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "backends/linux/msc-linux.h"

#define HUGE_PAGE ((uintptr_t) 2 << 20)

/* Word i of the pattern: a function of i, so a lost or moved page shows. */
static uint64_t
pattern (size_t i)
{
  return (uint64_t) i * 0x9E3779B97F4A7C15u + 1;
}

static void
fill (MscLinuxBuffer *buffer, size_t from, size_t to)
{
  uint64_t *words = buffer->data;

  for (size_t i = from / 8; i < to / 8; i++)
    words[i] = pattern (i);
}

static void
check (const MscLinuxBuffer *buffer, size_t bytes)
{
  const uint64_t *words = buffer->data;

  for (size_t i = 0; i < bytes / 8; i++)
    if (words[i] != pattern (i))
      g_error ("word %zu of %zu lost after growing to %zu bytes", i, bytes / 8, buffer->cap);
}

/* Whether the mapping holding address carries VM_HUGEPAGE ("hg"). */
static gboolean
asks_for_huge_pages (const void *address)
{
  g_autofree char *smaps = NULL;
  gboolean inside = FALSE;

  g_assert_true (g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL));
  for (char *line = strtok (smaps, "\n"); line != NULL; line = strtok (NULL, "\n"))
    {
      guint64 start, end;

      if (sscanf (line, "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x ", &start, &end) == 2)
        inside = start <= (uintptr_t) address && (uintptr_t) address < end;
      else if (inside && g_str_has_prefix (line, "VmFlags:"))
        return strstr (line, " hg") != NULL;
    }
  return FALSE;
}

static void
test_growth (void)
{
  /* From the first small reservation, past the move to huge pages, to
   * several mremap moves between huge spans. */
  static const size_t steps[] = { 1000, 70000, 1 << 20, (2 << 20) + 8, 5 << 20, 9 << 20, 33 << 20 };
  gboolean have_thp = g_file_test ("/sys/kernel/mm/transparent_hugepage/enabled", G_FILE_TEST_EXISTS);
  MscLinuxBuffer buffer = { 0 };
  size_t filled = 0;

  for (size_t s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      size_t bytes = steps[s] & ~(size_t) 7;

      g_assert_cmpint (msc_linux_buffer_reserve (&buffer, bytes), ==, 0);
      g_assert_cmpuint (buffer.cap, >=, bytes);
      g_assert_cmpuint (buffer.populated, <=, buffer.cap);
      check (&buffer, filled);
      fill (&buffer, filled, bytes);
      filled = bytes;
      if (buffer.cap >= HUGE_PAGE)
        {
          g_assert_cmpuint ((uintptr_t) buffer.data % HUGE_PAGE, ==, 0);
          g_assert_cmpuint (buffer.populated % HUGE_PAGE, ==, 0);
          if (have_thp)
            g_assert_true (asks_for_huge_pages (buffer.data));
        }
    }
  check (&buffer, filled);
  /* Asking for less changes nothing. */
  g_assert_cmpint (msc_linux_buffer_reserve (&buffer, 16), ==, 0);
  check (&buffer, filled);
  msc_linux_buffer_free (&buffer);
  g_assert_null (buffer.data);
  g_assert_cmpuint (buffer.cap, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linux/buffer/growth", test_growth);
  return g_test_run ();
}
