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

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/xmlreader.h>

#include "model/core/msc-format.h"
#include "model/msc-mmp-reader.h"

G_DEFINE_QUARK (msc-mmp-error-quark, msc_mmp_error)

/* NONET: never fetch anything. NOBLANKS drops the whitespace between
 * elements (half the nodes of a capture), COMPACT keeps short texts inline.
 * Deliberately absent: NOENT, DTDLOAD, DTDATTR (no expansion, no external
 * DTD) and HUGE (libxml2's length and depth limits stay). */
#define MSC_MMP_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT)

/* Nodes between two looks at the GCancellable. */
#define MSC_MMP_CANCEL_INTERVAL 4096

/* libxml2 keeps line numbers of nodes in 16 bits. */
#define MSC_MMP_NODE_LINE_MAX 65535

/* stdio's buffer for the file: libxml2 asks for 4 KB at a time, and a
 * system call per 4 KB costs more than the copy. */
#define MSC_MMP_FILE_BUFFER (256 * 1024)

/* Longest piece of a bad value quoted back in an error message. */
#define MSC_MMP_QUOTE_MAX 40

#if LIBXML_VERSION >= 21200
typedef const xmlError MscXmlError;
#else
typedef xmlError MscXmlError;
#endif

/* ---- attribute tables ---- */

typedef enum {
  MSC_ATTR_U64,     /* guint64 */
  MSC_ATTR_U32,     /* guint32 */
  MSC_ATTR_FLAG,    /* a number; non-zero ORs flag into a guint16 */
  MSC_ATTR_STRING,  /* char *, replaced */
  MSC_ATTR_BUFFER,  /* GString *, assigned (no allocation once grown) */
  MSC_ATTR_PERMS,   /* guint8, "rw-p" text */
  MSC_ATTR_TYPE,    /* MscMmpTypeText, VMMap's Type text */
} MscAttrKind;

typedef struct {
  const char *name;
  MscAttrKind kind;
  guint16     offset;  /* into the element's target struct */
  guint16     flag;    /* MSC_ATTR_FLAG */
} MscMmpAttr;

typedef struct {
  int     type;   /* MscUseType, -1 when Type was absent or unknown */
  guint16 flags;  /* what Type implies: ASLR, shareable heap */
} MscMmpTypeText;

typedef struct {
  MscRegion      region;
  guint32        use_type;   /* VMMap's code */
  MscMmpTypeText type;
  GString       *details;
} MscMmpRegionAttrs;

typedef struct {
  guint64 timestamp;
  guint64 page_table_size;
  guint64 commit_charge;
  guint32 n_threads;
  char   *notes;
} MscMmpSnapshotAttrs;

typedef struct {
  guint32 pid;
  guint32 bits;
  char   *name;
  char   *user;
  char   *os;
  char   *command_line;
} MscMmpProcessAttrs;

/* Region attributes in the order our writer (and VMMap) writes them; the
 * indexes name the ones whose absence means something. */
enum {
  MSC_RA_ADDRESS, MSC_RA_BLOCKS, MSC_RA_SHAREABLE_WS, MSC_RA_SHARED_WS, MSC_RA_SIZE,
  MSC_RA_COMMIT, MSC_RA_PRIVATE_BYTES, MSC_RA_PRIVATE_WS, MSC_RA_ID, MSC_RA_PROTECTION,
  MSC_RA_STORAGE, MSC_RA_USE_TYPE, MSC_RA_TYPE, MSC_RA_DETAILS, MSC_RA_TOTAL_WS,
  MSC_RA_LOCKED_WS, MSC_RA_THREAD_ID, MSC_RA_PERMS, MSC_RA_SWAP, MSC_RA_PSS,
  MSC_RA_WS_UNKNOWN, MSC_RA_LOCKED_UNKNOWN, MSC_RA_NORESERVE,
  MSC_N_REGION_ATTRS
};

#define MSC_RA(field) ((guint16) offsetof (MscMmpRegionAttrs, field))

static const MscMmpAttr msc_region_attrs[MSC_N_REGION_ATTRS] = {
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
  [MSC_RA_NORESERVE]      = { "NoReserve", MSC_ATTR_FLAG, MSC_RA (region.flags), MSC_REGION_NORESERVE },
};

#define MSC_SA(field) ((guint16) offsetof (MscMmpSnapshotAttrs, field))

