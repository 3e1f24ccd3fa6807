/* test-format.c — VMMap's words and numbers (formats.md §2.6, §3.3). */
#include <glib.h>
#include <string.h>

#include "model/core/msc-export.h"
#include "model/core/msc-format.h"

static void
test_type_names (void)
{
  static const char *const names[MSC_N_TYPES] = {
    "Image", "Mapped File", "Shareable", "Heap", "Managed Heap", "Stack", "Private Data",
    "Page Table", "Unusable", "Free",
  };

  for (int t = 0; t < MSC_N_TYPES; t++)
    g_assert_cmpstr (msc_use_type_name ((MscUseType) t), ==, names[t]);
  g_assert_cmpstr (msc_use_type_name (MSC_N_TYPES), ==, "Unknown");
}

static void
test_region_type_strings (void)
{
  static const struct {
    uint8_t type;
    uint16_t flags;
    const char *text;
  } cases[] = {
    { MSC_TYPE_IMAGE, 0, "Image" },
    { MSC_TYPE_IMAGE, MSC_REGION_ASLR, "Image (ASLR)" },
    { MSC_TYPE_MAPPED_FILE, 0, "Mapped File" },
    { MSC_TYPE_SHAREABLE, 0, "Shareable" },
    { MSC_TYPE_HEAP, 0, "Heap (Private Data)" },
    { MSC_TYPE_HEAP, MSC_REGION_SHAREABLE_HEAP, "Heap (Shareable)" },
    { MSC_TYPE_MANAGED_HEAP, 0, "Managed Heap" },
    { MSC_TYPE_STACK, 0, "Thread Stack" },
    { MSC_TYPE_STACK, MSC_REGION_STACK64, "Thread Stack" },  /* the note goes to Details */
    { MSC_TYPE_PRIVATE_DATA, 0, "Private Data" },
    { MSC_TYPE_PAGE_TABLE, 0, "Page Table" },
    { MSC_TYPE_UNUSABLE, 0, "Unusable" },
    { MSC_TYPE_FREE, 0, "Free" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MscRegion region = { .type = cases[i].type, .flags = cases[i].flags };
      uint16_t flags = 0;

      g_assert_cmpstr (msc_region_type_string (&region), ==, cases[i].text);
      /* and back */
      g_assert_cmpint (msc_use_type_from_string (cases[i].text, &flags), ==, cases[i].type);
      g_assert_cmpuint (flags, ==, cases[i].flags & (MSC_REGION_ASLR | MSC_REGION_SHAREABLE_HEAP));
    }
}

static void
test_type_parse_other_names (void)
{
  uint16_t flags = MSC_REGION_SUBBLOCK;

  /* Summary names, old help names, any case. */
  g_assert_cmpint (msc_use_type_from_string ("Heap", NULL), ==, MSC_TYPE_HEAP);
  g_assert_cmpint (msc_use_type_from_string ("Stack", NULL), ==, MSC_TYPE_STACK);
  g_assert_cmpint (msc_use_type_from_string ("Private", NULL), ==, MSC_TYPE_PRIVATE_DATA);
  g_assert_cmpint (msc_use_type_from_string ("System", NULL), ==, MSC_TYPE_PAGE_TABLE);
  g_assert_cmpint (msc_use_type_from_string ("managed heap", NULL), ==, MSC_TYPE_MANAGED_HEAP);
  g_assert_cmpint (msc_use_type_from_string ("IMAGE (aslr)", &flags), ==, MSC_TYPE_IMAGE);
  /* flags are ORed in, not replaced */
  g_assert_cmpuint (flags, ==, MSC_REGION_SUBBLOCK | MSC_REGION_ASLR);
  g_assert_cmpint (msc_use_type_from_string ("Total", NULL), ==, -1);
  g_assert_cmpint (msc_use_type_from_string ("Image ", NULL), ==, -1);
  g_assert_cmpint (msc_use_type_from_string ("", NULL), ==, -1);
  g_assert_cmpint (msc_use_type_from_string (NULL, NULL), ==, -1);
}

static void
test_vmmap_codes (void)
{
  /* PerfView's enum UseType; 7 is our Page Table guess (docs/file-formats.md). */
  static const int codes[MSC_N_TYPES] = { 2, 3, 5, 0, 8, 1, 4, 7, 10, 6 };

  for (int t = 0; t < MSC_N_TYPES; t++)
    {
      g_assert_cmpint (msc_use_type_to_vmmap_code ((MscUseType) t), ==, codes[t]);
      g_assert_cmpint (msc_use_type_from_vmmap_code (codes[t]), ==, t);
    }
  g_assert_cmpint (msc_use_type_from_vmmap_code (9), ==, -1);
  g_assert_cmpint (msc_use_type_from_vmmap_code (11), ==, -1);
  g_assert_cmpint (msc_use_type_from_vmmap_code (-1), ==, -1);
  g_assert_cmpint (msc_use_type_to_vmmap_code (MSC_N_TYPES), ==, -1);
}

static void
test_protection (void)
{
  static const struct {
    uint32_t protection;
    const char *text;
  } cases[] = {
    { 0, "Reserved" },
    { 0x01, "No access" },
    { 0x02, "Read" },
    { 0x04, "Read/Write" },
    { 0x08, "Copy on write" },
    { 0x10, "Execute" },
    { 0x20, "Execute/Read" },
    { 0x40, "Execute/Read/Write" },
    { 0x80, "Execute/Copy on Write" },
    { 0x104, "Read/Write/Guard" },
    { 0x404, "Read/Write/WriteCombine" },
    { 0x202, "Read/No cache" },
    { 0x780, "Execute/Copy on Write/Guard/No cache/WriteCombine" },
    { 0x06, "0x6" },       /* two base values: no VMMap words */
    { 0x100, "0x100" },    /* a modifier alone */
    { 0x40000004, "0x40000004" },
  };
  char buf[MSC_PROTECTION_LEN];
  char small[9];

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (msc_protection_string (cases[i].protection, buf, sizeof buf), ==, cases[i].text);
  g_assert_cmpuint (strlen ("Execute/Copy on Write/Guard/No cache/WriteCombine"), <, MSC_PROTECTION_LEN);
  /* A short buffer truncates, never overflows. */
  g_assert_cmpstr (msc_protection_string (0x104, small, sizeof small), ==, "Read/Wri");
}

static void
test_perms (void)
{
  char buf[5];

  g_assert_cmpstr (msc_perms_string (0, buf), ==, "");
  g_assert_cmpstr (msc_perms_string (MSC_PERM_READ, buf), ==, "");  /* not KNOWN */
  g_assert_cmpstr (msc_perms_string (MSC_PERM_KNOWN, buf), ==, "---p");
  g_assert_cmpstr (msc_perms_string (MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_SHARED, buf), ==, "r--s");
  g_assert_cmpstr (msc_perms_string (MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_WRITE | MSC_PERM_EXECUTE, buf),
                   ==, "rwxp");

  for (unsigned bits = 0; bits < 16; bits++)
    {
      uint8_t perms = (uint8_t) (MSC_PERM_KNOWN | bits);

      g_assert_cmpuint (msc_perms_from_string (msc_perms_string (perms, buf)), ==, perms);
    }
  g_assert_cmpuint (msc_perms_from_string ("r-xp"), ==, MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_EXECUTE);
  g_assert_cmpuint (msc_perms_from_string ("rw-"), ==, 0);
  g_assert_cmpuint (msc_perms_from_string ("rw-pp"), ==, 0);
  g_assert_cmpuint (msc_perms_from_string ("wr-p"), ==, 0);
  g_assert_cmpuint (msc_perms_from_string ("RW-P"), ==, 0);
  g_assert_cmpuint (msc_perms_from_string (""), ==, 0);
  g_assert_cmpuint (msc_perms_from_string (NULL), ==, 0);
}

static void
test_u64 (void)
{
  char buf[MSC_FORMAT_U64_LEN];
  char small[3];

  g_assert_cmpstr (msc_format_u64 (0, buf, sizeof buf), ==, "0");
  g_assert_cmpstr (msc_format_u64 (7, buf, sizeof buf), ==, "7");
  g_assert_cmpstr (msc_format_u64 (10, buf, sizeof buf), ==, "10");
  g_assert_cmpstr (msc_format_u64 (99, buf, sizeof buf), ==, "99");
  g_assert_cmpstr (msc_format_u64 (100, buf, sizeof buf), ==, "100");
  g_assert_cmpstr (msc_format_u64 (134088372000000000ull, buf, sizeof buf), ==, "134088372000000000");
  g_assert_cmpstr (msc_format_u64 (UINT64_MAX, buf, sizeof buf), ==, "18446744073709551615");
  /* Every value against printf, across digit-count boundaries. */
  for (uint64_t v = 1; v != 0 && v < UINT64_MAX / 3; v = v * 3 + 1)
    {
      char expected[32];

      g_snprintf (expected, sizeof expected, "%" G_GUINT64_FORMAT, v);
      g_assert_cmpstr (msc_format_u64 (v, buf, sizeof buf), ==, expected);
    }
  /* Each side of every power of ten: the digit count is worked out first. */
  for (uint64_t power = 10; ; power *= 10)
    {
      char expected[2][32];

      g_snprintf (expected[0], sizeof expected[0], "%" G_GUINT64_FORMAT, power - 1);
      g_snprintf (expected[1], sizeof expected[1], "%" G_GUINT64_FORMAT, power);
      g_assert_cmpstr (msc_format_u64 (power - 1, buf, sizeof buf), ==, expected[0]);
      g_assert_cmpstr (msc_format_u64 (power, buf, sizeof buf), ==, expected[1]);
      if (power > UINT64_MAX / 10)
        break;
    }
  g_assert_cmpstr (msc_format_u64 (42, small, sizeof small), ==, "42");
  g_assert_cmpstr (msc_format_u64 (420, small, sizeof small), ==, "");
}

static void
test_kb (void)
{
  static const struct {
    uint64_t bytes;
    const char *text;
  } cases[] = {
    { 1, "" },            /* 0.001 KB rounds to 0: blank */
    { 511, "" },          /* 0.499 */
    { 512, "1" },         /* 0.5 rounds up */
    { 1023, "1" },
    { 1024, "1" },
    { 1535, "1" },        /* 1.499 */
    { 1536, "2" },        /* 1.5 */
    { 999 * 1024, "999" },
    { 1000 * 1024, "1,000" },
    { 1094896ull * 1024, "1,094,896" },          /* VMMap's sample Total */
    { 1000000ull * 1024 - 513, "999,999" },
    { 1000000ull * 1024 - 512, "1,000,000" },
    { 137438953472ull * 1024, "137,438,953,472" }, /* 128 TiB */
    { UINT64_MAX, "18,014,398,509,481,984" },    /* 2^54 after rounding */
  };
  char buf[MSC_FORMAT_KB_LEN];
  char small[4];

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (msc_format_kb (cases[i].bytes, 1, buf, sizeof buf), ==, cases[i].text);
  g_assert_cmpstr (msc_format_kb (0, 1, buf, sizeof buf), ==, "");
  g_assert_cmpstr (msc_format_kb (0, 0, buf, sizeof buf), ==, "0");
  g_assert_cmpstr (msc_format_kb (511, 0, buf, sizeof buf), ==, "0");
  g_assert_cmpuint (strlen ("18,014,398,509,481,984"), ==, MSC_FORMAT_KB_LEN - 1);
  g_assert_cmpstr (msc_format_kb (4096, 1, small, sizeof small), ==, "4");
  g_assert_cmpstr (msc_format_kb (1024 * 1024, 1, small, sizeof small), ==, "");
}

/* Committed memory recorded with no protection (a PROT_NONE memfd page in
 * captures written before the scan said "No access") is shown "No access":
 * "Reserved" beside Committed 4 read as a contradiction. */
static void
test_shown_protection (void)
{
  MscRegion region = { .type = MSC_TYPE_SHAREABLE, .size = 4096, .committed = 4096 };
  MscCell cells[MSC_DETAILS_CELLS];

  msc_export_details_cells (&region, 16, cells);
  g_assert_cmpint (cells[11].len, ==, strlen ("No access"));
  g_assert_cmpint (strncmp (cells[11].text, "No access", cells[11].len), ==, 0);
  /* Under 512 bytes the table shows no Committed figure (it rounds to 0 K),
   * and Protection agrees with what is shown. */
  region.committed = 100;
  msc_export_details_cells (&region, 16, cells);
  g_assert_cmpint (strncmp (cells[11].text, "Reserved", cells[11].len), ==, 0);
  region.committed = 0;
  msc_export_details_cells (&region, 16, cells);
  g_assert_cmpint (strncmp (cells[11].text, "Reserved", cells[11].len), ==, 0);
  region.type = MSC_TYPE_FREE;
  region.committed = 4096;
  g_assert_cmpuint (msc_region_shown_protection (&region), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/shown-protection", test_shown_protection);
  g_test_add_func ("/format/type-names", test_type_names);
  g_test_add_func ("/format/region-type-strings", test_region_type_strings);
  g_test_add_func ("/format/type-parse-other-names", test_type_parse_other_names);
  g_test_add_func ("/format/vmmap-codes", test_vmmap_codes);
  g_test_add_func ("/format/protection", test_protection);
  g_test_add_func ("/format/perms", test_perms);
  g_test_add_func ("/format/u64", test_u64);
  g_test_add_func ("/format/kb", test_kb);
  return g_test_run ();
}
