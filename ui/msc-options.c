/* msc-options.c — see msc-options.h. */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>

#include "ui/msc-options.h"

/* Each property is the GSettings key of the same name. */
enum {
  PROP_0,
  PROP_SHOW_FREE_REGIONS,
  PROP_FONT,
  PROP_AUTO_REFRESH_SECONDS,
  PROP_STRINGS_MIN_LENGTH,
  PROP_TRACE_INTERVAL_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _MscOptions
{
  GObject    parent_instance;

  GSettings *settings;
  GVariant  *values[N_PROPS];
  gboolean   written[N_PROPS];   /* this run changed it */
  gboolean   reported[N_PROPS];  /* its failed save was told once */
};

G_DEFINE_FINAL_TYPE (MscOptions, msc_options, G_TYPE_OBJECT)

GSettings *
msc_options_open_settings (const char *schema_id)
{
  GSettingsBackend *backend = g_settings_backend_get_default ();
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSettingsBackend) keyfile = NULL;
  g_autofree char *path = NULL;

  if (g_strcmp0 (G_OBJECT_TYPE_NAME (backend), "DConfSettingsBackend") != 0)
    return g_settings_new (schema_id);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus != NULL)
    return g_settings_new (schema_id);
  path = g_build_filename (g_get_user_config_dir (), "memscope", "settings.ini", NULL);
  keyfile = g_keyfile_settings_backend_new (path, "/", NULL);
  return g_settings_new_with_backend (schema_id, keyfile);
}

static void
msc_options_report (MscOptions *self,
                    guint       prop_id)
{
  g_autofree char *message = NULL;

  if (self->reported[prop_id])
    return;
  self->reported[prop_id] = TRUE;
  message = g_strdup_printf (_("The option “%s” is in effect but could not be saved for the next start: "
                               "the settings store does not accept changes."),
                             _(g_param_spec_get_nick (properties[prop_id])));
  g_signal_emit (self, signals[SIGNAL_SAVE_FAILED], 0, message);
}

static void
msc_options_save (MscOptions *self,
                  guint       prop_id)
{
  const char *key = g_param_spec_get_name (properties[prop_id]);

  self->written[prop_id] = TRUE;
  if (!g_settings_is_writable (self->settings, key) || !g_settings_set_value (self->settings, key, self->values[prop_id]))
    msc_options_report (self, prop_id);
}

/* The store answers later that it dropped a change (dconf without a bus
 * puts the old value back): the window keeps the new one. */
static void
msc_options_settings_changed (MscOptions *self,
                              const char *key)
{
  for (guint prop_id = 1; prop_id < N_PROPS; prop_id++)
    if (g_str_equal (key, g_param_spec_get_name (properties[prop_id])) && self->written[prop_id])
      {
        g_autoptr(GVariant) stored = g_settings_get_value (self->settings, key);

        if (!g_variant_equal (stored, self->values[prop_id]))
          msc_options_report (self, prop_id);
      }
}

static void
msc_options_set (MscOptions *self,
                 guint       prop_id,
                 GVariant   *value)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);

  if (self->values[prop_id] != NULL && g_variant_equal (self->values[prop_id], owned))
    return;
  g_clear_pointer (&self->values[prop_id], g_variant_unref);
  self->values[prop_id] = g_variant_ref (owned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  msc_options_save (self, prop_id);
}

