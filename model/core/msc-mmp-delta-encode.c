/* msc-mmp-delta-encode.c — a snapshot as a SnapshotDelta element: the
 * allocations that changed since the snapshot before it, each row packed
 * as the fields that differ from the row it replaces (docs/file-formats.md).
 *
 * What is compared is what the .mmp reader would read back from a Region
 * line (rows the writer leaves out are left out, Details as the XML gives
 * it back, only the flags a Region says): so a delta expands to exactly the
 * snapshot a full Snapshot element would give, and saving what was loaded
 * writes the same bytes.
 */
#include "model/core/msc-mmp-delta-encode.h"

#include <stdlib.h>
#include <string.h>

#include "model/core/msc-format.h"

/* ---- bytes ---- */

typedef struct {
  uint8_t *bytes;
  size_t   length;
  size_t   capacity;
  int      failed;
} MscBytes;

static void
msc_bytes_put (MscBytes *b, const void *data, size_t n)
{
  if (b->failed)
    return;
  if (b->length + n > b->capacity)
    {
      size_t cap = b->capacity ? b->capacity : 256;
      uint8_t *grown;

      while (cap < b->length + n)
        cap *= 2;
      grown = realloc (b->bytes, cap);
      if (grown == NULL)
        {
          b->failed = 1;
          return;
        }
      b->bytes = grown;
      b->capacity = cap;
    }
  if (n > 0)
    memcpy (b->bytes + b->length, data, n);
  b->length += n;
}

static void
msc_bytes_write_cb (void *user, const char *data, size_t n)
{
  msc_bytes_put (user, data, n);
}

static void
msc_bytes_varint (MscBytes *b, uint64_t v)
{
  uint8_t digits[10];
  size_t n = 0;

  do
    {
      digits[n] = v & 0x7F;
      v >>= 7;
      digits[n++] |= v ? 0x80 : 0;
    }
  while (v);
  msc_bytes_put (b, digits, n);
}

/* new − old as a signed step, zig-zag: small either way. */
static uint64_t
msc_zigzag (uint64_t new_value, uint64_t old_value)
{
  uint64_t d = new_value - old_value;

  return (d << 1) ^ (uint64_t) -(int64_t) (d >> 63);
}

