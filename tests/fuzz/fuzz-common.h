/* fuzz-common.h — what every reader harness asserts of what it accepted. */
#pragma once

#include <stdint.h>

#include "model/msc-loader.h"

int  LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Reads data as format; a refusal must be an error of domain with a
 * message, an acceptance a session fuzz_check_session() holds to. */
void fuzz_read_as (const uint8_t *data,
                   size_t         size,
                   MscFileFormat  format,
                   GQuark         domain);

/* The tables keep the readers' promises (sub-blocks inside their
 * allocation, allocations in address order), snapshots come in time order,
 * and the capture round-trips through every format: written, read back and
 * written again, the same bytes (issue 15: whatever we accept, we can write
 * and read back). */
void fuzz_check_session (MscSession *session);
