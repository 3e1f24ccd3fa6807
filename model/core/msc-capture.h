/* msc-capture.h — what the writers write: a process and its snapshots.
 * Plain C, so the capture tool can fill it straight from a backend scan. */
#pragma once

#include <stdio.h>
#include "model/core/msc-region-table.h"
#include "model/core/msc-summary.h"

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
  uint64_t process_ws;       /* whole-process working set where regions have none; 0 = none */
  uint32_t n_threads;        /* 0 = unknown */
  const char *notes;         /* may be NULL */
  const MscRegionTable *regions;
  /* NULL: the exports compute the summary from regions. Else they show it
   * as is: a snapshot imported from VMMap's CSV/TXT keeps the file's table,
   * which counts Free and Unusable regions the file does not list. */
  const MscSummary *summary;
} MscCaptureSnapshot;

typedef struct {
  MscCaptureProcess process;
  const MscCaptureSnapshot *snapshots;  /* time order */
  size_t n_snapshots;
  /* .mmp only, may be NULL: elements written as they are after the last
   * snapshot (the trace: docs/file-formats.md), one per line. */
  const char *trailer;
  /* .mmp only, may be NULL: the regions of snapshot i, asked for once each
   * in order (snapshots[i].regions is then not read); valid until the call
   * after next (the writer compares each with the one before). A session
   * stored as deltas is materialized one snapshot at a time this way, not
   * all at once. */
  const MscRegionTable *(*regions_of) (void *user, size_t i);
  void *user;
} MscCapture;

/* Writers. Each writes the whole document to out, flushes it, and returns
 * MSC_OK, or MSC_ERR_IO with a message ("write failed: No space left on
 * device") if a write failed. They are deterministic: the same capture gives
 * byte-identical output. The CSV and text details list every top-level
 * region but Free, Unusable and Page Table, each followed by its sub-blocks. */

/* .mmp XML exactly as docs/file-formats.md: all snapshots in time order,
 * the first and the last as Snapshot elements, those between as
 * SnapshotDelta elements where they can be;
 * Page Table regions (never written: PageTableSize says it) and sub-blocks
 * of Free/Unusable regions are left out. */
MscStatusCode msc_mmp_write (FILE *out, const MscCapture *capture, MscStatus *status);
/* VMMap CSV (formats.md §3) of one snapshot; "\r\n" line ends, '"' doubled,
 * control characters and invalid UTF-8 in text shown as U+FFFD. */
MscStatusCode msc_csv_write (FILE *out, const MscCaptureProcess *process,
                             const MscCaptureSnapshot *snapshot, MscStatus *status);
/* VMMap text (formats.md §4) of one snapshot: "Process:"/"PID:" lines, the
 * summary (right-aligned under right-aligned header words), the details
 * (every header word starts its column, numbers right-aligned in it; widths
 * from the widest cell); "\r\n" line ends. */
MscStatusCode msc_txt_write (FILE *out, const MscCaptureProcess *process,
                             const MscCaptureSnapshot *snapshot, MscStatus *status);
/* Only the "Process:"/"PID:" lines and the summary table, as text (the CLI's
 * stdout without an output file), with "\n" line ends: on Windows the C
 * runtime's text-mode stdout adds the "\r". */
MscStatusCode msc_txt_write_summary (FILE *out, const MscCaptureProcess *process,
                                     const MscCaptureSnapshot *snapshot, MscStatus *status);

/* The process and snapshot a backend scan (msc_backend_scan) describes:
 * the requested pid when the backend did not say, the current time when it
 * gave no timestamp.  Both point into info and regions.  memscope (through
 * MscSnapshot) and memscope-capture take their captures from this one rule,
 * so they write the same file for the same scan. */
void msc_capture_from_scan (uint32_t pid, const MscScanInfo *info, const MscRegionTable *regions,
                            MscCaptureProcess *process, MscCaptureSnapshot *snapshot);

/* Scans pid and writes the .mmp as the scan emits its regions, with no
 * region table in between (issue 15: a table of a 60,000-mapping process
 * costs a fifth of the capture's time, in new pages): byte for byte what
 * msc_capture_save() writes of the same scan. Atomic as msc_capture_save();
 * a scan refused or cut short (the process exited) leaves no file and its
 * own message. info gets what the scan learned (the notes); clear it with
 * msc_scan_info_clear(). */
MscStatusCode msc_capture_scan_save (uint32_t pid, unsigned flags, const char *path, MscScanInfo *info,
                                     MscStatus *status);

/* msc_capture_scan_save() in two steps, for a caller that runs the scan
 * itself: _new() fills sink (pass it to msc_backend_scan()); _finish()
 * takes the scan's code and status, commits or removes the file, and frees
 * the writer. NULL when out of memory. */
typedef struct MscScanWriter MscScanWriter;
MscScanWriter *msc_scan_writer_new    (uint32_t pid, const char *path, MscRegionSink *sink);
MscStatusCode  msc_scan_writer_finish (MscScanWriter *writer, MscStatusCode code, MscStatus *status);

typedef enum {
  MSC_FILE_FORMAT_MMP,
  MSC_FILE_FORMAT_CSV,
  MSC_FILE_FORMAT_TXT,
} MscFileFormat;

/* VMMap's rule: no extension → .mmp appended, ".csv" → CSV, anything else → text;
 * ".mmp" stays native. Case-insensitive; only the last path component counts
 * ('/' and '\\' both separate), and its leading dots start no extension
 * (".capture" → ".capture.mmp"). Returns the path to write (malloc'd; NULL
 * when out of memory) and sets *format (format may be NULL). */
char *msc_capture_output_path (const char *requested, MscFileFormat *format);

/* Writes capture to path atomically in the given format (CSV/TXT: last
 * snapshot): a temporary file in the same directory, flushed, then renamed
 * over path. On any failure path is left as it was, the temporary file is
 * removed, and status says "could not write <path>: <reason>". A capture
 * without snapshots is MSC_ERR_INVALID. */
MscStatusCode msc_capture_save (const MscCapture *capture, const char *path,
                                MscFileFormat format, MscStatus *status);

#ifdef __cplusplus
}
#endif
