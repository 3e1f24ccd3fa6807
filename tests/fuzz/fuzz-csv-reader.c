/* fuzz-csv-reader.c — libFuzzer harness for the import of VMMap's CSV
 * export: any input fails with an MSC_IMPORT_ERROR and a message, or gives
 * a session that keeps the reader's promises and round-trips
 * (fuzz-common.h). */
#include "config.h"

#include "model/msc-import.h"
#include "tests/fuzz/fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_read_as (data, size, MSC_FILE_FORMAT_CSV, MSC_IMPORT_ERROR);
  return 0;
}
