/* msc-mmp-delta.c — expands a SnapshotDelta element (docs/file-formats.md)
 * against the snapshot before it: the allocations it does not name are
 * copied, the ones it names are replaced (row by row, each value given as
 * a step from the row it replaces) or removed. The rows go through the
 * region builder as a Region element's do, so a delta is checked exactly as
 * a full snapshot is, and the reader then stores the snapshot as what
 * changed (docs/snapshot-storage.md).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/msc-mmp-delta.h"

#include "model/core/msc-mmp-delta-encode.h"
#include "model/msc-snapshot.h"

struct _MscMmpDelta {
  /* The element being read. */
  MscMmpSnapshotAttrs attrs;
  guint64             length;
  guint64             check;
  guint               present;      /* bit i: msc_delta_numbers[i] was given */
  char               *attr_problem; /* the first malformed attribute */
  GByteArray         *bytes;        /* the text, base64-decoded */
  gint                b64_state;
  guint               b64_save;
  GString            *details;

  gboolean            seen;         /* a delta was read: the file is one of ours */
  char               *damage;       /* the first damage, located */
  guint               n_lost;       /* snapshots not read for it */
  guint               broken_len;   /* snapshots read before the first damaged delta, + 1;
                                     * 0 while none is */
  gboolean            cut;          /* the document broke: the rest is lost too */
};

static const struct {
  const char *name;
  gsize       offset;
  guint64     max;
  gboolean    u32;     /* a guint32 field, else guint64 */
} msc_delta_numbers[] = {
  { "Timestamp", G_STRUCT_OFFSET (MscMmpDelta, attrs.timestamp), G_MAXUINT64, FALSE },
  { "PageTableSize", G_STRUCT_OFFSET (MscMmpDelta, attrs.page_table_size), G_MAXUINT64, FALSE },
  { "CommitCharge", G_STRUCT_OFFSET (MscMmpDelta, attrs.commit_charge), G_MAXUINT64, FALSE },
  { "Threads", G_STRUCT_OFFSET (MscMmpDelta, attrs.n_threads), G_MAXUINT32, TRUE },
  { "ProcessWorkingSet", G_STRUCT_OFFSET (MscMmpDelta, attrs.process_ws), G_MAXUINT64, FALSE },
  { "Length", G_STRUCT_OFFSET (MscMmpDelta, length), MSC_MMP_DELTA_MAX, FALSE },
  { "Check", G_STRUCT_OFFSET (MscMmpDelta, check), G_MAXUINT32, FALSE },
};

#define MSC_DELTA_LENGTH_CHECK (3u << 5)

MscMmpDelta *
msc_mmp_delta_new (void)
{
  MscMmpDelta *self = g_new0 (MscMmpDelta, 1);

  self->bytes = g_byte_array_new ();
  self->details = g_string_new (NULL);
  return self;
}

static void
msc_mmp_delta_clear_element (MscMmpDelta *self)
{
  g_clear_pointer (&self->attrs.notes, g_free);
  g_clear_pointer (&self->attr_problem, g_free);
}

void
msc_mmp_delta_free (MscMmpDelta *self)
{
  if (self == NULL)
    return;
  msc_mmp_delta_clear_element (self);
  g_byte_array_unref (self->bytes);
  g_string_free (self->details, TRUE);
  g_free (self->damage);
  g_free (self);
}

gboolean
msc_mmp_delta_is_element (const char *local_name)
{
  return strcmp (local_name, "SnapshotDelta") == 0;
}

void
msc_mmp_delta_start (MscMmpDelta *self)
{
  msc_mmp_delta_clear_element (self);
  memset (&self->attrs, 0, sizeof self->attrs);
  self->length = self->check = 0;
  self->present = 0;
  g_byte_array_set_size (self->bytes, 0);
  self->b64_state = 0;
  self->b64_save = 0;
  self->seen = TRUE;
}

