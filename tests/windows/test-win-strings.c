/* test-win-strings.c — the Strings view's and Empty Working Set's backend
 * calls against msc-win-target.exe, a second process that reports where it
 * placed known ASCII and UTF-16LE text (issue 6, Windows side).
 *
 * usage: test-win-strings.exe <msc-win-target.exe>
 */
#include "tests/windows/msc-win-test.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MIB (1024u * 1024u)

/* The target's text, spelled as msc-win-target.c writes it. */
static const char ascii[] = "MemscopeAsciiMarker-7Q";
static const wchar_t utf16[] = L"MemscopeWideMarker-9Z";
static const char cross[] = "MemscopePageCrossMarker";

static MscTarget target;
static MscRegionTable *table;

static const MscTargetItem *
item (const char *name)
{
  return msc_target_require (&target, name);
}

/* ---- finding byte patterns in the pieces msc_backend_read_resident streams ---- */

#define CARRY 64

typedef struct {
  const void *bytes;
  size_t size;
  uint64_t found_at;   /* first address found, 0 = not yet */
  unsigned n_found;
} Pattern;

typedef struct {
  Pattern *patterns;
  size_t n_patterns;
  uint8_t carry[2 * CARRY];   /* the previous piece's tail, then this piece's head */
  size_t carry_len;
  uint64_t carry_end;         /* address just past the carried tail */
} Finder;

/* Every match in bytes; with split > 0 only those that start before split
 * and end after it (the ones that straddle two pieces). */
static void
find_in (Finder *f, uint64_t address, const uint8_t *bytes, size_t size, size_t split)
{
  for (size_t p = 0; p < f->n_patterns; p++)
    {
      Pattern *pattern = &f->patterns[p];

      for (size_t i = 0; i + pattern->size <= size; i++)
        if ((split == 0 || (i < split && i + pattern->size > split))
            && memcmp (bytes + i, pattern->bytes, pattern->size) == 0 && pattern->n_found++ == 0)
          pattern->found_at = address + i;
    }
}

/* Matches inside the piece, then those that straddle the previous piece's
 * end when this piece continues it (the header's contract). */
static int
finder_data (void *user, uint64_t address, const void *bytes, size_t size)
{
  Finder *f = user;
  size_t head = size < CARRY ? size : CARRY;

  if (f->carry_len > 0 && address == f->carry_end)
    {
      memcpy (f->carry + f->carry_len, bytes, head);
      find_in (f, f->carry_end - f->carry_len, f->carry, f->carry_len + head, f->carry_len);
    }
  find_in (f, address, bytes, size, 0);
  f->carry_len = head;
  memcpy (f->carry, (const uint8_t *) bytes + size - head, head);
  f->carry_end = address + size;
  return 0;
}

/* The top-level region holding address, as the Strings view would select it. */
static const MscRegion *
region_of (uint64_t address, MscRegion *out)
{
  size_t i = msc_region_table_find (table, address);

  MSC_CHECK (i != MSC_NO_PARENT, "no region holds 0x%llx", (unsigned long long) address);
  if (i == MSC_NO_PARENT)
    return NULL;
  *out = msc_region_table_row (table, i);
  return out;
}

/* msc_backend_read_memory at each reported address returns the text. */
static void
test_read_memory (void)
{
  const char *names[3] = { "string-ascii", "string-utf16", "string-cross" };
  const void *expected[3] = { ascii, utf16, cross };
  uint8_t buf[128];

  for (int s = 0; s < 3; s++)
    {
      const MscTargetItem *it = item (names[s]);
      MscStatus status = { MSC_OK, "" };
      size_t n = 0;

      MSC_CHECK (it->size <= sizeof buf, "%s: size %llu", names[s], (unsigned long long) it->size);
      MSC_CHECK (msc_backend_read_memory (target.pid, it->addr, buf, (size_t) it->size, &n, &status) == MSC_OK,
                 "%s: %s", names[s], status.message);
      MSC_CHECK (n == it->size && memcmp (buf, expected[s], (size_t) it->size) == 0, "%s: read %zu bytes", names[s], n);
    }
}

