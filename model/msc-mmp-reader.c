/* msc-mmp-reader.c — reads .mmp captures (ours and VMMap's) with libxml2's
 * streaming xmlTextReader, following docs/file-formats.md "Reading".
 *
 * Safety: the network is off, no DTD is loaded, entities are never expanded,
 * libxml2's size limits stay on (no XML_PARSE_HUGE), and a DOCTYPE that
 * declares entities or names an external DTD is refused outright, so
 * billion-laughs and XXE files cannot do anything but fail.
 *
 * Speed: a 130,000-region capture must load (and save) within 1.5 times
 * what `xmllint --stream` needs just to parse it. So attributes are walked
 * in place (no per-attribute allocation), looked up expecting the writer's
 * order, numbers are parsed by hand, and regions go straight into the
 * snapshot's table while the file is in address order (it always is for
 * ours and, per PerfView, for VMMap's).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/xmlreader.h>

#include "model/msc-mmp-reader-private.h"

#include "model/core/msc-format.h"
#include "model/msc-mmp-delta.h"
#include "model/msc-snapshot-private.h"
#include "model/msc-trace-xml.h"

G_DEFINE_QUARK (msc-mmp-error-quark, msc_mmp_error)

/* ---- input ---- */

/* Whether buffer holds (the rest of) "<!ENTITY", state carrying a match
 * across buffers. NUL bytes are skipped, so UTF-16 (LE or BE) matches too. */
static gboolean
msc_mmp_scan_entity (guint      *state,
                     const char *buffer,
                     gsize       n)
{
  static const char decl[] = "<!ENTITY";
  gsize i = 0;

  while (i < n)
    {
      char c;

      if (*state == 0)
        {
          const char *lt = memchr (buffer + i, '<', n - i);

          if (lt == NULL)
            return FALSE;
          i = (gsize) (lt - buffer) + 1;
          *state = 1;
          continue;
        }
      c = buffer[i++];
      if (c == '\0')
        continue;
      if (c == decl[*state])
        {
          if (++*state == sizeof decl - 1)
            return TRUE;
        }
      else
        *state = c == '<' ? 1 : 0;
    }
  return FALSE;
}

/* Entity declarations are refused before libxml2 sees them: it parses the
 * whole internal subset before the reader reports the DOCTYPE, and checking
 * a crafted set of entities (a broken billion laughs) took it a minute. No
 * capture, ours or VMMap's, declares one; "<!ENTITY" cannot occur outside a
 * DOCTYPE but in a comment or CDATA, which captures have no use for either. */
static int
msc_mmp_read_cb (void *user,
                 char *buffer,
                 int   len)
{
  MscMmpReader *r = user;
  gssize n = msc_loader_input_read (r->input, buffer, (gsize) MAX (len, 0));

  if (n > 0 && msc_mmp_scan_entity (&r->entity_state, buffer, (gsize) n))
    {
      r->entity_declared = TRUE;
      return -1;
    }
  return (int) n;
}

/* ---- snapshots ---- */

static void
msc_mmp_builder_clear (MscMmpBuilder *b)
{
  g_clear_pointer (&b->regions, msc_region_builder_free);
  g_clear_pointer (&b->attrs.notes, g_free);
  memset (b, 0, sizeof *b);
}

static gboolean
msc_mmp_too_many_regions (MscMmpReader *r,
                          GError      **error)
{
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_INVALID, 0,
                     _("the snapshot has more regions than fit in memory"));
  return FALSE;
}

/* The region builder refused a region (problem) or ran out of memory. */
static gboolean
msc_mmp_builder_failed (MscMmpReader *r,
                        char         *problem,
                        gboolean      at_node,
                        GError      **error)
{
  if (problem == NULL)
    return msc_mmp_too_many_regions (r, error);
  if (at_node)
    msc_mmp_set_node_error (r, error, MSC_MMP_ERROR_INVALID, "%s", problem);
  else
    msc_mmp_set_error (r, error, MSC_MMP_ERROR_INVALID, 0, "%s", problem);
  g_free (problem);
  return FALSE;
}

/* PageTableSize joins the Total with the allocations' sizes (every other
 * figure is within those, msc-region-builder.c): it must leave room. */
static gboolean
msc_mmp_check_page_tables (MscMmpReader *r,
                           guint64       tops_size,
                           guint64       page_table_size,
                           GError      **error)
{
  /* G_MAXUINT64: the allocations reach 2^64, a Total cannot hold them. */
  if (tops_size < G_MAXUINT64 && page_table_size <= G_MAXUINT64 - tops_size)
    return TRUE;
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_INVALID, 0,
                     _("PageTableSize=%" G_GUINT64_FORMAT " does not fit in the address space with the "
                       "snapshot’s regions"), page_table_size);
  return FALSE;
}

