/* msc-process-lookup.c — find a live process by PID or name prefix. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "backends/backend.h"
#include "model/msc-process-lookup.h"
#include "model/msc-snapshot.h"

static gboolean
msc_parse_pid (const char *text, guint *pid)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    return FALSE;
  *pid = (guint) value;
  return TRUE;
}

static gint
msc_match_compare (gconstpointer a, gconstpointer b)
{
  const MscProcessMatch *ma = a, *mb = b;

  return (ma->pid > mb->pid) - (ma->pid < mb->pid);
}

static GArray *
msc_lookup_by_name (const char *prefix, GError **error)
{
  MscProcessInfo *list = NULL;
  size_t n = 0;
  MscStatus status = { 0 };
  g_autoptr(GArray) matches = g_array_new (FALSE, TRUE, sizeof (MscProcessMatch));
  guint self = (guint) msc_backend_self_pid ();
  size_t prefix_len = strlen (prefix);

  if (msc_backend_list_processes (&list, &n, &status) != MSC_OK)
    {
      g_set_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_UNSUPPORTED, "%s", status.message);
      return NULL;
    }
  for (size_t i = 0; i < n; i++)
    {
      MscProcessMatch m = { .pid = list[i].pid };

      if (list[i].pid == self || g_ascii_strncasecmp (list[i].name, prefix, prefix_len) != 0)
        continue;
      g_strlcpy (m.name, list[i].name, sizeof m.name);
      g_array_append_val (matches, m);
    }
  msc_backend_free_processes (list, n);
  if (matches->len == 0)
    {
      g_set_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_NO_PROCESS,
                   _("no process whose name begins with “%s”"), prefix);
      return NULL;
    }
  g_array_sort (matches, msc_match_compare);
  return g_steal_pointer (&matches);
}

GArray *
msc_process_lookup (const char *text, GError **error)
{
  MscProcessMatch m = { 0 };
  GArray *matches;

  g_return_val_if_fail (text != NULL, NULL);

  if (!msc_parse_pid (text, &m.pid))
    return msc_lookup_by_name (text, error);
  /* A PID is taken as given; the scan reports if it does not exist. */
  matches = g_array_new (FALSE, TRUE, sizeof (MscProcessMatch));
  g_array_append_val (matches, m);
  return matches;
}
