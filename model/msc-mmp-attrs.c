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

/* "file.mmp: line 7: message" */
static G_GNUC_PRINTF (5, 0) void
msc_mmp_set_error_valist (MscMmpReader *r,
                          GError      **error,
                          MscMmpError   code,
                          int           line,
                          const char   *format,
                          va_list       args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  g_autofree char *where = NULL;

  if (line > 0)
    where = g_strdup_printf (_("line %d"), line);

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
  msc_mmp_set_error_valist (r, error, code, line, format, args);
  va_end (args);
}

/* An error about the element being handled: the parser has just read its
 * start tag, so its line is the tag's (the last line of it). */
void
msc_mmp_set_node_error (MscMmpReader *r,
                        GError      **error,
                        MscMmpError   code,
                        const char   *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  msc_mmp_set_error_valist (r, error, code, xmlSAX2GetLineNumber (r->ctxt), format, args);
  va_end (args);
}

/* libxml2 limits nesting only where it builds a tree; the SAX reader
 * keeps the same limit (MSC_MMP_MAX_DEPTH) itself. */
const char *
msc_mmp_too_deep (void)
{
  return _("its elements are nested more than 256 deep (no capture is); it is not opened, for safety");
}

/* libxml2 words its safety limits for programmers ("use XML_PARSE_HUGE
 * option", "Huge input lookup"); say what they mean for the file instead
 * (NULL: not a limit). The limits stay: a capture comes nowhere near them. */
static char *
msc_mmp_explain_limit (const char *message)
{
  static const char *const too_long[] = { "XML_PARSE_HUGE", "Huge input lookup", "huge text node", "too long" };

  if (strstr (message, "Excessive depth") != NULL)
    return g_strdup (msc_mmp_too_deep ());
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
                      gsize       len,
                      guint64     max,
                      guint64    *out)
{
  guint64 value = 0;

  for (const char *p = text; p < text + len; p++)
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
                gsize         len,
                guint64       max,
                guint64      *out,
                GError      **error)
{
  MscNumberStatus status = msc_mmp_parse_number (value, len, max, out);
  g_autofree char *start = NULL;
  g_autofree char *quoted = NULL;

  if (G_LIKELY (status == MSC_NUMBER_OK))
    return TRUE;
  /* Quote the start only: the value may be megabytes long. */
  start = g_strndup (value, MIN (len, MSC_MMP_QUOTE_MAX * 4));
  quoted = g_utf8_substring (start, 0, MIN (g_utf8_strlen (start, -1), MSC_MMP_QUOTE_MAX));
  if (status == MSC_NUMBER_TOO_LARGE)
    msc_mmp_set_node_error (r, error, MSC_MMP_ERROR_INVALID,
                            _("%s attribute %s=\"%s\" is too large"), element, name, quoted);
  else
    msc_mmp_set_node_error (r, error, MSC_MMP_ERROR_INVALID,
                            _("%s attribute %s=\"%s\" is not a decimal number"), element, name, quoted);
  return FALSE;
}

/* Type texts repeat from region to region: the last one's meaning is kept. */
static void
msc_mmp_type_text (MscMmpReader   *r,
                   const char     *value,
                   gsize           len,
                   MscMmpTypeText *out)
{
  if (r->type_text == NULL || strlen (r->type_text) != len || memcmp (r->type_text, value, len) != 0)
    {
      g_free (r->type_text);
      r->type_text = g_strndup (value, len);
      r->type.flags = 0;
      r->type.type = msc_use_type_from_string (r->type_text, &r->type.flags);
    }
  *out = r->type;
}

/* value is len bytes, not NUL-terminated (SAX2 hands it so). */
static gboolean
msc_mmp_store (MscMmpReader     *r,
               const char       *element,
               const MscMmpAttr *attr,
               gpointer          target,
               const char       *value,
               gsize             len,
               GError          **error)
{
  gpointer field = (char *) target + attr->offset;
  guint64 number;

  switch (attr->kind)
    {
    case MSC_ATTR_U64:
      return msc_mmp_number (r, element, attr->name, value, len, G_MAXUINT64, field, error);
    case MSC_ATTR_U32:
      if (!msc_mmp_number (r, element, attr->name, value, len, G_MAXUINT32, &number, error))
        return FALSE;
      *(guint32 *) field = (guint32) number;
      return TRUE;
    case MSC_ATTR_FLAG:
      if (!msc_mmp_number (r, element, attr->name, value, len, G_MAXUINT64, &number, error))
        return FALSE;
      if (number != 0)
        *(guint16 *) field |= attr->flag;
      return TRUE;
    case MSC_ATTR_STRING:
      g_free (*(char **) field);
      *(char **) field = g_strndup (value, len);
      return TRUE;
    case MSC_ATTR_BUFFER:
      g_string_truncate (*(GString **) field, 0);
      g_string_append_len (*(GString **) field, value, (gssize) len);
      return TRUE;
    case MSC_ATTR_PERMS:
      {
        /* Text, not a number: a form we do not know means "not known". */
        char text[8] = "";

        if (len < sizeof text)
          {
            memcpy (text, value, len);
            text[len] = '\0';
          }
        *(guint8 *) field = msc_perms_from_string (text);
        return TRUE;
      }
    case MSC_ATTR_TYPE:
      msc_mmp_type_text (r, value, len, field);
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
 * They are SAX2's (name, prefix, URI, value, end) pointers, so nothing is
 * allocated and nothing copied but strings kept. */
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
  guint hint = 0;

  *present = 0;
  for (int k = 0; k < r->n_attributes; k++)
    {
      const xmlChar **attr = r->attributes + 5 * k;
      const char *value;
      gsize len;
      guint i;

      if (attr[1] != NULL)
        continue;
      i = msc_mmp_find_attr (attrs, interned, n_attrs, attr[0], hint);
      if (i == n_attrs)
        continue;
      hint = i + 1 < n_attrs ? i + 1 : 0;
      /* A number needs no decoding: an '&' in it makes it no number. */
      if (attrs[i].kind == MSC_ATTR_U64 || attrs[i].kind == MSC_ATTR_U32 || attrs[i].kind == MSC_ATTR_FLAG)
        {
          value = (const char *) attr[3];
          len = (gsize) (attr[4] - attr[3]);
        }
      else
        value = msc_xml_attr_value (attr, r->scratch, &len);
      /* An empty value is a missing one (VMMap leaves Blocks empty on
       * sub-blocks): ThreadId="" still comes from Details, TotalWS="" is
       * still PrivateWS + ShareableWS. */
      if (len == 0)
        continue;
      *present |= 1u << i;
      if (!msc_mmp_store (r, element, &attrs[i], target, value, len, error))
        return FALSE;
    }
  return TRUE;
}

void
msc_mmp_intern_names (MscMmpReader *r)
{
  MscMmpNames *names = &r->names;

#define MSC_INTERN(text) xmlDictLookup (r->ctxt->dict, (const xmlChar *) (text), -1)
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
