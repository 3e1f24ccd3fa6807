/* msc-strings.c — see msc-strings.h.
 *
 * Three trackers scan each piece in tight table-driven loops (no call per
 * byte): ASCII, and UTF-16LE at even and at odd addresses.  GNU strings -el
 * restarts one byte after any character that fails, which amounts to the
 * maximal runs of valid units in both alignments; runs of the two
 * alignments cannot overlap (inside one, every other byte is zero, which is
 * never printable), so this finds exactly what it finds.
 *
 * Each tracker's hits are in address order; after each piece the three
 * lists are merged.  A string completes before any string starting after
 * it can (for a minimum length ≥ 2: a UTF-16 run holds no two consecutive
 * printable bytes, an ASCII run no zero byte), so batches come out in
 * address order across pieces too.
 */
#include "config.h"

#include "model/msc-strings.h"

#include <string.h>

#define MSC_BATCH_HITS 4096
#define MSC_BATCH_TEXT (256 * 1024)

#if defined(__GNUC__)
#define MSC_ALWAYS_INLINE static inline __attribute__ ((always_inline))
#else
#define MSC_ALWAYS_INLINE static inline
#endif

struct _MscStringsBatch {
  gatomicrefcount ref_count;
  guint n_hits;
  MscStringHit *hits;
  char *text;
};

G_DEFINE_BOXED_TYPE (MscStringsBatch, msc_strings_batch, msc_strings_batch_ref, msc_strings_batch_unref)

typedef struct {
  guint64 address;
  guint32 length;
  guint32 text;           /* offset in the pool */
  guint8 encoding;
} MscPending;

/* A run still open at the end of the last piece. */
typedef struct {
  guint64 start;
  guint64 next;           /* address where its next character must start */
  guint32 length;         /* characters so far; 0 = none open */
  guint32 n_text;
  char text[MSC_STRINGS_MAX_TEXT];
} MscOpenRun;

typedef struct {
  MscOpenRun open;
  GArray *found;          /* MscPending of the current piece */
  guint8 encoding;
} MscTracker;

enum { MSC_TRACK_ASCII, MSC_TRACK_UTF16_EVEN, MSC_TRACK_UTF16_ODD, MSC_N_TRACKERS };

struct _MscStrings {
  guint min_length;
  MscStringsFunc func;
  gpointer user_data;
  MscTracker trackers[MSC_N_TRACKERS];
  GArray *pending;        /* MscPending merged, in address order */
  char *pool;
  gsize pool_len;
  gsize pool_cap;
  guint64 end;            /* address after the last piece */
  gboolean have_last;     /* last_byte may start a UTF-16 unit across pieces */
  guint8 last_byte;
  guint64 n_found;
  guint64 n_encoded[2];   /* by MscStringEncoding, handed over */
};

/* 0x20–0x7e and tab: STRING_ISGRAPHIC of GNU strings in 7-bit mode. */
static guint8 msc_printable[256];

static void
msc_printable_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint c = 0x20; c < 0x7f; c++)
        msc_printable[c] = 1;
      msc_printable['\t'] = 1;
      g_once_init_leave (&done, 1);
    }
}

MscStringsBatch *
msc_strings_batch_ref (MscStringsBatch *batch)
{
  g_atomic_ref_count_inc (&batch->ref_count);
  return batch;
}

void
msc_strings_batch_unref (MscStringsBatch *batch)
{
  if (!g_atomic_ref_count_dec (&batch->ref_count))
    return;
  g_free (batch->hits);
  g_free (batch->text);
  g_free (batch);
}

guint
msc_strings_batch_get_length (MscStringsBatch *batch)
{
  return batch->n_hits;
}

const MscStringHit *
msc_strings_batch_get_hits (MscStringsBatch *batch)
{
  return batch->hits;
}

const char *
msc_string_encoding_to_string (MscStringEncoding encoding)
{
  return encoding == MSC_STRING_UTF16LE ? "utf-16le" : "ascii";
}

/* ---- text pool and hits ---- */

/* Copies up to MSC_STRINGS_MAX_TEXT - have characters taken every
 * `stride` bytes; returns how many. */
static gsize
msc_copy_chars (char *out, gsize have, const guint8 *chars, gsize n, guint stride)
{
  gsize room = MSC_STRINGS_MAX_TEXT - have;

  if (n > room)
    n = room;
  if (stride == 1)
    memcpy (out + have, chars, n);
  else
    for (gsize k = 0; k < n; k++)
      out[have + k] = (char) chars[k * 2];
  return n;
}

