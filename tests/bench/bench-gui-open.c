/* bench-gui-open.c — open a 100,000-region capture to a fully drawn window.
 *
 * Prints the seconds from "open" to the first complete draw of the Details
 * view, the seconds the model alone takes to read the same file (the
 * reference, measured in this run), and their ratio. Goal: ≤ 1 s.
 * Run with `ninja -C build bench-gui` (under xvfb-run).
 */
#include "config.h"

#include <glib/gstdio.h>

#include "model/msc-loader.h"
#include "ui/msc-application.h"
#include "ui/msc-window.h"

#define N_REGIONS 100000

/* Regions of every type, a quarter with two sub-blocks, each with its own
 * details string: the shape of a big browser or JVM process. */
static MscRegionTable *
make_regions (void)
{
  MscRegionTable *table = msc_region_table_new ();
  guint64 address = 0x10000;

  for (guint i = 0; i < N_REGIONS; i++)
    {
      MscRegion region = {
        .address = address, .size = 0x4000, .committed = 0x3000, .private_bytes = 0x2000,
        .total_ws = 0x2000, .private_ws = 0x1000, .shareable_ws = 0x1000, .blocks = 1,
        .protection = MSC_PAGE_READWRITE, .storage = MSC_MEM_PRIVATE, .type = i % MSC_TYPE_PAGE_TABLE,
      };
      g_autofree char *details = g_strdup_printf ("/usr/lib/x86_64-linux-gnu/libbench-%u.so", i % 5000);

      g_assert_cmpint (msc_region_table_append (table, &region, details), ==, 0);
      if (i % 4 == 0)
        for (int k = 0; k < 2; k++)
          {
            MscRegion sub = region;

            sub.address += k * 0x2000;
            sub.size = 0x2000;
            sub.blocks = 0;
            sub.flags = MSC_REGION_SUBBLOCK;
            g_assert_cmpint (msc_region_table_append (table, &sub, NULL), ==, 0);
          }
      address += 0x5000;
    }
  return table;
}

static char *
write_capture (void)
{
  g_autoptr(MscProcess) process = msc_process_new (4242, "bench", 64);
  g_autoptr(MscSession) session = msc_session_new (process);
  g_autoptr(MscSnapshot) snapshot = msc_snapshot_new (134000000000000000, 1 << 20, make_regions ());
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "bench-gui-open.mmp", NULL);

  msc_session_add_snapshot (session, snapshot);
  if (!msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error))
    g_error ("%s", error->message);
  return path;
}

static double
time_model_load (const char *path)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_loader_load (path, NULL, &error);

  if (session == NULL)
    g_error ("%s", error->message);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static gboolean
details_drawn (GtkWidget *widget,
               cairo_t   *cr,
               gboolean  *drawn)
{
  if (gtk_tree_view_get_model (GTK_TREE_VIEW (widget)) != NULL)
    *drawn = TRUE;
  return FALSE;
}

static double
time_window_open (MscApplication *application,
                  const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 start = g_get_monotonic_time ();
  MscWindow *window = msc_window_new (GTK_APPLICATION (application));
  GtkWidget *details = GTK_WIDGET (msc_details_view_get_tree_view (msc_window_get_details_view (window)));
  gboolean drawn = FALSE;
  double seconds;

  g_signal_connect_after (details, "draw", G_CALLBACK (details_drawn), &drawn);
  gtk_window_present (GTK_WINDOW (window));
  msc_window_open_file (window, file);
  while (msc_window_get_busy (window) || !drawn)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (msc_region_table_n_top_level (msc_snapshot_get_regions (
                      msc_session_get_latest (msc_window_get_session (window)))), ==, N_REGIONS);
  gtk_widget_destroy (GTK_WIDGET (window));
  return seconds;
}

int
main (int argc, char **argv)
{
  g_autoptr(MscApplication) application = NULL;
  g_autofree char *path = NULL;
  double load, open;

  gtk_init (&argc, &argv);
  application = msc_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, NULL))
    return 1;
  path = write_capture ();
  /* Warm the page cache and the type system once, so both timings start equal. */
  time_model_load (path);
  load = time_model_load (path);
  open = time_window_open (application, path);
  g_print ("bench-gui-open: %d regions: window fully drawn in %.3f s; model load alone %.3f s; "
           "ratio %.2f (goal: window ≤ 1 s)\n", N_REGIONS, open, load, open / load);
  g_unlink (path);
  return open <= 1.0 ? 0 : 1;
}
