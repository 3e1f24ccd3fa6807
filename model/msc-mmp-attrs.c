/* msc-mmp-attrs.c — the .mmp reader's attribute tables and value parsing,
 * and its error messages (which name the file and line). See
 * msc-mmp-reader.c for the reading itself. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/core/msc-format.h"
#include "model/msc-mmp-reader-private.h"

#define MSC_RA(field) ((guint16) offsetof (MscMmpRegionAttrs, field))

const MscMmpAttr msc_region_attrs[MSC_N_REGION_ATTRS] = {
  [MSC_RA_ADDRESS]        = { "Address", MSC_ATTR_U64, MSC_RA (region.address), 0 },
  [MSC_RA_BLOCKS]         = { "Blocks", MSC_ATTR_U32, MSC_RA (region.blocks), 0 },
  [MSC_RA_SHAREABLE_WS]   = { "ShareableWS", MSC_ATTR_U64, MSC_RA (region.shareable_ws), 0 },
  [MSC_RA_SHARED_WS]      = { "SharedWS", MSC_ATTR_U64, MSC_RA (region.shared_ws), 0 },
  [MSC_RA_SIZE]           = { "Size", MSC_ATTR_U64, MSC_RA (region.size), 0 },
  [MSC_RA_COMMIT]         = { "Commit", MSC_ATTR_U64, MSC_RA (region.committed), 0 },
  [MSC_RA_PRIVATE_BYTES]  = { "PrivateBytes", MSC_ATTR_U64, MSC_RA (region.private_bytes), 0 },
  [MSC_RA_PRIVATE_WS]     = { "PrivateWS", MSC_ATTR_U64, MSC_RA (region.private_ws), 0 },
  [MSC_RA_ID]             = { "Id", MSC_ATTR_U32, MSC_RA (region.heap_id), 0 },
  [MSC_RA_PROTECTION]     = { "Protection", MSC_ATTR_U32, MSC_RA (region.protection), 0 },
  [MSC_RA_STORAGE]        = { "Storage", MSC_ATTR_U32, MSC_RA (region.storage), 0 },
  [MSC_RA_USE_TYPE]       = { "UseType", MSC_ATTR_U32, MSC_RA (use_type), 0 },
  [MSC_RA_TYPE]           = { "Type", MSC_ATTR_TYPE, MSC_RA (type), 0 },
  [MSC_RA_DETAILS]        = { "Details", MSC_ATTR_BUFFER, MSC_RA (details), 0 },
  [MSC_RA_TOTAL_WS]       = { "TotalWS", MSC_ATTR_U64, MSC_RA (region.total_ws), 0 },
  [MSC_RA_LOCKED_WS]      = { "LockedWS", MSC_ATTR_U64, MSC_RA (region.locked_ws), 0 },
  [MSC_RA_THREAD_ID]      = { "ThreadId", MSC_ATTR_U32, MSC_RA (region.thread_id), 0 },
  [MSC_RA_PERMS]          = { "Perms", MSC_ATTR_PERMS, MSC_RA (region.perms), 0 },
  [MSC_RA_SWAP]           = { "Swap", MSC_ATTR_U64, MSC_RA (region.swap), 0 },
  [MSC_RA_PSS]            = { "Pss", MSC_ATTR_U64, MSC_RA (region.pss), 0 },
  [MSC_RA_WS_UNKNOWN]     = { "WSUnknown", MSC_ATTR_FLAG, MSC_RA (region.flags), MSC_REGION_WS_UNKNOWN },
  [MSC_RA_LOCKED_UNKNOWN] = { "LockedUnknown", MSC_ATTR_FLAG, MSC_RA (region.flags), MSC_REGION_LOCKED_UNKNOWN },
  [MSC_RA_PRIVATE_UNKNOWN] = { "PrivateUnknown", MSC_ATTR_FLAG, MSC_RA (region.flags), MSC_REGION_PRIVATE_UNKNOWN },
  [MSC_RA_NORESERVE]      = { "NoReserve", MSC_ATTR_FLAG, MSC_RA (region.flags), MSC_REGION_NORESERVE },
};

#define MSC_SA(field) ((guint16) offsetof (MscMmpSnapshotAttrs, field))

const MscMmpAttr msc_snapshot_attrs[MSC_N_SNAPSHOT_ATTRS] = {
  { "Timestamp", MSC_ATTR_U64, MSC_SA (timestamp), 0 },
  { "PageTableSize", MSC_ATTR_U64, MSC_SA (page_table_size), 0 },
  { "CommitCharge", MSC_ATTR_U64, MSC_SA (commit_charge), 0 },
  { "Threads", MSC_ATTR_U32, MSC_SA (n_threads), 0 },
  { "ProcessWorkingSet", MSC_ATTR_U64, MSC_SA (process_ws), 0 },
  { "Notes", MSC_ATTR_STRING, MSC_SA (notes), 0 },
};

#define MSC_PA(field) ((guint16) offsetof (MscMmpProcessAttrs, field))

const MscMmpAttr msc_process_attrs[MSC_N_PROCESS_ATTRS] = {
  { "Pid", MSC_ATTR_U32, MSC_PA (pid), 0 },
  { "Name", MSC_ATTR_STRING, MSC_PA (name), 0 },
  { "Bits", MSC_ATTR_U32, MSC_PA (bits), 0 },
  { "Os", MSC_ATTR_STRING, MSC_PA (os), 0 },
  { "User", MSC_ATTR_STRING, MSC_PA (user), 0 },
  { "CommandLine", MSC_ATTR_STRING, MSC_PA (command_line), 0 },
};

/* ---- errors ---- */