static guint32
msc_pool_add (MscStrings *self, const guint8 *chars, gsize n, guint stride)
{
  gsize offset = self->pool_len;

  if (self->pool_len + MSC_STRINGS_MAX_TEXT + 1 > self->pool_cap)
    {
      self->pool_cap = MAX (self->pool_cap * 2, MSC_BATCH_TEXT + MSC_STRINGS_MAX_TEXT + 1);
      self->pool = g_realloc (self->pool, self->pool_cap);
    }
  n = msc_copy_chars (self->pool + offset, 0, chars, n, stride);
  self->pool[offset + n] = '\0';
  self->pool_len += n + 1;
  return (guint32) offset;
}

static void
msc_hit (MscStrings *self, MscTracker *tracker, guint64 address, gsize length,
         const guint8 *chars, gsize n_chars, guint stride)
{
  MscPending hit = { address, (guint32) MIN (length, G_MAXUINT32), 0, tracker->encoding };

  hit.text = msc_pool_add (self, chars, n_chars, stride);
  g_array_append_val (tracker->found, hit);
}

/* ---- open runs (across pieces) ---- */

static void
msc_run_close (MscStrings *self, MscTracker *tracker)
{
  MscOpenRun *run = &tracker->open;

  if (run->length >= self->min_length)
    msc_hit (self, tracker, run->start, run->length, (const guint8 *) run->text, run->n_text, 1);
  run->length = 0;
}

static void
msc_run_extend (MscTracker *tracker, const guint8 *chars, gsize n, guint stride, guint64 next)
{
  MscOpenRun *run = &tracker->open;

  run->n_text += (guint32) msc_copy_chars (run->text, run->n_text, chars, n, stride);
  run->length = (guint32) MIN ((guint64) run->length + n, G_MAXUINT32);
  run->next = next;
}

static void
msc_run_open (MscTracker *tracker, guint64 start, const guint8 *chars, gsize n, guint stride, guint64 next)
{
  tracker->open.start = start;
  tracker->open.length = 0;
  tracker->open.n_text = 0;
  msc_run_extend (tracker, chars, n, stride, next);
}

/* ---- the scan ---- */

#define MSC_UNIT_OK(d, i, stride) (msc_printable[(d)[i]] && ((stride) == 1 || (d)[(i) + 1] == 0))

/* Scans the units at d[i], d[i + stride], ... below limit (a UTF-16 unit
 * also reads the byte after it).  Inlined with a constant stride, so each
 * encoding gets its own tight loops. */
MSC_ALWAYS_INLINE void
msc_scan (MscStrings *self, MscTracker *tracker, guint64 base, const guint8 *d, gsize i, gsize limit,
          const guint stride)
{
  if (tracker->open.length > 0 && tracker->open.next == base + i)
    {
      gsize j = i;

      while (j < limit && MSC_UNIT_OK (d, j, stride))
        j += stride;
      msc_run_extend (tracker, d + i, (j - i) / stride, stride, base + j);
      if (j >= limit)
        return;
      msc_run_close (self, tracker);
      i = j + stride;
    }
  else if (tracker->open.length > 0)
    msc_run_close (self, tracker);
  while (i < limit)
    {
      gsize start;

      while (i < limit && !MSC_UNIT_OK (d, i, stride))
        i += stride;
      if (i >= limit)
        break;
      start = i;
      while (i < limit && MSC_UNIT_OK (d, i, stride))
        i += stride;
      if (i >= limit)
        {
          msc_run_open (tracker, base + start, d + start, (i - start) / stride, stride, base + i);
          return;
        }
      if ((i - start) / stride >= self->min_length)
        msc_hit (self, tracker, base + start, (i - start) / stride, d + start, (i - start) / stride, stride);
      i += stride;
    }
}

/* The UTF-16 unit made of the previous piece's last byte and this one's
 * first. */
static void
msc_scan_straddle (MscStrings *self, guint64 base, const guint8 *data)
{
  guint64 at = base - 1;
  MscTracker *tracker = &self->trackers[MSC_TRACK_UTF16_EVEN + (at & 1)];

  if (!msc_printable[self->last_byte] || data[0] != 0)
    msc_run_close (self, tracker);
  else if (tracker->open.length > 0 && tracker->open.next == at)
    msc_run_extend (tracker, &self->last_byte, 1, 1, at + 2);
  else
    {
      msc_run_close (self, tracker);
      msc_run_open (tracker, at, &self->last_byte, 1, 1, at + 2);
    }
}

static void
msc_close_all (MscStrings *self)
{
  for (guint t = 0; t < MSC_N_TRACKERS; t++)
    msc_run_close (self, &self->trackers[t]);
  self->have_last = FALSE;
}

