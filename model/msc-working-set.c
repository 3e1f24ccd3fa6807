/* msc-working-set.c — see msc-working-set.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/msc-backend-error.h"
#include "model/msc-working-set.h"

gboolean
msc_working_set_empty (guint pid, MscEmptyResult *result, GError **error)
{
  MscEmptyResult local;
  MscStatus status = { MSC_OK, "" };

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &local;
  if (msc_backend_empty_working_set (pid, result, &status) == MSC_OK)
    return TRUE;
  msc_backend_error_set (error, &status, result->message[0] != '\0' ? result->message
                                                                     : _("the working set could not be emptied"));
  return FALSE;
}

static void
msc_working_set_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MscEmptyResult result;
  GError *error = NULL;

  if (msc_working_set_empty (GPOINTER_TO_UINT (task_data), &result, &error))
    g_task_return_pointer (task, g_strdup (result.message), g_free);
  else
    g_task_return_error (task, error);
}

void
msc_working_set_empty_async (guint pid, GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, msc_working_set_empty_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (pid), NULL);
  g_task_run_in_thread (task, msc_working_set_thread);
}

char *
msc_working_set_empty_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
