/* memscope.c — one program, two faces, as VMMap:
 *
 *   memscope [-64] [-p <pid | name-prefix>] [-o inputfile] [FILE.mmp...]
 *       the GUI: on the process, on the captures, or the process chooser;
 *   memscope [-64] [-p <pid | name-prefix> [outputfile]] [-o inputfile [outputfile]] [--summary]
 *       headless (app/msc-cli.c): with an output file scan or convert and
 *       exit; with --summary print the summary table.
 *
 * Where no display can be opened (ssh, CI) -p/-o alone prints the summary
 * and says so. Built with -Dgui=false it is the CLI only.
 *
 * On POSIX hosts this file makes two programs: memscope (MSC_GUI_APART),
 * which links no GTK and execs memscope-gui (MSC_HAVE_GUI) with its own
 * command line when a window is wanted, and memscope-gui, which does all of
 * the above itself. On Windows it makes one, memscope.exe, with the window.
 */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/msc-cli.h"
#ifdef MSC_HAVE_GUI
#include <gtk/gtk.h>
#include "ui/msc-application.h"
#endif

#ifdef MSC_HAVE_GUI
/* A GUI program started from a shortcut, Run or a launcher has no console
 * (memscope.exe has none at all): a wrong command line is said in a dialog
 * too, unless stderr is a terminal someone reads. */
static void
msc_usage_error_dialog (const char *message)
{
  GtkWidget *dialog;

  if (isatty (fileno (stderr)) || !gtk_init_check (NULL, NULL))
    return;
  dialog = gtk_message_dialog_new (NULL, 0, GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                   _("Memscope cannot start with these options"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), _("%s\n\nSee “memscope --help”."), message);
  gtk_window_set_title (GTK_WINDOW (dialog), "Memscope");
  gtk_dialog_run (GTK_DIALOG (dialog));
  gtk_widget_destroy (dialog);
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

/* The window on -p's process, -o's capture, or the captures named. GApplication
 * gets only the files: the options are ours, already parsed. */
static int
msc_gui_main (const char *program, const MscCliOptions *options)
{
  g_autoptr(MscApplication) application = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  if (!msc_have_schema ())
    return 1;
  g_set_application_name ("Memscope");
  g_ptr_array_add (args, (gpointer) program);
  if (options->input != NULL)
    g_ptr_array_add (args, options->input);
  else if (options->process == NULL && options->rest != NULL)
    for (char **file = options->rest; *file != NULL; file++)
      g_ptr_array_add (args, *file);
  g_ptr_array_add (args, NULL);
  application = msc_application_new (0);
  if (options->process != NULL)
    return msc_application_run_on_process (application, options->process, program);
  return g_application_run (G_APPLICATION (application), (int) args->len - 1, (char **) args->pdata);
}
#endif

#ifdef MSC_GUI_APART
/* memscope-gui next to this program (a build tree: it was run by its path),
 * else where it is installed (run from PATH). */
static char *
msc_gui_program (const char *program)
{
  if (strchr (program, G_DIR_SEPARATOR) != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (program);
      char *near = g_build_filename (dir, "memscope-gui", NULL);

      if (g_file_test (near, G_FILE_TEST_IS_EXECUTABLE))
        return near;
      g_free (near);
    }
  return g_strdup (MSC_GUI_PROGRAM_PATH);
}

/* Whether GTK could find a display to open. Only a sure "no" counts: on
 * X11 and Wayland hosts no display variable means none (an ssh session, CI),
 * and then the summary is printed without loading the window's program. */
static gboolean
msc_may_have_display (void)
{
#ifdef __APPLE__
  return TRUE;  /* Quartz needs no variable */
#else
  static const char *const variables[] = { "DISPLAY", "WAYLAND_DISPLAY", "GDK_BACKEND", "BROADWAY_DISPLAY" };

  for (gsize i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      const char *value = g_getenv (variables[i]);

      if (value != NULL && value[0] != '\0')
        return TRUE;
    }
  return FALSE;
#endif
}

/* Hands the command line to the window's program; returns only if it
 * could not be started, having said why. */
static void
msc_exec_gui (char **argv)
{
  g_autofree char *gui = msc_gui_program (argv[0]);

  execv (gui, argv);
  g_printerr (_("memscope: cannot start the window’s program %s: %s\n"), gui, g_strerror (errno));
}
#endif

/* -p/-o alone where no window can open: VMMap's window would show the
 * process; the summary is what a terminal can show of it. */
static int
msc_no_display_main (const MscCliOptions *options)
{
#if defined (MSC_HAVE_GUI)
  const char *why = _("no display to open the window on");
#elif defined (MSC_GUI_APART)
  const char *why = msc_may_have_display () ? _("the window could not be started")
                                            : _("no display to open the window on");
#else
  const char *why = _("this memscope was built without the window (-Dgui=false)");
#endif

  if (options->process != NULL || options->input != NULL)
    g_printerr (_("memscope: %s; printing the summary instead (--summary does so anywhere)\n"), why);
  return msc_cli_run (options);
}

static int
msc_main (int argc, char **argv)
{
  MscCliOptions options = { 0 };
  g_autoptr(GError) error = NULL;
#ifdef MSC_GUI_APART
  /* The parse below rearranges argv; the window's program gets it whole. */
  g_auto(GStrv) original = g_strdupv (argv);
#endif
  const char *program = argv[0];
  int status;

  /* Review commands have their own options and diff(1)'s exit codes. */
  if ((status = msc_cli_run_review (argc, argv)) >= 0)
    return status;
  if (!msc_cli_parse (&options, &argc, &argv, &error))
    {
#ifdef MSC_GUI_APART
      /* No terminal to read it: the window's program says it in a dialog. */
      if (!isatty (fileno (stderr)) && msc_may_have_display ())
        msc_exec_gui (original);
#endif
      g_printerr ("memscope: %s\n", error->message);
#ifdef MSC_HAVE_GUI
      msc_usage_error_dialog (error->message);
#endif
      msc_cli_options_clear (&options);
      return 1;
    }
  if (msc_cli_is_headless (&options))
    status = msc_cli_run (&options);
#if defined (MSC_HAVE_GUI)
  else if (gtk_init_check (NULL, NULL))
    status = msc_gui_main (program, &options);
#endif
  else
    {
#ifdef MSC_GUI_APART
      if (msc_may_have_display ())
        msc_exec_gui (original);
#endif
      status = msc_no_display_main (&options);
    }
  (void) program;
  msc_cli_options_clear (&options);
  return status;
}

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

  return msc_main (argc, argv);
}
