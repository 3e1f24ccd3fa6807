/* msc-trace-xml.h — the Trace elements of a .mmp capture
 * (docs/file-formats.md, "Trace"): written after the last snapshot, read
 * back by the .mmp reader.  Readers that know only Snapshot and Region skip
 * them. */
#pragma once

#include "model/msc-trace.h"
#include "model/msc-xml-element.h"

G_BEGIN_DECLS

/* The elements, one per line, each line ending in "\n" (deterministic). */
char     *msc_trace_xml_write   (MscTrace *trace);

/* TRUE when name is one of the trace elements. */
gboolean  msc_trace_xml_is_element (const char *name);
/* TRUE for the trace elements whose content is their text: they are handed
 * over at their end, with element->text set. */
gboolean  msc_trace_xml_is_text_element (const char *name);
/* Handles one element; *trace is created by <Trace>.
 * FALSE with error when the element is damaged. */
gboolean  msc_trace_xml_read_element (const MscXmlElement *element, MscTrace **trace, GError **error);
/* After the whole file (complete = FALSE: it ended early): notes what is
 * missing; the trace keeps what was read. */
void      msc_trace_xml_finish (MscTrace *trace, gboolean complete);

G_END_DECLS
