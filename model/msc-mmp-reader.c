/* msc-mmp-reader.c — reads .mmp captures (ours and VMMap's) with libxml2's
 * SAX2 push parser, following docs/file-formats.md "Reading".
 *
 * Safety: the network is off, no DTD is loaded, entities are never expanded,
 * libxml2's size limits stay on (no XML_PARSE_HUGE), and a DOCTYPE that
 * declares entities or names an external DTD is refused outright, so
 * billion-laughs and XXE files cannot do anything but fail.
 *
 * Speed: a capture must load in less time than `xmllint --stream` needs
 * just to parse it (issue 15). xmlTextReader, which xmllint uses, builds and
 * frees a node for every element: that alone took as long as xmllint.
 * SAX2 hands each element's attributes over as pointers into its buffer,
 * in half the time. Attributes are looked up expecting the writer's order,
 * numbers are parsed by hand, and regions go straight into the snapshot's
 * table while the file is in address order (it always is for ours and, per
 * PerfView, for VMMap's).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>

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

/* The region builder refused a region (problem; at line, 0 when none
 * applies) or ran out of memory. */
static gboolean
msc_mmp_builder_failed (MscMmpReader *r,
                        char         *problem,
                        int           line,
                        GError      **error)
{
  if (problem == NULL)
    return msc_mmp_too_many_regions (r, error);
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_INVALID, line, "%s", problem);
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
  msc_region_queue_start (r->queue, b->regions);
  return TRUE;
}

/* Ends the open snapshot (if any) and adds it to r->snapshots. */
gboolean
msc_mmp_builder_finish (MscMmpReader *r,
                        GError      **error)
{
  MscMmpBuilder *b = &r->builder;
  MscRegionTable *table;
  MscSnapshot *snapshot;
  guint64 tops_size = 0;
  char *problem = NULL;
  int line = 0;

  if (!b->open)
    return TRUE;
  if (!msc_region_queue_sync (r->queue, &problem, &line))
    {
      msc_mmp_builder_clear (b);
      return msc_mmp_builder_failed (r, problem, line, error);
    }
  table = msc_region_builder_finish (g_steal_pointer (&b->regions), &tops_size, &problem);
  if (table == NULL)
    {
      msc_mmp_builder_clear (b);
      return msc_mmp_builder_failed (r, problem, 0, error);
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
  msc_region_queue_add (r->queue, &a->region, a->details->str, xmlSAX2GetLineNumber (r->ctxt));
  r->n_regions++;
  /* A refused region ends the reading: the rest cannot make it whole. */
  if (msc_region_queue_failed (r->queue))
    return msc_mmp_builder_finish (r, error);
  return TRUE;
}

/* The trace's own errors, in the reader's words (file name, line). */
gboolean
msc_mmp_trace_element (MscMmpReader        *r,
                       const MscXmlElement *element,
                       GError             **error)
{
  g_autoptr(GError) local = NULL;
  gboolean head = strcmp (element->name, "Trace") == 0;

  if (msc_trace_xml_read_element (element, &r->trace, &local))
    {
      /* Ours follows the last snapshot, which is complete by then; someone
       * else's Trace (left NULL) may sit anywhere. */
      return !(head && r->trace != NULL) || msc_mmp_builder_finish (r, error);
    }
  r->trace_damaged = TRUE;
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_INVALID, 0, "%s", local->message);
  return FALSE;
}

/* Only these mean something; every other element (the root, VMMap's
 * trace data, ...) is skipped, wherever they sit. */
