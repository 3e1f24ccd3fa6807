/* msc-trace-test-util.h — the tracer tests' helpers: record a program with
 * the model's recorder, and look call sites up in the result. */
#pragma once

#include "model/msc-call-tree.h"
#include "model/msc-trace-recorder.h"

#define MIB (1024 * 1024)
#define INTERVAL 0.2

typedef struct {
  MscSession *session;
  MscTrace   *trace;       /* the session's */
  int         exit_status; /* as a shell reports it */
} Run;

/* Records argv to its end (interval INTERVAL); asserts it could start. */
Run  record (const char *const *argv);
/* The target (which: "FP" or "NOFP") with its library and mode. */
Run  record_target (const char *which, const char *mode);
void run_clear (Run *run);
/* The NOFP target in mode with --follow-children: the program's run, and
 * in *children (of MscSession) each process it started. */
Run  record_follow (const char *mode, GPtrArray **children);
/* The child of node for function; aborts the test when there is none. */
const MscCallNode *child (const MscCallNode *node, const char *function);
/* The inverted tree's entry for function has exactly these figures. */
void assert_site (MscCallTree *tree, const char *function, guint64 count, guint64 total, guint64 leaked);
/* NULL when this process may ptrace a child of its own, else why not. */
const char *ptrace_refused (void);
/* Some frame of the stack node is function. */
gboolean stack_has (MscTrace *trace, guint32 node, const char *function);
