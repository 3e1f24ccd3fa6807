/* memscope.c — one program, two faces, as VMMap:
 *
 *   memscope [-64] [-p <pid | name-prefix> [outputfile]] [-o inputfile [outputfile]]
 *       headless (app/msc-cli.c): options given → scan or convert and exit;
 *   memscope [FILE.mmp...]
 *       the GUI: opens the captures, or shows the process chooser.
 *
 * Built with -Dgui=false it is the CLI only.
 */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "app/msc-cli.h"
#ifdef MSC_HAVE_GUI
#include <gtk/gtk.h>
#include "ui/msc-application.h"
#endif

#ifdef MSC_HAVE_GUI
/* VMMap's options all start with '-'; a bare argument is a capture to open.
 * Without a display (ssh, CI, scripts) the CLI's usage message helps more
 * than GTK's "cannot open display". */
static gboolean
msc_wants_cli (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-')
      return TRUE;
  return !gtk_init_check (NULL, NULL);
}

/* Without the schema GSettings aborts; say what to do instead. */
static gboolean
msc_have_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, MSC_APPLICATION_ID, TRUE);
  if (schema == NULL)
    g_printerr (_("memscope: the GSettings schema %s is not installed: run “meson install”, or "
                  "set GSETTINGS_SCHEMA_DIR to the build's data directory\n"), MSC_APPLICATION_ID);
  return schema != NULL;
}

static int
msc_gui_main (int argc, char **argv)
{
  g_autoptr(MscApplication) application = NULL;

  if (!msc_have_schema ())
    return 1;
  g_set_application_name ("Memscope");
  application = msc_application_new (0);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
#endif

/* Translations are in <prefix>/share/locale. On Windows the prefix is wherever
 * the bundle was unzipped (the folder above bin\), as GLib and GTK find theirs. */
static char *
msc_locale_dir (void)
{
#ifdef G_OS_WIN32
  g_autofree char *root = g_win32_get_package_installation_directory_of_module (NULL);

  return g_build_filename (root, "share", "locale", NULL);
#else
  return g_strdup (LOCALEDIR);
#endif
}

int
main (int argc, char **argv)
{
  g_autofree char *locale_dir = msc_locale_dir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

#ifdef MSC_HAVE_GUI
  if (!msc_wants_cli (argc, argv))
    return msc_gui_main (argc, argv);
#endif
  return msc_cli_main (argc, argv);
}
