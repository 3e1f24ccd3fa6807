/* msc-trace.c — see msc-trace.h. */
#include "config.h"

#include <string.h>

#include "model/msc-trace-blocks.h"
#include "model/msc-trace.h"

struct _MscTrace
{
  GObject parent_instance;

  guint64     start;
  /* Events in blocks of MSC_TRACE_BLOCK: appending never copies what is
   * there (a doubling array copies and faults in all of it again). */
  GPtrArray  *blocks;      /* MscTraceRecord[MSC_TRACE_BLOCK] */
  MscTraceBlocks *block_source;
  guint       n_events;
  GArray     *extras;      /* MscTraceExtra, ascending event */
  GArray     *threads;     /* guint32 tid */
  GHashTable *thread_index;
  GArray     *frames;      /* MscTraceFrame */
  GHashTable *frame_index; /* ip → index + 1 */
  GArray     *nodes;       /* MscTraceNode */
  GHashTable *node_index;  /* (parent << 32 | frame) → node */
  GPtrArray  *notes;
  GPtrArray  *runs;        /* char *, NULL where not encoded */
  gboolean    exited;
  int         code_or_signal;
  gboolean    cut_short;
  guint       images;
  gboolean    mappings_traced;
};

G_DEFINE_TYPE (MscTrace, msc_trace, G_TYPE_OBJECT)

/* The budget: at most 32 bytes an event in memory. */
G_STATIC_ASSERT (sizeof (MscTraceRecord) == 32);

/* 4 MiB: two huge pages. */
#define MSC_TRACE_BLOCK 131072
#define MSC_TRACE_BLOCK_BYTES (MSC_TRACE_BLOCK * sizeof (MscTraceRecord))

static void
msc_trace_block_free (gpointer block)
{
  msc_backend_block_free (block, MSC_TRACE_BLOCK_BYTES);
}

static inline MscTraceRecord *
msc_trace_record (MscTrace *self, guint index)
{
  return (MscTraceRecord *) g_ptr_array_index (self->blocks, index / MSC_TRACE_BLOCK) + index % MSC_TRACE_BLOCK;
}

G_DEFINE_QUARK (msc-trace-error-quark, msc_trace_error)

