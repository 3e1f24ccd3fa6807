/* msc-capture.c — where a capture goes and how it gets there safely. */
#include "model/core/msc-capture.h"

#include <stdlib.h>
#include <string.h>

#include "model/core/msc-output.h"

/* The extension of path's last component, or NULL. Both separators count
 * (captures are named on Windows too), so a dot in a directory name
 * ("./out.d/capture") is no extension; nor are a name's leading dots
 * (".capture" is a hidden file, not an extension). */
static const char *
msc_path_extension (const char *path)
{
  const char *base = path;

  for (const char *p = path; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  while (*base == '.')
    base++;
  return strrchr (base, '.');
}

char *
msc_capture_output_path (const char *requested, MscFileFormat *format)
{
  const char *extension = msc_path_extension (requested);
  size_t len = strlen (requested);
  MscFileFormat chosen;
  char *path;

  /* VMMap's rule: no extension → ".mmp" appended (native format); ".csv" →
   * CSV; any other extension → text. ".mmp" itself stays native. */
  if (extension == NULL)
    chosen = MSC_FILE_FORMAT_MMP;
  else if (msc_ascii_equal (extension, ".csv"))
    chosen = MSC_FILE_FORMAT_CSV;
  else if (msc_ascii_equal (extension, ".mmp"))
    chosen = MSC_FILE_FORMAT_MMP;
  else
    chosen = MSC_FILE_FORMAT_TXT;

  path = malloc (len + sizeof ".mmp");
  if (path == NULL)
    return NULL;
  memcpy (path, requested, len + 1);
  if (extension == NULL)
    memcpy (path + len, ".mmp", sizeof ".mmp");
  if (format != NULL)
    *format = chosen;
  return path;
}

void
msc_capture_from_scan (uint32_t pid, const MscScanInfo *info, const MscRegionTable *regions,
                       MscCaptureProcess *process, MscCaptureSnapshot *snapshot)
{
  *process = (MscCaptureProcess) {
    .pid = info->pid != 0 ? info->pid : pid,
    .bits = info->bits,
    .name = info->name,
    .user = info->user,
    .os = info->os,
    .command_line = info->command_line,
  };
  *snapshot = (MscCaptureSnapshot) {
    .timestamp = info->timestamp != 0 ? info->timestamp : msc_backend_now (),
    .page_table_size = info->page_table_size,
    .commit_charge = info->commit_charge,
    .process_ws = info->process_ws,
    .n_threads = info->n_threads,
    .notes = info->notes,
    .regions = regions,
  };
}

static MscStatusCode
msc_capture_write (FILE *file, const MscCapture *capture, MscFileFormat format, MscStatus *status)
{
  const MscCaptureSnapshot *last = &capture->snapshots[capture->n_snapshots - 1];

  switch (format)
    {
    case MSC_FILE_FORMAT_MMP:
      return msc_mmp_write (file, capture, status);
    case MSC_FILE_FORMAT_CSV:
      return msc_csv_write (file, &capture->process, last, status);
    case MSC_FILE_FORMAT_TXT:
      return msc_txt_write (file, &capture->process, last, status);
    default:
      return msc_status_set (status, MSC_ERR_INVALID, "unknown file format %d", (int) format);
    }
}

MscStatusCode
msc_capture_save (const MscCapture *capture, const char *path, MscFileFormat format, MscStatus *status)
{
  MscStatus inner = { MSC_OK, "" };
  MscStatusCode code;
  const char *reason;
  char *tmp_path = NULL;
  FILE *file;

  if (path == NULL || path[0] == '\0')
    return msc_status_set (status, MSC_ERR_INVALID, "no file name to save to");
  if (capture == NULL || capture->n_snapshots == 0)
    return msc_status_set (status, MSC_ERR_INVALID, "could not write %s: there is no snapshot to save", path);

  file = msc_backend_temp_open (path, &tmp_path, &inner);
  if (file == NULL)
    return msc_status_set (status, inner.code != MSC_OK ? inner.code : MSC_ERR_IO, "%s", inner.message);

  code = msc_capture_write (file, capture, format, &inner);
  if (code != MSC_OK)
    {
      /* dest is untouched: only the temporary file goes. */
      msc_backend_temp_abort (file, tmp_path);
      reason = inner.message;
      if (strncmp (reason, MSC_OUTPUT_WRITE_FAILED, strlen (MSC_OUTPUT_WRITE_FAILED)) == 0)
        reason += strlen (MSC_OUTPUT_WRITE_FAILED);
      return msc_status_set (status, code, "could not write %s: %s", path, reason);
    }
  if (msc_backend_temp_commit (file, tmp_path, path, &inner) != MSC_OK)
    return msc_status_set (status, inner.code, "%s", inner.message);
  return MSC_OK;
}
