/* msc-trace-xml.c — see msc-trace-xml.h.  Tables come before the events
 * that point into them (threads, frames, stack nodes), so one pass reads
 * the file. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/msc-trace-codec.h"
#include "model/msc-trace-xml.h"

/* Events="N" of the <Trace> element, kept to tell a short file. */
#define MSC_TRACE_XML_DECLARED "msc-trace-declared-events"

static void
msc_xml_text_attr (GString *out, const char *name, const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;
  escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (out, " %s=\"%s\"", name, escaped);
}

static void
msc_xml_number_attr (GString *out, const char *name, guint64 value)
{
  g_string_append_printf (out, " %s=\"%" G_GUINT64_FORMAT "\"", name, value);
}

static void
msc_trace_xml_head (GString *out, MscTrace *trace)
{
  g_string_append (out, "<Trace Version=\"1\"");
  msc_xml_number_attr (out, "Start", msc_trace_get_start (trace));
  msc_xml_number_attr (out, "Events", msc_trace_get_n_events (trace));
  msc_xml_number_attr (out, "Images", msc_trace_get_images (trace));
  msc_xml_number_attr (out, "MappingsTraced", msc_trace_get_mappings_traced (trace));
  if (msc_trace_get_exited (trace))
    msc_xml_number_attr (out, "ExitCode", (guint64) msc_trace_get_exit_code_or_signal (trace));
  else
    msc_xml_number_attr (out, "Signal", (guint64) msc_trace_get_exit_code_or_signal (trace));
  if (msc_trace_get_cut_short (trace))
    g_string_append (out, " CutShort=\"1\"");
  g_string_append (out, ">\n");
}

static void
msc_trace_xml_tables (GString *out, MscTrace *trace)
{
  GPtrArray *notes = msc_trace_get_notes (trace);

  for (guint i = 0; i < notes->len; i++)
    {
      g_string_append (out, "<TraceNote");
      msc_xml_text_attr (out, "Text", g_ptr_array_index (notes, i));
      g_string_append (out, "/>\n");
    }
  for (guint i = 0; i < msc_trace_get_n_threads (trace); i++)
    g_string_append_printf (out, "<TraceThread Tid=\"%u\"/>\n", msc_trace_get_thread_id (trace, i));
  for (guint i = 0; i < msc_trace_get_n_frames (trace); i++)
    {
      const MscTraceFrame *f = msc_trace_get_frame (trace, i);

      g_string_append (out, "<TraceFrame");
      msc_xml_number_attr (out, "Ip", f->ip);
      msc_xml_text_attr (out, "Function", f->function);
      msc_xml_text_attr (out, "File", f->file);
      if (f->line != 0)
        msc_xml_number_attr (out, "Line", f->line);
      msc_xml_text_attr (out, "Module", f->module);
      if (f->module != NULL)
        msc_xml_number_attr (out, "Offset", f->offset);
      g_string_append (out, "/>\n");
    }
  for (guint i = 1; i < msc_trace_get_n_nodes (trace); i++)
    {
      const MscTraceNode *n = msc_trace_get_node (trace, i);

      g_string_append_printf (out, "<TraceStack Parent=\"%u\" Frame=\"%u\"/>\n", n->parent, n->frame);
    }
}

char *
msc_trace_xml_write (MscTrace *trace)
{
  guint n = msc_trace_get_n_events (trace);
  /* About what it takes: no copies while it grows. */
  GString *out = g_string_sized_new (4096 + n * 2 + msc_trace_get_n_frames (trace) * 160
                                     + msc_trace_get_n_nodes (trace) * 40);

  msc_trace_xml_head (out, trace);
  msc_trace_xml_tables (out, trace);
  for (guint first = 0; first < n; first += MSC_TRACE_CODEC_RUN)
    {
      guint count = MIN (MSC_TRACE_CODEC_RUN, n - first);
      g_autofree char *text = msc_trace_codec_run_text (trace, first / MSC_TRACE_CODEC_RUN);

      g_string_append_printf (out, "<TraceEvents Count=\"%u\">%s</TraceEvents>\n", count,
                              text != NULL ? text : "");
    }
  g_string_append (out, "</Trace>\n");
  return g_string_free (out, FALSE);
}

/* ---- reading ---- */

static const char *const msc_trace_elements[] = {
  "Trace", "TraceNote", "TraceThread", "TraceFrame", "TraceStack", "TraceEvents",
};

gboolean
msc_trace_xml_is_element (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (msc_trace_elements); i++)
    if (strcmp (name, msc_trace_elements[i]) == 0)
      return TRUE;
  return FALSE;
}

typedef struct {
  const MscXmlElement *element;
  GError **error;
  gboolean bad;
} MscAttrs;

static char *
msc_attr_text (MscAttrs *a, const char *name)
{
  return msc_xml_element_attr (a->element, name);
}

/* A decimal attribute; absent is 0 when optional, else damage. */
static guint64
msc_attr_number (MscAttrs *a, const char *name, gboolean optional, guint64 max)
{
  g_autofree char *text = msc_attr_text (a, name);
  guint64 value = 0;

  if (text == NULL && optional)
    return 0;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    {
      if (!a->bad)
        g_set_error (a->error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_INVALID,
                     _("line %d: %s=\"%s\" is not a valid number"),
                     a->element->line, name, text != NULL ? text : "");
      a->bad = TRUE;
    }
  return value;
}