void
msc_mmp_delta_attr (MscMmpDelta *self,
                    const char  *name,
                    const char  *value)
{
  g_autoptr(GError) local = NULL;
  guint64 number;

  if (strcmp (name, "Notes") == 0)
    {
      g_free (self->attrs.notes);
      self->attrs.notes = g_strdup (value);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (msc_delta_numbers); i++)
    {
      if (strcmp (name, msc_delta_numbers[i].name) != 0)
        continue;
      if (!g_ascii_string_to_unsigned (value, 10, 0, msc_delta_numbers[i].max, &number, &local))
        {
          if (self->attr_problem == NULL)
            self->attr_problem = g_strdup_printf ("%s=\"%.40s\": %s", name, value, local->message);
          return;
        }
      if (msc_delta_numbers[i].u32)
        *(guint32 *) (gpointer) ((char *) self + msc_delta_numbers[i].offset) = (guint32) number;
      else
        *(guint64 *) (gpointer) ((char *) self + msc_delta_numbers[i].offset) = number;
      self->present |= 1u << i;
      return;
    }
}

void
msc_mmp_delta_text (MscMmpDelta *self,
                    const char  *text,
                    gsize        len)
{
  gsize at = self->bytes->len;

  /* Characters outside base64 (blanks) are skipped; Length and Check
   * catch anything else. */
  g_byte_array_set_size (self->bytes, at + len / 4 * 3 + 3);
  at += g_base64_decode_step (text, len, self->bytes->data + at, &self->b64_state, &self->b64_save);
  g_byte_array_set_size (self->bytes, at);
}

/* ---- the packed changes ---- */

typedef struct {
  const guint8 *bytes;
  gsize         n;
  gsize         pos;
  gboolean      failed;   /* read past the end, or a varint over 64 bits */
} MscDeltaInput;

static guint64
msc_delta_varint (MscDeltaInput *in)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64 && in->pos < in->n; shift += 7)
    {
      guint8 byte = in->bytes[in->pos++];

      v |= (guint64) (byte & 0x7F) << shift;
      if (!(byte & 0x80))
        return v;
    }
  in->failed = TRUE;
  return 0;
}

/* old plus the zig-zag step z, modulo 2^64 as it was taken. */
static guint64
msc_delta_step (guint64 old,
                guint64 z)
{
  return old + ((z >> 1) ^ (guint64) -(gint64) (z & 1));
}

static gboolean
msc_delta_fail (GError    **error,
                const char *problem)
{
  g_set_error (error, MSC_MMP_ERROR, MSC_MMP_ERROR_INVALID, _("SnapshotDelta: %s"), problem);
  return FALSE;
}

/* row with new details, or (details NULL) with those of prev's row ref,
 * which the builder takes by their offset in the pool it shares with prev. */
static gboolean
msc_delta_add (MscRegionBuilder     *out,
               const MscRegion      *row,
               const char           *details,
               const MscRegionTable *prev,
               gsize                 ref,
               GError              **error)
{
  g_autofree char *problem = NULL;
  gboolean ok = details != NULL ? msc_region_builder_add (out, row, details, &problem)
                                : msc_region_builder_add_from (out, row, prev, ref, &problem);

  if (ok)
    return TRUE;
  return msc_delta_fail (error, problem != NULL ? problem : _("the snapshot has more regions than fit in memory"));
}

/* The allocation at prev's top-level row top, unchanged. */
static gboolean
msc_delta_copy (const MscRegionTable *prev,
                gsize                 top,
                MscRegionBuilder     *out,
                GError              **error)
{
  g_autofree char *problem = NULL;

  if (msc_region_builder_copy_allocation (out, prev, top, &problem))
    return TRUE;
  return msc_delta_fail (error, problem != NULL ? problem : _("the snapshot has more regions than fit in memory"));
}

static const char *
msc_delta_read_details (MscMmpDelta   *self,
                        MscDeltaInput *in)
{
  guint64 len = msc_delta_varint (in);

  if (in->failed || len > in->n - in->pos || memchr (in->bytes + in->pos, '\0', len) != NULL
      || !g_utf8_validate_len ((const char *) in->bytes + in->pos, len, NULL))
    return NULL;
  g_string_truncate (self->details, 0);
  g_string_append_len (self->details, (const char *) in->bytes + in->pos, (gssize) len);
  in->pos += len;
  return self->details->str;
}

/* One row of an entry at address: ref (MSC_NO_PARENT: the zero row) with
 * the steps the mask names. */
