/* msc-application.h — Memscope's GtkApplication: one window per process or
 * capture; opens .mmp files given on the command line or by the desktop. */
#pragma once

#include <gtk/gtk.h>
#include "ui/msc-options.h"

G_BEGIN_DECLS

#define MSC_APPLICATION_ID "io.github.memscope.Memscope"

#define MSC_TYPE_APPLICATION (msc_application_get_type ())
G_DECLARE_FINAL_TYPE (MscApplication, msc_application, MSC, APPLICATION, GtkApplication)

MscApplication *msc_application_new          (GApplicationFlags  extra_flags);
GSettings      *msc_application_get_settings (MscApplication    *self);
/* The options in effect (the Options menu), saved to the settings. */
MscOptions     *msc_application_get_options  (MscApplication    *self);
/* Runs the application with its first window on a live process, named by
 * PID or name prefix as VMMap's -p (an error shows in that window); when
 * Memscope already runs, that instance opens the window. The exit status. */
int             msc_application_run_on_process (MscApplication *self,
                                                const char     *process,
                                                const char     *program);

/* Registers the UI's GResource (and loads its style sheet once a display
 * exists); idempotent. Tests that build widgets without the application call it. */
void            msc_ui_init                  (void);

G_END_DECLS