/* Takes attrs (and its notes) over, even when it fails. */
static gboolean
msc_mmp_builder_start (MscMmpReader              *r,
                       const MscMmpSnapshotAttrs *attrs,
                       GError                   **error)
{
  MscMmpBuilder *b = &r->builder;

  b->open = TRUE;
  b->attrs = *attrs;
  b->regions = msc_region_builder_new ();
  if (b->regions == NULL)
    {
      msc_mmp_builder_clear (b);
      return msc_mmp_too_many_regions (r, error);
    }
  return TRUE;
}

/* Ends the open snapshot (if any) and adds it to r->snapshots. */
static gboolean
msc_mmp_builder_finish (MscMmpReader *r,
                        GError      **error)
{
  MscMmpBuilder *b = &r->builder;
  MscRegionTable *table;
  MscSnapshot *snapshot;
  guint64 tops_size = 0;
  char *problem = NULL;

  if (!b->open)
    return TRUE;
  table = msc_region_builder_finish (g_steal_pointer (&b->regions), &tops_size, &problem);
  if (table == NULL)
    {
      msc_mmp_builder_clear (b);
      return msc_mmp_builder_failed (r, problem, FALSE, error);
    }
  if (!msc_mmp_check_page_tables (r, tops_size, b->attrs.page_table_size, error))
    {
      msc_region_table_free (table);
      msc_mmp_builder_clear (b);
      return FALSE;
    }
  snapshot = msc_snapshot_new (b->attrs.timestamp, b->attrs.page_table_size, table);
  msc_snapshot_set_commit_charge (snapshot, b->attrs.commit_charge);
  msc_snapshot_set_process_ws (snapshot, b->attrs.process_ws);
  msc_snapshot_set_n_threads (snapshot, b->attrs.n_threads);
  msc_snapshot_set_notes (snapshot, b->attrs.notes);
  /* Kept as what changed since the snapshot before, at once: a long
   * capture loads in the memory of what changed (docs/snapshot-storage.md). */
  if (r->snapshots->len > 0)
    msc_snapshot_share (snapshot, g_ptr_array_index (r->snapshots, r->snapshots->len - 1));
  g_ptr_array_add (r->snapshots, snapshot);
  msc_mmp_builder_clear (b);
  return TRUE;
}

/* ---- elements ---- */

static void
msc_mmp_process_attrs_clear (MscMmpProcessAttrs *p)
{
  g_free (p->name);
  g_free (p->user);
  g_free (p->os);
  g_free (p->command_line);
  memset (p, 0, sizeof *p);
}

static gboolean
msc_mmp_process_element (MscMmpReader *r,
                         GError      **error)
{
  MscMmpProcessAttrs *p = &r->process;
  guint32 present;

  /* The last Process element wins, whole. */
  msc_mmp_process_attrs_clear (p);
  r->have_process = TRUE;
  return msc_mmp_read_attrs (r, "Process", msc_process_attrs, r->names.process_attrs,
                             G_N_ELEMENTS (msc_process_attrs), p, &present, error);
}

static gboolean
msc_mmp_snapshot_element (MscMmpReader *r,
                          GError      **error)
{
  MscMmpSnapshotAttrs attrs = { 0 };
  guint32 present;

  if (!msc_mmp_read_attrs (r, "Snapshot", msc_snapshot_attrs, r->names.snapshot_attrs,
                           G_N_ELEMENTS (msc_snapshot_attrs), &attrs, &present, error))
    {
      g_free (attrs.notes);
      return FALSE;
    }
  /* Every Region up to the next Snapshot belongs to this one (PerfView). */
  if (!msc_mmp_builder_finish (r, error))
    {
      g_free (attrs.notes);
      return FALSE;
    }
  return msc_mmp_builder_start (r, &attrs, error);
}

/* docs/file-formats.md: Type when known, else UseType; missing TotalWS is
 * PrivateWS + ShareableWS; missing ThreadId comes from Details. */
