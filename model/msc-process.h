/* msc-process.h — the process a session observes. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MSC_TYPE_PROCESS (msc_process_get_type ())
G_DECLARE_FINAL_TYPE (MscProcess, msc_process, MSC, PROCESS, GObject)

MscProcess  *msc_process_new              (guint        pid,
                                           const char  *name,
                                           guint        bits);
guint        msc_process_get_pid          (MscProcess  *self);
const char  *msc_process_get_name         (MscProcess  *self);
guint        msc_process_get_bits         (MscProcess  *self);
const char  *msc_process_get_user         (MscProcess  *self);
void         msc_process_set_user         (MscProcess  *self, const char *user);
const char  *msc_process_get_os           (MscProcess  *self);
void         msc_process_set_os           (MscProcess  *self, const char *os);
const char  *msc_process_get_command_line (MscProcess  *self);
void         msc_process_set_command_line (MscProcess  *self, const char *command_line);

G_END_DECLS
