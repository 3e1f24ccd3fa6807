/* msc-cli-trace.h — Launch and Trace from the command line, and the views
 * of a trace capture:
 *
 *   memscope --trace [--interval S] [-o OUT.mmp] [--leave-running] -- PROGRAM [ARGS...]
 *       runs PROGRAM under the tracer to its end and writes one capture;
 *       exits with the program's status (128 + signal when a signal ended
 *       it), 2 when it could not be started;
 *   memscope --call-tree [--inverted] [--mappings] [--top N] FILE.mmp
 *   memscope --leaks [--mappings] FILE.mmp
 *   memscope --history FILE.mmp OUT.csv
 *   memscope --allocations ADDRESS FILE.mmp
 */
#pragma once

#include <glib.h>

/* TRUE when argv asks for --trace (only where msc_backend_can_trace()). */
gboolean msc_cli_trace_wanted (int argc, char **argv);
int      msc_cli_trace_main   (int argc, char **argv);

/* TRUE when argv asks for one of the views. */
gboolean msc_cli_trace_views_wanted (int argc, char **argv);
int      msc_cli_trace_views_main   (int argc, char **argv);
