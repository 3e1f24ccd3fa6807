/* msc-backend-common.c — plain-C helpers shared by every backend. */
#include "backends/backend.h"
#include "backends/msc-backend-host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MscStatusCode
msc_status_set (MscStatus *status, MscStatusCode code, const char *format, ...)
{
  if (status != NULL)
    {
      va_list args;

      status->code = code;
      va_start (args, format);
      vsnprintf (status->message, sizeof status->message, format, args);
      va_end (args);
    }
  return code;
}

void
msc_backend_free_processes (MscProcessInfo *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free (list[i].command_line);
  free (list);
}

void
msc_scan_info_clear (MscScanInfo *info)
{
  free (info->command_line);
  free (info->notes);
  memset (info, 0, sizeof *info);
}

void
msc_backend_temp_abort (FILE *file, char *tmp_path)
{
  if (file != NULL)
    fclose (file);
  if (tmp_path != NULL)
    msc_host_remove_file (tmp_path);
  free (tmp_path);
}
