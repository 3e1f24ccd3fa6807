/* test-ui-options.c — the Options menu acts in the window even when the
 * settings store does not work. Run twice (tests/ui/meson.build):
 *  - GSETTINGS_BACKEND=msc-unusable: a store, registered here, that refuses
 *    every write (as a read-only or broken store does): each option acts,
 *    and the window says it could not be saved;
 *  - GSETTINGS_BACKEND=dconf with no session bus (over SSH, in a
 *    container): the options act and are kept in a key file instead.
 */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ui/msc-details-model.h"
#include "ui-test-util.h"

#define UNUSABLE "msc-unusable"

/* ---- a settings store that refuses every change ---- */

typedef struct { GSettingsBackend parent_instance; } MscUnusableBackend;
typedef struct { GSettingsBackendClass parent_class; } MscUnusableBackendClass;

static GType msc_unusable_backend_get_type (void);
G_DEFINE_TYPE (MscUnusableBackend, msc_unusable_backend, G_TYPE_SETTINGS_BACKEND)

static GVariant *
unusable_read (GSettingsBackend   *backend,
               const char         *key,
               const GVariantType *type,
               gboolean            default_value)
{
  return NULL;
}

static gboolean
unusable_write (GSettingsBackend *backend,
                const char       *key,
                GVariant         *value,
                gpointer          origin_tag)
{
  g_variant_unref (g_variant_ref_sink (value));
  return FALSE;
}

static gboolean
unusable_write_tree (GSettingsBackend *backend,
                     GTree            *tree,
                     gpointer          origin_tag)
{
  return FALSE;
}

static void
unusable_reset (GSettingsBackend *backend,
                const char       *key,
                gpointer          origin_tag)
{
}

static gboolean
unusable_get_writable (GSettingsBackend *backend,
                       const char       *key)
{
  return TRUE;
}

static void
msc_unusable_backend_class_init (MscUnusableBackendClass *klass)
{
  GSettingsBackendClass *backend_class = G_SETTINGS_BACKEND_CLASS (klass);

  backend_class->read = unusable_read;
  backend_class->write = unusable_write;
  backend_class->write_tree = unusable_write_tree;
  backend_class->reset = unusable_reset;
  backend_class->get_writable = unusable_get_writable;
}

static void
msc_unusable_backend_init (MscUnusableBackend *self)
{
}

/* ---- the tests ---- */

static gboolean
unusable_store (void)
{
  return g_strcmp0 (g_getenv ("GSETTINGS_BACKEND"), UNUSABLE) == 0;
}

static guint
count_free_rows (MscWindow *window)
{
  GtkTreeModel *model = gtk_tree_view_get_model (msc_details_view_get_tree_view (msc_window_get_details_view (window)));
  GtkTreeIter iter;
  guint n = 0;

  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    if (ui_test_region (model, &iter).type == MSC_TYPE_FREE)
      n++;
  return n;
}

static int
details_font_size (MscWindow *window)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (msc_details_view_get_tree_view (msc_window_get_details_view (window))));
  PangoFontDescription *desc = NULL;
  int size;

  gtk_style_context_get (context, gtk_style_context_get_state (context), "font", &desc, NULL);
  size = pango_font_description_get_size (desc) / PANGO_SCALE;
  pango_font_description_free (desc);
  return size;
}

/* Options → Font…: the font chooser, answered as a user would. */
static void
choose_font (MscWindow  *window,
             const char *font)
{
  GtkWidget *dialog;

  ui_test_activate (window, "font");
  ui_test_flush ();
  dialog = ui_test_find_toplevel (GTK_TYPE_FONT_CHOOSER_DIALOG, TRUE);
  g_assert_nonnull (dialog);
  gtk_font_chooser_set_font (GTK_FONT_CHOOSER (dialog), font);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  ui_test_flush ();
}

static void
assert_state_uint (MscWindow  *window,
                   const char *action,
                   guint       expected)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);

  g_assert_cmpuint (g_variant_get_uint32 (state), ==, expected);
}

static gboolean have_store;

static void
test_options_act (void)
{
  MscWindow *window;
  GSettings *settings;
  g_autoptr(GVariant) state = NULL;

  if (!have_store)
    {
      /* Only the dconf run can lack its store. */
      g_test_skip ("no dconf GSettings module on this host (dconf-gsettings-backend)");
      return;
    }
  window = ui_test_open_capture ("sample.mmp");
  settings = msc_application_get_settings (ui_test_application ());

  /* Show Free Regions: the Details view lists them, the menu stays ticked. */
  g_assert_cmpuint (count_free_rows (window), ==, 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-free-regions", NULL);
  ui_test_iterate_for (300);
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-free-regions");
  g_assert_true (g_variant_get_boolean (state));
  g_assert_cmpuint (count_free_rows (window), >, 0);

  /* Font… and Auto Refresh act as well. */
  choose_font (window, "Monospace 17");
  g_assert_cmpint (details_font_size (window), ==, 17);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "auto-refresh", g_variant_new_uint32 (5));
  ui_test_iterate_for (300);
  assert_state_uint (window, "auto-refresh", 5);

  if (unusable_store ())
    {
      /* The store kept nothing, and the window says so. */
      g_assert_false (g_settings_get_boolean (settings, "show-free-regions"));
      g_assert_nonnull (msc_window_get_message (window));
      g_assert_nonnull (strstr (msc_window_get_message (window), "could not be saved"));
    }
  else
    {
      /* No bus for dconf: kept in the key file, nothing to complain about. */
      g_autofree char *path = g_build_filename (g_get_user_config_dir (), "memscope", "settings.ini", NULL);
      g_autofree char *saved = NULL;

      g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
      g_assert_nonnull (strstr (saved, "show-free-regions=true"));
      g_assert_true (g_settings_get_boolean (settings, "show-free-regions"));
      g_assert_cmpuint (g_settings_get_uint (settings, "auto-refresh-seconds"), ==, 5);
      g_assert_null (msc_window_get_message (window));
    }
  g_action_group_change_action_state (G_ACTION_GROUP (window), "auto-refresh", g_variant_new_uint32 (0));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
remove_config (const char *config)
{
  g_autofree char *dir = g_build_filename (config, "memscope", NULL);
  g_autofree char *file = g_build_filename (dir, "settings.ini", NULL);

  g_remove (file);
  g_rmdir (dir);
  g_rmdir (config);
}

int
main (int argc, char **argv)
{
  g_autofree char *config = g_dir_make_tmp ("memscope-options-XXXXXX", NULL);
  int status;

  /* The key-file fallback writes under here, not in the user's home. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  ui_test_init (&argc, &argv);
  /* GIO registers its extension points as it loads its modules. */
  g_vfs_get_default ();
  if (unusable_store ())
    g_io_extension_point_implement (G_SETTINGS_BACKEND_EXTENSION_POINT_NAME, msc_unusable_backend_get_type (),
                                    UNUSABLE, 1000);
  have_store = g_io_extension_point_get_extension_by_name (
                 g_io_extension_point_lookup (G_SETTINGS_BACKEND_EXTENSION_POINT_NAME),
                 g_getenv ("GSETTINGS_BACKEND")) != NULL;
  g_test_add_func ("/options/act-without-settings-store", test_options_act);
  status = g_test_run ();
  remove_config (config);
  return status;
}
