/* msc-mmp-text.c — the .mmp reader's elements whose content is their text:
 * the trace's TraceEvents (handed over whole at their end) and issue 20's
 * SnapshotDelta (its attributes, then its text piece by piece, to
 * msc-mmp-delta.c, which opens the snapshot it expands to). */
#include "config.h"

#include <string.h>


#include "model/msc-mmp-delta.h"
#include "model/msc-mmp-reader-private.h"

void
msc_mmp_text_clear (MscMmpTextElement *t)
{
  g_clear_pointer (&t->name, g_free);
  g_clear_pointer (&t->strings, g_ptr_array_unref);
  g_clear_pointer (&t->attributes, g_ptr_array_unref);
  if (t->text != NULL)
    g_string_free (t->text, TRUE);
  memset (t, 0, sizeof *t);
}

/* Copies the element's attributes (SAX2's pointers die with the callback),
 * decoded, in SAX2's five-pointer form. */
static void
msc_mmp_text_keep_attributes (MscMmpReader *r)
{
  MscMmpTextElement *t = &r->text;

  t->strings = g_ptr_array_new_with_free_func (g_free);
  t->attributes = g_ptr_array_new ();
  for (int i = 0; i < r->n_attributes; i++)
    {
      const xmlChar **a = r->attributes + 5 * i;
      char *attr_name = g_strdup ((const char *) a[0]);
      gsize len;
      const char *decoded = msc_xml_attr_value (a, r->scratch, &len);
      char *value = g_strndup (decoded, len);

      g_ptr_array_add (t->strings, attr_name);
      g_ptr_array_add (t->strings, value);
      g_ptr_array_add (t->attributes, attr_name);
      g_ptr_array_add (t->attributes, a[1] != NULL ? (gpointer) "" : NULL);
      g_ptr_array_add (t->attributes, NULL);
      g_ptr_array_add (t->attributes, value);
      g_ptr_array_add (t->attributes, value + strlen (value));
    }
}

void
msc_mmp_text_start (MscMmpReader  *r,
                    const xmlChar *name,
                    gboolean       delta)
{
  MscMmpTextElement *t = &r->text;

  t->depth = 1;
  t->delta = delta;
  t->name = g_strdup ((const char *) name);
  t->line = xmlSAX2GetLineNumber (r->ctxt);
  msc_mmp_text_keep_attributes (r);
  if (!delta)
    {
      t->text = g_string_new (NULL);
      return;
    }
  msc_mmp_delta_start (r->delta);
  for (guint i = 0; i < t->attributes->len; i += 5)
    if (g_ptr_array_index (t->attributes, i + 1) == NULL)
      msc_mmp_delta_attr (r->delta, g_ptr_array_index (t->attributes, i), g_ptr_array_index (t->attributes, i + 3));
}

void
msc_mmp_text_append (MscMmpReader *r,
                     const char   *text,
                     gsize         len)
{
  if (r->text.delta)
    msc_mmp_delta_text (r->delta, text, len);
  else
    g_string_append_len (r->text.text, text, (gssize) len);
}

/* A damaged delta is noted on the snapshots, not fatal: the full ones
 * still open. */
static gboolean
msc_mmp_delta_element_end (MscMmpReader *r,
                           GError      **error)
{
  g_autoptr(GError) local = NULL, located = NULL;

  if (msc_mmp_delta_end (r->delta, r->snapshots, &r->builder, &local))
    return msc_mmp_builder_finish (r, error);
  msc_mmp_set_error (r, &located, MSC_MMP_ERROR_INVALID, r->text.line, "%s", local->message);
  msc_mmp_delta_set_damage (r->delta, r->snapshots, located->message);
  return TRUE;
}

gboolean
msc_mmp_text_end (MscMmpReader *r,
                  GError      **error)
{
  MscMmpTextElement *t = &r->text;
  gboolean ok;

  if (t->delta)
    ok = msc_mmp_delta_element_end (r, error);
  else
    {
      MscXmlElement element = { t->name, (const xmlChar **) t->attributes->pdata,
                                (int) (t->attributes->len / 5), t->line, t->text->str };

      ok = msc_mmp_trace_element (r, &element, error);
    }
  msc_mmp_text_clear (t);
  return ok;
}

void
msc_mmp_text_broken (MscMmpReader *r)
{
  /* The parse error says how; the delta's chain ends here. */
  if (r->text.depth > 0 && r->text.delta)
    msc_mmp_delta_set_damage (r->delta, r->snapshots, NULL);
}
