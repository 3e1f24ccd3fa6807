/* msc-format.c — the names and strings VMMap shows, both ways. */
#include "model/core/msc-format.h"

#include <string.h>

#include "model/core/msc-output.h"

/* Summary names, in MscUseType order (VMMap's summary order). */
static const char *const msc_use_type_names[MSC_N_TYPES] = {
  "Image", "Mapped File", "Shareable", "Heap", "Managed Heap",
  "Stack", "Private Data", "Page Table", "Unusable", "Free",
};

/* VMMap's .mmp UseType codes (PerfView's enum UseType); 7 is our guess for
 * the code PerfView leaves unnamed (docs/file-formats.md). */
static const int msc_vmmap_codes[MSC_N_TYPES] = {
  [MSC_TYPE_IMAGE] = 2,
  [MSC_TYPE_MAPPED_FILE] = 3,
  [MSC_TYPE_SHAREABLE] = 5,
  [MSC_TYPE_HEAP] = 0,
  [MSC_TYPE_MANAGED_HEAP] = 8,
  [MSC_TYPE_STACK] = 1,
  [MSC_TYPE_PRIVATE_DATA] = 4,
  [MSC_TYPE_PAGE_TABLE] = 7,
  [MSC_TYPE_UNUSABLE] = 10,
  [MSC_TYPE_FREE] = 6,
};

const char *
msc_use_type_name (MscUseType type)
{
  if ((unsigned) type >= MSC_N_TYPES)
    return "Unknown";
  return msc_use_type_names[type];
}

const char *
msc_region_type_string (const MscRegion *region)
{
  switch (region->type)
    {
    case MSC_TYPE_IMAGE:
      return (region->flags & MSC_REGION_ASLR) ? "Image (ASLR)" : "Image";
    case MSC_TYPE_HEAP:
      return (region->flags & MSC_REGION_SHAREABLE_HEAP) ? "Heap (Shareable)" : "Heap (Private Data)";
    case MSC_TYPE_STACK:
      /* A WOW64 process's 64-bit stack is still "Thread Stack"; VMMap puts
       * "64-bit thread stack" in Details. */
      return "Thread Stack";
    default:
      return msc_use_type_name ((MscUseType) region->type);
    }
}

int
msc_use_type_from_string (const char *text, uint16_t *flags)
{
  static const struct {
    const char *text;
    MscUseType type;
    uint16_t flags;
  } names[] = {
    { "Image (ASLR)", MSC_TYPE_IMAGE, MSC_REGION_ASLR },
    { "Heap (Private Data)", MSC_TYPE_HEAP, 0 },
    { "Heap (Shareable)", MSC_TYPE_HEAP, MSC_REGION_SHAREABLE_HEAP },
    { "Thread Stack", MSC_TYPE_STACK, 0 },
    /* VMMap's older help calls these "Private" and "System". */
    { "Private", MSC_TYPE_PRIVATE_DATA, 0 },
    { "System", MSC_TYPE_PAGE_TABLE, 0 },
  };

  if (text == NULL)
    return -1;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (msc_ascii_equal (text, names[i].text))
      {
        if (flags != NULL)
          *flags |= names[i].flags;
        return (int) names[i].type;
      }
  for (int type = 0; type < MSC_N_TYPES; type++)
    if (msc_ascii_equal (text, msc_use_type_names[type]))
      return type;
  return -1;
}

int
msc_use_type_to_vmmap_code (MscUseType type)
{
  if ((unsigned) type >= MSC_N_TYPES)
    return -1;
  return msc_vmmap_codes[type];
}

int
msc_use_type_from_vmmap_code (int code)
{
  for (int type = 0; type < MSC_N_TYPES; type++)
    if (msc_vmmap_codes[type] == code)
      return type;
  return -1;
}

uint32_t
msc_thread_id_from_details (const char *details)
{
  static const char label[] = "Thread ID: ";
  const char *p = strstr (details, label);
  uint64_t value = 0;

  if (p == NULL)
    return 0;
  for (p += sizeof label - 1; *p >= '0' && *p <= '9' && value <= UINT32_MAX; p++)
    value = value * 10 + (uint64_t) (*p - '0');
  return value <= UINT32_MAX ? (uint32_t) value : 0;
}

/* Copies src after buf[*used], truncating at len - 1. */
static void
msc_append (char *buf, size_t len, size_t *used, const char *src)
{
  size_t n = strlen (src);

  if (*used + 1 >= len)
    return;
  if (n > len - 1 - *used)
    n = len - 1 - *used;
  memcpy (buf + *used, src, n);
  *used += n;
  buf[*used] = '\0';
}

