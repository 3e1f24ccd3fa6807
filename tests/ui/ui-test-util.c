/* ui-test-util.c — see ui-test-util.h. */
#include "config.h"

#include "ui-test-util.h"
#include "ui/msc-details-model.h"

#include <string.h>

/* Known complaints of the Windows stack that are not ours, printed but not fatal
 * (g_test_init makes warnings and criticals fatal):
 *  - GDK under Wine, which lacks the keyboard layout DLLs (kbdus.dll: GDK falls
 *    back to the system's key translation) and the monitors' device-node
 *    properties (GDK falls back to GDI's monitor list);
 *  - Pango 1.50.12's Windows font map, where DirectWrite describes no raster
 *    (.fon) font: GDK's system-font lookup gets a NULL description (Memscope
 *    then uses Pango's "Sans"). The font list's own case is patched in the
 *    stack (build-aux/windows-patches/pango1.0);
 *  - GDK's Win32 clipboard, which warns while it offers a target it has no
 *    data for; the text itself arrives whole (Copy All's test compares it). */
static const struct {
  const char *domain;
  const char *text;
} wine_gaps[] = {
  { "Gdk", "Keyboard Layout" },
  { "Gdk", "keyboard layout" },
  { "Gdk", "device node property" },
  { "Pango", "assertion 'desc != NULL' failed" },
  { "Gdk", "Setting selection property with" },
};

static gboolean
is_wine_gap (const char *domain,
             const char *message)
{
  for (guint i = 0; i < G_N_ELEMENTS (wine_gaps); i++)
    if (g_strcmp0 (domain, wine_gaps[i].domain) == 0 && message != NULL && strstr (message, wine_gaps[i].text) != NULL)
      return TRUE;
  return FALSE;
}

/* g_log (GLib, Pango). */
static gboolean
ui_test_log_is_fatal (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message,
                      gpointer        user_data)
{
  return !is_wine_gap (log_domain, message);
}

/* Structured logging (GTK and GDK log so). */
static GLogWriterOutput
ui_test_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (is_wine_gap (domain, message))
    return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
ui_test_init (int    *argc,
              char ***argv)
{
  /* Before gtk_test_init: GDK reads the keymap as it opens the display. */
  g_log_set_writer_func (ui_test_log_writer, NULL, NULL);
  g_test_log_set_fatal_handler (ui_test_log_is_fatal, NULL);
  gtk_test_init (argc, argv, NULL);
}

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

MscRegion
ui_test_region (GtkTreeModel *model,
                GtkTreeIter  *iter)
{
  MscRegion region;

  g_assert_true (msc_details_model_get_region (MSC_DETAILS_MODEL (model), iter, &region));
  return region;
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

void
ui_test_iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

gboolean
ui_test_wait_until (GSourceFunc done,
                    gpointer    data)
{
  gint64 end = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      ui_test_iterate_for (10);
    }
  return TRUE;
}

GtkWidget *
ui_test_find_named (GtkWidget  *widget,
                    const char *name)
{
  g_autoptr(GList) children = NULL;

  if (g_strcmp0 (gtk_buildable_get_name (GTK_BUILDABLE (widget)), name) == 0)
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = ui_test_find_named (l->data, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GSubprocess *
ui_test_start_target (guint *pid)
{
  const char *args = g_getenv ("MSC_TEST_TARGET_ARGS");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) extra = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *target;
  char *line;

  g_ptr_array_add (argv, g_strdup (g_getenv ("MSC_TEST_TARGET")));
  if (args != NULL && args[0] != '\0')
    {
      g_assert_true (g_shell_parse_argv (args, NULL, &extra, &error));
      for (guint i = 0; extra[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (extra[i]));
    }
  g_ptr_array_add (argv, NULL);
  target = g_subprocess_newv ((const char * const *) argv->pdata,
                              G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (target));
  /* The target says "ready" once its layout is in place ("ready\r" from a
   * Windows console program). */
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      gboolean ready = g_str_equal (g_strchomp (line), "ready");

      g_free (line);
      if (ready)
        break;
    }
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *pid = (guint) g_ascii_strtoull (g_subprocess_get_identifier (target), NULL, 10);
  return target;
}

void
ui_test_stop_target (GSubprocess *target)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (target), "quit\n", 5, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (target, NULL, &error));
  g_assert_no_error (error);
}

gpointer
ui_test_find_toplevel (GType    type,
                       gboolean visible_only)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type)
        && (!visible_only || gtk_widget_get_visible (l->data)))
      return l->data;
  return NULL;
}

MscSession *
ui_test_assert_live_window (MscWindow *window,
                            guint      pid)
{
  MscSession *session = msc_window_get_session (window);
  g_autofree char *pid_text = g_strdup_printf ("PID: %u", pid);
  const MscSummary *summary;

  g_assert_nonnull (session);
  g_assert_cmpuint (msc_process_get_pid (msc_session_get_process (session)), ==, pid);
  g_assert_nonnull (strstr (msc_status_bar_get_text (msc_window_get_status_bar (window)), pid_text));
  /* Every target commits heap and image memory: a scan that saw them found the process's own regions. */
  summary = msc_snapshot_get_summary (msc_session_get_latest (session));
  g_assert_cmpuint (summary->types[MSC_TYPE_HEAP].committed, >, 0);
  g_assert_cmpuint (summary->types[MSC_TYPE_IMAGE].committed, >, 0);
  return session;
}

void
ui_test_press_key (GtkWidget *window,
                   guint      keyval)
{
  GdkDisplay *display = gtk_widget_get_display (window);
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  event->key.window = g_object_ref (gtk_widget_get_window (window));
  event->key.keyval = keyval;
  event->key.time = GDK_CURRENT_TIME;
  if (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (display), keyval, &keys, &n_keys) && n_keys > 0)
    event->key.hardware_keycode = (guint16) keys[0].keycode;
  g_free (keys);
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (display)));
  gtk_main_do_event (event);
  gdk_event_free (event);
}

void
ui_test_send_pointer (GtkWidget       *widget,
                      GdkEventType     type,
                      double           x,
                      double           y,
                      GdkModifierType  state)
{
  GdkEvent *event = gdk_event_new (type);

  event->any.window = g_object_ref (gtk_widget_get_window (widget));
  if (type == GDK_MOTION_NOTIFY)
    {
      event->motion.x = x;
      event->motion.y = y;
      event->motion.state = state;
    }
  else
    {
      event->button.x = x;
      event->button.y = y;
      event->button.state = state;
      event->button.button = GDK_BUTTON_PRIMARY;
    }
  gdk_event_set_device (event, gdk_seat_get_pointer (gdk_display_get_default_seat (gtk_widget_get_display (widget))));
  gtk_widget_event (widget, event);
  gdk_event_free (event);
}

MscWindow *
ui_test_open_live (guint pid)
{
  MscWindow *window = msc_window_new (GTK_APPLICATION (ui_test_application ()));

  gtk_window_present (GTK_WINDOW (window));
  msc_window_open_process (window, pid);
  ui_test_wait_idle (window);
  g_assert_nonnull (msc_window_get_session (window));
  return window;
}