static gboolean
msc_mmp_element (MscMmpReader  *r,
                 const xmlChar *name,
                 GError       **error)
{
  MscXmlElement element;

  if (name == r->names.region || xmlStrEqual (name, r->names.region))
    return msc_mmp_region_element (r, error);
  if (name == r->names.snapshot || xmlStrEqual (name, r->names.snapshot))
    return msc_mmp_snapshot_element (r, error);
  if (name == r->names.process || xmlStrEqual (name, r->names.process))
    return msc_mmp_process_element (r, error);
  if (!msc_trace_xml_is_element ((const char *) name))
    return TRUE;
  element = (MscXmlElement) { (const char *) name, r->attributes, r->n_attributes,
                              xmlSAX2GetLineNumber (r->ctxt), NULL };
  return msc_mmp_trace_element (r, &element, error);
}

/* ---- SAX2 callbacks ---- */

/* A callback's error ends the parse: the first one is what the user sees. */
static void
msc_mmp_stop (MscMmpReader *r)
{
  xmlStopParser (r->ctxt);
}

static void
msc_mmp_unsafe (MscMmpReader *r)
{
  if (r->error == NULL)
    msc_mmp_set_error (r, &r->error, MSC_MMP_ERROR_UNSAFE, 0,
                       _("the file’s DOCTYPE declares entities or refers to an external DTD; "
                         "it is not opened, for safety"));
  msc_mmp_stop (r);
}

static void
msc_mmp_on_start (void           *user,
                  const xmlChar  *name,
                  const xmlChar  *prefix,
                  const xmlChar  *uri,
                  int             n_namespaces,
                  const xmlChar **namespaces,
                  int             n_attributes,
                  int             n_defaulted,
                  const xmlChar **attributes)
{
  MscMmpReader *r = user;

  (void) prefix, (void) uri, (void) n_namespaces, (void) namespaces;
  if (r->error != NULL)
    return;
  if (++r->n_elements % MSC_MMP_CANCEL_INTERVAL == 0 && g_cancellable_is_cancelled (r->input->cancellable))
    {
      msc_mmp_set_error (r, &r->error, MSC_MMP_ERROR_CANCELLED, 0, _("loading was cancelled"));
      msc_mmp_stop (r);
      return;
    }
  if (++r->depth > MSC_MMP_MAX_DEPTH)
    {
      msc_mmp_set_node_error (r, &r->error, MSC_MMP_ERROR_MALFORMED, "%s", msc_mmp_too_deep ());
      msc_mmp_stop (r);
      return;
    }
  if (r->text.depth > 0)
    {
      r->text.depth++;
      return;
    }
  /* Defaults from a DOCTYPE's ATTLIST are not the file's values. */
  r->attributes = attributes;
  r->n_attributes = n_attributes - n_defaulted;
  if (msc_mmp_delta_is_element ((const char *) name))
    {
      /* A delta starts a snapshot: the one before is complete. */
      if (msc_mmp_builder_finish (r, &r->error))
        msc_mmp_text_start (r, name, TRUE);
      else
        msc_mmp_stop (r);
    }
  else if (r->trace != NULL && msc_trace_xml_is_text_element ((const char *) name))
    msc_mmp_text_start (r, name, FALSE);
  else if (!msc_mmp_element (r, name, &r->error))
    msc_mmp_stop (r);
  r->attributes = NULL;
  r->n_attributes = 0;
}

static void
msc_mmp_on_end (void          *user,
                const xmlChar *name,
                const xmlChar *prefix,
                const xmlChar *uri)
{
  MscMmpReader *r = user;

  (void) name, (void) prefix, (void) uri;
  r->depth--;
  if (r->error == NULL && r->text.depth > 0 && --r->text.depth == 0 && !msc_mmp_text_end (r, &r->error))
    msc_mmp_stop (r);
}

static void
msc_mmp_on_characters (void          *user,
                       const xmlChar *text,
                       int            len)
{
  MscMmpReader *r = user;

  if (r->text.depth > 0)
    msc_mmp_text_append (r, (const char *) text, (gsize) len);
}

/* A plain <!DOCTYPE name> or one with element/attribute declarations is
 * harmless; an external DTD is refused. */
