/* msc-backend-error.c — see msc-backend-error.h. */
#include "config.h"

#include "model/msc-backend-error.h"
#include "model/msc-snapshot.h"

/* MscScanError mirrors MscStatusCode value for value. */
G_STATIC_ASSERT ((int) MSC_SCAN_ERROR_NO_PROCESS == (int) MSC_ERR_NO_PROCESS);
G_STATIC_ASSERT ((int) MSC_SCAN_ERROR_PERMISSION == (int) MSC_ERR_PERMISSION);
G_STATIC_ASSERT ((int) MSC_SCAN_ERROR_CANCELLED == (int) MSC_ERR_CANCELLED);
G_STATIC_ASSERT ((int) MSC_SCAN_ERROR_INVALID == (int) MSC_ERR_INVALID);

void
msc_backend_error_set (GError **error, const MscStatus *status, const char *fallback)
{
  const char *message = status->message[0] != '\0' ? status->message : fallback;

  if (status->code == MSC_ERR_CANCELLED)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, message);
  else
    g_set_error_literal (error, MSC_SCAN_ERROR, (int) status->code, message);
}
