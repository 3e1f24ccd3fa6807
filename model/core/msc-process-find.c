/* msc-process-find.c — find a live process by PID or name prefix. */
#include "model/core/msc-process-find.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
msc_process_parse_pid (const char *text, uint32_t *pid)
{
  uint64_t value = 0;

  if (text[0] == '\0')
    return 0;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p < '0' || *p > '9')
        return 0;
      value = value * 10 + (uint64_t) (*p - '0');
      if (value > UINT32_MAX)
        return 0;
    }
  *pid = (uint32_t) value;
  return 1;
}

static int
msc_ascii_has_prefix (const char *text, const char *prefix)
{
  for (; *prefix != '\0'; text++, prefix++)
    {
      unsigned char a = (unsigned char) *text, b = (unsigned char) *prefix;

      if (a >= 'A' && a <= 'Z')
        a = (unsigned char) (a - 'A' + 'a');
      if (b >= 'A' && b <= 'Z')
        b = (unsigned char) (b - 'A' + 'a');
      if (a != b)
        return 0;
    }
  return 1;
}

static int
msc_match_compare (const void *a, const void *b)
{
  const MscProcessMatch *ma = a, *mb = b;

  return (ma->pid > mb->pid) - (ma->pid < mb->pid);
}

static MscStatusCode
msc_process_find_by_name (const char *prefix, MscProcessMatch **matches, size_t *n_matches, MscStatus *status)
{
  MscProcessInfo *list = NULL;
  size_t n = 0, found = 0;
  uint32_t self = msc_backend_self_pid ();
  MscProcessMatch *out;

  if (msc_backend_list_processes (&list, &n, status) != MSC_OK)
    return status != NULL ? status->code : MSC_ERR_UNSUPPORTED;
  out = malloc ((n ? n : 1) * sizeof *out);
  if (out == NULL)
    {
      msc_backend_free_processes (list, n);
      return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
    }
  for (size_t i = 0; i < n; i++)
    if (list[i].pid != self && msc_ascii_has_prefix (list[i].name, prefix))
      {
        out[found].pid = list[i].pid;
        snprintf (out[found].name, sizeof out[found].name, "%s", list[i].name);
        found++;
      }
  msc_backend_free_processes (list, n);
  if (found == 0)
    {
      free (out);
      return msc_status_set (status, MSC_ERR_NO_PROCESS, "no process whose name begins with \"%s\"", prefix);
    }
  qsort (out, found, sizeof *out, msc_match_compare);
  *matches = out;
  *n_matches = found;
  return MSC_OK;
}

static int
msc_process_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (*text != ' ' && *text != '\t')
      return 0;
  return 1;
}

MscStatusCode
msc_process_find (const char *text, MscProcessMatch **matches, size_t *n_matches, MscStatus *status)
{
  uint32_t pid;

  *matches = NULL;
  *n_matches = 0;
  /* Every name begins with "": that would pick PID 1 (VMMap's rule takes
   * the first match), which nobody asking for "" meant. */
  if (msc_process_blank (text))
    return msc_status_set (status, MSC_ERR_INVALID,
                           "no process given: name a process ID or the beginning of a process name");
  if (!msc_process_parse_pid (text, &pid))
    return msc_process_find_by_name (text, matches, n_matches, status);
  *matches = calloc (1, sizeof **matches);
  if (*matches == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  (*matches)->pid = pid;
  *n_matches = 1;
  return MSC_OK;
}

char *
msc_process_find_others (const MscProcessMatch *matches, size_t n_matches)
{
  size_t cap = 1, used = 0;
  char *text;

  for (size_t i = 1; i < n_matches; i++)
    cap += strlen (matches[i].name) + 16;
  if ((text = malloc (cap)) == NULL)
    return NULL;
  text[0] = '\0';
  for (size_t i = 1; i < n_matches; i++)
    used += (size_t) snprintf (text + used, cap - used, "%s%u (%s)", i > 1 ? ", " : "", matches[i].pid,
                               matches[i].name);
  return text;
}