static const MscMmpAttr msc_snapshot_attrs[] = {
  { "Timestamp", MSC_ATTR_U64, MSC_SA (timestamp), 0 },
  { "PageTableSize", MSC_ATTR_U64, MSC_SA (page_table_size), 0 },
  { "CommitCharge", MSC_ATTR_U64, MSC_SA (commit_charge), 0 },
  { "Threads", MSC_ATTR_U32, MSC_SA (n_threads), 0 },
  { "Notes", MSC_ATTR_STRING, MSC_SA (notes), 0 },
};

#define MSC_PA(field) ((guint16) offsetof (MscMmpProcessAttrs, field))

static const MscMmpAttr msc_process_attrs[] = {
  { "Pid", MSC_ATTR_U32, MSC_PA (pid), 0 },
  { "Name", MSC_ATTR_STRING, MSC_PA (name), 0 },
  { "Bits", MSC_ATTR_U32, MSC_PA (bits), 0 },
  { "Os", MSC_ATTR_STRING, MSC_PA (os), 0 },
  { "User", MSC_ATTR_STRING, MSC_PA (user), 0 },
  { "CommandLine", MSC_ATTR_STRING, MSC_PA (command_line), 0 },
};

/* ---- reader state ---- */

/* A region waiting to be sorted (the file was not in address order). */
typedef struct {
  MscRegion   region;
  const char *details;  /* in MscMmpBuilder.strings */
  guint       seq;      /* file order, to keep the sort stable */
} MscMmpPending;

/* The snapshot being read. */
typedef struct {
  gboolean             open;
  MscMmpSnapshotAttrs  attrs;
  MscRegionTable      *table;     /* regions so far, while in address order */
  GArray              *pending;   /* MscMmpPending, once out of order */
  GStringChunk        *strings;
  guint64              last_address;
  gboolean             have_top;
  guint64              top_address;
  guint64              top_size;
} MscMmpBuilder;

/* The names we look for, interned in the reader's dictionary: libxml2
 * interns element and attribute names there too, so a pointer comparison
 * usually settles a match (strcmp() stays the fallback). */
typedef struct {
  const xmlChar *region;
  const xmlChar *snapshot;
  const xmlChar *process;
  const xmlChar *region_attrs[MSC_N_REGION_ATTRS];
  const xmlChar *snapshot_attrs[G_N_ELEMENTS (msc_snapshot_attrs)];
  const xmlChar *process_attrs[G_N_ELEMENTS (msc_process_attrs)];
} MscMmpNames;

typedef struct {
  xmlTextReaderPtr     reader;
  xmlDocPtr            doc;           /* only once asked for: ours to free */
  MscMmpNames          names;
  char                *display_name;  /* NULL when reading memory */
  GCancellable        *cancellable;

  /* Input: a file or a memory block. */
  FILE                *file;
  char                *file_buffer;
  int                  read_errno;
  const char          *data;
  gsize                length;
  gsize                offset;
  guint64              n_bytes;       /* delivered to libxml2 */

  /* libxml2's first complaint; a fatal one replaces an earlier non-fatal. */
  char                *xml_message;
  int                  xml_line;
  gboolean             xml_fatal;

  /* The last Type text seen and what it means: neighbours share it. */
  char                *type_text;
  MscMmpTypeText       type;

  gboolean             have_process;
  MscMmpProcessAttrs   process;
  MscMmpBuilder        builder;
  MscMmpRegionAttrs    region;
  GPtrArray           *snapshots;     /* MscSnapshot, file order */
  gsize                n_regions;
} MscMmpReader;

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

  if (r->display_name != NULL && where != NULL)
    g_set_error (error, MSC_MMP_ERROR, code, "%s: %s: %s", r->display_name, where, message);
  else if (r->display_name != NULL)
    g_set_error (error, MSC_MMP_ERROR, code, "%s: %s", r->display_name, message);
  else if (where != NULL)
    g_set_error (error, MSC_MMP_ERROR, code, "%s: %s", where, message);
  else
    g_set_error_literal (error, MSC_MMP_ERROR, code, message);
}

/* line: exact, or 0 when no line applies. */
static G_GNUC_PRINTF (5, 6) void
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
static G_GNUC_PRINTF (4, 5) void
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

static void
msc_mmp_xml_error (void        *user,
                   MscXmlError *xml_error)
{
  MscMmpReader *r = user;
  gboolean fatal = xml_error->level == XML_ERR_FATAL;

  if (xml_error->level < XML_ERR_ERROR || r->xml_fatal || (r->xml_message != NULL && !fatal))
    return;
  g_free (r->xml_message);
  r->xml_message = g_strchomp (g_strdup (xml_error->message != NULL ? xml_error->message : ""));
  r->xml_line = xml_error->line;
  r->xml_fatal = fatal;
}

/* ---- input ---- */