static gboolean
msc_delta_row (MscMmpDelta          *self,
               MscDeltaInput        *in,
               const MscRegionTable *prev,
               gsize                 ref,
               guint64               address,
               MscRegionBuilder     *out,
               GError              **error)
{
  MscRegion row = { 0 };
  const char *details = "";
  guint64 offset = 0, mask = msc_delta_varint (in);

  if (ref != MSC_NO_PARENT)
    {
      row = msc_region_table_row (prev, ref);
      details = NULL;  /* prev's, unless the row changes them */
      offset = row.address - address;
    }
  if (mask >> (MSC_MMP_DELTA_DETAILS_BIT + 1))
    return msc_delta_fail (error, _("a row says it holds values no SnapshotDelta has"));
  if (mask & (1u << MSC_MMP_DELTA_OFFSET_BIT))
    offset = msc_delta_step (offset, msc_delta_varint (in));
  for (gsize f = 0; f < MSC_REGION_N_FIELDS; f++)
    if ((mask & (1u << MSC_MMP_DELTA_FIELD_BIT (f)))
        && msc_region_field_set (&row, f, msc_delta_step (msc_region_field_get (&row, f), msc_delta_varint (in))) != 0)
      return msc_delta_fail (error, _("a row holds a value too large for its field"));
  if ((mask & (1u << MSC_MMP_DELTA_DETAILS_BIT)) && (details = msc_delta_read_details (self, in)) == NULL)
    return msc_delta_fail (error, _("a row’s Details are cut short or not valid UTF-8"));
  if (in->failed)
    return msc_delta_fail (error, _("the packed changes end inside a row"));
  if (row.flags & ~MSC_MMP_DELTA_FLAGS)
    return msc_delta_fail (error, _("a row holds flags no Region element can say"));
  row.address = address + offset;
  return msc_delta_add (out, &row, details, prev, ref, error);
}

static guint64
msc_delta_top_address (const MscRegionTable *prev,
                       gsize                 k)
{
  return msc_region_table_address (prev, msc_region_table_top_level (prev, k));
}

/* One entry: the allocations before it copied, then its rows. *k: prev's
 * next top-level allocation; *address: the previous entry's (G_MAXUINT64
 * before the first). */
static gboolean
msc_delta_entry (MscMmpDelta          *self,
                 MscDeltaInput        *in,
                 const MscRegionTable *prev,
                 gsize                *k,
                 guint64              *address,
                 MscRegionBuilder     *out,
                 GError              **error)
{
  gsize n_top = msc_region_table_n_top_level (prev), ref = MSC_NO_PARENT, n_ref = 0;
  guint64 gap = msc_delta_varint (in), n_rows = msc_delta_varint (in);
  guint64 at = *address == G_MAXUINT64 ? gap : *address + gap;

  if (in->failed)
    return msc_delta_fail (error, _("the packed changes end inside an entry"));
  if (*address != G_MAXUINT64 && (gap == 0 || at < *address))
    return msc_delta_fail (error, _("its entries are not in address order"));
  *address = at;
  for (; *k < n_top && msc_delta_top_address (prev, *k) < at; ++*k)
    if (!msc_delta_copy (prev, msc_region_table_top_level (prev, *k), out, error))
      return FALSE;
  if (*k < n_top && msc_delta_top_address (prev, *k) == at)
    {
      ref = msc_region_table_top_level (prev, (*k)++);
      n_ref = 1 + msc_region_table_n_children (prev, ref);
    }
  if (n_rows == 0 && ref == MSC_NO_PARENT)
    return msc_delta_fail (error, _("it removes an allocation the snapshot before does not have"));
  /* Every row takes a byte at least: a count past that is damage. */
  if (n_rows > in->n - in->pos)
    return msc_delta_fail (error, _("the packed changes end inside an entry"));
  for (gsize i = 0; i < n_rows; i++)
    if (!msc_delta_row (self, in, prev, i < n_ref ? ref + i : MSC_NO_PARENT, at, out, error))
      return FALSE;
  return TRUE;
}

static gboolean
msc_delta_expand (MscMmpDelta          *self,
                  const MscRegionTable *prev,
                  MscRegionBuilder     *out,
                  GError              **error)
{
  MscDeltaInput in = { self->bytes->data, self->bytes->len, 0, FALSE };
  gsize k = 0, n_top = msc_region_table_n_top_level (prev);
  guint64 address = G_MAXUINT64;

  while (in.pos < in.n)
    if (!msc_delta_entry (self, &in, prev, &k, &address, out, error))
      return FALSE;
  for (; k < n_top; k++)
    if (!msc_delta_copy (prev, msc_region_table_top_level (prev, k), out, error))
      return FALSE;
  return TRUE;
}