uint32_t
msc_crc32 (uint32_t crc, const uint8_t *bytes, size_t n)
{
  crc = ~crc;
  for (size_t i = 0; i < n; i++)
    {
      crc ^= bytes[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
    }
  return ~crc;
}

/* ---- an allocation as the reader reads it back ---- */

typedef struct {
  MscRegion *rows;
  size_t    *details;   /* offsets into text, NUL-terminated */
  size_t     n_rows;
  size_t     capacity;
  MscBytes   text;
  int        failed;
} MscNormAllocation;

static void
msc_norm_clear (MscNormAllocation *a)
{
  free (a->rows);
  free (a->details);
  free (a->text.bytes);
}

/* The reader's rules (msc-mmp-reader.c): sub-blocks say no Blocks, Pss and
 * Perms only when known, ASLR and shareable heap through Type, a 64-bit
 * stack through Details. */
static void
msc_norm_row (MscRegion *r, const char *details)
{
  uint16_t keep = MSC_REGION_SUBBLOCK | MSC_REGION_WS_UNKNOWN | MSC_REGION_NORESERVE | MSC_REGION_PSS_KNOWN
                  | MSC_REGION_LOCKED_UNKNOWN | MSC_REGION_PRIVATE_UNKNOWN;
  char perms[5];

  if (r->flags & MSC_REGION_SUBBLOCK)
    r->blocks = 0;
  if (!(r->flags & MSC_REGION_PSS_KNOWN))
    r->pss = 0;
  r->perms = (r->perms & MSC_PERM_KNOWN) ? msc_perms_from_string (msc_perms_string (r->perms, perms)) : 0;
  if (r->type == MSC_TYPE_IMAGE)
    keep |= MSC_REGION_ASLR;
  if (r->type == MSC_TYPE_HEAP)
    keep |= MSC_REGION_SHAREABLE_HEAP;
  r->flags &= keep;
  if (r->type == MSC_TYPE_STACK && strstr (details, "64-bit thread stack") != NULL)
    r->flags |= MSC_REGION_STACK64;
}

static int
msc_norm_reserve (MscNormAllocation *a, size_t n)
{
  MscRegion *rows;
  size_t *details;

  if (n <= a->capacity)
    return 0;
  rows = realloc (a->rows, n * sizeof *rows);
  if (rows != NULL)
    a->rows = rows;
  details = realloc (a->details, n * sizeof *details);
  if (details != NULL)
    a->details = details;
  if (rows == NULL || details == NULL)
    return -1;
  a->capacity = n;
  return 0;
}

/* table's allocation at top-level row top, as msc_mmp_write() writes it:
 * Free and Unusable without sub-blocks. */
static void
msc_norm_allocation (MscNormAllocation *a, const MscRegionTable *table, size_t top)
{
  MscRegion head = msc_region_table_row (table, top);
  size_t n = 1;

  if (head.type != MSC_TYPE_FREE && head.type != MSC_TYPE_UNUSABLE)
    n += msc_region_table_n_children (table, top);
  a->n_rows = 0;
  a->text.length = 0;
  if (msc_norm_reserve (a, n) != 0)
    {
      a->failed = 1;
      return;
    }
  for (size_t i = 0; i < n; i++)
    {
      a->details[i] = a->text.length;
      msc_xml_text_each (msc_region_table_details (table, top + i), 0, msc_bytes_write_cb, &a->text);
      msc_bytes_put (&a->text, "", 1);
    }
  a->failed |= a->text.failed;
  for (size_t i = 0; i < n && !a->failed; i++)
    {
      a->rows[i] = msc_region_table_row (table, top + i);
      msc_norm_row (&a->rows[i], (const char *) a->text.bytes + a->details[i]);
    }
  a->n_rows = a->failed ? 0 : n;
}

static const char *
msc_norm_details (const MscNormAllocation *a, size_t i)
{
  return (const char *) a->text.bytes + a->details[i];
}

static int
msc_norm_equal (const MscNormAllocation *a, const MscNormAllocation *b)
{
  if (a->n_rows != b->n_rows)
    return 0;
  for (size_t i = 0; i < a->n_rows; i++)
    if (memcmp (&a->rows[i], &b->rows[i], sizeof a->rows[i]) != 0
        || strcmp (msc_norm_details (a, i), msc_norm_details (b, i)) != 0)
      return 0;
  return 1;
}

/* ---- the packed body ---- */

typedef struct {
  MscBytes          body;
  uint64_t          last;   /* the previous entry's address */
  MscNormAllocation old;    /* prev's allocation at the entry's address */
  MscNormAllocation now;    /* next's */
} MscDeltaEncoder;

/* A row: its mask, then each value that differs from ref's (NULL: the
 * zero row, empty Details). Addresses are offsets from the entry's. */
static void
msc_put_row (MscBytes *b, uint64_t address, const MscRegion *ref, const char *ref_details,
             const MscRegion *row, const char *details)
{
  static const MscRegion zero;
  uint64_t mask = 0, offset = row->address - address, ref_offset;

  if (ref == NULL)
    ref = &zero, ref_details = "";
  /* The zero row lies at the entry's address. */
  ref_offset = ref == &zero ? 0 : ref->address - address;
  if (offset != ref_offset)
    mask |= 1u << MSC_MMP_DELTA_OFFSET_BIT;
  for (size_t f = 0; f < MSC_REGION_N_FIELDS; f++)
    if (msc_region_field_get (row, f) != msc_region_field_get (ref, f))
      mask |= 1u << MSC_MMP_DELTA_FIELD_BIT (f);
  if (strcmp (details, ref_details) != 0)
    mask |= 1u << MSC_MMP_DELTA_DETAILS_BIT;
  msc_bytes_varint (b, mask);
  if (mask & (1u << MSC_MMP_DELTA_OFFSET_BIT))
    msc_bytes_varint (b, msc_zigzag (offset, ref_offset));
  for (size_t f = 0; f < MSC_REGION_N_FIELDS; f++)
    if (mask & (1u << MSC_MMP_DELTA_FIELD_BIT (f)))
      msc_bytes_varint (b, msc_zigzag (msc_region_field_get (row, f), msc_region_field_get (ref, f)));
  if (mask & (1u << MSC_MMP_DELTA_DETAILS_BIT))
    {
      size_t n = strlen (details);

      msc_bytes_varint (b, n);
      msc_bytes_put (b, details, n);
    }
}

/* The entry for the allocation at address: old (NULL: added) becomes now
 * (NULL: removed). */
static void
msc_put_entry (MscDeltaEncoder *e, uint64_t address, const MscNormAllocation *old, const MscNormAllocation *now)
{
  msc_bytes_varint (&e->body, address - e->last);
  e->last = address;
  msc_bytes_varint (&e->body, now != NULL ? now->n_rows : 0);
  for (size_t i = 0; now != NULL && i < now->n_rows; i++)
    {
      int has_ref = old != NULL && i < old->n_rows;

      msc_put_row (&e->body, address, has_ref ? &old->rows[i] : NULL, has_ref ? msc_norm_details (old, i) : NULL,
                   &now->rows[i], msc_norm_details (now, i));
    }
}

/* k-th top-level row of table past the page tables the writer leaves
 * out, or MSC_NO_PARENT at the end. */
static size_t
msc_next_top (const MscRegionTable *table, size_t *k)
{
  size_t top;

  while ((top = msc_region_table_top_level (table, *k)) != MSC_NO_PARENT
         && msc_region_table_type (table, top) == MSC_TYPE_PAGE_TABLE)
    ++*k;
  return top;
}

/* Both allocations at one address: an entry only when they read back
 * differently. */
static void
msc_encode_pair (MscDeltaEncoder *e, const MscRegionTable *prev, size_t tp, const MscRegionTable *next, size_t tn)
{
  if (msc_region_same_allocation (prev, tp, next, tn))
    return;
  msc_norm_allocation (&e->old, prev, tp);
  msc_norm_allocation (&e->now, next, tn);
  if (!msc_norm_equal (&e->old, &e->now))
    msc_put_entry (e, e->now.rows[0].address, &e->old, &e->now);
}

static void
msc_encode (MscDeltaEncoder *e, const MscRegionTable *prev, const MscRegionTable *next)
{
  size_t kp = 0, kn = 0;

  while (!e->body.failed && !e->old.failed && !e->now.failed)
    {
      size_t tp = msc_next_top (prev, &kp), tn = msc_next_top (next, &kn);
      uint64_t ap = tp != MSC_NO_PARENT ? msc_region_table_address (prev, tp) : UINT64_MAX;
      uint64_t an = tn != MSC_NO_PARENT ? msc_region_table_address (next, tn) : UINT64_MAX;

      if (tp == MSC_NO_PARENT && tn == MSC_NO_PARENT)
        break;
      if (tn == MSC_NO_PARENT || (tp != MSC_NO_PARENT && ap < an))
        {
          msc_put_entry (e, ap, NULL, NULL);
          kp++;
        }
      else if (tp == MSC_NO_PARENT || an < ap)
        {
          msc_norm_allocation (&e->now, next, tn);
          msc_put_entry (e, an, NULL, &e->now);
          kn++;
        }
      else
        {
          msc_encode_pair (e, prev, tp, next, tn);
          kp++;
          kn++;
        }
    }
}

/* ---- the element ---- */

static void
msc_put_base64 (MscOutput *out, const uint8_t *bytes, size_t n)
{
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  for (size_t i = 0; i < n && !out->failed;)
    {
      char *p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX);

      if (p == NULL)
        return;
      for (size_t line = 0; i < n && line < MSC_OUTPUT_LINE_MAX / 4; line++, i += 3)
        {
          uint32_t v = (uint32_t) bytes[i] << 16;

          v |= i + 1 < n ? (uint32_t) bytes[i + 1] << 8 : 0;
          v |= i + 2 < n ? bytes[i + 2] : 0;
          *p++ = digits[v >> 18];
          *p++ = digits[(v >> 12) & 63];
          *p++ = i + 1 < n ? digits[(v >> 6) & 63] : '=';
          *p++ = i + 2 < n ? digits[v & 63] : '=';
        }
      msc_output_commit (out, p);
    }
}

int
msc_mmp_delta_write (MscOutput *out, const MscCaptureSnapshot *snapshot, const MscRegionTable *prev,
                     const MscRegionTable *next)
{
  MscDeltaEncoder e = { 0 };
  int failed;

  if (prev == NULL || next == NULL || !msc_region_table_is_ordered (prev) || !msc_region_table_is_ordered (next))
    return -1;
  msc_encode (&e, prev, next);
  failed = e.body.failed || e.old.failed || e.now.failed || e.body.length > MSC_MMP_DELTA_MAX;
  if (!failed)
    {
      msc_mmp_snapshot_attrs (out, "SnapshotDelta", snapshot);
      msc_mmp_number_attr (out, " Length=\"", e.body.length);
      msc_mmp_number_attr (out, " Check=\"", msc_crc32 (0, e.body.bytes, e.body.length));
      if (e.body.length == 0)
        msc_output_str (out, "/>\n");
      else
        {
          msc_output_write (out, ">", 1);
          msc_put_base64 (out, e.body.bytes, e.body.length);
          msc_output_str (out, "</SnapshotDelta>\n");
        }
    }
  free (e.body.bytes);
  msc_norm_clear (&e.old);
  msc_norm_clear (&e.now);
  return failed ? -1 : 0;
}
