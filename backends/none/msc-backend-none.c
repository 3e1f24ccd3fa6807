/* msc-backend-none.c — hosts without a live backend (e.g. macOS): captures
 * open and save, live scans report that they are not available here. */
#include "backends/backend.h"

#include <string.h>

const char *
msc_backend_name (void)
{
  return "none";
}

int
msc_backend_can_scan (void)
{
  return 0;
}

MscStatusCode
msc_backend_list_processes (MscProcessInfo **out, size_t *n_out, MscStatus *status)
{
  *out = NULL;
  *n_out = 0;
  return msc_status_set (status, MSC_ERR_UNSUPPORTED,
                         "this build of Memscope has no live backend for this system; "
                         "it can open and save captures (.mmp) only");
}

MscStatusCode
msc_backend_scan (uint32_t pid, unsigned flags, const MscRegionSink *sink,
                  MscScanInfo *info, MscStatus *status)
{
  (void) flags;
  (void) sink;
  memset (info, 0, sizeof *info);
  return msc_status_set (status, MSC_ERR_UNSUPPORTED,
                         "cannot scan process %u: this build of Memscope has no live "
                         "backend for this system; open a capture (.mmp) instead", pid);
}

MscStatusCode
msc_backend_read_memory (uint32_t pid, uint64_t address, void *buf, size_t size,
                         size_t *n_read, MscStatus *status)
{
  (void) address;
  (void) buf;
  (void) size;
  *n_read = 0;
  return msc_status_set (status, MSC_ERR_UNSUPPORTED,
                         "cannot read process %u: this build of Memscope has no live backend", pid);
}

MscStatusCode
msc_backend_read_resident (uint32_t pid, uint64_t address, uint64_t size,
                           const MscMemorySink *sink, MscReadStats *stats, MscStatus *status)
{
  (void) address;
  (void) size;
  (void) sink;
  memset (stats, 0, sizeof *stats);
  return msc_status_set (status, MSC_ERR_UNSUPPORTED,
                         "cannot read the strings of process %u: this build of Memscope has no "
                         "live backend for this system", pid);
}

MscStatusCode
msc_backend_empty_working_set (uint32_t pid, MscEmptyResult *result, MscStatus *status)
{
  memset (result, 0, sizeof *result);
  snprintf (result->message, sizeof result->message,
            "Nothing was done: this build of Memscope has no live backend for this system, "
            "so it cannot empty the working set of process %u.", pid);
  return msc_status_set (status, MSC_ERR_UNSUPPORTED, "%s", result->message);
}
