/* msc-strings-dialog.c — see msc-strings-dialog.h.
 *
 * The scan runs in a worker (MscStringsScan); its batches arrive on the main
 * loop and go straight into the list model, so the first strings show while
 * a large region is still being read.  A new minimum length cancels the scan
 * and starts another; a new filter is a new model over the same strings.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "model/msc-strings-scan.h"
#include "ui/msc-strings-dialog.h"
#include "ui/msc-ui-util.h"

/* Publishing rows: slices of at most 8 ms between frames, below GTK's
 * redraw and input priorities. */
#define MSC_PUBLISH_PRIORITY G_PRIORITY_DEFAULT_IDLE
#define MSC_PUBLISH_SLICE_US (8 * G_TIME_SPAN_MILLISECOND)
#define MSC_PUBLISH_ROWS 256

/* Responses of the action-area buttons (msc-strings-dialog.ui). */
enum {
  MSC_STRINGS_RESPONSE_COPY = 1,
  MSC_STRINGS_RESPONSE_GO_TO = 2,
};

struct _MscStringsDialog
{
  GtkDialog         parent_instance;

  GtkInfoBar       *info_bar;
  GtkLabel         *info_label;
  GtkLabel         *region_title;
  GtkLabel         *region_range;
  GtkSpinButton    *min_spin;
  GtkSearchEntry   *search_entry;
  GtkTreeView      *tree_view;
  GtkLabel         *status_label;
  GtkProgressBar   *progress_bar;
  GtkButton        *cancel_button;

  MscOptions       *options;
  guint             pid;
  guint64           address;
  guint64           size;
  int               address_digits;

  MscStringsModel  *model;        /* on the view */
  MscStringsScan   *scan;         /* under way, or the last one */
  GCancellable     *cancellable;  /* of the scan under way; NULL when none */
  guint             publish_id;   /* idle showing strings already added */
  gboolean          stopped;      /* the last scan was cancelled by the user */
  char             *error_text;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNAL_GO_TO_ADDRESS,
  SIGNAL_COPY_CLIPBOARD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MscStringsDialog, msc_strings_dialog, GTK_TYPE_DIALOG)

/* ---- the status line and the info bar ---- */

static char *
msc_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