static void
msc_mmp_on_subset (void          *user,
                   const xmlChar *name,
                   const xmlChar *external_id,
                   const xmlChar *system_id)
{
  (void) name;
  if (external_id != NULL || system_id != NULL)
    msc_mmp_unsafe (user);
}

/* Entities (even unused: a file carrying them is an attack or a mistake)
 * are refused at their declaration, before anything could expand them. */
static void
msc_mmp_on_entity_decl (void          *user,
                        const xmlChar *name,
                        int            type,
                        const xmlChar *public_id,
                        const xmlChar *system_id,
                        xmlChar       *content)
{
  (void) name, (void) type, (void) public_id, (void) system_id, (void) content;
  msc_mmp_unsafe (user);
}

static void
msc_mmp_on_reference (void          *user,
                      const xmlChar *name)
{
  MscMmpReader *r = user;

  (void) name;
  if (r->error == NULL)
    msc_mmp_set_node_error (r, &r->error, MSC_MMP_ERROR_UNSAFE,
                            _("the file uses an entity reference; it is not opened, for safety"));
  msc_mmp_stop (r);
}

static void
msc_mmp_sax_init (xmlSAXHandler *sax)
{
  memset (sax, 0, sizeof *sax);
  sax->initialized = XML_SAX2_MAGIC;
  sax->startElementNs = msc_mmp_on_start;
  sax->endElementNs = msc_mmp_on_end;
  sax->characters = msc_mmp_on_characters;
  sax->cdataBlock = msc_mmp_on_characters;
  sax->internalSubset = msc_mmp_on_subset;
  sax->externalSubset = msc_mmp_on_subset;
  sax->entityDecl = msc_mmp_on_entity_decl;
  sax->reference = msc_mmp_on_reference;
  sax->serror = msc_mmp_xml_error;
}

/* ---- the parse ---- */

/* The next piece of input; < 0 after a read error or an entity declaration. */
static gssize
msc_mmp_next_chunk (MscMmpReader *r,
                    char         *buffer,
                    gsize         size)
{
  gssize n = msc_loader_input_read (r->input, buffer, size);

  /* Entity declarations are refused before libxml2 sees them: it parses
   * the whole internal subset before anything else, and checking a crafted
   * set of entities (a broken billion laughs) took it a minute. No
   * capture, ours or VMMap's, declares one; "<!ENTITY" cannot occur outside
   * a DOCTYPE but in a comment or CDATA, which captures have no use for. */
  if (n > 0 && msc_mmp_scan_entity (&r->entity_state, buffer, (gsize) n))
    {
      r->entity_declared = TRUE;
      return -1;
    }
  return n;
}

/* Why the parse failed, when no callback said so. */
static gboolean
msc_mmp_parse_failed (MscMmpReader *r,
                      GError      **error)
{
  if (r->entity_declared)
    {
      msc_mmp_unsafe (r);
      g_propagate_error (error, g_steal_pointer (&r->error));
      return FALSE;
    }
  if (r->input->read_errno != 0)
    {
      msc_loader_input_failed (r->input, error);
      return FALSE;
    }
  /* libxml2 has no words for this ("Document is empty"). */
  if (r->input->n_bytes == 0)
    {
      msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED, 0, "%s", _("the file is empty"));
      return FALSE;
    }
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED,
                     r->xml_message != NULL ? MAX (r->xml_line, 1) : xmlSAX2GetLineNumber (r->ctxt),
                     r->xml_limit ? "%s" : _("not well-formed XML: %s"),
                     r->xml_message != NULL ? r->xml_message : _("the document could not be parsed"));
  return FALSE;
}

#define MSC_MMP_CHUNK (64 * 1024)

/* libxml2 stopped at an error of its own (not ours: r->error). */
static gboolean
msc_mmp_halted (MscMmpReader *r,
                int           ret)
{
  return ret != 0 && r->ctxt->disableSAX;
}