/* "file.mmp: line 7: message". approximate: the line is only known to be
 * near (see msc_mmp_set_node_error()). */
static G_GNUC_PRINTF (6, 0) void
msc_mmp_set_error_valist (MscMmpReader *r,
                          GError      **error,
                          MscMmpError   code,
                          int           line,
                          gboolean      approximate,
                          const char   *format,
                          va_list       args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  g_autofree char *where = NULL;

  if (line > 0)
    where = g_strdup_printf (approximate ? _("near line %d") : _("line %d"), line);

  if (r->input->display_name != NULL && where != NULL)
    g_set_error (error, MSC_MMP_ERROR, code, "%s: %s: %s", r->input->display_name, where, message);
  else if (r->input->display_name != NULL)
    g_set_error (error, MSC_MMP_ERROR, code, "%s: %s", r->input->display_name, message);
  else if (where != NULL)
    g_set_error (error, MSC_MMP_ERROR, code, "%s: %s", where, message);
  else
    g_set_error_literal (error, MSC_MMP_ERROR, code, message);
}

/* line: exact, or 0 when no line applies. */
void
msc_mmp_set_error (MscMmpReader *r,
                   GError      **error,
                   MscMmpError   code,
                   int           line,
                   const char   *format,
                   ...)
{
  va_list args;

  va_start (args, format);
  msc_mmp_set_error_valist (r, error, code, line, FALSE, format, args);
  va_end (args);
}

/* An error about the current node. libxml2 keeps node lines in 16 bits, so
 * past line 65534 only the parser's position is known, and the parser reads
 * ahead of the node by up to a chunk: that line is reported as "near". */
void
msc_mmp_set_node_error (MscMmpReader *r,
                        GError      **error,
                        MscMmpError   code,
                        const char   *format,
                        ...)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (r->reader);
  long line = node != NULL ? xmlGetLineNo (node) : -1;
  gboolean approximate = FALSE;
  va_list args;

  if (line <= 0 || line >= MSC_MMP_NODE_LINE_MAX)
    {
      line = xmlTextReaderGetParserLineNumber (r->reader);
      approximate = TRUE;
    }
  va_start (args, format);
  msc_mmp_set_error_valist (r, error, code, (int) line, approximate, format, args);
  va_end (args);
}

/* libxml2 words its safety limits for programmers ("use XML_PARSE_HUGE
 * option", "Huge input lookup"); say what they mean for the file instead
 * (NULL: not a limit). The limits stay: a capture comes nowhere near them. */
static char *
msc_mmp_explain_limit (const char *message)
{
  static const char *const too_long[] = { "XML_PARSE_HUGE", "Huge input lookup", "huge text node", "too long" };

  if (strstr (message, "Excessive depth") != NULL)
    return g_strdup (_("its elements are nested more than 256 deep (no capture is); "
                       "it is not opened, for safety"));
  for (gsize i = 0; i < G_N_ELEMENTS (too_long); i++)
    if (strstr (message, too_long[i]) != NULL)
      return g_strdup (_("it holds a name, value or text longer than any capture has (10 MB); "
                         "it is not opened, for safety"));
  return NULL;
}