/* The heap's region streamed resident-only: both strings at the addresses
 * the target reported, each once. */
static void
test_heap_strings (void)
{
  const MscTargetItem *a = item ("string-ascii"), *w = item ("string-utf16");
  Pattern patterns[2] = { { ascii, sizeof ascii - 1, 0, 0 }, { utf16, sizeof utf16 - sizeof (wchar_t), 0, 0 } };
  Finder finder = { patterns, 2, { 0 }, 0, 0 };
  MscMemorySink sink = { finder_data, NULL, &finder };
  MscRegion heap_row, other_row;
  const MscRegion *heap = region_of (a->addr, &heap_row), *other;
  MscReadStats stats;
  MscStatus status = { MSC_OK, "" };

  if (heap == NULL)
    return;
  other = region_of (w->addr, &other_row);
  MSC_CHECK (heap->type == MSC_TYPE_HEAP && other != NULL && other->address == heap->address,
             "the strings are not in one heap region");
  MSC_CHECK (msc_backend_read_resident (target.pid, heap->address, heap->size, &sink, &stats, &status) == MSC_OK,
             "%s", status.message);
  MSC_CHECK (patterns[0].found_at == a->addr && patterns[0].n_found == 1, "ASCII at 0x%llx (%u times), expected 0x%llx",
             (unsigned long long) patterns[0].found_at, patterns[0].n_found, (unsigned long long) a->addr);
  MSC_CHECK (patterns[1].found_at == w->addr && patterns[1].n_found == 1, "UTF-16 at 0x%llx (%u times), expected 0x%llx",
             (unsigned long long) patterns[1].found_at, patterns[1].n_found, (unsigned long long) w->addr);
  MSC_CHECK (stats.bytes_read > 0 && stats.bytes_read <= heap->committed, "read %llu of %llu committed",
             (unsigned long long) stats.bytes_read, (unsigned long long) heap->committed);
}

/* The reservation: 2 MiB committed (1 MiB written), 6 MiB reserved.  The
 * text across the first page boundary is found whole; reserved pages are
 * never read; where the OS tells residency (Windows) the never-written
 * megabyte is skipped, not faulted in.  Wine answers QueryWorkingSetEx for
 * the calling process only, so there every committed page is read. */
static void
test_reservation_strings (void)
{
  const MscTargetItem *r = item ("reservation"), *c = item ("string-cross");
  Pattern patterns[1] = { { cross, sizeof cross - 1, 0, 0 } };
  Finder finder = { patterns, 1, { 0 }, 0, 0 };
  MscMemorySink sink = { finder_data, NULL, &finder };
  MscReadStats stats;
  MscStatus status = { MSC_OK, "" };
  uint64_t page;

  MSC_CHECK (msc_backend_read_resident (target.pid, r->addr, r->size, &sink, &stats, &status) == MSC_OK, "%s",
             status.message);
  page = stats.page_size;
  MSC_CHECK (page == 4096, "page size %llu", (unsigned long long) page);
  MSC_CHECK (c->addr / page != (c->addr + c->size - 1) / page, "the target's text does not cross a page");
  MSC_CHECK (patterns[0].found_at == c->addr && patterns[0].n_found == 1, "found at 0x%llx (%u times), expected 0x%llx",
             (unsigned long long) patterns[0].found_at, patterns[0].n_found, (unsigned long long) c->addr);
  MSC_CHECK (stats.pages_unreadable == (r->size - r->committed) / page && stats.pages_unmapped == 0,
             "unreadable %llu unmapped %llu", (unsigned long long) stats.pages_unreadable,
             (unsigned long long) stats.pages_unmapped);
  MSC_CHECK (stats.bytes_read + stats.pages_not_resident * page == r->committed, "read %llu, not resident %llu",
             (unsigned long long) stats.bytes_read, (unsigned long long) stats.pages_not_resident);
  if (msc_test_is_wine ())
    MSC_CHECK (stats.bytes_read == r->committed && stats.pages_unverified * page == r->committed,
               "Wine: read %llu, unverified %llu", (unsigned long long) stats.bytes_read,
               (unsigned long long) stats.pages_unverified);
  else
    MSC_CHECK (stats.bytes_read >= c->addr + c->size - r->addr && stats.bytes_read <= r->touched,
               "read %llu, touched %llu", (unsigned long long) stats.bytes_read, (unsigned long long) r->touched);
}

