/* msc-process-chooser-launch.c — the chooser's second page: VMMap's
 * "Launch and Trace a New Program" where the backend traces (the page
 * checks the program, its arguments, directory and environment, and hands
 * them back; the window launches), a plain launch returning a PID where it
 * cannot. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "backends/backend.h"
#include "ui/msc-process-chooser-private.h"

static void
msc_process_chooser_show_launch_message (MscProcessChooser *self,
                                         GtkMessageType     type,
                                         const char        *title,
                                         const char        *message)
{
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>\n%s", title, message);

  gtk_info_bar_set_message_type (self->launch_error, type);
  gtk_label_set_markup (self->launch_error_label, markup);
  gtk_info_bar_set_revealed (self->launch_error, TRUE);
}

/* A statically linked program can be traced only in part: said as soon as
 * the path names one, not at Launch. */
void
msc_process_chooser_check_static (MscProcessChooser *self)
{
  g_autofree char *program = g_strstrip (g_strdup (gtk_entry_get_text (self->program_entry)));
  MscTraceMode mode = MSC_TRACE_TRACED;
  MscStatus status = { MSC_OK, "" };

  if (self->can_trace && program[0] != '\0' && msc_backend_trace_check (program, &mode, &status) == MSC_OK
      && mode == MSC_TRACE_STATIC)
    msc_process_chooser_show_launch_message (self, GTK_MESSAGE_WARNING, _("The program is statically linked."),
                                             _("Its heap calls cannot be traced; its mappings are (through "
                                               "ptrace), and its snapshots are taken as usual."));
}

/* ---- launching ---- */

static void
msc_process_chooser_show_launch_error (MscProcessChooser *self,
                                       const char        *message)
{
  msc_process_chooser_show_launch_message (self, GTK_MESSAGE_ERROR, _("The program could not be started."),
                                           message);
}

static char *
msc_entry_dup_stripped (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (entry)));
}

/* program followed by the arguments, split as a shell would. */
static GStrv
msc_process_chooser_build_argv (MscProcessChooser  *self,
                                GError            **error)
{
  g_autofree char *program = msc_entry_dup_stripped (self->program_entry);
  g_autofree char *arguments = msc_entry_dup_stripped (self->arguments_entry);
  g_auto(GStrv) parsed = NULL;
  GPtrArray *argv;

  if (program[0] == '\0')
    {
      g_set_error_literal (error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING,
                           _("Enter the program to launch."));
      return NULL;
    }
  /* g_shell_parse_argv refuses an empty string; no arguments is fine. */
  if (arguments[0] != '\0' && !g_shell_parse_argv (arguments, NULL, &parsed, error))
    return NULL;
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, g_steal_pointer (&program));
  for (guint i = 0; parsed != NULL && parsed[i] != NULL; i++)
    g_ptr_array_add (argv, g_steal_pointer (&parsed[i]));
  g_ptr_array_add (argv, NULL);
  return (GStrv) g_ptr_array_free (argv, FALSE);
}

/* Starts the program; its PID in *pid.  GSubprocess rather than g_spawn:
 * it reports the real process ID on Windows too (g_spawn gives a HANDLE),
 * and it reaps the child when it exits, so no zombie is left behind. */
static gboolean
msc_process_chooser_launch (MscProcessChooser  *self,
                            guint              *pid,
                            GError            **error)
{
  g_auto(GStrv) argv = msc_process_chooser_build_argv (self, error);
  g_autofree char *directory = msc_entry_dup_stripped (self->directory_entry);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  guint64 value;

  if (argv == NULL)
    return FALSE;
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  if (directory[0] != '\0')
    g_subprocess_launcher_set_cwd (launcher, directory);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
  if (process == NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (g_subprocess_get_identifier (process), 10, 1, G_MAXUINT,
                                   &value, NULL))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   _("“%s” started but exited at once."), argv[0]);
      return FALSE;
    }
  *pid = (guint) value;
  return TRUE;
}

/* "NAME=value NAME2='a b'": shell words, each an assignment. */
static gboolean
msc_process_chooser_parse_environment (MscProcessChooser  *self,
                                       GStrv              *out,
                                       GError            **error)
{
  g_autofree char *text = msc_entry_dup_stripped (self->environment_entry);
  g_auto(GStrv) words = NULL;

  *out = NULL;
  if (text[0] == '\0')
    return TRUE;
  if (!g_shell_parse_argv (text, NULL, &words, error))
    return FALSE;
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *eq = strchr (words[i], '=');

      /* A name: letters, digits and '_', not starting with a digit. */
      if (eq == NULL || eq == words[i] || g_ascii_isdigit (words[i][0]) || strspn (words[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                            "0123456789_") != (gsize) (eq - words[i]))
        {
          g_set_error (error, G_SHELL_ERROR, G_SHELL_ERROR_FAILED,
                       _("“%s” is not an environment setting: write NAME=value."), words[i]);
          return FALSE;
        }
    }
  *out = g_steal_pointer (&words);
  return TRUE;
}

/* Tracing: everything checked here, so that errors show in the page; the
 * window launches. */
static gboolean
msc_process_chooser_accept_trace (MscProcessChooser  *self,
                                  GError            **error)
{
  g_auto(GStrv) argv = msc_process_chooser_build_argv (self, error);
  g_autofree char *directory = msc_entry_dup_stripped (self->directory_entry);
  g_auto(GStrv) environment = NULL;
  MscTraceMode mode;
  MscStatus status = { MSC_OK, "" };

  if (argv == NULL || !msc_process_chooser_parse_environment (self, &environment, error))
    return FALSE;
  if (msc_backend_trace_check (argv[0], &mode, &status) != MSC_OK)
    {
      g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT, status.message);
      return FALSE;
    }
  if (directory[0] != '\0' && !g_file_test (directory, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_CHDIR, _("The working directory %s is not a directory."),
                   directory);
      return FALSE;
    }
  g_strfreev (self->trace_argv);
  self->trace_argv = g_steal_pointer (&argv);
  g_free (self->trace_directory);
  self->trace_directory = directory[0] != '\0' ? g_steal_pointer (&directory) : NULL;
  g_strfreev (self->trace_environment);
  self->trace_environment = g_steal_pointer (&environment);
  return TRUE;
}

gboolean
msc_process_chooser_accept_launch (MscProcessChooser *self)
{
  g_autoptr(GError) error = NULL;

  if (self->can_trace ? msc_process_chooser_accept_trace (self, &error)
                      : msc_process_chooser_launch (self, &self->pid, &error))
    return TRUE;
  msc_process_chooser_show_launch_error (self, error->message);
  return FALSE;
}

/* VMMap's "Launch and Trace" where the backend traces; elsewhere a plain
 * launch, and the page says so (no environment: the launch uses ours). */
void
msc_process_chooser_setup_launch_page (MscProcessChooser *self)
{
  self->can_trace = msc_backend_can_trace ();
  gtk_label_set_text_with_mnemonic (self->launch_tab, self->can_trace ? _("_Launch and Trace a New Program")
                                                                      : _("_Launch a New Program"));
  gtk_label_set_text (self->launch_note,
                      self->can_trace
                        ? _("Memscope starts the program under its tracer: every heap and mapping call with "
                            "its call stack, and a snapshot at each Trace Snapshot Interval (Options). The "
                            "window fills while it runs; Stop Trace ends it.")
                        : _("Memscope starts the program and shows its memory, as for a running process. "
                            "Tracing its allocations is not available on this system."));
  gtk_widget_set_visible (GTK_WIDGET (self->environment_entry), self->can_trace);
  gtk_widget_set_visible (self->environment_label, self->can_trace);
}