enum {
  PROP_0,
  PROP_START,
  PROP_N_EVENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const msc_trace_op_names[MSC_TRACE_N_OPS] = {
  [MSC_TRACE_MALLOC] = "malloc",
  [MSC_TRACE_CALLOC] = "calloc",
  [MSC_TRACE_REALLOC] = "realloc",
  [MSC_TRACE_REALLOCARRAY] = "reallocarray",
  [MSC_TRACE_FREE] = "free",
  [MSC_TRACE_POSIX_MEMALIGN] = "posix_memalign",
  [MSC_TRACE_ALIGNED_ALLOC] = "aligned_alloc",
  [MSC_TRACE_MEMALIGN] = "memalign",
  [MSC_TRACE_VALLOC] = "valloc",
  [MSC_TRACE_PVALLOC] = "pvalloc",
  [MSC_TRACE_MMAP] = "mmap",
  [MSC_TRACE_MUNMAP] = "munmap",
  [MSC_TRACE_MREMAP] = "mremap",
  [MSC_TRACE_MPROTECT] = "mprotect",
  [MSC_TRACE_MADVISE] = "madvise",
  [MSC_TRACE_BRK] = "brk",
};

const char *
msc_trace_op_name (guint op)
{
  return op < MSC_TRACE_N_OPS ? msc_trace_op_names[op] : "unknown";
}

gboolean
msc_trace_op_is_heap (guint op)
{
  return op <= MSC_TRACE_PVALLOC;
}

static void
msc_trace_frame_clear (gpointer data)
{
  MscTraceFrame *frame = data;

  g_free (frame->function);
  g_free (frame->file);
  g_free (frame->module);
}

static void
msc_trace_finalize (GObject *object)
{
  MscTrace *self = MSC_TRACE (object);

  g_ptr_array_unref (self->blocks);
  msc_trace_blocks_free (self->block_source);
  g_array_unref (self->extras);
  g_array_unref (self->threads);
  g_hash_table_unref (self->thread_index);
  g_array_unref (self->frames);
  g_hash_table_unref (self->frame_index);
  g_array_unref (self->nodes);
  g_hash_table_unref (self->node_index);
  g_ptr_array_unref (self->notes);
  g_ptr_array_unref (self->runs);

  G_OBJECT_CLASS (msc_trace_parent_class)->finalize (object);
}

static void
msc_trace_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MscTrace *self = MSC_TRACE (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_uint64 (value, self->start);
      break;
    case PROP_N_EVENTS:
      g_value_set_uint (value, self->n_events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_trace_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MscTrace *self = MSC_TRACE (object);

  switch (prop_id)
    {
    case PROP_START:
      self->start = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_trace_class_init (MscTraceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msc_trace_finalize;
  object_class->get_property = msc_trace_get_property;
  object_class->set_property = msc_trace_set_property;

  properties[PROP_START] =
    g_param_spec_uint64 ("start", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_EVENTS] =
    g_param_spec_uint ("n-events", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
msc_trace_init (MscTrace *self)
{
  MscTraceNode root = { 0, G_MAXUINT32 };

  self->blocks = g_ptr_array_new_with_free_func (msc_trace_block_free);
  self->block_source = msc_trace_blocks_new (MSC_TRACE_BLOCK_BYTES);
  self->extras = g_array_new (FALSE, FALSE, sizeof (MscTraceExtra));
  self->threads = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->thread_index = g_hash_table_new (NULL, NULL);
  self->frames = g_array_new (FALSE, TRUE, sizeof (MscTraceFrame));
  g_array_set_clear_func (self->frames, msc_trace_frame_clear);
  self->frame_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->nodes = g_array_new (FALSE, FALSE, sizeof (MscTraceNode));
  g_array_append_val (self->nodes, root);
  self->node_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  self->runs = g_ptr_array_new_with_free_func (g_free);
  self->exited = TRUE;
  self->mappings_traced = TRUE;
}

MscTrace *
msc_trace_new (guint64 start)
{
  return g_object_new (MSC_TYPE_TRACE, "start", start, NULL);
}

guint64
msc_trace_get_start (MscTrace *self)
{
  g_return_val_if_fail (MSC_IS_TRACE (self), 0);
  return self->start;
}

guint64
msc_trace_to_filetime (MscTrace *self, guint64 time)
{
  return self->start + time / 100;
}

guint64
msc_trace_from_filetime (MscTrace *self, guint64 filetime)
{
  return filetime > self->start ? (filetime - self->start) * 100 : 0;
}

guint
msc_trace_thread_index (MscTrace *self, guint32 tid)
{
  gpointer value;

  if (g_hash_table_lookup_extended (self->thread_index, GUINT_TO_POINTER (tid), NULL, &value))
    return GPOINTER_TO_UINT (value);
  g_array_append_val (self->threads, tid);
  g_hash_table_insert (self->thread_index, GUINT_TO_POINTER (tid),
                       GUINT_TO_POINTER (self->threads->len - 1));
  return self->threads->len - 1;
}

guint32
msc_trace_frame_index (MscTrace *self, guint64 ip)
{
  MscTraceFrame frame = { .ip = ip };
  MscTraceFrame *stored;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->frame_index, &ip));

  if (index != 0)
    return index - 1;
  g_array_append_val (self->frames, frame);
  stored = &g_array_index (self->frames, MscTraceFrame, self->frames->len - 1);
  /* The key lives in the frame; the array moves, so it gets its own copy. */
  g_hash_table_insert (self->frame_index, g_memdup2 (&stored->ip, sizeof stored->ip),
                       GUINT_TO_POINTER (self->frames->len));
  return self->frames->len - 1;
}

void
msc_trace_set_frame_symbol (MscTrace *self, guint32 index, const char *function, const char *file,
                            guint32 line, const char *module, guint64 offset)
{
  MscTraceFrame *frame;

  g_return_if_fail (index < self->frames->len);
  frame = &g_array_index (self->frames, MscTraceFrame, index);
  g_free (frame->function);
  g_free (frame->file);
  g_free (frame->module);
  frame->function = g_strdup (function);
  frame->file = g_strdup (file);
  frame->line = line;
  frame->module = g_strdup (module);
  frame->offset = offset;
}

guint32
msc_trace_node (MscTrace *self, guint32 parent, guint32 frame)
{
  gint64 key = (gint64) ((guint64) parent << 32 | frame);
  gpointer value;
  MscTraceNode node = { parent, frame };

  if (g_hash_table_lookup_extended (self->node_index, &key, NULL, &value))
    return GPOINTER_TO_UINT (value);
  g_array_append_val (self->nodes, node);
  g_hash_table_insert (self->node_index, g_memdup2 (&key, sizeof key),
                       GUINT_TO_POINTER (self->nodes->len - 1));
  return self->nodes->len - 1;
}

guint32
msc_trace_node_for_stack (MscTrace *self, const guint64 *frames, gsize n_frames)
{
  guint32 node = 0;

  for (gsize i = n_frames; i > 0; i--)
    node = msc_trace_node (self, node, msc_trace_frame_index (self, frames[i - 1]));
  return node;
}

void
msc_trace_append (MscTrace *self, const MscTraceRecord *record, const MscTraceExtra *extra)
{
  MscTraceRecord copy = *record;

  copy.has_extra = extra != NULL;
  if (extra != NULL)
    {
      MscTraceExtra e = *extra;

      e.event = self->n_events;
      g_array_append_val (self->extras, e);
    }
  if (self->n_events % MSC_TRACE_BLOCK == 0 && self->n_events / MSC_TRACE_BLOCK == self->blocks->len)
    {
      gpointer block = msc_trace_blocks_take (self->block_source);

      if (block == NULL)
        g_error ("out of memory for %u trace events", self->n_events + MSC_TRACE_BLOCK);
      g_ptr_array_add (self->blocks, block);
    }
  msc_trace_record (self, self->n_events++)[0] = copy;
}

const char *
msc_trace_get_run_text (MscTrace *self, guint run)
{
  return run < self->runs->len ? g_ptr_array_index (self->runs, run) : NULL;
}

void
msc_trace_set_run_text (MscTrace *self, guint run, char *text)
{
  if (run >= self->runs->len)
    g_ptr_array_set_size (self->runs, (gint) run + 1);
  g_free (g_ptr_array_index (self->runs, run));
  g_ptr_array_index (self->runs, run) = text;
}

void
msc_trace_add_note (MscTrace *self, const char *note)
{
  for (guint i = 0; i < self->notes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->notes, i), note) == 0)
      return;
  g_ptr_array_add (self->notes, g_strdup (note));
}

void
msc_trace_set_end (MscTrace *self, gboolean exited, int code_or_signal)
{
  self->exited = exited;
  self->code_or_signal = code_or_signal;
}

void
msc_trace_set_cut_short (MscTrace *self, gboolean cut_short)
{
  self->cut_short = cut_short;
}

void
msc_trace_set_images (MscTrace *self, guint images)
{
  self->images = images;
}

void
msc_trace_set_mappings_traced (MscTrace *self, gboolean traced)
{
  self->mappings_traced = traced;
}

guint
msc_trace_get_n_events (MscTrace *self)
{
  return self->n_events;
}

const MscTraceRecord *
msc_trace_get_event (MscTrace *self, guint index)
{
  g_return_val_if_fail (index < self->n_events, NULL);
  return msc_trace_record (self, index);
}

static gint
msc_trace_extra_cmp (gconstpointer a, gconstpointer b)
{
  guint32 ea = ((const MscTraceExtra *) a)->event, eb = ((const MscTraceExtra *) b)->event;

  return ea < eb ? -1 : ea > eb;
}

const MscTraceExtra *
msc_trace_get_extra (MscTrace *self, guint index)
{
  MscTraceExtra key = { .event = index };
  guint at;

  if (index >= self->n_events || !msc_trace_record (self, index)->has_extra)
    return NULL;
  if (!g_array_binary_search (self->extras, &key, msc_trace_extra_cmp, &at))
    return NULL;
  return &g_array_index (self->extras, MscTraceExtra, at);
}

guint
msc_trace_get_n_threads (MscTrace *self)
{
  return self->threads->len;
}

guint32
msc_trace_get_thread_id (MscTrace *self, guint index)
{
  return index < self->threads->len ? g_array_index (self->threads, guint32, index) : 0;
}

guint
msc_trace_get_n_frames (MscTrace *self)
{
  return self->frames->len;
}

const MscTraceFrame *
msc_trace_get_frame (MscTrace *self, guint index)
{
  g_return_val_if_fail (index < self->frames->len, NULL);
  return &g_array_index (self->frames, MscTraceFrame, index);
}

guint
msc_trace_get_n_nodes (MscTrace *self)
{
  return self->nodes->len;
}

const MscTraceNode *
msc_trace_get_node (MscTrace *self, guint index)
{
  g_return_val_if_fail (index < self->nodes->len, NULL);
  return &g_array_index (self->nodes, MscTraceNode, index);
}

const char *
msc_trace_get_function (MscTrace *self, guint node)
{
  const MscTraceNode *n = msc_trace_get_node (self, node);

  if (n == NULL || n->frame >= self->frames->len)
    return NULL;
  return g_array_index (self->frames, MscTraceFrame, n->frame).function;
}

char *
msc_trace_dup_node_label (MscTrace *self, guint node)
{
  const MscTraceNode *n = msc_trace_get_node (self, node);
  const MscTraceFrame *frame;

  if (n == NULL || n->frame >= self->frames->len)
    return g_strdup ("[root]");
  frame = &g_array_index (self->frames, MscTraceFrame, n->frame);
  if (frame->function != NULL)
    return g_strdup (frame->function);
  if (frame->module != NULL)
    return g_strdup_printf ("%s+0x%" G_GINT64_MODIFIER "x", frame->module, frame->offset);
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", frame->ip);
}

char *
msc_trace_dup_stack_text (MscTrace *self, guint node)
{
  GString *text = g_string_new (NULL);

  while (node != 0 && node < self->nodes->len)
    {
      const MscTraceNode *n = &g_array_index (self->nodes, MscTraceNode, node);
      const MscTraceFrame *f = n->frame < self->frames->len ? &g_array_index (self->frames, MscTraceFrame, n->frame)
                                                             : NULL;
      g_autofree char *label = msc_trace_dup_node_label (self, node);

      node = n->parent;
      if (f != NULL && f->file != NULL)
        g_string_append_printf (text, "    %s (%s:%u)\n", label, f->file, f->line);
      else
        g_string_append_printf (text, "    %s\n", label);
    }
  return g_string_free (text, FALSE);
}

GPtrArray *
msc_trace_get_notes (MscTrace *self)
{
  return self->notes;
}

gboolean
msc_trace_get_exited (MscTrace *self)
{
  return self->exited;
}

int
msc_trace_get_exit_code_or_signal (MscTrace *self)
{
  return self->code_or_signal;
}

gboolean
msc_trace_get_cut_short (MscTrace *self)
{
  return self->cut_short;
}

guint
msc_trace_get_images (MscTrace *self)
{
  return self->images;
}

gboolean
msc_trace_get_mappings_traced (MscTrace *self)
{
  return self->mappings_traced;
}
