/* msc-cli-trace-views.c — the text views of a trace capture (see
 * msc-cli-trace.h): they open any capture with a Trace, on any system. */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "app/msc-cli-trace.h"
#include "model/core/msc-format.h"
#include "model/msc-call-tree.h"
#include "model/msc-trace-history.h"
#include "model/msc-loader.h"
#include "model/msc-session.h"

typedef struct {
  gboolean call_tree;
  gboolean leaks;
  char    *history;
  char    *allocations;
  gboolean inverted;
  gboolean mappings;
  int      top;
  char   **files;
} MscViewOptions;

gboolean
msc_cli_trace_views_wanted (int argc, char **argv)
{
  static const char *const views[] = { "--call-tree", "--leaks", "--history", "--allocations" };

  for (int i = 1; i < argc; i++)
    for (gsize v = 0; v < G_N_ELEMENTS (views); v++)
      if (strcmp (argv[i], views[v]) == 0 || g_str_has_prefix (argv[i], "--history=")
          || g_str_has_prefix (argv[i], "--allocations="))
        return TRUE;
  return FALSE;
}

static gboolean
msc_views_parse (MscViewOptions *o, int *argc, char ***argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "call-tree", 0, 0, G_OPTION_ARG_NONE, &o->call_tree,
      N_("Print the call tree of the allocations, most bytes first"), NULL },
    { "leaks", 0, 0, G_OPTION_ARG_NONE, &o->leaks,
      N_("Print what was still allocated when the program ended, by stack"), NULL },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &o->history,
      N_("Write every recorded operation to this CSV file"), N_("OUT.csv") },
    { "allocations", 0, 0, G_OPTION_ARG_STRING, &o->allocations,
      N_("Print where the region containing ADDRESS (hex) came from and the heap blocks live in it "
         "at the last snapshot"), N_("ADDRESS") },
    { "inverted", 0, 0, G_OPTION_ARG_NONE, &o->inverted,
      N_("Call tree bottom-up: allocating functions first, their callers below"), NULL },
    { "mappings", 0, 0, G_OPTION_ARG_NONE, &o->mappings,
      N_("Count mapped memory (mmap, mremap, brk) instead of heap blocks"), NULL },
    { "top", 0, 0, G_OPTION_ARG_INT, &o->top,
      N_("Call tree: at most N entries under each node"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->files, NULL, N_("FILE.mmp") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  int n_views;

  g_option_context_set_summary (context, _("Views of a capture made with memscope --trace."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  n_views = (o->call_tree != 0) + (o->leaks != 0) + (o->history != NULL) + (o->allocations != NULL);
  if (n_views != 1 || o->files == NULL || g_strv_length (o->files) != 1 || o->top < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("use one of --call-tree [--inverted] [--mappings] [--top N], --leaks [--mappings], "
                     "--history OUT.csv, --allocations ADDRESS, and one FILE.mmp"));
      return FALSE;
    }
  return TRUE;
}

/* The time the live column is taken at: the last snapshot's. */
static guint64
msc_views_last_snapshot (MscSession *session, MscTrace *trace)
{
  MscSnapshot *last = msc_session_get_latest (session);

  return last != NULL ? msc_trace_from_filetime (trace, msc_snapshot_get_timestamp (last)) : G_MAXUINT64;
}

static void
msc_print_call_node (const MscCallNode *node, int depth, int top)
{
  guint n = node->children->len;

  g_print ("%14" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %14" G_GUINT64_FORMAT " %14" G_GUINT64_FORMAT
           " %14" G_GUINT64_FORMAT "  %*s%s\n",
           node->total, node->count, node->live, node->peak, node->leaked, depth * 2, "", node->function);
  if (top > 0)
    n = MIN (n, (guint) top);
  for (guint i = 0; i < n; i++)
    msc_print_call_node (g_ptr_array_index (node->children, i), depth + 1, top);
}

static gboolean
msc_view_call_tree (const MscViewOptions *o, MscSession *session, MscTrace *trace)
{
  g_autoptr(MscCallTree) tree =
    msc_call_tree_new (trace, o->mappings ? MSC_REPLAY_MAPPINGS : MSC_REPLAY_HEAP, o->inverted,
                       msc_views_last_snapshot (session, trace));

  g_print ("%14s %10s %14s %14s %14s  %s\n", _("Bytes"), _("Count"), _("Live"), _("Peak"), _("Leaked"),
           _("Function"));
  msc_print_call_node (msc_call_tree_get_root (tree), 0, o->top);
  return TRUE;
}

static void
msc_print_stack (MscTrace *trace, guint32 node)
{
  g_autofree char *text = msc_trace_dup_stack_text (trace, node);

  g_print ("%s", text);
}

typedef struct {
  char   *stack;  /* as printed */
  guint64 bytes;
  guint64 blocks;
} MscLeakSite;

static gint
msc_leak_cmp (gconstpointer a, gconstpointer b)
{
  const MscLeakSite *x = a, *y = b;

  if (x->bytes != y->bytes)
    return x->bytes > y->bytes ? -1 : 1;
  return strcmp (x->stack, y->stack);
}

static void
msc_leak_site_clear (gpointer data)
{
  g_free (((MscLeakSite *) data)->stack);
}

/* Sites by their stack as a reader sees it: a loop the compiler unrolled
 * calls malloc from several addresses of one line, and is one site. */
static gboolean
msc_view_leaks (const MscViewOptions *o, MscTrace *trace)
{
  g_autoptr(MscTraceReplay) replay = msc_trace_replay_new (trace, o->mappings ? MSC_REPLAY_MAPPINGS
                                                                             : MSC_REPLAY_HEAP);
  g_autoptr(GArray) live = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) sites = g_array_new (FALSE, TRUE, sizeof (MscLeakSite));
  guint64 bytes = 0;

  g_array_set_clear_func (sites, msc_leak_site_clear);
  msc_trace_replay_run (replay, G_MAXUINT64, NULL);
  live = msc_trace_replay_live (replay);
  for (guint i = 0; i < live->len; i++)
    {
      const MscLiveBlock *b = &g_array_index (live, MscLiveBlock, i);
      char *stack = msc_trace_dup_stack_text (trace, b->stack);
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (index, stack));

      if (at == 0)
        {
          MscLeakSite site = { stack, 0, 0 };

          g_array_append_val (sites, site);
          at = sites->len;
          g_hash_table_insert (index, stack, GUINT_TO_POINTER (at));
        }
      else
        g_free (stack);
      g_array_index (sites, MscLeakSite, at - 1).bytes += b->size;
      g_array_index (sites, MscLeakSite, at - 1).blocks++;
      bytes += b->size;
    }
  /* The table's keys are the sites' strings: done with it before sorting. */
  g_hash_table_remove_all (index);
  g_array_sort (sites, msc_leak_cmp);
  for (guint i = 0; i < sites->len; i++)
    {
      const MscLeakSite *s = &g_array_index (sites, MscLeakSite, i);

      g_print (_("%" G_GUINT64_FORMAT " bytes in %" G_GUINT64_FORMAT " blocks allocated at:\n%s"),
               s->bytes, s->blocks, s->stack);
    }
  g_print (_("Leaked: %" G_GUINT64_FORMAT " bytes in %u blocks\n"), bytes, live->len);
  return TRUE;
}