void
msc_mmp_xml_error (void        *user,
                   MscXmlError *xml_error)
{
  MscMmpReader *r = user;
  gboolean fatal = xml_error->level == XML_ERR_FATAL;

  if (xml_error->level < XML_ERR_ERROR || r->xml_fatal || (r->xml_message != NULL && !fatal))
    return;
  g_free (r->xml_message);
  r->xml_message = msc_mmp_explain_limit (xml_error->message != NULL ? xml_error->message : "");
  r->xml_limit = r->xml_message != NULL;
  if (!r->xml_limit)
    r->xml_message = g_strchomp (g_strdup (xml_error->message != NULL ? xml_error->message : ""));
  r->xml_line = xml_error->line;
  r->xml_fatal = fatal;
}
/* ---- attributes ---- */

typedef enum {
  MSC_NUMBER_OK,
  MSC_NUMBER_MALFORMED,
  MSC_NUMBER_TOO_LARGE,
} MscNumberStatus;

/* Strict decimal: digits only (no sign, space or separator), at most max.
 * (Empty values never get here: they count as missing.) */
static MscNumberStatus
msc_mmp_parse_number (const char *text,
                      guint64     max,
                      guint64    *out)
{
  guint64 value = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      guint digit = (guint) (unsigned char) *p - '0';

      if (digit > 9)
        return MSC_NUMBER_MALFORMED;
      if (value > (max - digit) / 10)
        return MSC_NUMBER_TOO_LARGE;
      value = value * 10 + digit;
    }
  *out = value;
  return MSC_NUMBER_OK;
}

static gboolean
msc_mmp_number (MscMmpReader *r,
                const char   *element,
                const char   *name,
                const char   *value,
                guint64       max,
                guint64      *out,
                GError      **error)
{
  MscNumberStatus status = msc_mmp_parse_number (value, max, out);
  g_autofree char *quoted = NULL;

  if (G_LIKELY (status == MSC_NUMBER_OK))
    return TRUE;
  /* Quote the start only: the value may be megabytes long. */
  quoted = g_utf8_substring (value, 0, MIN (g_utf8_strlen (value, MSC_MMP_QUOTE_MAX * 4), MSC_MMP_QUOTE_MAX));
  if (status == MSC_NUMBER_TOO_LARGE)
    msc_mmp_set_node_error (r, error, MSC_MMP_ERROR_INVALID,
                            _("%s attribute %s=\"%s\" is too large"), element, name, quoted);
  else
    msc_mmp_set_node_error (r, error, MSC_MMP_ERROR_INVALID,
                            _("%s attribute %s=\"%s\" is not a decimal number"), element, name, quoted);
  return FALSE;
}

