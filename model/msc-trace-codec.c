/* msc-trace-codec.c — see msc-trace-codec.h.  One event, before zlib:
 *
 *   byte    op | 0x20 when extra fields follow | 0x40 when the thread changed
 *   varint  time delta (ns, from the previous event of the run; the first:
 *           from trace time 0)  — events arrive per thread, so it may be
 *           negative: zig-zag
 *   varint  thread index, only with 0x40
 *   varint  address delta from the previous event's, zig-zag
 *   varint  size, stack node  — not for free (no size, no stack)
 *   extra:  varint flags, zig-zag error, zig-zag old_address - address,
 *           varint old_size
 *
 * A malloc/free pair of a loop packs to about 8 bytes and compresses to
 * about 3.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/msc-trace-codec.h"

#define MSC_EXTRA 0x20
#define MSC_THREAD 0x40

/* The longest an event packs to: its head and eight 10-byte varints. */
#define MSC_EVENT_MAX (1 + 8 * 10)

/* Writes v at p; returns the byte after it.  A plain buffer, not a
 * GByteArray: appending byte by byte was a third of the encoding time. */
static guint8 *
msc_put_varint (guint8 *p, guint64 v)
{
  while (v >= 0x80)
    {
      *p++ = (guint8) (v | 0x80);
      v >>= 7;
    }
  *p++ = (guint8) v;
  return p;
}

static guint64
msc_zigzag (guint64 from, guint64 to)
{
  gint64 d = (gint64) (to - from);

  return ((guint64) d << 1) ^ (guint64) (d >> 63);
}

static guint64
msc_unzigzag (guint64 base, guint64 z)
{
  return base + ((z >> 1) ^ (~(z & 1) + 1));
}

static gboolean
msc_zlib (GConverter *converter, const guint8 *data, gsize len, GByteArray *out)
{
  guint8 buf[65536];
  gsize read, written;
  GConverterResult r;

  do
    {
      r = g_converter_convert (converter, data, len, buf, sizeof buf, G_CONVERTER_INPUT_AT_END,
                               &read, &written, NULL);
      if (r == G_CONVERTER_ERROR)
        return FALSE;
      data += read;
      len -= read;
      g_byte_array_append (out, buf, (guint) written);
    }
  while (r != G_CONVERTER_FINISHED);
  return TRUE;
}

char *
msc_trace_codec_encode (MscTrace *trace, guint first, guint n)
{
  g_autofree guint8 *packed = g_malloc ((gsize) n * MSC_EVENT_MAX + 1);
  g_autoptr(GByteArray) compressed = g_byte_array_new ();
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1);
  guint64 time = 0, address = 0;
  guint thread = G_MAXUINT;
  guint8 *p = packed;

  for (guint i = first; i < first + n; i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);
      const MscTraceExtra *x = e->has_extra ? msc_trace_get_extra (trace, i) : NULL;

      *p++ = (guint8) (e->op | (x != NULL ? MSC_EXTRA : 0) | (e->thread != thread ? MSC_THREAD : 0));
      p = msc_put_varint (p, msc_zigzag (time, e->time));
      if (e->thread != thread)
        p = msc_put_varint (p, e->thread);
      p = msc_put_varint (p, msc_zigzag (address, e->address));
      if (e->op != MSC_TRACE_FREE)
        {
          p = msc_put_varint (p, e->size);
          p = msc_put_varint (p, e->stack);
        }
      if (x != NULL)
        {
          p = msc_put_varint (p, x->flags);
          p = msc_put_varint (p, msc_zigzag (0, (guint64) (gint64) x->error));
          p = msc_put_varint (p, msc_zigzag (e->address, x->old_address));
          p = msc_put_varint (p, x->old_size);
        }
      time = e->time;
      address = e->address;
      thread = e->thread;
    }
  if (!msc_zlib (G_CONVERTER (zlib), packed, (gsize) (p - packed), compressed))
    return NULL;
  return g_base64_encode (compressed->data, compressed->len);
}

typedef struct {
  MscTrace *trace;
  guint run;
  guint n;
  char *text;
} MscCodecJob;

static void
msc_codec_job_run (gpointer data, gpointer user_data)
{
  MscCodecJob *job = data;

  job->text = msc_trace_codec_encode (job->trace, job->run * MSC_TRACE_CODEC_RUN, job->n);
}

MscCodecJobs *
msc_trace_codec_encode_start (MscTrace *trace)
{
  MscCodecJobs *jobs = g_new0 (MscCodecJobs, 1);
  guint n = msc_trace_get_n_events (trace);
  guint runs = (n + MSC_TRACE_CODEC_RUN - 1) / MSC_TRACE_CODEC_RUN;

  jobs->trace = g_object_ref (trace);
  jobs->jobs = g_array_new (FALSE, TRUE, sizeof (MscCodecJob));
  /* The last, shorter run too: no event comes any more (as for a trace
   * read from a file, whose runs the reader keeps). */
  for (guint run = 0; run < runs; run++)
    if (msc_trace_get_run_text (trace, run) == NULL)
      {
        MscCodecJob job = { trace, run, MIN (MSC_TRACE_CODEC_RUN, n - run * MSC_TRACE_CODEC_RUN), NULL };

        g_array_append_val (jobs->jobs, job);
      }
  /* The array is complete before the first job starts: no job moves. */
  jobs->pool = g_thread_pool_new (msc_codec_job_run, NULL, MAX (1, (gint) g_get_num_processors ()),
                                  FALSE, NULL);
  for (guint i = 0; i < jobs->jobs->len; i++)
    g_thread_pool_push (jobs->pool, &g_array_index (jobs->jobs, MscCodecJob, i), NULL);
  return jobs;
}