/* "12,345 strings · 1.2 MiB read · 30 pages skipped as not resident" */
static char *
msc_strings_dialog_describe (MscStringsDialog *self)
{
  const MscReadStats *stats = msc_strings_scan_get_stats (self->scan);
  guint64 n_found = msc_strings_model_get_n_added (self->model);
  g_autofree char *found = msc_count (n_found);
  g_autofree char *read = g_format_size_full (stats->bytes_read, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *skipped = msc_count (stats->pages_not_resident);
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_printf (text, ngettext ("%s string", "%s strings", (gulong) MIN (n_found, G_MAXULONG)), found);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("%s read"), read);
  g_string_append (text, " · ");
  g_string_append_printf (text, ngettext ("%s page skipped as not resident", "%s pages skipped as not resident",
                                          (gulong) MIN (stats->pages_not_resident, G_MAXULONG)),
                          skipped);
  if (stats->pages_unreadable > 0)
    {
      g_autofree char *unreadable = msc_count (stats->pages_unreadable);

      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("%s page not readable", "%s pages not readable",
                                              (gulong) MIN (stats->pages_unreadable, G_MAXULONG)),
                              unreadable);
    }
  if (stats->pages_unverified > 0)
    {
      g_autofree char *unverified = msc_count (stats->pages_unverified);

      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("%s page read unchecked (the system would not say whether it was resident)",
                                              "%s pages read unchecked (the system would not say whether they were resident)",
                                              (gulong) MIN (stats->pages_unverified, G_MAXULONG)),
                              unverified);
    }
  if (msc_strings_model_get_n_kept (self->model) < n_found)
    {
      g_autofree char *kept = msc_count (msc_strings_model_get_n_kept (self->model));

      g_string_append (text, " · ");
      g_string_append_printf (text, _("the first %s listed"), kept);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
msc_strings_dialog_update_status (MscStringsDialog *self)
{
  g_autofree char *text = NULL;

  if (self->cancellable != NULL)
    {
      guint64 n_found = msc_strings_model_get_n_added (self->model);
      g_autofree char *found = msc_count (n_found);

      text = g_strdup_printf (ngettext ("Reading the resident pages… %s string so far",
                                        "Reading the resident pages… %s strings so far",
                                        (gulong) MIN (n_found, G_MAXULONG)),
                              found);
    }
  else
    {
      g_autofree char *described = msc_strings_dialog_describe (self);

      /* Translators: the user stopped the scan; then what it had found. */
      text = self->stopped ? g_strdup_printf (_("Stopped · %s"), described) : g_steal_pointer (&described);
    }
  if (msc_strings_model_get_filter (self->model)[0] != '\0')
    {
      g_autofree char *shown = msc_count (msc_strings_model_get_n_rows (self->model));
      g_autofree char *all = g_steal_pointer (&text);

      /* Translators: %s: the number of strings the filter lets through; then the status. */
      text = g_strdup_printf (_("%s shown · %s"), shown, all);
    }
  gtk_label_set_text (self->status_label, text);
}

static void
msc_strings_dialog_show_error (MscStringsDialog *self,
                               const GError     *error)
{
  g_free (self->error_text);
  self->error_text = g_strdup (error->message);
  msc_info_bar_show (self->info_bar, self->info_label, _("Could not read the strings of this region"),
                     error->message);
}

static void
msc_strings_dialog_hide_error (MscStringsDialog *self)
{
  g_clear_pointer (&self->error_text, g_free);
  gtk_info_bar_set_revealed (self->info_bar, FALSE);
}

static void
msc_strings_dialog_info_response (MscStringsDialog *self)
{
  msc_strings_dialog_hide_error (self);
}

/* ---- the scan ---- */

static void
msc_strings_dialog_set_busy (MscStringsDialog *self,
                             gboolean          busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  msc_strings_dialog_update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Shows the strings added so far, a slice at a time: a view spends a few µs
 * on each inserted row, and one batch can hold 30,000. */
static gboolean
msc_strings_dialog_publish (gpointer data)
{
  MscStringsDialog *self = data;
  gint64 deadline = g_get_monotonic_time () + MSC_PUBLISH_SLICE_US;

  while (msc_strings_model_publish (self->model, MSC_PUBLISH_ROWS))
    if (g_get_monotonic_time () >= deadline)
      return G_SOURCE_CONTINUE;
  self->publish_id = 0;
  if (self->cancellable == NULL)
    msc_strings_dialog_set_busy (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
msc_strings_dialog_batch (MscStringsDialog *self,
                          MscStringsBatch  *batch)
{
  msc_strings_model_add_batch (self->model, batch);
  if (self->publish_id == 0)
    self->publish_id = g_idle_add_full (MSC_PUBLISH_PRIORITY, msc_strings_dialog_publish, self, NULL);
}

static void
msc_strings_dialog_fraction (MscStringsDialog *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar, msc_strings_scan_get_fraction (self->scan));
  msc_strings_dialog_update_status (self);
}

/* Detaches the scan under way (it may still deliver queued batches). */
static void
msc_strings_dialog_stop (MscStringsDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->publish_id, g_source_remove);
  if (self->scan != NULL)
    g_signal_handlers_disconnect_by_data (self->scan, self);
}

static void
msc_strings_dialog_scan_done (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(MscStringsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = msc_strings_scan_run_finish (MSC_STRINGS_SCAN (source), result, &error);

  /* A scan replaced by a newer one, or of a dialog closed meanwhile. */
  if (MSC_STRINGS_SCAN (source) != self->scan || self->cancellable == NULL)
    return;
  g_clear_object (&self->cancellable);
  self->stopped = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (!ok && !self->stopped)
    msc_strings_dialog_show_error (self, error);
  if (self->publish_id == 0)
    msc_strings_dialog_set_busy (self, FALSE);
  else
    msc_strings_dialog_update_status (self);
}

static void
msc_strings_dialog_start (MscStringsDialog *self)
{
  g_autoptr(MscStringsModel) empty = msc_strings_model_new (self->address_digits);
  const char *filter = gtk_entry_get_text (GTK_ENTRY (self->search_entry));
  guint min_length = (guint) gtk_spin_button_get_value_as_int (self->min_spin);

  msc_strings_dialog_stop (self);
  msc_strings_dialog_hide_error (self);
  g_clear_object (&self->model);
  self->model = msc_strings_model_new_filtered (empty, filter);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->model));

  g_clear_object (&self->scan);
  self->scan = msc_strings_scan_new (self->pid, self->address, self->size, min_length);
  self->cancellable = g_cancellable_new ();
  self->stopped = FALSE;
  g_signal_connect_swapped (self->scan, "batch", G_CALLBACK (msc_strings_dialog_batch), self);
  g_signal_connect_swapped (self->scan, "notify::fraction", G_CALLBACK (msc_strings_dialog_fraction), self);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  msc_strings_scan_run_async (self->scan, self->cancellable, msc_strings_dialog_scan_done, g_object_ref (self));
  msc_strings_dialog_set_busy (self, TRUE);
}

void
msc_strings_dialog_cancel (MscStringsDialog *self)
{
  g_return_if_fail (MSC_IS_STRINGS_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
msc_strings_dialog_min_changed (MscStringsDialog *self)
{
  guint min_length = (guint) gtk_spin_button_get_value_as_int (self->min_spin);

  if (self->options != NULL)
    msc_options_set_strings_min_length (self->options, min_length);
  if (self->scan != NULL)
    msc_strings_dialog_start (self);
}

void
msc_strings_dialog_set_min_length (MscStringsDialog *self,
                                   guint             min_length)
{
  g_return_if_fail (MSC_IS_STRINGS_DIALOG (self));

  gtk_spin_button_set_value (self->min_spin, min_length);
}

/* ---- filtering ---- */

void
msc_strings_dialog_set_filter (MscStringsDialog *self,
                               const char       *filter)
{
  g_autoptr(MscStringsModel) model = NULL;

  g_return_if_fail (MSC_IS_STRINGS_DIALOG (self));

  if (g_strcmp0 (filter, msc_strings_model_get_filter (self->model)) == 0)
    return;
  model = msc_strings_model_new_filtered (self->model, filter);
  g_set_object (&self->model, model);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->model));
  /* The new model shows every string added so far. */
  if (self->publish_id != 0)
    {
      g_clear_handle_id (&self->publish_id, g_source_remove);
      if (self->cancellable == NULL)
        {
          msc_strings_dialog_set_busy (self, FALSE);
          return;
        }
    }
  msc_strings_dialog_update_status (self);
}

static void
msc_strings_dialog_search_changed (MscStringsDialog *self)
{
  msc_strings_dialog_set_filter (self, gtk_entry_get_text (GTK_ENTRY (self->search_entry)));
}

/* The search entry takes Escape for itself (GtkSearchEntry's stop-search)
 * and the dialog never saw it: Escape clears a filter, and closes the
 * window when there is none, as Escape closes any dialog. */
static void
msc_strings_dialog_stop_search (MscStringsDialog *self)
{
  if (gtk_entry_get_text (GTK_ENTRY (self->search_entry))[0] != '\0')
    gtk_entry_set_text (GTK_ENTRY (self->search_entry), "");
  else
    gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_CLOSE);
}

