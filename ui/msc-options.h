/* msc-options.h — the options in effect (Options menu, Strings' shortest
 * length), shared by the application's windows.
 *
 * An option acts as soon as it is set; saving it in GSettings is a second
 * step that may fail (no session bus for dconf, a read-only store): then the
 * value stays in effect for this run and "save-failed" says why, once per
 * option. GSettings is read once, at start.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MSC_TYPE_OPTIONS (msc_options_get_type ())
G_DECLARE_FINAL_TYPE (MscOptions, msc_options, MSC, OPTIONS, GObject)

/* The application's settings: the default backend, or a key file in the
 * user's config folder when the default is dconf and no session bus can be
 * reached (dconf would drop every change and warn). (transfer full) */
GSettings  *msc_options_open_settings     (const char *schema_id);

MscOptions *msc_options_new               (GSettings  *settings);
GSettings  *msc_options_get_settings      (MscOptions *self);
gboolean    msc_options_get_show_free     (MscOptions *self);
const char *msc_options_get_font          (MscOptions *self);
guint       msc_options_get_auto_refresh  (MscOptions *self);
guint       msc_options_get_strings_min_length (MscOptions *self);
/* Options → Trace Snapshot Interval, in seconds. */
guint       msc_options_get_trace_interval (MscOptions *self);
void        msc_options_set_font          (MscOptions *self,
                                           const char *font);
void        msc_options_set_auto_refresh  (MscOptions *self,
                                           guint       seconds);
void        msc_options_set_strings_min_length (MscOptions *self,
                                                guint       length);

G_END_DECLS
