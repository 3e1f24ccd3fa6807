/* msc-capture.c — where a capture goes and how it gets there safely. */
#include "model/core/msc-capture.h"

#include <stdlib.h>
#include <string.h>

#include "model/core/msc-mmp-writer.h"

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

/* Commits file to path, or removes it after a failed write (code). */
static MscStatusCode
msc_capture_close (FILE *file, char *tmp_path, const char *path, MscStatusCode code, const MscStatus *inner,
                   MscStatus *status)
{
  MscStatus commit = { MSC_OK, "" };
  const char *reason;

  if (code != MSC_OK)
    {
      /* dest is untouched: only the temporary file goes. */
      msc_backend_temp_abort (file, tmp_path);
      reason = inner->message;
      if (strncmp (reason, MSC_OUTPUT_WRITE_FAILED, strlen (MSC_OUTPUT_WRITE_FAILED)) == 0)
        reason += strlen (MSC_OUTPUT_WRITE_FAILED);
      return msc_status_set (status, code, "could not write %s: %s", path, reason);
    }
  if (msc_backend_temp_commit (file, tmp_path, path, &commit) != MSC_OK)
    return msc_status_set (status, commit.code, "%s", commit.message);
  return MSC_OK;
}

static FILE *
msc_capture_open (const char *path, char **tmp_path, MscStatus *status)
{
  MscStatus inner = { MSC_OK, "" };
  FILE *file = msc_backend_temp_open (path, tmp_path, &inner);

  if (file == NULL)
    msc_status_set (status, inner.code != MSC_OK ? inner.code : MSC_ERR_IO, "%s", inner.message);
  return file;
}

MscStatusCode
msc_capture_save (const MscCapture *capture, const char *path, MscFileFormat format, MscStatus *status)
{
  MscStatus inner = { MSC_OK, "" };
  char *tmp_path = NULL;
  FILE *file;

  if (path == NULL || path[0] == '\0')
    return msc_status_set (status, MSC_ERR_INVALID, "no file name to save to");
  if (capture == NULL || capture->n_snapshots == 0)
    return msc_status_set (status, MSC_ERR_INVALID, "could not write %s: there is no snapshot to save", path);
  file = msc_capture_open (path, &tmp_path, status);
  if (file == NULL)
    return status != NULL ? status->code : MSC_ERR_IO;
  return msc_capture_close (file, tmp_path, path, msc_capture_write (file, capture, format, &inner), &inner, status);
}

/* ---- a scan written as it is emitted ---- */

struct MscScanWriter {
  uint32_t    pid;
  char       *path;
  FILE       *file;       /* opened when the scan begins to emit */
  char       *tmp_path;
  MscOutput   out;
  int         skip_subs;
  MscStatus   open_error;
};

/* The scan has read everything: only now is there something to write (a
 * scan refused or cut short leaves no file and says why first). */
static int
msc_scan_writer_begin (void *user, const MscScanInfo *info)
{
  MscScanWriter *w = user;
  MscCaptureProcess process;
  MscCaptureSnapshot snapshot;

  w->file = msc_capture_open (w->path, &w->tmp_path, &w->open_error);
  if (w->file == NULL)
    return 1;
  if (msc_output_init (&w->out, w->file, &w->open_error) != MSC_OK)
    {
      msc_backend_temp_abort (w->file, w->tmp_path);
      w->file = NULL;
      return 1;
    }
  msc_capture_from_scan (w->pid, info, NULL, &process, &snapshot);
  msc_mmp_write_head (&w->out, &process);
  msc_mmp_write_snapshot_start (&w->out, &snapshot);
  return w->out.failed;
}

static int
msc_scan_writer_region (void *user, const MscRegion *region, const char *details)
{
  MscScanWriter *w = user;

  /* A table keeps a NULL details as "": so does the file. */
  msc_mmp_write_region (&w->out, region, details != NULL ? details : "", &w->skip_subs);
  return w->out.failed;
}

MscScanWriter *
msc_scan_writer_new (uint32_t pid, const char *path, MscRegionSink *sink)
{
  MscScanWriter *w = calloc (1, sizeof *w);

  if (w == NULL || (w->path = malloc (strlen (path) + 1)) == NULL)
    {
      free (w);
      return NULL;
    }
  strcpy (w->path, path);
  w->pid = pid;
  *sink = (MscRegionSink) { msc_scan_writer_region, NULL, w, msc_scan_writer_begin };
  return w;
}

MscStatusCode
msc_scan_writer_finish (MscScanWriter *w, MscStatusCode code, MscStatus *status)
{
  MscStatus inner = { MSC_OK, "" };

  if (w->file == NULL)
    {
      /* Refused before the first region, or the file could not be made. */
      if (w->open_error.code != MSC_OK)
        code = msc_status_set (status, w->open_error.code, "%s", w->open_error.message);
      else if (code == MSC_OK)
        code = msc_status_set (status, MSC_ERR_INVALID, "process %u has no regions", w->pid);
    }
  else if (!w->out.failed && code != MSC_OK)
    {
      /* The scan's own failure after it began: its words, no file left. */
      msc_output_finish (&w->out, &inner);
      msc_backend_temp_abort (w->file, w->tmp_path);
    }
  else
    {
      msc_mmp_write_snapshot_end (&w->out);
      msc_mmp_write_tail (&w->out);
      code = msc_output_finish (&w->out, &inner);
      code = msc_capture_close (w->file, w->tmp_path, w->path, code, &inner, status);
    }
  free (w->path);
  free (w);
  return code;
}

MscStatusCode
msc_capture_scan_save (uint32_t pid, unsigned flags, const char *path, MscScanInfo *info, MscStatus *status)
{
  MscRegionSink sink;
  MscScanWriter *w;

  if (path == NULL || path[0] == '\0')
    return msc_status_set (status, MSC_ERR_INVALID, "no file name to save to");
  w = msc_scan_writer_new (pid, path, &sink);
  if (w == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  return msc_scan_writer_finish (w, msc_backend_scan (pid, flags, &sink, info, status), status);
}
