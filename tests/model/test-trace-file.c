/* test-trace-file.c — the Trace elements of a .mmp, against
 * tests/data/model/trace.mmp: written by hand (its events packed by a few
 * lines of Python following docs/file-formats.md, "Trace", not by our
 * writer).  Three events: malloc (64) at 0x1000 from grow ← main, mmap
 * (8192) at 0x100000 from main (prot 3, flags 0x22), free (0x1000). */
#include "config.h"

#include <string.h>

#include "model/msc-call-tree.h"
#include "model/msc-loader.h"
#include "tests/model/model-test-util.h"

static void
test_events (void)
{
  g_autoptr(MscSession) session = model_load ("trace.mmp");
  MscTrace *trace = msc_session_get_trace (session);
  const MscTraceRecord *e;
  const MscTraceExtra *x;

  g_assert_nonnull (trace);
  g_assert_false (msc_trace_get_cut_short (trace));
  g_assert_cmpuint (msc_trace_get_n_events (trace), ==, 3);
  g_assert_cmpuint (msc_trace_get_thread_id (trace, 0), ==, 7);
  e = msc_trace_get_event (trace, 0);
  g_assert_cmpuint (e->op, ==, MSC_TRACE_MALLOC);
  g_assert_cmpuint (e->time, ==, 10);
  g_assert_cmpuint (e->address, ==, 0x1000);
  g_assert_cmpuint (e->size, ==, 64);
  g_assert_cmpstr (msc_trace_get_function (trace, e->stack), ==, "grow");
  g_assert_null (msc_trace_get_extra (trace, 0));
  e = msc_trace_get_event (trace, 1);
  x = msc_trace_get_extra (trace, 1);
  g_assert_cmpuint (e->op, ==, MSC_TRACE_MMAP);
  g_assert_cmpuint (e->address, ==, 0x100000);
  g_assert_nonnull (x);
  g_assert_cmpuint (x->flags, ==, 3 | 0x22 << 8);
  g_assert_cmpuint (x->old_address, ==, 0);
  e = msc_trace_get_event (trace, 2);
  g_assert_cmpuint (e->op, ==, MSC_TRACE_FREE);
  g_assert_cmpuint (e->address, ==, 0x1000);
  g_assert_cmpuint (e->time, ==, 30);
}

static void
test_trees (void)
{
  g_autoptr(MscSession) session = model_load ("trace.mmp");
  MscTrace *trace = msc_session_get_trace (session);
  g_autoptr(MscCallTree) heap = msc_call_tree_new (trace, MSC_REPLAY_HEAP, FALSE, 15);
  g_autoptr(MscCallTree) maps = msc_call_tree_new (trace, MSC_REPLAY_MAPPINGS, TRUE, G_MAXUINT64);
  const MscCallNode *grow = msc_call_tree_find (heap, "grow");
  const MscCallNode *main_node = msc_call_tree_find (maps, "main");

  /* Top-down: main → grow; live at time 15 (after the malloc, before the free). */
  g_assert_nonnull (grow);
  g_assert_cmpstr (grow->parent->function, ==, "main");
  g_assert_cmpuint (grow->count, ==, 1);
  g_assert_cmpuint (grow->total, ==, 64);
  g_assert_cmpuint (grow->live, ==, 64);
  g_assert_cmpuint (grow->leaked, ==, 0);
  g_assert_nonnull (main_node);
  g_assert_cmpuint (main_node->total, ==, 8192);
  g_assert_cmpuint (main_node->leaked, ==, 8192);

  /* The operations a node counts: grow's malloc (event 0), not the free;
   * main's mmap in the mappings tree. */
  {
    g_autoptr(GArray) of_grow = msc_call_tree_events_of (heap, grow);
    g_autoptr(GArray) of_root = msc_call_tree_events_of (heap, msc_call_tree_get_root (heap));
    g_autoptr(GArray) of_main = msc_call_tree_events_of (maps, main_node);

    g_assert_cmpuint (of_grow->len, ==, 1);
    g_assert_cmpuint (g_array_index (of_grow, guint, 0), ==, 0);
    g_assert_cmpuint (of_root->len, ==, 1);
    g_assert_cmpuint (of_main->len, ==, 1);
    g_assert_cmpuint (g_array_index (of_main, guint, 0), ==, 1);
  }
}