/* ---- the selection: copy, go to region ---- */

static GList *
msc_strings_dialog_selected_paths (MscStringsDialog *self)
{
  return gtk_tree_selection_get_selected_rows (gtk_tree_view_get_selection (self->tree_view), NULL);
}

static void
msc_strings_dialog_selection_changed (MscStringsDialog *self)
{
  gboolean any = gtk_tree_selection_count_selected_rows (gtk_tree_view_get_selection (self->tree_view)) > 0;

  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), MSC_STRINGS_RESPONSE_COPY, any);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), MSC_STRINGS_RESPONSE_GO_TO, any);
}

void
msc_strings_dialog_copy (MscStringsDialog *self)
{
  GList *paths;
  g_autoptr(GString) text = NULL;

  g_return_if_fail (MSC_IS_STRINGS_DIALOG (self));

  paths = msc_strings_dialog_selected_paths (self);
  if (paths == NULL)
    return;
  text = g_string_new (NULL);
  for (GList *l = paths; l != NULL; l = l->next)
    {
      GtkTreeIter iter;
      g_autofree char *line = NULL;

      if (!gtk_tree_model_get_iter (GTK_TREE_MODEL (self->model), &iter, l->data))
        continue;
      line = msc_strings_model_dup_line (self->model, &iter);
      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }
  g_list_free_full (paths, (GDestroyNotify) gtk_tree_path_free);
  gtk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD), text->str,
                          (int) text->len);
}

