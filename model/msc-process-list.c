/* msc-process-list.c — the backend's process list as GLib data, loaded on a
 * worker thread.  The backend reports raw names (Linux comm and argv[0] are
 * arbitrary bytes), so strings are made valid UTF-8 here, once, for every
 * widget that shows them.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "backends/backend.h"
#include "model/msc-process-list.h"
#include "model/msc-snapshot.h"

static void
msc_process_entry_clear (gpointer data)
{
  MscProcessEntry *entry = data;

  g_clear_pointer (&entry->name, g_free);
  g_clear_pointer (&entry->user, g_free);
  g_clear_pointer (&entry->command_line, g_free);
  g_clear_pointer (&entry->denied_reason, g_free);
}

static char *
msc_utf8_or_null (const char *text)
{
  return text != NULL ? g_utf8_make_valid (text, -1) : NULL;
}

static void
msc_process_entry_init (MscProcessEntry      *entry,
                        const MscProcessInfo *info)
{
  entry->pid = info->pid;
  entry->parent_pid = info->parent_pid;
  entry->bits = info->bits;
  entry->working_set = info->working_set;
  entry->private_bytes = info->private_bytes;
  entry->name = msc_utf8_or_null (info->name);
  entry->user = msc_utf8_or_null (info->user);
  entry->command_line = msc_utf8_or_null (info->command_line);
  if (info->access != MSC_OK)
    entry->denied_reason = msc_utf8_or_null (info->access_message[0] != '\0'
                                             ? info->access_message
                                             : _("access denied"));
}

GArray *
msc_process_list_load (GError **error)
{
  MscProcessInfo *list = NULL;
  size_t n = 0;
  MscStatus status = { MSC_OK, "" };
  MscStatusCode code;
  GArray *entries;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  code = msc_backend_list_processes (&list, &n, &status);
  if (code != MSC_OK)
    {
      g_set_error_literal (error, MSC_SCAN_ERROR,
                           code == MSC_ERR_UNSUPPORTED ? MSC_SCAN_ERROR_UNSUPPORTED
                                                       : MSC_SCAN_ERROR_IO,
                           status.message[0] != '\0' ? status.message
                                                     : _("cannot list processes"));
      return NULL;
    }
  entries = g_array_sized_new (FALSE, TRUE, sizeof (MscProcessEntry), (guint) n);
  g_array_set_clear_func (entries, msc_process_entry_clear);
  g_array_set_size (entries, (guint) n);
  for (size_t i = 0; i < n; i++)
    msc_process_entry_init (&g_array_index (entries, MscProcessEntry, i), &list[i]);
  msc_backend_free_processes (list, n);
  return entries;
}

static void
msc_process_list_load_thread (GTask        *task,
                              gpointer      source_object,
                              gpointer      task_data,
                              GCancellable *cancellable)
{
  GError *error = NULL;
  GArray *entries = msc_process_list_load (&error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_array_unref);
}

void
msc_process_list_load_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, msc_process_list_load_async);
  /* A refresh that replaced this one must not get a stale list delivered. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, msc_process_list_load_thread);
}

GArray *
msc_process_list_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, msc_process_list_load_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