/* The element's own soundness: attributes, Length, Check. */
static gboolean
msc_delta_check (MscMmpDelta *self,
                 GError     **error)
{
  if (self->attr_problem != NULL)
    return msc_delta_fail (error, self->attr_problem);
  if ((self->present & MSC_DELTA_LENGTH_CHECK) != MSC_DELTA_LENGTH_CHECK)
    return msc_delta_fail (error, _("Length or Check is missing"));
  if (self->bytes->len != self->length)
    {
      g_autofree char *problem = g_strdup_printf (_("cut short or damaged: %u bytes where Length says %" G_GUINT64_FORMAT),
                                                  self->bytes->len, self->length);

      return msc_delta_fail (error, problem);
    }
  if (msc_crc32 (0, self->bytes->data, self->bytes->len) != self->check)
    return msc_delta_fail (error, _("damaged: its bytes do not match its Check"));
  return TRUE;
}

gboolean
msc_mmp_delta_end (MscMmpDelta   *self,
                   GPtrArray     *snapshots,
                   MscMmpBuilder *builder,
                   GError       **error)
{
  g_autoptr(MscRegionBuilder) regions = NULL;
  const MscRegionTable *prev;

  /* Chained to a damaged delta: nothing to expand it against. */
  if (self->broken_len == snapshots->len + 1)
    {
      self->n_lost++;
      return TRUE;
    }
  if (snapshots->len == 0)
    return msc_delta_fail (error, _("there is no snapshot before it"));
  if (!msc_delta_check (self, error))
    return FALSE;
  prev = msc_snapshot_get_regions (g_ptr_array_index (snapshots, snapshots->len - 1));
  /* In prev's pool: the unchanged rows' details are not looked up again,
   * and the snapshot's delta against prev compares them as numbers. */
  regions = msc_region_builder_new_sharing (prev);
  if (regions == NULL)
    return msc_delta_fail (error, _("the snapshot has more regions than fit in memory"));
  if (!msc_delta_expand (self, prev, regions, error))
    return FALSE;
  builder->open = TRUE;
  builder->attrs = self->attrs;
  self->attrs.notes = NULL;
  builder->regions = g_steal_pointer (&regions);
  return TRUE;
}

void
msc_mmp_delta_set_damage (MscMmpDelta *self,
                          GPtrArray   *snapshots,
                          const char  *message)
{
  self->n_lost++;
  if (self->broken_len == 0)
    self->broken_len = snapshots->len + 1;
  if (self->damage == NULL && message != NULL)
    self->damage = g_strdup (message);
}

gboolean
msc_mmp_delta_take_cut (MscMmpDelta  *self,
                        GPtrArray    *snapshots,
                        const GError *error)
{
  if (!self->seen || !g_error_matches (error, MSC_MMP_ERROR, MSC_MMP_ERROR_MALFORMED))
    return FALSE;
  msc_mmp_delta_set_damage (self, snapshots, error->message);
  self->cut = TRUE;
  return TRUE;
}

void
msc_mmp_delta_finish (MscMmpDelta *self,
                      GPtrArray   *snapshots)
{
  MscSnapshot *last;
  const char *notes;
  g_autofree char *note = NULL;

  if (self->broken_len == 0 || snapshots->len == 0)
    return;
  if (self->damage == NULL)
    self->damage = g_strdup (_("SnapshotDelta: its text could not be read"));
  last = g_ptr_array_index (snapshots, snapshots->len - 1);
  notes = msc_snapshot_get_notes (last);
  if (self->cut)
    note = g_strdup_printf (_("%s%s%s (the snapshots after it could not be read)"),
                            notes != NULL ? notes : "", notes != NULL ? "\n" : "", self->damage);
  else
    note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s%s%s (%u snapshot could not be read)",
                                         "%s%s%s (%u snapshots could not be read)", self->n_lost),
                            notes != NULL ? notes : "", notes != NULL ? "\n" : "", self->damage, self->n_lost);
  msc_snapshot_set_notes (last, note);
}