static void
msc_mmp_region_complete (MscMmpRegionAttrs *a,
                         guint32            present)
{
  MscRegion *region = &a->region;
  int type = -1;

  if (present & (1u << MSC_RA_TYPE))
    type = a->type.type;
  if (type >= 0)
    region->flags |= a->type.flags;
  else
    type = msc_use_type_from_vmmap_code (a->use_type <= G_MAXINT ? (int) a->use_type : -1);
  /* A code no source names (PerfView's Unknown2 = 9) with no known Type:
   * Private Data is what VMMap calls memory it cannot attribute. */
  region->type = (guint8) (type >= 0 ? type : MSC_TYPE_PRIVATE_DATA);

  if (!(present & (1u << MSC_RA_TOTAL_WS)))
    region->total_ws = region->private_ws + region->shareable_ws < region->private_ws
                         ? G_MAXUINT64 : region->private_ws + region->shareable_ws;
  if (!(present & (1u << MSC_RA_THREAD_ID)))
    region->thread_id = msc_thread_id_from_details (a->details->str);
  if (present & (1u << MSC_RA_PSS))
    region->flags |= MSC_REGION_PSS_KNOWN;
  if (region->type == MSC_TYPE_STACK && strstr (a->details->str, "64-bit thread stack") != NULL)
    region->flags |= MSC_REGION_STACK64;
}

static gboolean
msc_mmp_region_element (MscMmpReader *r,
                        GError      **error)
{
  MscMmpRegionAttrs *a = &r->region;
  char *problem = NULL;
  guint32 present;

  memset (&a->region, 0, sizeof a->region);
  a->use_type = 0;
  a->type.type = -1;
  a->type.flags = 0;
  g_string_truncate (a->details, 0);
  if (!msc_mmp_read_attrs (r, "Region", msc_region_attrs, r->names.region_attrs,
                           MSC_N_REGION_ATTRS, a, &present, error))
    return FALSE;
  msc_mmp_region_complete (a, present);

  /* Regions before any Snapshot make a snapshot of their own. */
  if (!r->builder.open)
    {
      MscMmpSnapshotAttrs none = { 0 };

      if (!msc_mmp_builder_start (r, &none, error))
        return FALSE;
    }
  if (!msc_region_builder_add (r->builder.regions, &a->region, a->details->str, &problem))
    return msc_mmp_builder_failed (r, problem, TRUE, error);
  r->n_regions++;
  return TRUE;
}

/* The trace's own errors, in the reader's words (file name, line). */
static gboolean
msc_mmp_trace_element (MscMmpReader *r,
                       GError      **error)
{
  g_autoptr(GError) local = NULL;

  gboolean head = xmlStrEqual (xmlTextReaderConstLocalName (r->reader), (const xmlChar *) "Trace");

  if (msc_trace_xml_read_element (r->reader, &r->trace, &local))
    {
      /* Ours follows the last snapshot, which is complete by then; someone
       * else's Trace (left NULL) may sit anywhere. */
      return !(head && r->trace != NULL) || msc_mmp_builder_finish (r, error);
    }
  r->trace_damaged = TRUE;
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_INVALID, 0, "%s", local->message);
  return FALSE;
}

/* A SnapshotDelta: its attributes and text to msc-mmp-delta.c, which
 * opens the snapshot it expands to; damage is noted, not fatal. */
static gboolean
msc_mmp_delta_element (MscMmpReader *r,
                       GError      **error)
{
  g_autoptr(GError) local = NULL, located = NULL;
  xmlChar *text;

  if (!msc_mmp_builder_finish (r, error))
    return FALSE;
  msc_mmp_delta_start (r->delta);
  while (xmlTextReaderMoveToNextAttribute (r->reader) == 1)
    msc_mmp_delta_attr (r->delta, (const char *) xmlTextReaderConstLocalName (r->reader),
                        (const char *) xmlTextReaderConstValue (r->reader));
  xmlTextReaderMoveToElement (r->reader);
  text = xmlTextReaderReadString (r->reader);
  /* No text where there is some: the document broke (read on, to say how). */
  if (text == NULL && !xmlTextReaderIsEmptyElement (r->reader))
    {
      msc_mmp_delta_set_damage (r->delta, r->snapshots, NULL);
      return TRUE;
    }
  if (text != NULL)
    msc_mmp_delta_text (r->delta, (const char *) text, strlen ((const char *) text));
  xmlFree (text);
  if (msc_mmp_delta_end (r->delta, r->snapshots, &r->builder, &local))
    return msc_mmp_builder_finish (r, error);
  msc_mmp_set_node_error (r, &located, MSC_MMP_ERROR_INVALID, "%s", local->message);
  msc_mmp_delta_set_damage (r->delta, r->snapshots, located->message);
  return TRUE;
}

