/* msc-trace-history.c — see msc-trace-history.h. */
#include "config.h"

#include <string.h>

#include "model/msc-trace-history.h"

/* ---- the stack-text filter: per node, once ---- */

static gboolean
msc_frame_contains (const MscTraceFrame *frame,
                    const char          *needle)
{
  const char *fields[] = { frame->function, frame->module, frame->file };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = fields[i] != NULL ? g_utf8_casefold (fields[i], -1) : NULL;

      if (folded != NULL && strstr (folded, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* matches[n]: whether stack node n's path holds a frame with the text. A
 * parent is made before its children, so one pass in index order does. */
static guint8 *
msc_nodes_matching (MscTrace   *trace,
                    const char *text)
{
  g_autofree char *needle = g_utf8_casefold (text, -1);
  guint n_nodes = msc_trace_get_n_nodes (trace), n_frames = msc_trace_get_n_frames (trace);
  g_autofree guint8 *frame_match = g_new0 (guint8, n_frames);
  guint8 *matches = g_new0 (guint8, MAX (n_nodes, 1));

  for (guint f = 0; f < n_frames; f++)
    {
      const MscTraceFrame *frame = msc_trace_get_frame (trace, f);

      frame_match[f] = frame != NULL && msc_frame_contains (frame, needle);
    }
  for (guint n = 1; n < n_nodes; n++)
    {
      const MscTraceNode *node = msc_trace_get_node (trace, n);

      matches[n] = node != NULL && ((node->frame < n_frames && frame_match[node->frame])
                                    || (node->parent < n && matches[node->parent]));
    }
  return matches;
}

static gboolean
msc_event_passes (MscTrace             *trace,
                  guint                 i,
                  const MscTraceFilter *filter,
                  const guint8         *stack_matches)
{
  const MscTraceRecord *e = msc_trace_get_event (trace, i);
  const MscTraceExtra *x;
  gboolean in_range;

  if ((filter->ops != 0 && !(filter->ops & (1u << e->op))) || e->size < filter->min_size)
    return FALSE;
  if (stack_matches != NULL && (e->stack == 0 || !stack_matches[e->stack]))
    return FALSE;
  in_range = e->address >= filter->min_address && e->address <= filter->max_address;
  if (!in_range && e->has_extra && (x = msc_trace_get_extra (trace, i)) != NULL && x->old_address != 0)
    in_range = x->old_address >= filter->min_address && x->old_address <= filter->max_address;
  return in_range;
}

GArray *
msc_trace_filter_events (MscTrace             *trace,
                         const MscTraceFilter *filter,
                         GCancellable         *cancellable)
{
  g_autofree guint8 *stack_matches = NULL;
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = msc_trace_get_n_events (trace);

  if (filter->stack_text != NULL && filter->stack_text[0] != '\0')
    stack_matches = msc_nodes_matching (trace, filter->stack_text);
  for (guint i = 0; i < n; i++)
    {
      if ((i & 0xfffff) == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;
      if (msc_event_passes (trace, i, filter, stack_matches))
        g_array_append_val (events, i);
    }
  return g_steal_pointer (&events);
}

/* ---- CSV ---- */

void
msc_trace_history_header (GString *out)
{
  g_string_append (out, "Time,Thread,Operation,Address,Size,Old Address,Old Size,Flags,Error,Function\r\n");
}

void
msc_trace_history_append (GString  *out,
                          MscTrace *trace,
                          guint     event)
{
  const MscTraceRecord *e = msc_trace_get_event (trace, event);
  const MscTraceExtra *x = msc_trace_get_extra (trace, event);
  g_autofree char *label = e->stack != 0 ? msc_trace_dup_node_label (trace, e->stack) : g_strdup ("");
  g_auto(GStrv) parts = g_strsplit (label, "\"", -1);
  g_autofree char *quoted = g_strjoinv ("\"\"", parts);

  g_string_append_printf (out, "%.9f,%u,%s,0x%" G_GINT64_MODIFIER "x,%" G_GUINT64_FORMAT
                               ",0x%" G_GINT64_MODIFIER "x,%" G_GUINT64_FORMAT ",%u,%d,\"%s\"\r\n",
                          (double) e->time / 1e9, msc_trace_get_thread_id (trace, e->thread),
                          msc_trace_op_name (e->op), e->address, e->size,
                          x != NULL ? x->old_address : 0, x != NULL ? x->old_size : 0,
                          x != NULL ? x->flags : 0, x != NULL ? x->error : 0, quoted);
}

/* Written in pieces: ten million lines are a gigabyte, never all in memory. */
static gboolean
msc_history_write_all (MscTrace      *trace,
                       GArray        *events,
                       GOutputStream *out,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GString) chunk = g_string_new (NULL);
  guint n = events != NULL ? events->len : msc_trace_get_n_events (trace);

  msc_trace_history_header (chunk);
  for (guint i = 0; i < n; i++)
    {
      msc_trace_history_append (chunk, trace, events != NULL ? g_array_index (events, guint, i) : i);
      if (chunk->len >= 1 << 20 || i + 1 == n)
        {
          if (!g_output_stream_write_all (out, chunk->str, chunk->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (chunk, 0);
        }
    }
  return n > 0 || g_output_stream_write_all (out, chunk->str, chunk->len, NULL, cancellable, error);
}

gboolean
msc_trace_write_history (MscTrace      *trace,
                         GArray        *events,
                         GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                                        cancellable, error);
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GCancellable) abandon = NULL;

  if (stream == NULL)
    return FALSE;
  out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), 1 << 16);
  if (msc_history_write_all (trace, events, out, cancellable, error))
    return g_output_stream_close (out, cancellable, error);
  /* Closing with a cancelled cancellable drops the temporary file: the old
   * file stays as it was. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (out, abandon, NULL);
  return FALSE;
}
