/* ui-test-util.h — helpers for the UI tests: an application, windows that
 * have finished loading, and independent reads of what the views show. */
#pragma once

#include <gtk/gtk.h>
#include "ui/msc-application.h"
#include "ui/msc-window.h"

G_BEGIN_DECLS

/* gtk_test_init, with the warnings of GTK's Windows keymap under Wine not fatal. */
void            ui_test_init          (int         *argc,
                                       char      ***argv);
/* The application every test window belongs to (registered, non-unique). */
MscApplication *ui_test_application   (void);
/* Runs the main loop until window has no scan or load under way. */
void            ui_test_wait_idle     (MscWindow   *window);
/* Opens path (relative to $MSC_SAMPLES when not absolute) in a new window
 * and waits until it is shown. */
MscWindow      *ui_test_open_capture  (const char  *path);
/* Lets GTK handle pending events (layout, drawing). */
void            ui_test_flush         (void);
/* The first toplevel of type (shown ones only when visible_only), or NULL. */
gpointer        ui_test_find_toplevel (GType        type,
                                       gboolean     visible_only);
void            ui_test_activate      (MscWindow   *window,
                                       const char  *action);
/* The text in a cell of a view's model. */
char           *ui_test_cell          (GtkTreeModel *model,
                                       GtkTreeIter  *iter,
                                       int           column);
/* The region of a Details row (model: an MscDetailsModel). */
MscRegion       ui_test_region        (GtkTreeModel *model,
                                       GtkTreeIter  *iter);
/* The same number as the views show (KB, rounded as VMMap). */
guint64         ui_test_kb            (guint64      bytes);
/* "12,345" → 12345; "" → 0. */
guint64         ui_test_parse_kb      (const char  *text);
/* Runs the main loop for ms milliseconds. */
void            ui_test_iterate_for   (guint        ms);
/* Runs the main loop until done (data) holds; FALSE after 20 s. */
gboolean        ui_test_wait_until    (GSourceFunc  done,
                                       gpointer     data);
/* The template child with this id under widget (GtkBuilder sets it as the
 * buildable name), or NULL. */
GtkWidget      *ui_test_find_named    (GtkWidget   *widget,
                                       const char  *name);
/* Starts $MSC_TEST_TARGET with the arguments in $MSC_TEST_TARGET_ARGS (shell
 * syntax) and waits for its "ready" line; its PID in *pid. */
GSubprocess    *ui_test_start_target  (guint       *pid);
/* Asserts that window shows a live scan of pid (session, status bar) in
 * which the process's own heap and image memory were found; its session. */
MscSession     *ui_test_assert_live_window (MscWindow *window,
                                            guint      pid);
/* A key pressed in window (its focus widget gets it first), as the display
 * sends it (GTK acts on the press; window may be gone after it). */
void            ui_test_press_key     (GtkWidget   *window,
                                       guint        keyval);
/* A pointer event (motion, or the primary button) at (x, y) of widget, as
 * the mouse sends it. */
void            ui_test_send_pointer  (GtkWidget       *widget,
                                       GdkEventType     type,
                                       double           x,
                                       double           y,
                                       GdkModifierType  state);
/* A new window scanning pid, once the scan is shown. */
MscWindow      *ui_test_open_live     (guint        pid);
/* Tells the target to quit and waits for it. */
void            ui_test_stop_target   (GSubprocess *target);

G_END_DECLS