static void
msc_options_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MscOptions *self = MSC_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_SHOW_FREE_REGIONS:
      g_value_set_boolean (value, g_variant_get_boolean (self->values[prop_id]));
      break;
    case PROP_FONT:
      g_value_set_string (value, g_variant_get_string (self->values[prop_id], NULL));
      break;
    case PROP_AUTO_REFRESH_SECONDS:
    case PROP_STRINGS_MIN_LENGTH:
    case PROP_TRACE_INTERVAL_SECONDS:
      g_value_set_uint (value, g_variant_get_uint32 (self->values[prop_id]));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_options_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MscOptions *self = MSC_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_SHOW_FREE_REGIONS:
      msc_options_set (self, prop_id, g_variant_new_boolean (g_value_get_boolean (value)));
      break;
    case PROP_FONT:
      msc_options_set (self, prop_id, g_variant_new_string (g_value_get_string (value) != NULL
                                                            ? g_value_get_string (value) : ""));
      break;
    case PROP_AUTO_REFRESH_SECONDS:
    case PROP_STRINGS_MIN_LENGTH:
    case PROP_TRACE_INTERVAL_SECONDS:
      msc_options_set (self, prop_id, g_variant_new_uint32 (g_value_get_uint (value)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_options_finalize (GObject *object)
{
  MscOptions *self = MSC_OPTIONS (object);

  for (guint i = 0; i < N_PROPS; i++)
    g_clear_pointer (&self->values[i], g_variant_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (msc_options_parent_class)->finalize (object);
}

static void
msc_options_class_init (MscOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = msc_options_finalize;
  object_class->get_property = msc_options_get_property;
  object_class->set_property = msc_options_set_property;

  /* The nick is the option as the menus name it (in the save-failed note). */
  properties[PROP_SHOW_FREE_REGIONS] =
    g_param_spec_boolean ("show-free-regions", N_("Show Free Regions"), "Whether Details lists free regions",
                          FALSE, flags);
  properties[PROP_FONT] =
    g_param_spec_string ("font", N_("Font"), "Font of the Summary and Details views", "", flags);
  properties[PROP_AUTO_REFRESH_SECONDS] =
    g_param_spec_uint ("auto-refresh-seconds", N_("Auto Refresh"), "Seconds between refreshes, 0 for off",
                       0, 3600, 0, flags);
  properties[PROP_STRINGS_MIN_LENGTH] =
    g_param_spec_uint ("strings-min-length", N_("Shortest string"), "Shortest string the Strings window lists",
                       1, 1024, 3, flags);
  properties[PROP_TRACE_INTERVAL_SECONDS] =
    g_param_spec_uint ("trace-interval-seconds", N_("Trace Snapshot Interval"),
                       "Seconds between the snapshots of a traced program", 1, 60, 1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A user-readable note: an option could not be saved. */
  signals[SIGNAL_SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
msc_options_init (MscOptions *self)
{
}

MscOptions *
msc_options_new (GSettings *settings)
{
  MscOptions *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MSC_TYPE_OPTIONS, NULL);
  self->settings = g_object_ref (settings);
  for (guint prop_id = 1; prop_id < N_PROPS; prop_id++)
    self->values[prop_id] = g_settings_get_value (settings, g_param_spec_get_name (properties[prop_id]));
  g_signal_connect_object (settings, "changed", G_CALLBACK (msc_options_settings_changed), self, G_CONNECT_SWAPPED);
  return self;
}

GSettings *
msc_options_get_settings (MscOptions *self)
{
  g_return_val_if_fail (MSC_IS_OPTIONS (self), NULL);
  return self->settings;
}

gboolean
msc_options_get_show_free (MscOptions *self)
{
  g_return_val_if_fail (MSC_IS_OPTIONS (self), FALSE);
  return g_variant_get_boolean (self->values[PROP_SHOW_FREE_REGIONS]);
}

const char *
msc_options_get_font (MscOptions *self)
{
  g_return_val_if_fail (MSC_IS_OPTIONS (self), "");
  return g_variant_get_string (self->values[PROP_FONT], NULL);
}

guint
msc_options_get_auto_refresh (MscOptions *self)
{
  g_return_val_if_fail (MSC_IS_OPTIONS (self), 0);
  return g_variant_get_uint32 (self->values[PROP_AUTO_REFRESH_SECONDS]);
}

guint
msc_options_get_trace_interval (MscOptions *self)
{
  g_return_val_if_fail (MSC_IS_OPTIONS (self), 1);
  return g_variant_get_uint32 (self->values[PROP_TRACE_INTERVAL_SECONDS]);
}

guint
msc_options_get_strings_min_length (MscOptions *self)
{
  g_return_val_if_fail (MSC_IS_OPTIONS (self), 3);
  return g_variant_get_uint32 (self->values[PROP_STRINGS_MIN_LENGTH]);
}

void
msc_options_set_font (MscOptions *self,
                      const char *font)
{
  g_return_if_fail (MSC_IS_OPTIONS (self));
  msc_options_set (self, PROP_FONT, g_variant_new_string (font != NULL ? font : ""));
}

void
msc_options_set_auto_refresh (MscOptions *self,
                              guint       seconds)
{
  g_return_if_fail (MSC_IS_OPTIONS (self));
  msc_options_set (self, PROP_AUTO_REFRESH_SECONDS, g_variant_new_uint32 (seconds));
}

void
msc_options_set_strings_min_length (MscOptions *self,
                                    guint       length)
{
  g_return_if_fail (MSC_IS_OPTIONS (self));
  msc_options_set (self, PROP_STRINGS_MIN_LENGTH, g_variant_new_uint32 (length));
}