const char *
msc_protection_string (uint32_t protection, char *buf, size_t len)
{
  /* The words VMMap uses (formats.md §3.3, from a real CSV; note the capital
   * W of "Execute/Copy on Write" next to "Copy on write"). */
  static const struct {
    uint32_t value;
    const char *text;
  } bases[] = {
    { MSC_PAGE_NOACCESS, "No access" },
    { MSC_PAGE_READONLY, "Read" },
    { MSC_PAGE_READWRITE, "Read/Write" },
    { MSC_PAGE_WRITECOPY, "Copy on write" },
    { MSC_PAGE_EXECUTE, "Execute" },
    { MSC_PAGE_EXECUTE_READ, "Execute/Read" },
    { MSC_PAGE_EXECUTE_READWRITE, "Execute/Read/Write" },
    { MSC_PAGE_EXECUTE_WRITECOPY, "Execute/Copy on Write" },
  };
  const uint32_t modifiers = MSC_PAGE_GUARD | MSC_PAGE_NOCACHE | MSC_PAGE_WRITECOMBINE;
  const char *base = NULL;
  size_t used = 0;

  if (protection == 0)
    return "Reserved";
  for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
    if ((protection & 0xFF) == bases[i].value)
      base = bases[i].text;
  if (len == 0)
    return "";
  buf[0] = '\0';
  if (base == NULL || (protection & ~(0xFFu | modifiers)) != 0)
    {
      char hex[2 + 16 + 1];
      char *end = msc_put_hex (MSC_PUT_LIT (hex, "0x"), protection, 1);

      *end = '\0';
      msc_append (buf, len, &used, hex);
      return buf;
    }
  if ((protection & modifiers) == 0)
    return base;
  msc_append (buf, len, &used, base);
  if (protection & MSC_PAGE_GUARD)
    msc_append (buf, len, &used, "/Guard");
  if (protection & MSC_PAGE_NOCACHE)
    msc_append (buf, len, &used, "/No cache");
  if (protection & MSC_PAGE_WRITECOMBINE)
    msc_append (buf, len, &used, "/WriteCombine");
  return buf;
}

const char *
msc_perms_string (uint8_t perms, char buf[5])
{
  if (!(perms & MSC_PERM_KNOWN))
    {
      buf[0] = '\0';
      return buf;
    }
  buf[0] = (perms & MSC_PERM_READ) ? 'r' : '-';
  buf[1] = (perms & MSC_PERM_WRITE) ? 'w' : '-';
  buf[2] = (perms & MSC_PERM_EXECUTE) ? 'x' : '-';
  buf[3] = (perms & MSC_PERM_SHARED) ? 's' : 'p';
  buf[4] = '\0';
  return buf;
}

uint8_t
msc_perms_from_string (const char *text)
{
  static const char yes[] = "rwxs", no[] = "---p";
  static const uint8_t bits[] = { MSC_PERM_READ, MSC_PERM_WRITE, MSC_PERM_EXECUTE, MSC_PERM_SHARED };
  uint8_t perms = MSC_PERM_KNOWN;

  if (text == NULL)
    return 0;
  for (int i = 0; i < 4; i++)
    {
      if (text[i] == yes[i])
        perms |= bits[i];
      else if (text[i] != no[i])
        return 0;
    }
  return text[4] == '\0' ? perms : 0;
}

/* Copies the text in [tmp, end) to buf as a string; "" if it does not fit. */
static char *
msc_format_finish (const char *tmp, const char *end, char *buf, size_t len)
{
  size_t n = (size_t) (end - tmp);

  if (len == 0)
    return buf;
  if (n >= len)
    n = 0;
  memcpy (buf, tmp, n);
  buf[n] = '\0';
  return buf;
}

char *
msc_format_u64 (uint64_t value, char *buf, size_t len)
{
  char tmp[MSC_FORMAT_U64_LEN];

  return msc_format_finish (tmp, msc_put_u64 (tmp, value), buf, len);
}

uint64_t
msc_round_kb (uint64_t bytes)
{
  return msc_bytes_to_kb (bytes);
}

char *
msc_format_kb (uint64_t bytes, int blank_zero, char *buf, size_t len)
{
  char tmp[MSC_FORMAT_KB_LEN];

  return msc_format_finish (tmp, msc_put_kb (tmp, bytes, blank_zero), buf, len);
}
