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