static gboolean
msc_mmp_element (MscMmpReader *r,
                 GError      **error)
{
  const xmlChar *name = xmlTextReaderConstLocalName (r->reader);

  if (name == NULL)
    return TRUE;
  /* Only these three mean something; every other element (the root, VMMap's
   * trace data, ...) is skipped, wherever they sit. */
  if (xmlStrEqual (name, r->names.region))
    return msc_mmp_region_element (r, error);
  if (xmlStrEqual (name, r->names.snapshot))
    return msc_mmp_snapshot_element (r, error);
  if (xmlStrEqual (name, r->names.process))
    return msc_mmp_process_element (r, error);
  if (msc_trace_xml_is_element (name))
    return msc_mmp_trace_element (r, error);
  if (msc_mmp_delta_is_element ((const char *) name))
    return msc_mmp_delta_element (r, error);
  return TRUE;
}

/* A plain <!DOCTYPE name> or one with element/attribute declarations is
 * harmless; entities (even unused: a file carrying them is an attack or a
 * mistake) and external DTDs are refused. */
static gboolean
msc_mmp_doctype_is_unsafe (xmlDocPtr doc)
{
  xmlDtdPtr dtd = doc != NULL ? doc->intSubset : NULL;

  return (doc != NULL && doc->extSubset != NULL)
         || (dtd != NULL && (dtd->entities != NULL || dtd->pentities != NULL
                             || dtd->ExternalID != NULL || dtd->SystemID != NULL));
}

static gboolean
msc_mmp_unsafe (MscMmpReader *r,
                GError      **error)
{
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_UNSAFE, 0,
                     _("the file’s DOCTYPE declares entities or refers to an external DTD; "
                       "it is not opened, for safety"));
  return FALSE;
}

/* At the DOCTYPE node. (Its document, not xmlTextReaderCurrentDoc(), which
 * would hand the whole tree over to us.) */
static gboolean
msc_mmp_check_doctype (MscMmpReader *r,
                       GError      **error)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (r->reader);

  if (node != NULL && msc_mmp_doctype_is_unsafe (node->doc))
    return msc_mmp_unsafe (r, error);
  return TRUE;
}

/* After a parse error: libxml2 reads ahead, so its own entity-loop guard may
 * stop a billion laughs before the DOCTYPE node ever reaches us. Then the
 * document has to be asked for (and freed by us, msc_mmp_reader_clear()). */
static gboolean
msc_mmp_check_doctype_after_error (MscMmpReader *r,
                                   GError      **error)
{
  if (r->doc == NULL)
    r->doc = xmlTextReaderCurrentDoc (r->reader);
  if (msc_mmp_doctype_is_unsafe (r->doc))
    return msc_mmp_unsafe (r, error);
  return TRUE;
}

static gboolean
msc_mmp_node (MscMmpReader *r,
              GError      **error)
{
  switch (xmlTextReaderNodeType (r->reader))
    {
    case XML_READER_TYPE_ELEMENT:
      return msc_mmp_element (r, error);
    case XML_READER_TYPE_DOCUMENT_TYPE:
      return msc_mmp_check_doctype (r, error);
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
      msc_mmp_set_node_error (r, error, MSC_MMP_ERROR_UNSAFE,
                              _("the file uses an entity reference; it is not opened, for safety"));
      return FALSE;
    default:
      return TRUE;
    }
}

static gboolean
msc_mmp_parse (MscMmpReader *r,
               GError      **error)
{
  guint n_nodes = 0;
  int ret;

  while ((ret = xmlTextReaderRead (r->reader)) == 1)
    {
      if (++n_nodes % MSC_MMP_CANCEL_INTERVAL == 0 && g_cancellable_is_cancelled (r->input->cancellable))
        {
          msc_mmp_set_error (r, error, MSC_MMP_ERROR_CANCELLED, 0, _("loading was cancelled"));
          return FALSE;
        }
      if (!msc_mmp_node (r, error))
        return FALSE;
    }
  if (r->entity_declared)
    return msc_mmp_unsafe (r, error);
  if (r->input->read_errno != 0)
    {
      msc_loader_input_failed (r->input, error);
      return FALSE;
    }
  if (ret < 0 || r->xml_fatal)
    {
      if (!msc_mmp_check_doctype_after_error (r, error))
        return FALSE;
      /* libxml2 has no words for this ("Extra content at the end"). */
      if (r->input->n_bytes == 0)
        {
          msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED, 0, "%s", _("the file is empty"));
          return FALSE;
        }
      msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED,
                         r->xml_message != NULL ? MAX (r->xml_line, 1)
                                                : xmlTextReaderGetParserLineNumber (r->reader),
                         r->xml_limit ? "%s" : _("not well-formed XML: %s"),
                         r->xml_message != NULL ? r->xml_message : _("the document could not be parsed"));
      return FALSE;
    }
  return msc_mmp_builder_finish (r, error);
}

/* ---- the result ---- */

