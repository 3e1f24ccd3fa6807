/* bench-trace-dialog.c — the Trace dialog on 10 million operations.
 *
 * Prints the seconds from creating the dialog to its first complete draw,
 * the time of one pass over the events in the model (the reference,
 * measured in this run) and their ratio; the mean and worst time of a
 * scroll step to a drawn frame (100 jumps across the list); and the time to
 * filter by the text of the stack. Goals: open ≤ 1 s, scroll steps well
 * under a frame's 16 ms on average, filter off the main loop.
 * Run with `ninja -C build bench-trace-dialog` (under xvfb-run).
 */
#include "config.h"

#include "ui/msc-application.h"
#include "ui/msc-trace-dialog.h"

#define N_EVENTS 10000000u
#define N_STACKS 4096u
#define N_SCROLLS 100

/* Operations from 4,096 call sites, a malloc and a free each time. */
static MscTrace *
make_trace (void)
{
  MscTrace *trace = msc_trace_new (134000000000000000);
  g_autofree guint32 *stacks = g_new (guint32, N_STACKS);

  for (guint s = 0; s < N_STACKS; s++)
    {
      guint64 frames[12];

      for (guint f = 0; f < G_N_ELEMENTS (frames); f++)
        frames[f] = 0x400000 + (f == 0 ? s * 16 : f * 0x1000);
      stacks[s] = msc_trace_node_for_stack (trace, frames, G_N_ELEMENTS (frames));
    }
  for (guint f = 0; f < msc_trace_get_n_frames (trace); f++)
    {
      g_autofree char *name = g_strdup_printf ("function_%u", f);

      msc_trace_set_frame_symbol (trace, f, name, NULL, 0, "/usr/bin/bench", f * 16);
    }
  msc_trace_thread_index (trace, 4242);
  for (guint i = 0; i < N_EVENTS; i++)
    {
      MscTraceRecord record = {
        .time = (guint64) i * 100, .address = 0x10000000 + (guint64) (i / 2 % 65536) * 64,
        .size = (i & 1) ? 0 : 16 + i % 4000, .stack = stacks[(i / 2) % N_STACKS],
        .op = (i & 1) ? MSC_TRACE_FREE : MSC_TRACE_MALLOC,
      };

      msc_trace_append (trace, &record, NULL);
    }
  return trace;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static gboolean
drawn (GtkWidget *widget,
       cairo_t   *cr,
       gboolean  *flag)
{
  *flag = TRUE;
  return FALSE;
}

static void
wait_drawn (gboolean *flag)
{
  *flag = FALSE;
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr(MscTrace) trace = NULL;
  GtkWidget *dialog;
  GtkTreeView *view;
  GtkAdjustment *adjustment;
  gboolean flag = FALSE;
  guint64 sum = 0;
  gint64 start;
  double reference, open, worst = 0, total = 0, filter;

  gtk_init (&argc, &argv);
  msc_ui_init ();
  trace = make_trace ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < msc_trace_get_n_events (trace); i++)
    sum += msc_trace_get_event (trace, i)->size;
  reference = seconds_since (start);

  start = g_get_monotonic_time ();
  dialog = msc_trace_dialog_new (NULL, trace, NULL);
  view = msc_trace_dialog_get_view (MSC_TRACE_DIALOG (dialog));
  g_signal_connect_after (view, "draw", G_CALLBACK (drawn), &flag);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_drawn (&flag);
  open = seconds_since (start);

  adjustment = msc_trace_dialog_get_adjustment (MSC_TRACE_DIALOG (dialog));
  for (int k = 0; k < N_SCROLLS; k++)
    {
      double upper = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
      gint64 step = g_get_monotonic_time ();
      double seconds;

      gtk_adjustment_set_value (adjustment, upper * g_random_double ());
      wait_drawn (&flag);
      seconds = seconds_since (step);
      total += seconds;
      worst = MAX (worst, seconds);
    }

  start = g_get_monotonic_time ();
  msc_trace_dialog_set_filter (MSC_TRACE_DIALOG (dialog), "malloc", NULL, NULL, "1000", "function_7");
  while (msc_trace_dialog_get_busy (MSC_TRACE_DIALOG (dialog)))
    g_main_context_iteration (NULL, TRUE);
  filter = seconds_since (start);

  g_print ("bench-trace-dialog: %u operations (checksum %" G_GUINT64_FORMAT "): dialog drawn in %.3f s; one pass "
           "over the events %.3f s; ratio %.1f (goal: ≤ 1 s)\n", N_EVENTS, sum, open, reference, open / reference);
  g_print ("bench-trace-dialog: scroll to a drawn frame: mean %.1f ms, worst %.1f ms over %d jumps\n",
           total / N_SCROLLS * 1000, worst * 1000, N_SCROLLS);
  g_print ("bench-trace-dialog: filter (malloc, ≥ 1000 bytes, stack contains function_7): %.3f s, %u rows, "
           "the window drawing on meanwhile\n", filter,
           msc_trace_dialog_get_n_rows (MSC_TRACE_DIALOG (dialog)));
  gtk_widget_destroy (dialog);
  return open <= 1.0 ? 0 : 1;
}