static MscTrace *
msc_trace_xml_start (MscAttrs *a)
{
  guint64 start = msc_attr_number (a, "Start", FALSE, G_MAXUINT64);
  guint64 events = msc_attr_number (a, "Events", FALSE, G_MAXUINT32);
  guint64 images = msc_attr_number (a, "Images", TRUE, G_MAXUINT32);
  guint64 mapped = msc_attr_number (a, "MappingsTraced", TRUE, 1);
  g_autofree char *exit_code = msc_attr_text (a, "ExitCode");
  guint64 code = msc_attr_number (a, exit_code != NULL ? "ExitCode" : "Signal", FALSE, G_MAXINT);
  guint64 cut = msc_attr_number (a, "CutShort", TRUE, 1);
  MscTrace *trace;

  if (a->bad)
    return NULL;
  trace = msc_trace_new (start);
  msc_trace_set_images (trace, (guint) images);
  msc_trace_set_mappings_traced (trace, mapped != 0);
  msc_trace_set_end (trace, exit_code != NULL, (int) code);
  msc_trace_set_cut_short (trace, cut != 0);
  g_object_set_data (G_OBJECT (trace), MSC_TRACE_XML_DECLARED, GUINT_TO_POINTER ((guint) events));
  return trace;
}

static void
msc_trace_xml_frame (MscAttrs *a, MscTrace *trace)
{
  guint64 ip = msc_attr_number (a, "Ip", FALSE, G_MAXUINT64);
  g_autofree char *function = msc_attr_text (a, "Function");
  g_autofree char *file = msc_attr_text (a, "File");
  guint64 line = msc_attr_number (a, "Line", TRUE, G_MAXUINT32);
  g_autofree char *module = msc_attr_text (a, "Module");
  guint64 offset = msc_attr_number (a, "Offset", TRUE, G_MAXUINT64);
  guint before = msc_trace_get_n_frames (trace);
  guint32 index;

  if (a->bad)
    return;
  index = msc_trace_frame_index (trace, ip);
  if (index < before)
    {
      g_set_error (a->error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_INVALID,
                   _("line %d: the frame at %" G_GUINT64_FORMAT " is listed twice"),
                   a->element->line, ip);
      a->bad = TRUE;
      return;
    }
  msc_trace_set_frame_symbol (trace, index, function, file, (guint32) line, module, offset);
}

static void
msc_trace_xml_stack (MscAttrs *a, MscTrace *trace)
{
  guint nodes = msc_trace_get_n_nodes (trace);
  guint64 parent = msc_attr_number (a, "Parent", FALSE, G_MAXUINT32);
  guint64 frame = msc_attr_number (a, "Frame", FALSE, G_MAXUINT32);

  if (a->bad)
    return;
  /* Parents come first; a repeated node would shift every later id. */
  if (parent >= nodes || frame >= msc_trace_get_n_frames (trace)
      || msc_trace_node (trace, (guint32) parent, (guint32) frame) != nodes)
    {
      g_set_error (a->error, MSC_TRACE_ERROR, MSC_TRACE_ERROR_INVALID,
                   _("line %d: a stack node refers to a node or frame not listed before it"),
                   a->element->line);
      a->bad = TRUE;
    }
}

static void
msc_trace_xml_events (MscAttrs *a, MscTrace *trace)
{
  guint64 count = msc_attr_number (a, "Count", FALSE, MSC_TRACE_CODEC_RUN);
  const char *text = a->element->text;
  guint before;

  if (a->bad)
    return;
  before = msc_trace_get_n_events (trace);
  if (!msc_trace_codec_decode (trace, text != NULL ? text : "", (guint) count, a->error))
    a->bad = TRUE;
  /* A full run read whole is saved again as it was read. */
  else if (count == MSC_TRACE_CODEC_RUN && before % MSC_TRACE_CODEC_RUN == 0 && text != NULL)
    msc_trace_set_run_text (trace, before / MSC_TRACE_CODEC_RUN, g_strdup (text));
}

gboolean
msc_trace_xml_is_text_element (const char *name)
{
  return strcmp (name, "TraceEvents") == 0;
}

gboolean
msc_trace_xml_read_element (const MscXmlElement *element, MscTrace **trace, GError **error)
{
  const char *name = element->name;
  MscAttrs a = { element, error, FALSE };

  if (g_str_equal (name, "Trace"))
    {
      g_autofree char *start = msc_attr_text (&a, "Start");
      g_autofree char *events = msc_attr_text (&a, "Events");

      g_clear_object (trace);
      /* Someone else's Trace (VMMap's own?): skipped like any unknown element. */
      if (start == NULL || events == NULL)
        return TRUE;
      *trace = msc_trace_xml_start (&a);
      return !a.bad;
    }
  if (*trace == NULL)
    return TRUE; /* parts of a trace with no head: nothing to attach them to */
  if (g_str_equal (name, "TraceNote"))
    {
      g_autofree char *text = msc_attr_text (&a, "Text");

      if (text != NULL)
        msc_trace_add_note (*trace, text);
    }
  else if (g_str_equal (name, "TraceThread"))
    msc_trace_thread_index (*trace, (guint32) msc_attr_number (&a, "Tid", FALSE, G_MAXUINT32));
  else if (g_str_equal (name, "TraceFrame"))
    msc_trace_xml_frame (&a, *trace);
  else if (g_str_equal (name, "TraceStack"))
    msc_trace_xml_stack (&a, *trace);
  else if (g_str_equal (name, "TraceEvents"))
    msc_trace_xml_events (&a, *trace);
  return !a.bad;
}

void
msc_trace_xml_finish (MscTrace *trace, gboolean complete)
{
  guint declared = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (trace), MSC_TRACE_XML_DECLARED));
  guint n = msc_trace_get_n_events (trace);

  if (complete && n == declared)
    return;
  {
    g_autofree char *note =
      g_strdup_printf (_("the file ends early: %u of the trace's %u events could be read"), n, declared);

    msc_trace_add_note (trace, note);
    msc_trace_set_cut_short (trace, TRUE);
  }
}
