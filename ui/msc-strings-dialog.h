/* msc-strings-dialog.h — Edit → Strings…: the printable strings in one
 * region of a live process, streamed in while the scan reads it. */
#pragma once

#include <gtk/gtk.h>
#include "backends/backend.h"
#include "ui/msc-options.h"
#include "ui/msc-strings-model.h"

G_BEGIN_DECLS

#define MSC_TYPE_STRINGS_DIALOG (msc_strings_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MscStringsDialog, msc_strings_dialog, MSC, STRINGS_DIALOG, GtkDialog)

/* Starts scanning region (a region or sub-block of pid, copied) at once.
 * description: its type and details as the Details view shows them.
 * options gives the shortest length (and keeps the user's).  "go-to-address" (guint64) is
 * emitted with the selected string's address when the user asks to see
 * its region. */
GtkWidget       *msc_strings_dialog_new             (GtkWindow        *parent,
                                                     MscOptions       *options,
                                                     guint             pid,
                                                     const MscRegion  *region,
                                                     const char       *description,
                                                     int               address_digits);
/* Shows the strings of another region (the window's one Strings window
 * follows the Details view's selection): the scan starts again. */
void             msc_strings_dialog_set_region      (MscStringsDialog *self,
                                                     guint             pid,
                                                     const MscRegion  *region,
                                                     const char       *description,
                                                     int               address_digits);
/* Whether the dialog shows region (same address and size) of pid. */
gboolean         msc_strings_dialog_shows           (MscStringsDialog *self,
                                                     guint             pid,
                                                     const MscRegion  *region);
/* Whether a scan is under way. */
gboolean         msc_strings_dialog_get_busy        (MscStringsDialog *self);
/* Restarts the scan with another minimum length (what the spin button does). */
void             msc_strings_dialog_set_min_length  (MscStringsDialog *self,
                                                     guint             min_length);
/* Stops the scan (the Cancel button); the strings found so far stay. */
void             msc_strings_dialog_cancel          (MscStringsDialog *self);
/* Filters the list (what typing in the search entry does, without its delay). */
void             msc_strings_dialog_set_filter      (MscStringsDialog *self,
                                                     const char       *filter);
/* Copies the selected rows, one "address\tencoding\tstring" line each. */
void             msc_strings_dialog_copy            (MscStringsDialog *self);
/* For tests and assistive tools: the shown rows, the status line, and the
 * error shown (NULL when none). */
MscStringsModel *msc_strings_dialog_get_model       (MscStringsDialog *self);
GtkTreeView     *msc_strings_dialog_get_tree_view   (MscStringsDialog *self);
const char      *msc_strings_dialog_get_status_text (MscStringsDialog *self);
const char      *msc_strings_dialog_get_error_text  (MscStringsDialog *self);

G_END_DECLS