/* A range that starts and ends inside pages (as --strings --address --size
 * gives) is rounded out to whole pages: the text is found, the call ends. */
static void
test_unaligned_range (void)
{
  const MscTargetItem *c = item ("string-cross");
  Pattern patterns[1] = { { cross, sizeof cross - 1, 0, 0 } };
  Finder finder = { patterns, 1, { 0 }, 0, 0 };
  MscMemorySink sink = { finder_data, NULL, &finder };
  MscReadStats stats;
  MscStatus status = { MSC_OK, "" };

  MSC_CHECK (msc_backend_read_resident (target.pid, c->addr + 3, c->size - 5, &sink, &stats, &status) == MSC_OK,
             "%s", status.message);
  MSC_CHECK (patterns[0].found_at == c->addr && patterns[0].n_found == 1, "found at 0x%llx (%u times), expected 0x%llx",
             (unsigned long long) patterns[0].found_at, patterns[0].n_found, (unsigned long long) c->addr);
  MSC_CHECK (stats.bytes_read == 2 * stats.page_size, "read %llu bytes of the two pages the text spans",
             (unsigned long long) stats.bytes_read);
  MSC_CHECK (msc_backend_read_resident (target.pid, c->addr, 0, &sink, &stats, &status) == MSC_ERR_INVALID,
             "an empty range was accepted");
}

/* EmptyWorkingSet on the target.  Windows trims it; Wine's EmptyWorkingSet
 * returns TRUE and does nothing, and the result must say exactly that. */
static void
test_empty_working_set (void)
{
  MscStatus status = { MSC_OK, "" };
  MscEmptyResult result;
  MscStatusCode code = msc_backend_empty_working_set (target.pid, &result, &status);
  char expected[160];

  MSC_CHECK (result.method == MSC_EMPTY_OS_CALL, "method %u: %s", result.method, result.message);
  if (msc_test_is_wine () && result.rss_after >= result.rss_before)
    {
      snprintf (expected, sizeof expected,
                "EmptyWorkingSet succeeded, but the working set of process %u did not shrink.", target.pid);
      MSC_CHECK (code == MSC_ERR_UNSUPPORTED && strcmp (result.message, expected) == 0
                 && strcmp (status.message, expected) == 0, "code %d message \"%s\"", code, result.message);
    }
  else
    MSC_CHECK (code == MSC_OK && result.rss_after < result.rss_before && strstr (result.message, "went from") != NULL,
               "code %d before %llu after %llu: %s", code, (unsigned long long) result.rss_before,
               (unsigned long long) result.rss_after, result.message);
}

int
main (int argc, char **argv)
{
  char file[MAX_PATH];
  MscScanInfo info = { 0 };
  int code = msc_target_setup (&target, argc, argv, "test-win-strings", file, sizeof file);

  if (code != 0)
    return code;
  table = msc_test_scan (target.pid, &info);
  if (table == NULL)
    return 1;
  msc_test_run ("read-memory", test_read_memory);
  msc_test_run ("heap-strings", test_heap_strings);
  msc_test_run ("page-crossing-string", test_reservation_strings);
  msc_test_run ("unaligned-range", test_unaligned_range);
  msc_test_run ("empty-working-set", test_empty_working_set);
  msc_region_table_free (table);
  msc_scan_info_clear (&info);
  msc_target_teardown (&target, file);
  return msc_test_exit_status ();
}
