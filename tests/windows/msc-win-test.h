/* msc-win-test.h — the Windows tests' small harness: checks that count
 * failures (GLib's g_test is not available in a mingw build), and the test
 * target (tests/targets/msc-win-target.c) run as a child process. */
#pragma once

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdint.h>
#include <stdio.h>

#include "model/core/msc-region-table.h"

extern int msc_test_failures;

#define MSC_CHECK(cond, ...)                                              \
  do                                                                      \
    {                                                                     \
      if (!(cond))                                                        \
        {                                                                 \
          msc_test_failures++;                                            \
          fprintf (stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
          fprintf (stderr, __VA_ARGS__);                                  \
          fputc ('\n', stderr);                                           \
        }                                                                 \
    }                                                                     \
  while (0)

/* Runs a named test function and prints "ok"/"not ok" for it. */
void msc_test_run (const char *name, void (*test) (void));
/* Exit status for the test harness: 0, or 1 when a check failed. */
int  msc_test_exit_status (void);
/* Non-zero under Wine: only to relax what Wine does not implement. */
int  msc_test_is_wine (void);

/* One "name=... addr=... size=..." line of the target. */
typedef struct {
  char     name[32];
  uint64_t addr;
  uint64_t size;
  uint64_t committed;
  uint64_t touched;
  uint32_t tid;
  char     path[MAX_PATH];
} MscTargetItem;

typedef struct {
  HANDLE        process;
  HANDLE        stdin_write;
  uint32_t      pid;
  char          command_line[2 * MAX_PATH + 8];  /* as given to CreateProcess */
  MscTargetItem items[16];
  size_t        n_items;
} MscTarget;

/* Starts exe with argument arg and reads its report up to "ready"; 0 on success. */
int  msc_target_start (MscTarget *target, const char *exe, const char *arg);
const MscTargetItem *msc_target_item (const MscTarget *target, const char *name);
/* msc_target_item(), exiting the test when the target did not report name. */
const MscTargetItem *msc_target_require (const MscTarget *target, const char *name);
void msc_target_stop (MscTarget *target);
/* A test main's start: argv[1] is msc-win-target.exe; starts it with a new
 * file named after the test in the temporary folder (path written to file).
 * Returns 0, or the exit status the test should end with. */
int  msc_target_setup (MscTarget *target, int argc, char **argv, const char *test, char *file, size_t len);
/* Stops the target and deletes its file. */
void msc_target_teardown (MscTarget *target, const char *file);

/* Scans pid into a new table (NULL on failure, with the message printed). */
MscRegionTable *msc_test_scan (uint32_t pid, MscScanInfo *info);
/* The region (top level or sub-block) starting at address with no
 * SUBBLOCK flag, or MSC_NO_PARENT. */
size_t msc_test_find_top (const MscRegionTable *table, uint64_t address);