/* Appends the smallest head of the trackers' lists until all are used. */
static void
msc_merge_found (MscStrings *self)
{
  guint next[MSC_N_TRACKERS] = { 0 };

  for (;;)
    {
      MscTracker *best = NULL;
      guint best_t = 0;

      for (guint t = 0; t < MSC_N_TRACKERS; t++)
        {
          GArray *found = self->trackers[t].found;

          if (next[t] < found->len
              && (best == NULL || g_array_index (found, MscPending, next[t]).address
                                    < g_array_index (best->found, MscPending, next[best_t]).address))
            {
              best = &self->trackers[t];
              best_t = t;
            }
        }
      if (best == NULL)
        break;
      g_array_append_val (self->pending, g_array_index (best->found, MscPending, next[best_t]));
      next[best_t]++;
    }
  for (guint t = 0; t < MSC_N_TRACKERS; t++)
    g_array_set_size (self->trackers[t].found, 0);
}

static void
msc_after_piece (MscStrings *self)
{
  msc_merge_found (self);
  if (self->pending->len >= MSC_BATCH_HITS || self->pool_len >= MSC_BATCH_TEXT)
    msc_strings_flush (self);
}

void
msc_strings_feed (MscStrings *self, guint64 address, const guint8 *data, gsize size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || size == 0);

  if (size == 0)
    return;
  if (address != self->end)
    msc_close_all (self);
  else if (self->have_last)
    msc_scan_straddle (self, address, data);
  msc_scan (self, &self->trackers[MSC_TRACK_ASCII], address, data, 0, size, 1);
  for (guint parity = 0; parity < 2; parity++)
    msc_scan (self, &self->trackers[MSC_TRACK_UTF16_EVEN + parity], address, data,
              (gsize) ((parity - address) & 1), size - 1, 2);
  self->have_last = TRUE;
  self->last_byte = data[size - 1];
  self->end = address + size;
  msc_after_piece (self);
}

void
msc_strings_flush (MscStrings *self)
{
  MscStringsBatch *batch;

  if (self->pending->len == 0)
    return;
  batch = g_new0 (MscStringsBatch, 1);
  g_atomic_ref_count_init (&batch->ref_count);
  batch->n_hits = self->pending->len;
  batch->hits = g_new (MscStringHit, batch->n_hits);
  batch->text = self->pool;
  for (guint k = 0; k < batch->n_hits; k++)
    {
      const MscPending *p = &g_array_index (self->pending, MscPending, k);

      batch->hits[k] = (MscStringHit) { p->address, p->length, p->encoding, batch->text + p->text };
      self->n_encoded[p->encoding]++;
    }
  self->n_found += batch->n_hits;
  g_array_set_size (self->pending, 0);
  self->pool = NULL;
  self->pool_len = self->pool_cap = 0;
  if (self->func != NULL)
    self->func (batch, self->user_data);
  msc_strings_batch_unref (batch);
}

void
msc_strings_finish (MscStrings *self)
{
  g_return_if_fail (self != NULL);

  msc_close_all (self);
  msc_merge_found (self);
  msc_strings_flush (self);
}

guint64
msc_strings_get_n_found (MscStrings *self)
{
  return self->n_found + self->pending->len;
}

guint64
msc_strings_get_n_encoded (MscStrings *self, MscStringEncoding encoding)
{
  g_return_val_if_fail (encoding <= MSC_STRING_UTF16LE, 0);
  return self->n_encoded[encoding];
}

MscStrings *
msc_strings_new (guint min_length, MscStringsFunc func, gpointer user_data)
{
  MscStrings *self = g_new0 (MscStrings, 1);

  msc_printable_init ();
  self->min_length = MAX (min_length, 1);
  self->func = func;
  self->user_data = user_data;
  self->pending = g_array_new (FALSE, FALSE, sizeof (MscPending));
  for (guint t = 0; t < MSC_N_TRACKERS; t++)
    {
      self->trackers[t].found = g_array_new (FALSE, FALSE, sizeof (MscPending));
      self->trackers[t].encoding = t == MSC_TRACK_ASCII ? MSC_STRING_ASCII : MSC_STRING_UTF16LE;
    }
  self->end = G_MAXUINT64;  /* the first piece continues nothing */
  return self;
}

void
msc_strings_free (MscStrings *self)
{
  if (self == NULL)
    return;
  for (guint t = 0; t < MSC_N_TRACKERS; t++)
    g_array_unref (self->trackers[t].found);
  g_array_unref (self->pending);
  g_free (self->pool);
  g_free (self);
}
