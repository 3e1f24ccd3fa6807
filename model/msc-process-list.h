/* msc-process-list.h — the processes of this machine, as the process chooser
 * shows them.  Listing reads one /proc directory (or a Toolhelp snapshot) per
 * process, too slow for the UI thread on a busy host: load it asynchronously.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint    pid;
  guint    parent_pid;
  guint    bits;           /* 32 or 64; 0 = unknown */
  guint64  working_set;    /* resident bytes */
  guint64  private_bytes;  /* private committed bytes; 0 = unknown */
  char    *name;           /* valid UTF-8 */
  char    *user;           /* valid UTF-8, may be "" */
  char    *command_line;   /* nullable */
  char    *denied_reason;  /* NULL if Memscope may scan the process, else why not */
} MscProcessEntry;

/* Returns: (transfer full) (element-type MscProcessEntry): the processes,
 * in no particular order; clearing the array frees the entries' strings.
 * Runs synchronously. */
GArray *msc_process_list_load        (GError              **error);
void    msc_process_list_load_async  (GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GArray *msc_process_list_load_finish (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
