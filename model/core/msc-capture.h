/* msc-capture.h — what the writers write: a process and its snapshots.
 * Plain C, so the capture tool can fill it straight from a backend scan. */
#pragma once

#include <stdio.h>
#include "model/core/msc-region-table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint32_t pid;
  uint32_t bits;             /* 32, 64; 0 unknown */
  const char *name;
  const char *user;          /* may be NULL */
  const char *os;            /* may be NULL */
  const char *command_line;  /* may be NULL */
} MscCaptureProcess;

typedef struct {
  uint64_t timestamp;        /* FILETIME ticks */
  uint64_t page_table_size;
  uint64_t commit_charge;    /* 0 = unknown */
  uint32_t n_threads;        /* 0 = unknown */
  const char *notes;         /* may be NULL */
  const MscRegionTable *regions;
} MscCaptureSnapshot;

typedef struct {
  MscCaptureProcess process;
  const MscCaptureSnapshot *snapshots;  /* time order */
  size_t n_snapshots;
} MscCapture;

/* Writers. Each writes the whole document to out and returns MSC_OK, or
 * MSC_ERR_IO with a message if a write failed (e.g. disk full). They are
 * deterministic: the same capture gives byte-identical output. */

/* .mmp XML (formats.md §2): all snapshots in time order. */
MscStatusCode msc_mmp_write (FILE *out, const MscCapture *capture, MscStatus *status);
/* VMMap CSV (formats.md §3) of one snapshot. */
MscStatusCode msc_csv_write (FILE *out, const MscCaptureProcess *process,
                             const MscCaptureSnapshot *snapshot, MscStatus *status);
/* VMMap text (formats.md §4) of one snapshot. */
MscStatusCode msc_txt_write (FILE *out, const MscCaptureProcess *process,
                             const MscCaptureSnapshot *snapshot, MscStatus *status);
/* Only the summary table, as text (the CLI's stdout without an output file). */
MscStatusCode msc_txt_write_summary (FILE *out, const MscCaptureProcess *process,
                                     const MscCaptureSnapshot *snapshot, MscStatus *status);

typedef enum {
  MSC_FILE_FORMAT_MMP,
  MSC_FILE_FORMAT_CSV,
  MSC_FILE_FORMAT_TXT,
} MscFileFormat;

/* VMMap's rule: no extension → .mmp appended, ".csv" → CSV, anything else → text.
 * Returns the path to write (malloc'd) and sets *format. */
char *msc_capture_output_path (const char *requested, MscFileFormat *format);

/* Writes capture to path atomically in the given format (CSV/TXT: last
 * snapshot): a temporary file in the same directory, flushed, then renamed
 * over path. On any failure path is left as it was. */
MscStatusCode msc_capture_save (const MscCapture *capture, const char *path,
                                MscFileFormat format, MscStatus *status);

#ifdef __cplusplus
}
#endif
