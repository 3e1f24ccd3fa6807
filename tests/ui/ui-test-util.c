/* ui-test-util.c — see ui-test-util.h. */
#include "config.h"

#include "ui-test-util.h"

MscApplication *
ui_test_application (void)
{
  static MscApplication *application;
  g_autoptr(GError) error = NULL;

  if (application != NULL)
    return application;
  application = msc_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  return application;
}

void
ui_test_flush (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration ();
}

void
ui_test_wait_idle (MscWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (msc_window_get_busy (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  ui_test_flush ();
}

MscWindow *
ui_test_open_capture (const char *path)
{
  g_autofree char *full = g_path_is_absolute (path) ? g_strdup (path)
                                                    : g_build_filename (g_getenv ("MSC_SAMPLES"), path, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (full);
  MscWindow *window = msc_window_new (GTK_APPLICATION (ui_test_application ()));

  gtk_window_present (GTK_WINDOW (window));
  msc_window_open_file (window, file);
  g_assert_true (msc_window_get_busy (window));
  ui_test_wait_idle (window);
  return window;
}

void
ui_test_activate (MscWindow  *window,
                  const char *action)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
  ui_test_flush ();
}

char *
ui_test_cell (GtkTreeModel *model,
              GtkTreeIter  *iter,
              int           column)
{
  char *text = NULL;

  gtk_tree_model_get (model, iter, column, &text, -1);
  return text != NULL ? text : g_strdup ("");
}

guint64
ui_test_kb (guint64 bytes)
{
  return (bytes + 512) / 1024;
}

guint64
ui_test_parse_kb (const char *text)
{
  guint64 value = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ',')
        continue;
      g_assert_true (g_ascii_isdigit (*p));
      value = value * 10 + (guint64) (*p - '0');
    }
  return value;
}