static gboolean
msc_mmp_parse_chunks (MscMmpReader *r,
                      GError      **error)
{
  g_autofree char *buffer = g_malloc (MSC_MMP_CHUNK);
  xmlSAXHandler sax;
  gssize n;
  int ret = 0;

  msc_mmp_sax_init (&sax);
  /* The first bytes go in with the context: libxml2 tells UTF-16 by them. */
  n = msc_mmp_next_chunk (r, buffer, MSC_MMP_CHUNK);
  if (n < 0)
    return msc_mmp_parse_failed (r, error);
  /* No URL: there is nothing a relative reference could legitimately need. */
  r->ctxt = xmlCreatePushParserCtxt (&sax, r, buffer, (int) n, NULL);
  if (r->ctxt == NULL)
    return msc_mmp_parse_failed (r, error);
  xmlCtxtUseOptions (r->ctxt, MSC_MMP_XML_OPTIONS);
  msc_mmp_intern_names (r);
  while (r->error == NULL && !msc_mmp_halted (r, ret) && (n = msc_mmp_next_chunk (r, buffer, MSC_MMP_CHUNK)) > 0)
    {
      if (g_cancellable_is_cancelled (r->input->cancellable))
        msc_mmp_set_error (r, &r->error, MSC_MMP_ERROR_CANCELLED, 0, _("loading was cancelled"));
      else
        ret = xmlParseChunk (r->ctxt, buffer, (int) n, 0);
    }
  if (r->error == NULL && !msc_mmp_halted (r, ret) && n == 0)
    ret = xmlParseChunk (r->ctxt, NULL, 0, 1);
  if (r->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&r->error));
      return FALSE;
    }
  if (n < 0 || msc_mmp_halted (r, ret) || !r->ctxt->wellFormed || r->xml_fatal)
    return msc_mmp_parse_failed (r, error);
  return msc_mmp_builder_finish (r, error);
}

/* libxml2's debugging lines ("xmlParseChunk: encoder error"): the error
 * itself reaches msc_mmp_xml_error(). */
static void
msc_mmp_quiet (void       *user,
               const char *format,
               ...)
{
}

static gboolean
msc_mmp_parse (MscMmpReader *r,
               GError      **error)
{
  gboolean ok;

  /* Some of libxml2's complaints (the input's encoding) name no parser:
   * they go to this thread's handlers, ours while the parse runs. */
  xmlSetStructuredErrorFunc (r, msc_mmp_xml_error);
  xmlSetGenericErrorFunc (NULL, msc_mmp_quiet);
  ok = msc_mmp_parse_chunks (r, error);
  xmlSetGenericErrorFunc (NULL, NULL);
  xmlSetStructuredErrorFunc (NULL, NULL);
  return ok;
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
  /* First: the worker may still be placing into the builder's table. */
  g_clear_pointer (&r->queue, msc_region_queue_free);
  if (r->ctxt != NULL)
    {
      xmlFreeParserCtxt (r->ctxt);
      r->ctxt = NULL;
    }
  g_clear_error (&r->error);
  msc_mmp_text_clear (&r->text);
  g_clear_pointer (&r->xml_message, g_free);
  g_clear_pointer (&r->type_text, g_free);
  msc_mmp_process_attrs_clear (&r->process);
  msc_mmp_builder_clear (&r->builder);
  if (r->region.details != NULL)
    g_string_free (r->region.details, TRUE);
  if (r->scratch != NULL)
    g_string_free (r->scratch, TRUE);
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
  r->scratch = g_string_new (NULL);
  r->queue = msc_region_queue_new ();
  r->snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  r->delta = msc_mmp_delta_new ();
  if (!msc_mmp_parse (r, error))
    {
      /* The snapshots come before the trace: a file cut (or damaged) in
       * the trace still opens, and the trace says what it lacks. So does
       * one cut among its deltas (its last snapshot notes the loss). */
      msc_mmp_text_broken (r);
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