static int
msc_mmp_read_file_cb (void *user,
                      char *buffer,
                      int   len)
{
  MscMmpReader *r = user;
  size_t n = fread (buffer, 1, (size_t) len, r->file);

  if (n == 0 && ferror (r->file))
    {
      r->read_errno = errno != 0 ? errno : EIO;
      return -1;
    }
  r->n_bytes += n;
  return (int) n;
}

static int
msc_mmp_read_memory_cb (void *user,
                        char *buffer,
                        int   len)
{
  MscMmpReader *r = user;
  gsize n = MIN ((gsize) len, r->length - r->offset);

  memcpy (buffer, r->data + r->offset, n);
  r->offset += n;
  r->n_bytes += n;
  return (int) n;
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
static gboolean
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

static void
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

/* ---- snapshots ---- */

static void
msc_mmp_builder_clear (MscMmpBuilder *b)
{
  g_clear_pointer (&b->table, msc_region_table_free);
  g_clear_pointer (&b->pending, g_array_unref);
  g_clear_pointer (&b->strings, g_string_chunk_free);
  g_clear_pointer (&b->attrs.notes, g_free);
  memset (b, 0, sizeof *b);
}

static gboolean
msc_mmp_inside (guint64          top_address,
                guint64          top_size,
                const MscRegion *region)
{
  return region->address >= top_address
         && region->size <= top_size
         && region->address - top_address <= top_size - region->size;
}

/* docs/file-formats.md, after PerfView: a region lying inside the previous
 * top-level region is its sub-block, whatever the file's nesting said. */
static gboolean
msc_mmp_builder_place (MscMmpBuilder *b,
                       MscRegion     *region,
                       const char    *details)
{
  region->flags &= (guint16) ~MSC_REGION_SUBBLOCK;
  if (b->have_top && msc_mmp_inside (b->top_address, b->top_size, region))
    {
      region->flags |= MSC_REGION_SUBBLOCK;
      region->blocks = 0;
    }
  else
    {
      b->have_top = TRUE;
      b->top_address = region->address;
      b->top_size = region->size;
    }
  return msc_region_table_append (b->table, region, details) == 0;
}

/* The file went back in address order: move what the table holds into the
 * pending array, which is sorted when the snapshot ends. */
static void
msc_mmp_builder_spill (MscMmpBuilder *b)
{
  gsize n = msc_region_table_length (b->table);

  b->pending = g_array_sized_new (FALSE, FALSE, sizeof (MscMmpPending), (guint) n * 2 + 16);
  b->strings = g_string_chunk_new (4096);
  for (gsize i = 0; i < n; i++)
    {
      MscMmpPending p = {
        .region = *msc_region_table_get (b->table, i),
        .details = g_string_chunk_insert_const (b->strings, msc_region_table_details (b->table, i)),
        .seq = (guint) i,
      };

      g_array_append_val (b->pending, p);
    }
  g_clear_pointer (&b->table, msc_region_table_free);
}

static gint
msc_mmp_pending_compare (gconstpointer pa,
                         gconstpointer pb)
{
  const MscMmpPending *a = pa, *b = pb;

  /* Address order; at one address the larger region (the parent) first. */
  if (a->region.address != b->region.address)
    return a->region.address < b->region.address ? -1 : 1;
  if (a->region.size != b->region.size)
    return a->region.size > b->region.size ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static gboolean
msc_mmp_builder_add (MscMmpBuilder *b,
                     MscRegion     *region,
                     const char    *details)
{
  if (b->table != NULL && region->address < b->last_address)
    msc_mmp_builder_spill (b);
  b->last_address = region->address;
  if (b->pending == NULL)
    return msc_mmp_builder_place (b, region, details);

  {
    MscMmpPending p = {
      .region = *region,
      .details = g_string_chunk_insert_const (b->strings, details),
      .seq = b->pending->len,
    };

    g_array_append_val (b->pending, p);
  }
  return TRUE;
}

static gboolean
msc_mmp_too_many_regions (MscMmpReader *r,
                          GError      **error)
{
  msc_mmp_set_error (r, error, MSC_MMP_ERROR_INVALID, 0,
                     _("the snapshot has more regions than fit in memory"));
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
  b->table = msc_region_table_new ();
  if (b->table == NULL)
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
  MscSnapshot *snapshot;

  if (!b->open)
    return TRUE;
  if (b->pending != NULL)
    {
      g_array_sort (b->pending, msc_mmp_pending_compare);
      b->table = msc_region_table_new ();
      b->have_top = FALSE;
      for (guint i = 0; b->table != NULL && i < b->pending->len; i++)
        {
          MscMmpPending *p = &g_array_index (b->pending, MscMmpPending, i);

          if (!msc_mmp_builder_place (b, &p->region, p->details))
            {
              msc_mmp_builder_clear (b);
              return msc_mmp_too_many_regions (r, error);
            }
        }
    }
  if (b->table == NULL)
    {
      msc_mmp_builder_clear (b);
      return msc_mmp_too_many_regions (r, error);
    }
  snapshot = msc_snapshot_new (b->attrs.timestamp, b->attrs.page_table_size, g_steal_pointer (&b->table));
  msc_snapshot_set_commit_charge (snapshot, b->attrs.commit_charge);
  msc_snapshot_set_n_threads (snapshot, b->attrs.n_threads);
  msc_snapshot_set_notes (snapshot, b->attrs.notes);
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

/* "Thread ID: 812" in Details (VMMap's stacks) when ThreadId is absent. */
static guint32
msc_mmp_thread_id_from_details (const char *details)
{
  const char *p = strstr (details, "Thread ID: ");
  guint64 value = 0;

  if (p == NULL)
    return 0;
  for (p += strlen ("Thread ID: "); g_ascii_isdigit (*p) && value <= G_MAXUINT32; p++)
    value = value * 10 + (guint64) (*p - '0');
  return value <= G_MAXUINT32 ? (guint32) value : 0;
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
    region->thread_id = msc_mmp_thread_id_from_details (a->details->str);
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
  if (!msc_mmp_builder_add (&r->builder, &a->region, a->details->str))
    return msc_mmp_too_many_regions (r, error);
  r->n_regions++;
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
      if (++n_nodes % MSC_MMP_CANCEL_INTERVAL == 0 && g_cancellable_is_cancelled (r->cancellable))
        {
          msc_mmp_set_error (r, error, MSC_MMP_ERROR_CANCELLED, 0, _("loading was cancelled"));
          return FALSE;
        }
      if (!msc_mmp_node (r, error))
        return FALSE;
    }
  if (r->read_errno != 0)
    {
      msc_mmp_set_error (r, error, MSC_MMP_ERROR_OPEN, 0, _("could not read the file: %s"),
                         g_strerror (r->read_errno));
      return FALSE;
    }
  if (ret < 0 || r->xml_fatal)
    {
      if (!msc_mmp_check_doctype_after_error (r, error))
        return FALSE;
      /* libxml2 has no words for this ("Extra content at the end"). */
      if (r->n_bytes == 0)
        {
          msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED, 0, "%s", _("the file is empty"));
          return FALSE;
        }
      msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED,
                         r->xml_message != NULL ? MAX (r->xml_line, 1)
                                                : xmlTextReaderGetParserLineNumber (r->reader),
                         _("not well-formed XML: %s"),
                         r->xml_message != NULL ? r->xml_message : _("the document could not be parsed"));
      return FALSE;
    }
  return msc_mmp_builder_finish (r, error);
}

