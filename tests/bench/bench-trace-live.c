/* bench-trace-live.c — the window while Launch and Trace records a program
 * making millions of operations a second (bench-trace-work: malloc + free
 * pairs at a stack depth of 12).
 *
 * A 10 ms timer on the main loop measures how late it fires: first with the
 * window idle (the reference, in this run), then while the window traces
 * the program and fills at each snapshot. Prints the events per second
 * recorded, and the timer's lateness (99th percentile and worst) in both
 * phases with their ratio. Goal: the window stays responsive (lateness in
 * frames, not seconds). Run with `ninja -C build bench-trace-live`.
 */
#include "config.h"

#include "ui/msc-application.h"
#include "ui/msc-window.h"

#define TICK_MS 10

typedef struct {
  gint64  expected;
  GArray *lateness;  /* double, ms */
} Ticker;

static gboolean
tick (gpointer data)
{
  Ticker *t = data;
  gint64 now = g_get_monotonic_time ();
  double late = (now - t->expected) / 1000.0;

  g_array_append_val (t->lateness, late);
  t->expected = now + TICK_MS * 1000;
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
summarize (GArray *lateness, double *p99, double *worst)
{
  g_array_sort (lateness, compare_doubles);
  *p99 = lateness->len > 0 ? g_array_index (lateness, double, lateness->len * 99 / 100) : 0;
  *worst = lateness->len > 0 ? g_array_index (lateness, double, lateness->len - 1) : 0;
}

/* Runs the main loop for ms, or while the window traces (ms = 0). */
static void
measure (MscWindow *window, guint ms, GArray *lateness)
{
  Ticker t = { g_get_monotonic_time () + TICK_MS * 1000, lateness };
  guint id = g_timeout_add (TICK_MS, tick, &t);
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (ms > 0 ? g_get_monotonic_time () < end : msc_window_get_tracing (window))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

int
main (int argc, char **argv)
{
  g_autoptr(MscApplication) application = NULL;
  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) busy = g_array_new (FALSE, FALSE, sizeof (double));
  const char *program[] = { argc > 1 ? argv[1] : "bench-trace-work", "12", "8000000", NULL };
  MscWindow *window;
  MscTrace *trace;
  gint64 start;
  double seconds, idle_p99, idle_worst, busy_p99, busy_worst;
  guint n_events;

  gtk_init (&argc, &argv);
  application = msc_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, NULL))
    return 1;
  window = msc_window_new (GTK_APPLICATION (application));
  gtk_window_present (GTK_WINDOW (window));
  measure (window, 2000, idle);

  start = g_get_monotonic_time ();
  msc_window_launch_trace (window, program, NULL, NULL);
  measure (window, 0, busy);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  trace = msc_session_get_trace (msc_window_get_session (window));
  n_events = trace != NULL ? msc_trace_get_n_events (trace) : 0;

  summarize (idle, &idle_p99, &idle_worst);
  summarize (busy, &busy_p99, &busy_worst);
  g_print ("bench-trace-live: %u events traced in %.1f s (%.0f events/s, launch to capture in the window)\n",
           n_events, seconds, n_events / seconds);
  g_print ("bench-trace-live: main-loop lateness of a %d ms timer: idle p99 %.1f ms, worst %.1f ms; "
           "while tracing p99 %.1f ms, worst %.1f ms (ratio p99 %.1f)\n", TICK_MS, idle_p99, idle_worst,
           busy_p99, busy_worst, busy_p99 / MAX (idle_p99, 0.1));
  gtk_widget_destroy (GTK_WIDGET (window));
  return n_events > 0 ? 0 : 1;
}
