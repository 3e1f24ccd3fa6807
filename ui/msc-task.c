/* msc-task.c — load, scan and save in worker threads. */
#include "config.h"

#include "model/msc-loader.h"
#include "model/msc-session.h"
#include "ui/msc-task.h"

static void
msc_task_load_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autofree char *path = g_file_get_path (task_data);
  GError *error = NULL;
  MscSession *session = msc_loader_load (path, cancellable, &error);

  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, g_object_unref);
}

void
msc_task_load_async (GFile               *file,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (G_IS_FILE (file));

  g_task_set_source_tag (task, msc_task_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, msc_task_load_thread);
}

MscSession *
msc_task_load_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  MscSnapshot *snapshot;
  MscProcess  *process;
} MscScanResult;

static void
msc_scan_result_free (gpointer data)
{
  MscScanResult *result = data;

  g_clear_object (&result->snapshot);
  g_clear_object (&result->process);
  g_free (result);
}

static void
msc_task_scan_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  guint pid = GPOINTER_TO_UINT (task_data);
  MscScanResult *result = g_new0 (MscScanResult, 1);
  GError *error = NULL;

  result->snapshot = msc_snapshot_new_from_scan (pid, 0, cancellable, &result->process, &error);
  if (result->snapshot == NULL)
    {
      msc_scan_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, msc_scan_result_free);
}

void
msc_task_scan_async (guint                pid,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, msc_task_scan_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (pid), NULL);
  g_task_run_in_thread (task, msc_task_scan_thread);
}

MscSnapshot *
msc_task_scan_finish (GAsyncResult  *result,
                      MscProcess   **process_out,
                      GError       **error)
{
  MscScanResult *scan;
  MscSnapshot *snapshot;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  scan = g_task_propagate_pointer (G_TASK (result), error);
  if (scan == NULL)
    return NULL;
  snapshot = g_steal_pointer (&scan->snapshot);
  if (process_out != NULL)
    *process_out = g_steal_pointer (&scan->process);
  msc_scan_result_free (scan);
  return snapshot;
}

typedef struct {
  MscSession   *session;
  char         *path;
  MscFileFormat format;
} MscSaveJob;

static void
msc_save_job_free (gpointer data)
{
  MscSaveJob *job = data;

  g_clear_object (&job->session);
  g_free (job->path);
  g_free (job);
}

static void
msc_task_save_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  MscSaveJob *job = task_data;
  GError *error = NULL;

  if (msc_session_save (job->session, job->path, job->format, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
msc_task_save_async (MscSession          *session,
                     MscSnapshot         *only,
                     const char          *path,
                     MscFileFormat        format,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  MscSaveJob *job = g_new0 (MscSaveJob, 1);

  g_return_if_fail (MSC_IS_SESSION (session));

  /* Snapshots are immutable: sharing them is safe, the list is not. */
  job->session = msc_session_copy (session, only);
  job->path = g_strdup (path);
  job->format = format;
  g_task_set_source_tag (task, msc_task_save_async);
  g_task_set_task_data (task, job, msc_save_job_free);
  g_task_run_in_thread (task, msc_task_save_thread);
}

gboolean
msc_task_save_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
