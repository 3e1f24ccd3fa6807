/* msc-process-lookup.c — find a live process by PID or name prefix. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "backends/backend.h"
#include "model/msc-process-lookup.h"
#include "model/msc-snapshot.h"

GArray *
msc_process_lookup (const char *text, GError **error)
{
  MscProcessMatch *matches = NULL;
  size_t n = 0;
  MscStatus status = { MSC_OK, "" };
  GArray *array;

  g_return_val_if_fail (text != NULL, NULL);

  switch (msc_process_find (text, &matches, &n, &status))
    {
    case MSC_OK:
      break;
    case MSC_ERR_NO_PROCESS:
      g_set_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_NO_PROCESS,
                   _("no process whose name begins with “%s”"), text);
      return NULL;
    case MSC_ERR_INVALID:
      g_set_error_literal (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_NO_PROCESS,
                           _("no process given: name a process ID or the beginning of a process name"));
      return NULL;
    case MSC_ERR_NO_MEMORY:
      g_error ("%s: out of memory", G_STRLOC);
      return NULL;
    default:
      g_set_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_UNSUPPORTED, "%s", status.message);
      return NULL;
    }
  array = g_array_sized_new (FALSE, TRUE, sizeof (MscProcessMatch), (guint) n);
  g_array_append_vals (array, matches, (guint) n);
  free (matches);
  return array;
}

char *
msc_process_lookup_describe_choice (const char *text,
                                    GArray     *matches)
{
  const MscProcessMatch *first;
  g_autofree char *others = NULL;

  g_return_val_if_fail (text != NULL && matches != NULL && matches->len > 0, NULL);

  if (matches->len == 1)
    return NULL;
  first = &g_array_index (matches, MscProcessMatch, 0);
  others = msc_process_find_others ((const MscProcessMatch *) (void *) matches->data, matches->len);
  return g_strdup_printf (_("“%s” matches %u processes; using %u (%s). Others: %s"),
                          text, matches->len, first->pid, first->name, others != NULL ? others : "");
}
