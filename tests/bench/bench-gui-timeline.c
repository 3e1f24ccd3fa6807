/* bench-gui-timeline.c — issue 20's GUI goals with 10,000 snapshots of a
 * 150-region process (5 regions changed each), opened from the .mmp as a
 * user would:
 *
 *   the Timeline's draw, first (every snapshot summed) and again  (goal ≤ 50 ms)
 *   picking a pair (Timeline drag) until the Details view has drawn
 *   its changes, neighbours and far apart, the slowest            (goal ≤ 100 ms)
 *
 * Run with `ninja -C build bench-gui-timeline` (under xvfb-run). Prints,
 * does not judge.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tests/model/model-history.h"
#include "ui/msc-application.h"
#include "ui/msc-timeline.h"
#include "ui/msc-window.h"

#define N_SNAPSHOTS 10000
#define TICKS_PER_SECOND G_GUINT64_CONSTANT (10000000)

static char *
write_session (void)
{
  g_autoptr(ModelHistory) history = model_history_new (20, 150);
  g_autoptr(MscSession) session = msc_session_new (msc_process_new (4242, "bench", 64));
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "bench-gui-timeline.mmp", NULL);

  g_object_unref (msc_session_get_process (session));
  for (guint i = 0; i < N_SNAPSHOTS; i++)
    {
      g_autoptr(MscSnapshot) snapshot = NULL;

      if (i > 0)
        model_history_step (history, 5, FALSE);
      snapshot = msc_snapshot_new (134000000000000000 + i * TICKS_PER_SECOND, 0, model_history_table (history));
      msc_session_add_snapshot (session, snapshot);
    }
  if (!msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error))
    g_error ("%s", error->message);
  return path;
}

typedef struct {
  gint64   start;
  double   seconds;
  gboolean drawn;
} DrawTime;

static gboolean
draw_started (GtkWidget *widget,
              cairo_t   *cr,
              DrawTime  *t)
{
  t->start = g_get_monotonic_time ();
  return FALSE;
}

static gboolean
draw_ended (GtkWidget *widget,
            cairo_t   *cr,
            DrawTime  *t)
{
  t->seconds = (g_get_monotonic_time () - t->start) / (double) G_USEC_PER_SEC;
  t->drawn = TRUE;
  return FALSE;
}

/* The Timeline's draw handler alone: queued, then waited for. */
static double
time_timeline_draw (GtkWidget *timeline,
                    DrawTime  *t)
{
  t->drawn = FALSE;
  gtk_widget_queue_draw (timeline);
  while (!t->drawn)
    g_main_context_iteration (NULL, TRUE);
  return t->seconds;
}

static gboolean
details_drawn (GtkWidget *widget,
               cairo_t   *cr,
               gboolean  *drawn)
{
  *drawn = TRUE;
  return FALSE;
}

/* From the pick to the Details view drawn with the pair's changes. */
static double
time_pick (MscWindow *window,
           guint      a,
           guint      b,
           gboolean  *drawn)
{
  gint64 start = g_get_monotonic_time ();

  *drawn = FALSE;
  msc_window_compare_snapshots (window, a, b);
  while (!*drawn)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (msc_window_get_diff (window));
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int argc, char **argv)
{
  static const guint pairs[][2] = { { 9998, 9999 }, { 0, 1 }, { 17, 9500 }, { 0, 9999 }, { 4000, 4001 }, { 123, 7777 } };
  g_autoptr(MscApplication) application = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  MscWindow *window;
  GtkWidget *holder, *timeline, *details;
  DrawTime t = { 0 };
  gboolean drawn = FALSE;
  double open, first, again, pick_max = 0;
  gint64 start;

  gtk_init (&argc, &argv);
  application = msc_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, NULL))
    return 1;
  path = write_session ();
  file = g_file_new_for_path (path);

  window = msc_window_new (GTK_APPLICATION (application));
  details = GTK_WIDGET (msc_details_view_get_tree_view (msc_window_get_details_view (window)));
  g_signal_connect_after (details, "draw", G_CALLBACK (details_drawn), &drawn);
  gtk_window_present (GTK_WINDOW (window));
  start = g_get_monotonic_time ();
  msc_window_open_file (window, file);
  while (msc_window_get_busy (window) || !drawn)
    g_main_context_iteration (NULL, TRUE);
  open = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (msc_session_get_n_snapshots (msc_window_get_session (window)), ==, N_SNAPSHOTS);

  /* The Timeline as its dialog shows it, 800 pixels wide. */
  holder = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  timeline = msc_timeline_new ();
  gtk_widget_set_size_request (timeline, 800, 200);
  gtk_container_add (GTK_CONTAINER (holder), timeline);
  g_signal_connect (timeline, "draw", G_CALLBACK (draw_started), &t);
  g_signal_connect_after (timeline, "draw", G_CALLBACK (draw_ended), &t);
  msc_timeline_set_session (MSC_TIMELINE (timeline), msc_window_get_session (window));
  gtk_widget_show_all (holder);
  first = time_timeline_draw (timeline, &t);
  again = time_timeline_draw (timeline, &t);

  g_print ("bench-gui-timeline: %d snapshots of 150 regions opened (window drawn) in %.0f ms\n",
           N_SNAPSHOTS, open * 1e3);
  g_print ("Timeline draw: first %.1f ms, again %.1f ms (goal <= 50 ms)\n", first * 1e3, again * 1e3);
  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      double s = time_pick (window, pairs[i][0], pairs[i][1], &drawn);

      g_print ("pick %u and %u: changes drawn in %.1f ms\n", pairs[i][0], pairs[i][1], s * 1e3);
      pick_max = MAX (pick_max, s);
    }
  g_print ("slowest pick %.1f ms (goal <= 100 ms)\n", pick_max * 1e3);
  gtk_widget_destroy (holder);
  gtk_widget_destroy (GTK_WIDGET (window));
  g_unlink (path);
  return 0;
}