/* ---- the session ---- */

static MscProcess *
msc_mmp_make_process (MscMmpReader *r,
                      const char   *path)
{
  g_autofree char *name = NULL;
  MscProcess *process;

  if (r->have_process)
    {
      process = msc_process_new (r->process.pid, r->process.name, r->process.bits);
      msc_process_set_user (process, r->process.user);
      msc_process_set_os (process, r->process.os);
      msc_process_set_command_line (process, r->process.command_line);
      return process;
    }
  /* A VMMap file names no process (formats.md §2.7): the file name is the
   * best label there is. */
  if (path != NULL)
    {
      name = g_filename_display_basename (path);
      if (g_str_has_suffix (name, ".mmp") || g_str_has_suffix (name, ".MMP"))
        name[strlen (name) - 4] = '\0';
    }
  return msc_process_new (0, name, 0);
}

static MscSession *
msc_mmp_make_session (MscMmpReader *r,
                      const char   *path,
                      GError      **error)
{
  g_autoptr(MscProcess) process = NULL;
  MscSession *session;

  if (r->n_regions == 0)
    {
      msc_mmp_set_error (r, error, MSC_MMP_ERROR_NO_SNAPSHOT, 0,
                         _("the file holds no memory snapshot (no Region element)"));
      return NULL;
    }
  process = msc_mmp_make_process (r, path);
  session = msc_session_new (process);
  for (guint i = 0; i < r->snapshots->len; i++)
    msc_session_add_snapshot (session, g_ptr_array_index (r->snapshots, i));
  return session;
}