static gboolean
msc_view_history (const MscViewOptions *o, MscTrace *trace, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (o->history);

  return msc_trace_write_history (trace, NULL, file, NULL, error);
}

/* ---- --allocations ---- */

static void
msc_print_origins (MscTrace *trace, guint64 at, guint64 base, guint64 end)
{
  g_autoptr(GArray) ranges = msc_trace_live_in (trace, MSC_REPLAY_MAPPINGS, at, base, end);

  for (guint i = 0; i < ranges->len; i++)
    {
      const MscLiveBlock *b = &g_array_index (ranges, MscLiveBlock, i);
      const MscTraceRecord *e = msc_trace_get_event (trace, b->event);

      g_print (_("Mapped %" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x by %s at %.6f s, thread %u:\n"),
               b->address, b->address + b->size, msc_trace_op_name (e->op), (double) e->time / 1e9,
               msc_trace_get_thread_id (trace, e->thread));
      msc_print_stack (trace, b->stack);
    }
  if (ranges->len == 0)
    g_print (_("No traced mapping call made this region (the loader's, or made before tracing began).\n"));
}

static void
msc_print_blocks (MscTrace *trace, guint64 at, guint64 base, guint64 end)
{
  g_autoptr(GArray) blocks = msc_trace_live_in (trace, MSC_REPLAY_HEAP, at, base, end);
  guint64 bytes = 0;

  for (guint i = 0; i < blocks->len; i++)
    {
      const MscLiveBlock *b = &g_array_index (blocks, MscLiveBlock, i);
      g_autofree char *label = b->stack != 0 ? msc_trace_dup_node_label (trace, b->stack) : g_strdup ("");

      g_print ("%16" G_GINT64_MODIFIER "x %12" G_GUINT64_FORMAT "  %s\n", b->address, b->size, label);
      bytes += b->size;
    }
  g_print (_("Heap blocks live in the region: %u, %" G_GUINT64_FORMAT " bytes\n"), blocks->len, bytes);
}

static gboolean
msc_view_allocations (const MscViewOptions *o, MscSession *session, MscTrace *trace, GError **error)
{
  MscSnapshot *last = msc_session_get_latest (session);
  const MscRegionTable *regions = msc_snapshot_get_regions (last);
  const char *text = o->allocations;
  guint64 address, at = msc_views_last_snapshot (session, trace);
  MscRegion row;
  const MscRegion *region;
  size_t index;

  if (g_ascii_strncasecmp (text, "0x", 2) == 0)
    text += 2;
  if (!g_ascii_string_to_unsigned (text, 16, 0, G_MAXUINT64, &address, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--allocations: “%s” is not a hexadecimal address"), o->allocations);
      return FALSE;
    }
  index = msc_region_table_find (regions, address);
  row = msc_region_table_row (regions, index);
  region = index != MSC_NO_PARENT ? &row : NULL;
  if (region == NULL || region->type == MSC_TYPE_FREE)
    {
      g_set_error (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_INVALID,
                   _("nothing is allocated at %" G_GINT64_MODIFIER "x in the last snapshot"), address);
      return FALSE;
    }
  g_print (_("Region %" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x %s %s\n"), region->address,
           region->address + region->size, msc_region_type_string (region),
           msc_region_table_details (regions, index));
  msc_print_origins (trace, at, region->address, region->address + region->size);
  msc_print_blocks (trace, at, region->address, region->address + region->size);
  return TRUE;
}

static MscSession *
msc_views_open (const char *path, MscTrace **trace, GError **error)
{
  MscSession *session = msc_loader_load (path, NULL, error);

  if (session == NULL)
    return NULL;
  *trace = msc_session_get_trace (session);
  if (*trace == NULL)
    {
      g_set_error (error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_INVALID,
                   _("%s holds no trace (it was not made with memscope --trace)"), path);
      g_object_unref (session);
      return NULL;
    }
  if (msc_trace_get_cut_short (*trace))
    g_printerr (_("memscope: warning: this trace is incomplete; see its notes\n"));
  return session;
}

int
msc_cli_trace_views_main (int argc, char **argv)
{
  MscViewOptions o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;
  MscTrace *trace = NULL;
  gboolean ok = FALSE;

  if (!msc_views_parse (&o, &argc, &argv, &error))
    goto out;
  session = msc_views_open (o.files[0], &trace, &error);
  if (session == NULL)
    goto out;
  if (o.call_tree)
    ok = msc_view_call_tree (&o, session, trace);
  else if (o.leaks)
    ok = msc_view_leaks (&o, trace);
  else if (o.history != NULL)
    ok = msc_view_history (&o, trace, &error);
  else
    ok = msc_view_allocations (&o, session, trace, &error);
  if (ok && fflush (stdout) != 0)
    {
      g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_IO, _("could not write to standard output"));
      ok = FALSE;
    }

out:
  if (error != NULL)
    g_printerr ("memscope: %s\n", error->message);
  g_free (o.history);
  g_free (o.allocations);
  g_strfreev (o.files);
  return ok ? 0 : 1;
}
