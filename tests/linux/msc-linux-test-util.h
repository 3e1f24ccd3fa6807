/* msc-linux-test-util.h — helpers for the Linux backend tests: run the test
 * target (or another program) as a child, scan it into an array, and read
 * the kernel's own figures (/proc/PID/smaps_rollup, status, smaps) as the
 * independent reference.
 */
#pragma once

#include <glib.h>

#include "backends/backend.h"

G_BEGIN_DECLS

typedef struct {
  MscRegion region;
  char *details;
} TestRegion;

typedef struct {
  GArray *regions;        /* TestRegion, in the order the sink saw them */
  MscScanInfo info;
} TestScan;

/* Scans pid with flags; asserts success. */
TestScan *test_scan_run (guint pid, unsigned flags);
/* Scans pid; returns the status code, the message in status. */
MscStatusCode test_scan_try (guint pid, unsigned flags, TestScan **out, MscStatus *status);
void test_scan_free (TestScan *scan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestScan, test_scan_free)

const TestRegion *test_scan_get (const TestScan *scan, guint index);
/* Index of the top-level region containing addr; asserts there is one. */
guint test_scan_top_index (const TestScan *scan, guint64 addr);
/* Number of sub-blocks following the top-level region at index. */
guint test_scan_n_subs (const TestScan *scan, guint index);
/* Sums of a top-level field over all top-level regions except Free/Unusable. */
guint64 test_scan_sum (const TestScan *scan, gsize field_offset);
#define TEST_SUM(scan, field) test_scan_sum ((scan), G_STRUCT_OFFSET (MscRegion, field))

typedef struct {
  guint64 addr;
  guint64 size;
  guint64 touched;
} TestAlloc;

typedef struct {
  GPid pid;
  int stdin_fd;
  GIOChannel *out;
  GHashTable *allocs;     /* label → TestAlloc */
  char *dir;
  char *file;             /* the file passed with --file */
} TestTarget;

/* Starts the test target (MSC_TEST_TARGET) with --file and extra args;
 * waits for "ready". */
TestTarget *test_target_start (const char *const *extra_args);
const TestAlloc *test_target_alloc (TestTarget *target, const char *label);
/* Sends a command line ("alloc x 4096 0", "free x") and reads the answer
 * up to "ready"; returns the answer's lines before "ready". */
char *test_target_command (TestTarget *target, const char *command);
void test_target_stop (TestTarget *target);

/* Starts argv as a child (stdin from /dev/null); waits until its exe is
 * `exe_basename` and its VmRSS is stable. */
GPid test_child_start (const char *const *argv, const char *exe_basename);
/* Only spawns it (output to /dev/null, not reaped): the caller waits. */
GPid test_child_spawn (const char *const *argv);
void test_child_stop (GPid pid);

/* As root, becomes nobody (setuid drops every capability: CAP_SYS_NICE,
 * CAP_SYS_PTRACE); anyone else stays who they are. */
void test_drop_root (void);

/* "Key: value kB" files → key → bytes (kB × 1024; plain numbers as is). */
GHashTable *test_read_kv (guint pid, const char *file);
guint64 test_kv (GHashTable *kv, const char *key);

/* One entry of /proc/PID/smaps. */
typedef struct {
  guint64 start, end;
  guint64 rss, anonymous, shared, swap, pss, locked;
  char vmflags[128];
} TestSmaps;
/* All entries of /proc/PID/smaps. */
GArray *test_read_smaps (guint pid);
/* The entry starting at addr, or NULL. */
const TestSmaps *test_smaps_find (GArray *smaps, guint64 addr);

G_END_DECLS