static void
msc_strings_dialog_go_to_path (MscStringsDialog *self,
                               GtkTreePath      *path)
{
  GtkTreeIter iter;

  if (gtk_tree_model_get_iter (GTK_TREE_MODEL (self->model), &iter, path))
    g_signal_emit (self, signals[SIGNAL_GO_TO_ADDRESS], 0, msc_strings_model_get_address (self->model, &iter));
}

static void
msc_strings_dialog_go_to_selected (MscStringsDialog *self)
{
  GList *paths = msc_strings_dialog_selected_paths (self);

  if (paths != NULL)
    msc_strings_dialog_go_to_path (self, paths->data);
  g_list_free_full (paths, (GDestroyNotify) gtk_tree_path_free);
}

static void
msc_strings_dialog_row_activated (MscStringsDialog  *self,
                                  GtkTreePath       *path)
{
  msc_strings_dialog_go_to_path (self, path);
}

static void
msc_strings_dialog_response (GtkDialog *dialog,
                             int        response)
{
  MscStringsDialog *self = MSC_STRINGS_DIALOG (dialog);

  switch (response)
    {
    case MSC_STRINGS_RESPONSE_COPY:
      msc_strings_dialog_copy (self);
      break;
    case MSC_STRINGS_RESPONSE_GO_TO:
      msc_strings_dialog_go_to_selected (self);
      break;
    default:
      gtk_widget_destroy (GTK_WIDGET (self));
    }
}

/* ---- accessors ---- */

gboolean
msc_strings_dialog_get_busy (MscStringsDialog *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_DIALOG (self), FALSE);
  return self->cancellable != NULL || self->publish_id != 0;
}

MscStringsModel *
msc_strings_dialog_get_model (MscStringsDialog *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_DIALOG (self), NULL);
  return self->model;
}

GtkTreeView *
msc_strings_dialog_get_tree_view (MscStringsDialog *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_DIALOG (self), NULL);
  return self->tree_view;
}

const char *
msc_strings_dialog_get_status_text (MscStringsDialog *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_DIALOG (self), NULL);
  return gtk_label_get_text (self->status_label);
}

const char *
msc_strings_dialog_get_error_text (MscStringsDialog *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_DIALOG (self), NULL);
  return self->error_text;
}

/* ---- GObject ---- */

static void
msc_strings_dialog_destroy (GtkWidget *widget)
{
  MscStringsDialog *self = MSC_STRINGS_DIALOG (widget);

  msc_strings_dialog_stop (self);
  GTK_WIDGET_CLASS (msc_strings_dialog_parent_class)->destroy (widget);
}

static void
msc_strings_dialog_finalize (GObject *object)
{
  MscStringsDialog *self = MSC_STRINGS_DIALOG (object);

  g_clear_object (&self->model);
  g_clear_object (&self->scan);
  g_clear_object (&self->options);
  g_free (self->error_text);
  G_OBJECT_CLASS (msc_strings_dialog_parent_class)->finalize (object);
}

