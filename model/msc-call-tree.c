/* msc-call-tree.c — see msc-call-tree.h.  The tree's shape comes from the
 * stack tree (one path per stack node, by function); its figures from one
 * replay of the trace, every change walked up the path so that peaks are
 * true peaks of each node, not sums of its children's. */
#include "config.h"

#include "model/msc-call-tree.h"

struct _MscCallTree
{
  GObject parent_instance;

  MscTrace    *trace;
  MscCallNode *root;
  gboolean     inverted;
  MscReplayKind kind;
  GPtrArray   *leaf_of;   /* stack node → MscCallNode *, built lazily */
};

G_DEFINE_TYPE (MscCallTree, msc_call_tree, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INVERTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static MscCallNode *
msc_call_node_new (const char *function, MscCallNode *parent)
{
  MscCallNode *node = g_new0 (MscCallNode, 1);

  node->function = g_strdup (function);
  node->parent = parent;
  node->children = g_ptr_array_new ();
  if (parent != NULL)
    g_ptr_array_add (parent->children, node);
  return node;
}

static void
msc_call_node_free (MscCallNode *node)
{
  for (guint i = 0; i < node->children->len; i++)
    msc_call_node_free (g_ptr_array_index (node->children, i));
  g_ptr_array_unref (node->children);
  g_free (node->function);
  g_free (node);
}

static void
msc_call_tree_finalize (GObject *object)
{
  MscCallTree *self = MSC_CALL_TREE (object);

  msc_call_node_free (self->root);
  g_ptr_array_unref (self->leaf_of);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (msc_call_tree_parent_class)->finalize (object);
}

static void
msc_call_tree_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INVERTED:
      g_value_set_boolean (value, MSC_CALL_TREE (object)->inverted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_call_tree_class_init (MscCallTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msc_call_tree_finalize;
  object_class->get_property = msc_call_tree_get_property;
  properties[PROP_INVERTED] =
    g_param_spec_boolean ("inverted", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
msc_call_tree_init (MscCallTree *self)
{
  self->root = msc_call_node_new ("[all]", NULL);
  self->leaf_of = g_ptr_array_new ();
}

static MscCallNode *
msc_call_node_child (MscCallNode *node, const char *function)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      MscCallNode *child = g_ptr_array_index (node->children, i);

      if (g_str_equal (child->function, function))
        return child;
    }
  return msc_call_node_new (function, node);
}

/* The node a stack's allocations count in: its path of function labels,
 * from the root down. */
static MscCallNode *
msc_call_tree_leaf (MscCallTree *self, guint32 stack)
{
  g_autoptr(GPtrArray) labels = NULL;
  MscCallNode *node;

  if (stack < self->leaf_of->len && g_ptr_array_index (self->leaf_of, stack) != NULL)
    return g_ptr_array_index (self->leaf_of, stack);
  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint32 n = stack; n != 0; n = msc_trace_get_node (self->trace, n)->parent)
    g_ptr_array_add (labels, msc_trace_dup_node_label (self->trace, n));
  node = self->root;
  for (guint i = 0; i < labels->len; i++)
    node = msc_call_node_child (node, g_ptr_array_index (labels, self->inverted ? i : labels->len - 1 - i));
  if (stack >= self->leaf_of->len)
    g_ptr_array_set_size (self->leaf_of, (gint) stack + 1);
  g_ptr_array_index (self->leaf_of, stack) = node;
  return node;
}

/* Along the path, each node once even where a function recurses. */
static void
msc_call_tree_added (gpointer user, const MscLiveBlock *block)
{
  MscCallTree *self = user;

  for (MscCallNode *n = msc_call_tree_leaf (self, block->stack); n != NULL; n = n->parent)
    {
      n->count++;
      n->total += block->size;
      n->current += block->size;
      n->peak = MAX (n->peak, n->current);
    }
}

static void
msc_call_tree_released (gpointer user, const MscLiveBlock *block, guint64 bytes)
{
  MscCallTree *self = user;

  for (MscCallNode *n = msc_call_tree_leaf (self, block->stack); n != NULL; n = n->parent)
    n->current -= bytes;
}

typedef enum { MSC_TAKE_LIVE, MSC_TAKE_LEAKED } MscTake;

static void
msc_call_node_take (MscCallNode *node, MscTake what)
{
  if (what == MSC_TAKE_LIVE)
    node->live = node->current;
  else
    node->leaked = node->current;
  for (guint i = 0; i < node->children->len; i++)
    msc_call_node_take (g_ptr_array_index (node->children, i), what);
}

static gint
msc_call_node_cmp (gconstpointer a, gconstpointer b)
{
  const MscCallNode *x = *(const MscCallNode *const *) a, *y = *(const MscCallNode *const *) b;

  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return g_strcmp0 (x->function, y->function);
}

static void
msc_call_node_sort (MscCallNode *node)
{
  g_ptr_array_sort (node->children, msc_call_node_cmp);
  for (guint i = 0; i < node->children->len; i++)
    msc_call_node_sort (g_ptr_array_index (node->children, i));
}

MscCallTree *
msc_call_tree_new (MscTrace *trace, MscReplayKind kind, gboolean inverted, guint64 at)
{
  MscCallTree *self = g_object_new (MSC_TYPE_CALL_TREE, NULL);
  g_autoptr(MscTraceReplay) replay = msc_trace_replay_new (trace, kind);
  MscReplayHooks hooks = { msc_call_tree_added, msc_call_tree_released, self };

  self->trace = g_object_ref (trace);
  self->inverted = inverted;
  self->kind = kind;
  msc_trace_replay_run (replay, at, &hooks);
  msc_call_node_take (self->root, MSC_TAKE_LIVE);
  msc_trace_replay_run (replay, G_MAXUINT64, &hooks);
  msc_call_node_take (self->root, MSC_TAKE_LEAKED);
  msc_call_node_sort (self->root);
  return self;
}

const MscCallNode *
msc_call_tree_get_root (MscCallTree *self)
{
  g_return_val_if_fail (MSC_IS_CALL_TREE (self), NULL);
  return self->root;
}

static const MscCallNode *
msc_call_node_find (const MscCallNode *node, const char *function)
{
  if (g_str_equal (node->function, function))
    return node;
  for (guint i = 0; i < node->children->len; i++)
    {
      const MscCallNode *found = msc_call_node_find (g_ptr_array_index (node->children, i), function);

      if (found != NULL)
        return found;
    }
  return NULL;
}

const MscCallNode *
msc_call_tree_find (MscCallTree *self, const char *function)
{
  g_return_val_if_fail (MSC_IS_CALL_TREE (self), NULL);
  return msc_call_node_find (self->root, function);
}

/* Whether the event is one that makes blocks of the tree's kind, and the
 * leaf its stack counted in (msc_call_tree_leaf() ran for it) lies under
 * node. */
static gboolean
msc_call_tree_counts_under (MscCallTree *self, const MscTraceRecord *e, const MscCallNode *node)
{
  const MscCallNode *n;

  gboolean makes = self->kind == MSC_REPLAY_HEAP
                   ? msc_trace_op_is_heap (e->op) && e->op != MSC_TRACE_FREE
                   : e->op == MSC_TRACE_MMAP || e->op == MSC_TRACE_MREMAP || e->op == MSC_TRACE_BRK;

  if (!makes || e->stack >= self->leaf_of->len)
    return FALSE;
  for (n = g_ptr_array_index (self->leaf_of, e->stack); n != NULL; n = n->parent)
    if (n == node)
      return TRUE;
  return FALSE;
}

GArray *
msc_call_tree_events_of (MscCallTree *self, const MscCallNode *node)
{
  GArray *events = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (MSC_IS_CALL_TREE (self), events);
  g_return_val_if_fail (node != NULL, events);

  for (guint i = 0; i < msc_trace_get_n_events (self->trace); i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (self->trace, i);

      if (msc_call_tree_counts_under (self, e, node))
        g_array_append_val (events, i);
    }
  return events;
}