/* The heap blocks in a range at a time, and which call made a region. */
static void
test_live_in (void)
{
  g_autoptr(MscSession) session = model_load ("trace.mmp");
  MscTrace *trace = msc_session_get_trace (session);
  g_autoptr(GArray) during = msc_trace_live_in (trace, MSC_REPLAY_HEAP, 15, 0x1000, 0x2000);
  g_autoptr(GArray) after = msc_trace_live_in (trace, MSC_REPLAY_HEAP, 35, 0x1000, 0x2000);
  g_autoptr(GArray) region = msc_trace_live_in (trace, MSC_REPLAY_MAPPINGS, G_MAXUINT64, 0x101000, 0x101001);
  const MscLiveBlock *b;

  g_assert_cmpuint (during->len, ==, 1);
  b = &g_array_index (during, MscLiveBlock, 0);
  g_assert_cmpuint (b->address, ==, 0x1000);
  g_assert_cmpuint (b->size, ==, 64);
  g_assert_cmpstr (msc_trace_get_function (trace, b->stack), ==, "grow");
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_cmpuint (region->len, ==, 1);
  b = &g_array_index (region, MscLiveBlock, 0);
  g_assert_cmpuint (b->event, ==, 1);
  g_assert_cmpuint (b->address, ==, 0x100000);
  g_assert_cmpuint (b->size, ==, 8192);
}

/* What it reads it writes back, byte for byte. */
static void
test_round_trip (void)
{
  g_autoptr(MscSession) session = model_load ("trace.mmp");
  g_autoptr(GBytes) original = model_data_bytes ("trace.mmp");
  g_autoptr(GBytes) written = model_write (session, MSC_FILE_FORMAT_MMP);

  g_assert_true (g_bytes_equal (original, written));
}

/* trace.mmp with a realistic snapshot in front: real captures hold
 * hundreds of regions before the trace, so a cut in the trace lies far
 * beyond the part libxml2 is still parsing when it meets the cut. */
static GString *
padded_capture (void)
{
  g_autoptr(GBytes) original = model_data_bytes ("trace.mmp");
  gsize length;
  const char *text = g_bytes_get_data (original, &length);
  GString *doc = g_string_new_len (text, (gssize) length);
  const char *end = strstr (doc->str, "</Snapshot>");
  GString *regions = g_string_new (NULL);

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (regions, "<Region Address=\"%u\" Size=\"4096\" Type=\"Private Data\"/>\n",
                            (i + 2) * 8192);
  g_string_insert (doc, end - doc->str, regions->str);
  g_string_free (regions, TRUE);
  return doc;
}

/* Cut inside the events, or with events that do not decode: the snapshot
 * opens, the trace says what is missing. */
static void
test_damaged (gconstpointer data)
{
  g_autoptr(GString) damaged = padded_capture ();
  const char *events = strstr (damaged->str, "<TraceEvents Count=\"3\">") + strlen ("<TraceEvents Count=\"3\">");
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;
  MscTrace *trace;

  if (g_str_equal (data, "cut"))
    g_string_truncate (damaged, (gsize) (events - damaged->str) + 6);
  else
    damaged->str[events - damaged->str + 4] = '!';
  session = msc_loader_load_memory_as (damaged->str, damaged->len, MSC_FILE_FORMAT_MMP, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msc_region_table_length (model_regions (session, 0)), ==, 401);
  trace = msc_session_get_trace (session);
  g_assert_nonnull (trace);
  g_assert_true (msc_trace_get_cut_short (trace));
  g_assert_cmpuint (msc_trace_get_n_events (trace), <, 3);
  g_assert_cmpuint (msc_trace_get_notes (trace)->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (msc_trace_get_notes (trace), 0), "of the trace's 3 events"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace-file/events", test_events);
  g_test_add_func ("/trace-file/trees", test_trees);
  g_test_add_func ("/trace-file/live-in", test_live_in);
  g_test_add_func ("/trace-file/round-trip", test_round_trip);
  g_test_add_data_func ("/trace-file/cut", "cut", test_damaged);
  g_test_add_data_func ("/trace-file/corrupt", "corrupt", test_damaged);
  return g_test_run ();
}