static void
msc_strings_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MscStringsDialog *self = MSC_STRINGS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, msc_strings_dialog_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_strings_dialog_class_init (MscStringsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkDialogClass *dialog_class = GTK_DIALOG_CLASS (klass);

  object_class->finalize = msc_strings_dialog_finalize;
  object_class->get_property = msc_strings_dialog_get_property;
  widget_class->destroy = msc_strings_dialog_destroy;
  dialog_class->response = msc_strings_dialog_response;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_GO_TO_ADDRESS] = g_signal_new ("go-to-address", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  /* Ctrl+C, bound below: a keybinding signal as GtkEntry's, so a focused
   * search entry still copies its own text. */
  signals[SIGNAL_COPY_CLIPBOARD] = g_signal_new_class_handler ("copy-clipboard", G_TYPE_FROM_CLASS (klass),
                                                               G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                               G_CALLBACK (msc_strings_dialog_copy),
                                                               NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_binding_entry_add_signal (gtk_binding_set_by_class (klass), GDK_KEY_c, GDK_CONTROL_MASK, "copy-clipboard", 0);
  gtk_binding_entry_add_signal (gtk_binding_set_by_class (klass), GDK_KEY_Insert, GDK_CONTROL_MASK,
                                "copy-clipboard", 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-strings-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, info_bar);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, info_label);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, region_title);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, region_range);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, min_spin);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, tree_view);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MscStringsDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, msc_strings_dialog_info_response);
  gtk_widget_class_bind_template_callback (widget_class, msc_strings_dialog_min_changed);
  gtk_widget_class_bind_template_callback (widget_class, msc_strings_dialog_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, msc_strings_dialog_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, msc_strings_dialog_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, msc_strings_dialog_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, msc_strings_dialog_cancel);
}

static void
msc_strings_dialog_init (MscStringsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->address_digits = 16;
  self->model = msc_strings_model_new (self->address_digits);
}

/* "Heap (Private Data) · Heap ID: 1 [GLIBC MAIN ARENA]" over
 * "0000555AB3B4F000–0000555AB3B6FFFF · 132 KiB · process 1234". */
static void
msc_strings_dialog_describe_region (MscStringsDialog *self,
                                    const char       *description)
{
  g_autofree char *first = g_strdup_printf ("%0*" G_GINT64_MODIFIER "X", self->address_digits, self->address);
  g_autofree char *last = g_strdup_printf ("%0*" G_GINT64_MODIFIER "X", self->address_digits,
                                           self->address + self->size - 1);
  g_autofree char *size = g_format_size_full (self->size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *range = NULL;

  /* Translators: a region's first and last address, its size, and the process ID. */
  range = g_strdup_printf (_("%s–%s · %s · process %u"), first, last, size, self->pid);
  gtk_label_set_text (self->region_title, description);
  gtk_label_set_text (self->region_range, range);
}

void
msc_strings_dialog_set_region (MscStringsDialog *self,
                               guint             pid,
                               const MscRegion  *region,
                               const char       *description,
                               int               address_digits)
{
  g_return_if_fail (MSC_IS_STRINGS_DIALOG (self));
  g_return_if_fail (region != NULL && region->size > 0);

  self->pid = pid;
  self->address = region->address;
  self->size = region->size;
  self->address_digits = address_digits;
  msc_strings_dialog_describe_region (self, description != NULL ? description : "");
  msc_strings_dialog_start (self);
}

gboolean
msc_strings_dialog_shows (MscStringsDialog *self,
                          guint             pid,
                          const MscRegion  *region)
{
  g_return_val_if_fail (MSC_IS_STRINGS_DIALOG (self), FALSE);
  return region != NULL && self->pid == pid && self->address == region->address && self->size == region->size;
}

GtkWidget *
msc_strings_dialog_new (GtkWindow       *parent,
                        MscOptions      *options,
                        guint            pid,
                        const MscRegion *region,
                        const char      *description,
                        int              address_digits)
{
  MscStringsDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (options == NULL || MSC_IS_OPTIONS (options), NULL);
  g_return_val_if_fail (region != NULL && region->size > 0, NULL);

  self = g_object_new (MSC_TYPE_STRINGS_DIALOG, "transient-for", parent, "use-header-bar", FALSE, NULL);
  self->options = options != NULL ? g_object_ref (options) : NULL;
  /* The spin button's handler restarts a scan only once there is one. */
  if (options != NULL)
    gtk_spin_button_set_value (self->min_spin, msc_options_get_strings_min_length (options));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  msc_strings_dialog_set_region (self, pid, region, description, address_digits);
  return GTK_WIDGET (self);
}