void
msc_trace_codec_encode_finish (MscCodecJobs *jobs)
{
  g_thread_pool_free (jobs->pool, FALSE, TRUE);
  for (guint i = 0; i < jobs->jobs->len; i++)
    {
      MscCodecJob *job = &g_array_index (jobs->jobs, MscCodecJob, i);

      msc_trace_set_run_text (jobs->trace, job->run, job->text);
    }
  g_array_unref (jobs->jobs);
  g_object_unref (jobs->trace);
  g_free (jobs);
}

gboolean
msc_trace_codec_encode_next (MscTrace *trace)
{
  guint full = msc_trace_get_n_events (trace) / MSC_TRACE_CODEC_RUN;

  for (guint run = 0; run < full; run++)
    if (msc_trace_get_run_text (trace, run) == NULL)
      {
        msc_trace_set_run_text (trace, run, msc_trace_codec_encode (trace, run * MSC_TRACE_CODEC_RUN,
                                                                    MSC_TRACE_CODEC_RUN));
        return TRUE;
      }
  return FALSE;
}

char *
msc_trace_codec_run_text (MscTrace *trace, guint run)
{
  guint n = msc_trace_get_n_events (trace), first = run * MSC_TRACE_CODEC_RUN;
  const char *cached = msc_trace_get_run_text (trace, run);

  if (cached != NULL)
    return g_strdup (cached);
  return msc_trace_codec_encode (trace, first, MIN (MSC_TRACE_CODEC_RUN, n - first));
}

typedef struct {
  const guint8 *p;
  const guint8 *end;
  gboolean bad;
} MscReader;

static guint64
msc_get_varint (MscReader *r)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      if (r->p >= r->end)
        break;
      v |= (guint64) (*r->p & 0x7f) << shift;
      if (!(*r->p++ & 0x80))
        return v;
    }
  r->bad = TRUE;
  return 0;
}

static void
msc_decode_event (MscTrace *trace, MscReader *r, MscTraceRecord *e, guint64 *time, guint64 *address)
{
  guint8 head = *r->p++;
  MscTraceExtra x = { 0 };

  e->op = head & 0x1f;
  e->time = *time = msc_unzigzag (*time, msc_get_varint (r));
  if (head & MSC_THREAD)
    e->thread = (guint16) msc_get_varint (r);
  e->address = *address = msc_unzigzag (*address, msc_get_varint (r));
  e->size = 0;
  e->stack = 0;
  if (e->op != MSC_TRACE_FREE)
    {
      e->size = msc_get_varint (r);
      e->stack = (guint32) msc_get_varint (r);
    }
  if (head & MSC_EXTRA)
    {
      x.flags = (guint32) msc_get_varint (r);
      x.error = (gint32) (gint64) msc_unzigzag (0, msc_get_varint (r));
      x.old_address = msc_unzigzag (e->address, msc_get_varint (r));
      x.old_size = msc_get_varint (r);
    }
  if (e->op >= MSC_TRACE_N_OPS || e->thread >= msc_trace_get_n_threads (trace)
      || e->stack >= msc_trace_get_n_nodes (trace))
    r->bad = TRUE;
  if (!r->bad)
    msc_trace_append (trace, e, (head & MSC_EXTRA) ? &x : NULL);
}

gboolean
msc_trace_codec_decode (MscTrace *trace, const char *text, guint n, GError **error)
{
  g_autofree guint8 *data = NULL;
  g_autoptr(GByteArray) packed = g_byte_array_sized_new (n * 8);
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  gsize len = 0;
  MscReader r;
  MscTraceRecord e = { 0 };
  guint64 time = 0, address = 0;
  guint i;

  data = g_base64_decode (text, &len);
  if (!msc_zlib (G_CONVERTER (zlib), data, len, packed))
    {
      g_set_error (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_INVALID,
                   _("a run of trace events is damaged (it does not decompress)"));
      return FALSE;
    }
  r = (MscReader) { packed->data, packed->data + packed->len, FALSE };
  for (i = 0; i < n && r.p < r.end && !r.bad; i++)
    msc_decode_event (trace, &r, &e, &time, &address);
  if (r.bad || i != n || r.p != r.end)
    {
      g_set_error (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_INVALID,
                   _("a run of trace events is damaged (%u of %u events readable)"), i, n);
      return FALSE;
    }
  return TRUE;
}