static MscProcess *
msc_mmp_make_process (MscMmpReader *r)
{
  MscProcess *process = msc_process_new (r->process.pid, r->process.name, r->process.bits);

  msc_process_set_user (process, r->process.user);
  msc_process_set_os (process, r->process.os);
  msc_process_set_command_line (process, r->process.command_line);
  return process;
}

static gboolean
msc_mmp_finish (MscMmpReader    *r,
                MscLoaderResult *result,
                GError         **error)
{
  if (r->n_regions == 0)
    {
      msc_mmp_set_error (r, error, MSC_MMP_ERROR_NO_SNAPSHOT, 0,
                         _("the file holds no memory snapshot (no Region element)"));
      return FALSE;
    }
  /* Regions outside any Snapshot element make none. */
  if (r->snapshots->len == 0)
    {
      msc_mmp_set_error (r, error, MSC_MMP_ERROR_NO_SNAPSHOT, 0,
                         _("the file holds no complete memory snapshot"));
      return FALSE;
    }
  msc_mmp_delta_finish (r->delta, r->snapshots);
  /* A VMMap file names no process (formats.md §2.7): the loader labels it. */
  if (r->have_process)
    result->process = msc_mmp_make_process (r);
  if (r->trace != NULL)
    {
      msc_trace_xml_finish (r->trace, !r->trace_damaged);
      result->trace = g_steal_pointer (&r->trace);
    }
  for (guint i = 0; i < r->snapshots->len; i++)
    g_ptr_array_add (result->snapshots, g_object_ref (g_ptr_array_index (r->snapshots, i)));
  return TRUE;
}

static void
msc_mmp_reader_clear (MscMmpReader *r)
{
  g_clear_pointer (&r->reader, xmlFreeTextReader);
  g_clear_pointer (&r->doc, xmlFreeDoc);
  g_clear_pointer (&r->xml_message, g_free);
  g_clear_pointer (&r->type_text, g_free);
  msc_mmp_process_attrs_clear (&r->process);
  msc_mmp_builder_clear (&r->builder);
  if (r->region.details != NULL)
    g_string_free (r->region.details, TRUE);
  g_clear_pointer (&r->snapshots, g_ptr_array_unref);
  g_clear_object (&r->trace);
  g_clear_pointer (&r->delta, msc_mmp_delta_free);
}

static void
msc_mmp_init_libxml (void)
{
  static gsize initialized = 0;

  /* libxml2 wants one initialisation before any thread uses it; loads run
   * in workers. */
  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

static gboolean
msc_mmp_run (MscMmpReader    *r,
             MscLoaderResult *result,
             GError         **error)
{
  msc_mmp_init_libxml ();
  r->region.details = g_string_sized_new (256);
  r->snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  r->delta = msc_mmp_delta_new ();
  /* No URL: there is nothing a relative reference could legitimately need. */
  r->reader = xmlReaderForIO (msc_mmp_read_cb, NULL, r, NULL, NULL, MSC_MMP_XML_OPTIONS);
  if (r->reader == NULL)
    {
      if (r->entity_declared)
        return msc_mmp_unsafe (r, error);
      if (r->input->read_errno != 0)
        msc_loader_input_failed (r->input, error);
      else
        msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED, 0, "%s",
                           _("the document could not be parsed"));
      return FALSE;
    }
  xmlTextReaderSetStructuredErrorHandler (r->reader, msc_mmp_xml_error, r);
  msc_mmp_intern_names (r);
  if (!msc_mmp_parse (r, error))
    {
      /* The snapshots come before the trace: a file cut (or damaged) in
       * the trace still opens, and the trace says what it lacks. So does
       * one cut among its deltas (its last snapshot notes the loss). */
      if ((r->trace == NULL && !msc_mmp_delta_take_cut (r->delta, r->snapshots, *error))
          || r->snapshots->len == 0 || r->builder.open)
        return FALSE;
      r->trace_damaged = TRUE;
      g_clear_error (error);
    }
  return msc_mmp_finish (r, result, error);
}

/**
 * msc_mmp_read:
 * @input: the capture's bytes (any VMMap-shaped XML: UTF-8 or UTF-16 with
 *   BOM); its cancellable is checked every few thousand XML nodes
 * @result: receives every snapshot, in file order, and the process when the
 *   file names one
 * @error: a #MSC_MMP_ERROR naming the file and, where it applies, the line
 *
 * Returns: TRUE when the input held at least one region
 */
gboolean
msc_mmp_read (MscLoaderInput  *input,
              MscLoaderResult *result,
              GError         **error)
{
  MscMmpReader r = { .input = input };
  gboolean ok;

  ok = msc_mmp_run (&r, result, error);
  msc_mmp_reader_clear (&r);
  return ok;
}