static void
msc_mmp_reader_clear (MscMmpReader *r)
{
  g_clear_pointer (&r->reader, xmlFreeTextReader);
  g_clear_pointer (&r->doc, xmlFreeDoc);
  g_clear_pointer (&r->display_name, g_free);
  g_clear_pointer (&r->xml_message, g_free);
  g_clear_pointer (&r->type_text, g_free);
  msc_mmp_process_attrs_clear (&r->process);
  msc_mmp_builder_clear (&r->builder);
  if (r->region.details != NULL)
    g_string_free (r->region.details, TRUE);
  g_clear_pointer (&r->snapshots, g_ptr_array_unref);
  if (r->file != NULL)
    fclose (r->file);
  g_free (r->file_buffer);
}

/* Reads through read_cb (r->file or r->data set up by the caller). */
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

static MscSession *
msc_mmp_read (MscMmpReader         *r,
              xmlInputReadCallback  read_cb,
              const char           *path,
              GError              **error)
{
  msc_mmp_init_libxml ();
  r->region.details = g_string_sized_new (256);
  r->snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  /* No URL: there is nothing a relative reference could legitimately need. */
  r->reader = xmlReaderForIO (read_cb, NULL, r, NULL, NULL, MSC_MMP_XML_OPTIONS);
  if (r->reader == NULL)
    {
      if (r->read_errno != 0)
        msc_mmp_set_error (r, error, MSC_MMP_ERROR_OPEN, 0, _("could not read the file: %s"),
                           g_strerror (r->read_errno));
      else
        msc_mmp_set_error (r, error, MSC_MMP_ERROR_MALFORMED, 0, "%s",
                           _("the document could not be parsed"));
      return NULL;
    }
  xmlTextReaderSetStructuredErrorHandler (r->reader, msc_mmp_xml_error, r);
  msc_mmp_intern_names (r);
  if (!msc_mmp_parse (r, error))
    return NULL;
  return msc_mmp_make_session (r, path, error);
}

/* Opens path for reading, or explains why not in the words of the OS. */
static FILE *
msc_mmp_open (const char *path,
              const char *display_name,
              GError    **error)
{
  GStatBuf st;
  FILE *file;
  int saved;

  /* fopen() accepts a directory on some systems; say what it is. */
  saved = g_stat (path, &st) != 0 ? errno : g_file_test (path, G_FILE_TEST_IS_DIR) ? EISDIR : 0;
  if (saved != 0)
    {
      g_set_error (error, MSC_MMP_ERROR, MSC_MMP_ERROR_OPEN, _("could not open %s: %s"),
                   display_name, g_strerror (saved));
      return NULL;
    }
  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      saved = errno;
      g_set_error (error, MSC_MMP_ERROR, MSC_MMP_ERROR_OPEN, _("could not open %s: %s"),
                   display_name, g_strerror (saved));
    }
  return file;
}

/**
 * msc_mmp_read_file:
 * @path: a .mmp file (any VMMap-shaped XML: UTF-8 or UTF-16 with BOM)
 * @cancellable: (nullable): checked every few thousand XML nodes
 * @error: a #MSC_MMP_ERROR naming the file and, where it applies, the line
 *
 * Returns: (transfer full) (nullable): a session with every snapshot of the
 *   file in time order, or NULL with @error set
 */
MscSession *
msc_mmp_read_file (const char    *path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  MscMmpReader r = { 0 };
  MscSession *session = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  r.display_name = g_filename_display_name (path);
  r.cancellable = cancellable;
  r.file = msc_mmp_open (path, r.display_name, error);
  if (r.file != NULL)
    {
      r.file_buffer = g_malloc (MSC_MMP_FILE_BUFFER);
      setvbuf (r.file, r.file_buffer, _IOFBF, MSC_MMP_FILE_BUFFER);
      session = msc_mmp_read (&r, msc_mmp_read_file_cb, path, error);
    }
  msc_mmp_reader_clear (&r);
  return session;
}

/**
 * msc_mmp_read_memory:
 * @data: (array length=length): the file's bytes
 * @error: a #MSC_MMP_ERROR naming the line where it applies
 *
 * Returns: (transfer full) (nullable): as msc_mmp_read_file(); the process
 *   is unnamed when the data has no Process element
 */
MscSession *
msc_mmp_read_memory (const char  *data,
                     gsize        length,
                     GError     **error)
{
  MscMmpReader r = { 0 };
  MscSession *session;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  r.data = data;
  r.length = length;
  session = msc_mmp_read (&r, msc_mmp_read_memory_cb, NULL, error);
  msc_mmp_reader_clear (&r);
  return session;
}
