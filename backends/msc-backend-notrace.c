/* msc-backend-notrace.c — backends without Launch and Trace (Windows, none):
 * msc_backend_can_trace() says so, and memscope does not offer tracing, so
 * the other calls are never reached; they still answer sensibly. */
#include "backends/backend.h"

#include <stddef.h>
#include <stdlib.h>

int
msc_backend_can_trace (void)
{
  return 0;
}

uint64_t
msc_backend_trace_clock (void)
{
  return msc_backend_now () * 100;
}

MscStatusCode
msc_backend_trace_check (const char *program, MscTraceMode *mode, MscStatus *status)
{
  (void) program;
  (void) mode;
  return msc_status_set (status, MSC_ERR_UNSUPPORTED,
                         "Launch and Trace is not available on this system");
}

MscStatusCode
msc_backend_trace_launch (const char *const *argv, const char *preload_path, unsigned flags,
                          const MscTraceStart *start, MscTraceLaunch **out, MscTraceMode *mode,
                          MscStatus *status)
{
  (void) argv;
  (void) preload_path;
  (void) flags;
  (void) start;
  (void) mode;
  *out = NULL;
  return msc_status_set (status, MSC_ERR_UNSUPPORTED,
                         "Launch and Trace is not available on this system");
}

uint32_t
msc_backend_trace_pid (MscTraceLaunch *launch)
{
  (void) launch;
  return 0;
}

MscStatusCode
msc_backend_trace_pump (MscTraceLaunch *launch, const MscTraceSink *sink, int timeout_ms,
                        int *more, MscStatus *status)
{
  (void) launch;
  (void) sink;
  (void) timeout_ms;
  *more = 0;
  return msc_status_set (status, MSC_ERR_UNSUPPORTED,
                         "Launch and Trace is not available on this system");
}

int
msc_backend_trace_result (MscTraceLaunch *launch, int *exited, int *code_or_signal)
{
  (void) launch;
  *exited = 1;
  *code_or_signal = 0;
  return 0;
}

MscTraceLaunch *
msc_backend_trace_accept (MscTraceLaunch *first)
{
  (void) first;
  return NULL;
}

void
msc_backend_trace_continue (MscTraceLaunch *launch, MscTraceLaunch *later, const MscTraceSink *sink)
{
  (void) launch;
  (void) later;
  (void) sink;
}

void
msc_backend_trace_wait (MscTraceLaunch *first, MscTraceLaunch *const *running, size_t n,
                        int timeout_ms)
{
  (void) first;
  (void) running;
  (void) n;
  (void) timeout_ms;
}

void
msc_backend_trace_stop (MscTraceLaunch *launch, int kill)
{
  (void) launch;
  (void) kill;
}

void
msc_backend_trace_free (MscTraceLaunch *launch)
{
  (void) launch;
}

void *
msc_backend_block_alloc (size_t size)
{
  return calloc (1, size);
}

void
msc_backend_block_free (void *block, size_t size)
{
  (void) size;
  free (block);
}