static gboolean
msc_mmp_store (MscMmpReader     *r,
               const char       *element,
               const MscMmpAttr *attr,
               gpointer          target,
               const char       *value,
               GError          **error)
{
  gpointer field = (char *) target + attr->offset;
  guint64 number;

  switch (attr->kind)
    {
    case MSC_ATTR_U64:
      return msc_mmp_number (r, element, attr->name, value, G_MAXUINT64, field, error);
    case MSC_ATTR_U32:
      if (!msc_mmp_number (r, element, attr->name, value, G_MAXUINT32, &number, error))
        return FALSE;
      *(guint32 *) field = (guint32) number;
      return TRUE;
    case MSC_ATTR_FLAG:
      if (!msc_mmp_number (r, element, attr->name, value, G_MAXUINT64, &number, error))
        return FALSE;
      if (number != 0)
        *(guint16 *) field |= attr->flag;
      return TRUE;
    case MSC_ATTR_STRING:
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      return TRUE;
    case MSC_ATTR_BUFFER:
      g_string_assign (*(GString **) field, value);
      return TRUE;
    case MSC_ATTR_PERMS:
      /* Text, not a number: a form we do not know means "not known". */
      *(guint8 *) field = msc_perms_from_string (value);
      return TRUE;
    case MSC_ATTR_TYPE:
      if (r->type_text == NULL || strcmp (r->type_text, value) != 0)
        {
          g_free (r->type_text);
          r->type_text = g_strdup (value);
          r->type.flags = 0;
          r->type.type = msc_use_type_from_string (value, &r->type.flags);
        }
      *(MscMmpTypeText *) field = r->type;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* Index of name in attrs (interned: the same names from the reader's
 * dictionary), trying hint first: files list attributes in the writer's
 * order, so that is nearly always the one. n_attrs when unknown. */
static guint
msc_mmp_find_attr (const MscMmpAttr     *attrs,
                   const xmlChar *const *interned,
                   guint                 n_attrs,
                   const xmlChar        *name,
                   guint                 hint)
{
  if (interned[hint] == name)
    return hint;
  for (guint k = 0; k < n_attrs; k++)
    {
      guint i = hint + k < n_attrs ? hint + k : hint + k - n_attrs;

      if (attrs[i].name[0] == (char) name[0] && strcmp (attrs[i].name, (const char *) name) == 0)
        return i;
    }
  return n_attrs;
}

/* Walks the current element's attributes into target; *present gets bit i
 * for each attrs[i] seen. Unknown and namespaced attributes are skipped.
 *
 * The attributes are read straight from the element node's property list
 * (xmlTextReaderCurrentNode(), valid until the next read): on a 130,000-region
 * capture xmlTextReaderMoveToNextAttribute() + ConstName/ConstValue cost
 * 20 ms more, a tenth of what the whole parse costs. Nothing is allocated. */
gboolean
msc_mmp_read_attrs (MscMmpReader         *r,
                    const char           *element,
                    const MscMmpAttr     *attrs,
                    const xmlChar *const *interned,
                    guint                 n_attrs,
                    gpointer              target,
                    guint32              *present,
                    GError              **error)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (r->reader);
  guint hint = 0;

  *present = 0;
  for (xmlAttrPtr attr = node != NULL ? node->properties : NULL; attr != NULL; attr = attr->next)
    {
      xmlNodePtr text = attr->children;
      const char *value = "";
      guint i;

      if (attr->ns != NULL || attr->name == NULL)
        continue;
      i = msc_mmp_find_attr (attrs, interned, n_attrs, attr->name, hint);
      if (i == n_attrs)
        continue;
      hint = i + 1 < n_attrs ? i + 1 : 0;
      /* Without entities (refused with the DOCTYPE) a value is one text
       * node, or none when empty. */
      if (text != NULL && (text->type != XML_TEXT_NODE || text->next != NULL))
        {
          msc_mmp_set_node_error (r, error, MSC_MMP_ERROR_UNSAFE,
                                  _("%s attribute %s uses an entity reference; the file is not opened, for safety"),
                                  element, attrs[i].name);
          return FALSE;
        }
      if (text != NULL && text->content != NULL)
        value = (const char *) text->content;
      /* An empty value is a missing one (VMMap leaves Blocks empty on
       * sub-blocks): ThreadId="" still comes from Details, TotalWS="" is
       * still PrivateWS + ShareableWS. */
      if (value[0] == '\0')
        continue;
      *present |= 1u << i;
      if (!msc_mmp_store (r, element, &attrs[i], target, value, error))
        return FALSE;
    }
  return TRUE;
}

void
msc_mmp_intern_names (MscMmpReader *r)
{
  MscMmpNames *names = &r->names;

#define MSC_INTERN(text) xmlTextReaderConstString (r->reader, (const xmlChar *) (text))
  names->region = MSC_INTERN ("Region");
  names->snapshot = MSC_INTERN ("Snapshot");
  names->process = MSC_INTERN ("Process");
  for (guint i = 0; i < G_N_ELEMENTS (msc_region_attrs); i++)
    names->region_attrs[i] = MSC_INTERN (msc_region_attrs[i].name);
  for (guint i = 0; i < G_N_ELEMENTS (msc_snapshot_attrs); i++)
    names->snapshot_attrs[i] = MSC_INTERN (msc_snapshot_attrs[i].name);
  for (guint i = 0; i < G_N_ELEMENTS (msc_process_attrs); i++)
    names->process_attrs[i] = MSC_INTERN (msc_process_attrs[i].name);
#undef MSC_INTERN
}
