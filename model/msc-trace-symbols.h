/* msc-trace-symbols.h — names for the return addresses of a trace, found in
 * memscope (never in the target) with elfutils' libdwfl: function, and
 * file:line where debug information exists; otherwise the trace keeps
 * module+offset.  Each frame is resolved against the module list that was
 * loaded when its stack was first seen, so libraries dlclose'd (or images
 * replaced by exec) before the end still get their names. */
#pragma once

#include "model/msc-trace.h"

G_BEGIN_DECLS

typedef struct _MscTraceSymbols MscTraceSymbols;

MscTraceSymbols *msc_trace_symbols_new      (void);
void             msc_trace_symbols_free     (MscTraceSymbols *symbols);
/* The module list in effect from now on (copied). */
void             msc_trace_symbols_modules  (MscTraceSymbols *symbols, const MscTraceModule *modules,
                                             gsize n_modules);
/* A frame first seen now: resolve it with the current module list. */
void             msc_trace_symbols_add_frame (MscTraceSymbols *symbols, guint32 frame);
/* Fills in the trace's frames. */
void             msc_trace_symbols_resolve  (MscTraceSymbols *symbols, MscTrace *trace);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscTraceSymbols, msc_trace_symbols_free)

G_END_DECLS
