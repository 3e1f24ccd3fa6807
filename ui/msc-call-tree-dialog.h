/* msc-call-tree-dialog.h — VMMap's Call Tree: where a traced program's
 * allocations were made, by call path (top-down, or inverted: the allocating
 * function first), with count, bytes, bytes live at the snapshot shown, peak
 * and leaked bytes; the operations of the selected path below. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-call-tree.h"

G_BEGIN_DECLS

#define MSC_TYPE_CALL_TREE_DIALOG (msc_call_tree_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MscCallTreeDialog, msc_call_tree_dialog, MSC, CALL_TREE_DIALOG, GtkDialog)

/* (transfer floating) */
GtkWidget   *msc_call_tree_dialog_new             (GtkWindow         *parent,
                                                   MscTrace          *trace);
/* The time the Live column is taken at (trace time; G_MAXUINT64: the end)
 * and how the dialog names it ("snapshot 3, 10:31:02"). Rebuilds the tree. */
void         msc_call_tree_dialog_set_time        (MscCallTreeDialog *self,
                                                   guint64            at,
                                                   const char        *at_text);
/* TRUE while the tree is being built off the main loop. */
gboolean     msc_call_tree_dialog_get_busy        (MscCallTreeDialog *self);
/* Expands the path of most bytes under the selected row (the root when none)
 * and selects its end (Ctrl+E, the button). */
void         msc_call_tree_dialog_expand_heaviest (MscCallTreeDialog *self);
/* Selects the next row whose function contains text (case-insensitive),
 * after the selected one; FALSE when none does. */
gboolean     msc_call_tree_dialog_find            (MscCallTreeDialog *self,
                                                   const char        *text);
GtkTreeView *msc_call_tree_dialog_get_tree_view   (MscCallTreeDialog *self);
GtkTreeView *msc_call_tree_dialog_get_operations_view (MscCallTreeDialog *self);

G_END_DECLS
