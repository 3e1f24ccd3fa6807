/* msc-process-find.h — find a live process by PID or name prefix, as
 * VMMap's -p does.  Plain C: the memscope CLI (through
 * model/msc-process-lookup.h) and memscope-capture share it. */
#pragma once

#include "backends/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint32_t pid;
  char     name[256];
} MscProcessMatch;

/* Non-zero if text is a decimal process ID (0 .. 4294967295, digits only).
 * 0 is a PID too (Windows' System Idle Process): "-p 0" must be refused as
 * the process it names, not matched as a name prefix. */
int msc_process_parse_pid (const char *text, uint32_t *pid);

/* text is a decimal PID, or a name prefix matched against process names as
 * VMMap does (ASCII case-insensitive; the calling process itself is never a
 * match).  A PID is taken as given (the scan reports if it does not exist).
 * On MSC_OK *matches (malloc'd, free()) holds at least one match, lowest
 * PID first.  No match is MSC_ERR_NO_PROCESS. */
MscStatusCode msc_process_find (const char *text, MscProcessMatch **matches, size_t *n_matches,
                                MscStatus *status);

/* "1234 (name), 1300 (name)" for matches [1, n): the ones not taken when
 * a prefix matched several processes.  malloc'd; NULL when out of memory. */
char *msc_process_find_others (const MscProcessMatch *matches, size_t n_matches);

#ifdef __cplusplus
}
#endif
