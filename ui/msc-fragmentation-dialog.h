/* msc-fragmentation-dialog.h — the window around an MscFragmentationView
 * (View → Fragmentation View). */
#pragma once

#include <gtk/gtk.h>
#include "ui/msc-fragmentation-view.h"

G_BEGIN_DECLS

#define MSC_TYPE_FRAGMENTATION_DIALOG (msc_fragmentation_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MscFragmentationDialog, msc_fragmentation_dialog, MSC, FRAGMENTATION_DIALOG, GtkDialog)

/* (transfer floating) */
GtkWidget            *msc_fragmentation_dialog_new      (GtkWindow              *parent);
MscFragmentationView *msc_fragmentation_dialog_get_view (MscFragmentationDialog *self);

G_END_DECLS
