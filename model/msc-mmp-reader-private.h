/* msc-mmp-reader-private.h — the .mmp reader's state, shared by
 * msc-mmp-reader.c (input and elements) and msc-mmp-attrs.c (attribute
 * tables, value parsing, error messages). Not installed, not API. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>

#include "model/msc-loader-private.h"
#include "model/msc-mmp-reader.h"
#include "model/msc-region-builder.h"
#include "model/msc-region-queue.h"
#include "model/msc-xml-element.h"

G_BEGIN_DECLS

/* NONET: never fetch anything. NOBLANKS drops the whitespace between
 * elements (half the nodes of a capture), COMPACT keeps short texts inline.
 * Deliberately absent: NOENT, DTDLOAD, DTDATTR (no expansion, no external
 * DTD) and HUGE (libxml2's length and depth limits stay). */
#define MSC_MMP_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT)

#if LIBXML_VERSION >= 21200
typedef const xmlError MscXmlError;
#else
typedef xmlError MscXmlError;
#endif

/* libxml2's own limit where it builds a tree (xmlParserMaxDepth). */
#define MSC_MMP_MAX_DEPTH 256

/* Elements between two looks at the GCancellable. */
#define MSC_MMP_CANCEL_INTERVAL 4096

/* Longest piece of a bad value quoted back in an error message. */
#define MSC_MMP_QUOTE_MAX 40

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
  guint64 process_ws;
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
  MSC_RA_WS_UNKNOWN, MSC_RA_LOCKED_UNKNOWN, MSC_RA_PRIVATE_UNKNOWN, MSC_RA_NORESERVE,
  MSC_N_REGION_ATTRS
};

#define MSC_N_SNAPSHOT_ATTRS 6
#define MSC_N_PROCESS_ATTRS 6

extern const MscMmpAttr msc_region_attrs[MSC_N_REGION_ATTRS];
extern const MscMmpAttr msc_snapshot_attrs[MSC_N_SNAPSHOT_ATTRS];
extern const MscMmpAttr msc_process_attrs[MSC_N_PROCESS_ATTRS];

/* ---- reader state ---- */

/* The snapshot being read. */
typedef struct {
  gboolean             open;
  MscMmpSnapshotAttrs  attrs;
  MscRegionBuilder    *regions;
} MscMmpBuilder;

/* The names we look for, interned in the parser's dictionary: libxml2
 * interns element and attribute names there too, so a pointer comparison
 * usually settles a match (strcmp() stays the fallback). */
typedef struct {
  const xmlChar *region;
  const xmlChar *snapshot;
  const xmlChar *process;
  const xmlChar *region_attrs[MSC_N_REGION_ATTRS];
  const xmlChar *snapshot_attrs[MSC_N_SNAPSHOT_ATTRS];
  const xmlChar *process_attrs[MSC_N_PROCESS_ATTRS];
} MscMmpNames;

/* An element whose content is its text (TraceEvents, SnapshotDelta): its
 * attributes, copied at its start, and the text gathered until its end (a
 * delta's goes to msc-mmp-delta.c as it comes). */
typedef struct {
  guint      depth;       /* 0: not inside one */
  gboolean   delta;       /* a SnapshotDelta */
  char      *name;
  GPtrArray *strings;     /* the attributes' names and values */
  GPtrArray *attributes;  /* SAX2 five-pointer form, into strings */
  GString   *text;
  int        line;
} MscMmpTextElement;

typedef struct {
  xmlParserCtxtPtr     ctxt;
  MscMmpNames          names;
  MscLoaderInput      *input;         /* display_name, cancellable, the bytes */
  guint                entity_state;  /* how much of "<!ENTITY" the bytes ended on */
  gboolean             entity_declared;
  GError              *error;         /* ours, from a callback; the parser is stopped */
  guint                n_elements;
  guint                depth;

  /* The element being handled: SAX2's attributes, five pointers each. */
  const xmlChar      **attributes;
  int                  n_attributes;
  GString             *scratch;       /* a value that had to be decoded */
  MscMmpTextElement    text;

  /* libxml2's first complaint; a fatal one replaces an earlier non-fatal. */
  char                *xml_message;
  int                  xml_line;
  gboolean             xml_fatal;
  gboolean             xml_limit;     /* the complaint is one of libxml2's safety limits */

  /* The last Type text seen and what it means: neighbours share it. */
  char                *type_text;
  MscMmpTypeText       type;

  gboolean             have_process;
  MscMmpProcessAttrs   process;
  MscMmpBuilder        builder;
  MscRegionQueue      *queue;         /* to builder.regions, on a worker */
  MscMmpRegionAttrs    region;
  GPtrArray           *snapshots;     /* MscSnapshot, file order */
  MscTrace            *trace;         /* from a <Trace> element, else NULL */
  gboolean             trace_damaged; /* the file ended or broke inside it */
  gsize                n_regions;
  struct _MscMmpDelta *delta;         /* SnapshotDelta elements (msc-mmp-delta.c) */
} MscMmpReader;

/* msc-mmp-reader.c */
gboolean msc_mmp_builder_finish (MscMmpReader *r,
                                 GError      **error);
gboolean msc_mmp_trace_element  (MscMmpReader        *r,
                                 const MscXmlElement *element,
                                 GError             **error);

/* msc-mmp-text.c */
void     msc_mmp_text_clear     (MscMmpTextElement *t);
void     msc_mmp_text_start     (MscMmpReader  *r,
                                 const xmlChar *name,
                                 gboolean       delta);
void     msc_mmp_text_append    (MscMmpReader *r,
                                 const char   *text,
                                 gsize         len);
gboolean msc_mmp_text_end       (MscMmpReader *r,
                                 GError      **error);
/* The document broke inside the element: a delta is lost, and says so. */
void     msc_mmp_text_broken    (MscMmpReader *r);

/* msc-mmp-attrs.c */
void     msc_mmp_set_error      (MscMmpReader *r,
                                 GError      **error,
                                 MscMmpError   code,
                                 int           line,
                                 const char   *format,
                                 ...) G_GNUC_PRINTF (5, 6);
void     msc_mmp_set_node_error (MscMmpReader *r,
                                 GError      **error,
                                 MscMmpError   code,
                                 const char   *format,
                                 ...) G_GNUC_PRINTF (4, 5);
void     msc_mmp_xml_error      (void         *user,
                                 MscXmlError  *xml_error);
gboolean msc_mmp_read_attrs     (MscMmpReader         *r,
                                 const char           *element,
                                 const MscMmpAttr     *attrs,
                                 const xmlChar *const *interned,
                                 guint                 n_attrs,
                                 gpointer              target,
                                 guint32              *present,
                                 GError              **error);
void     msc_mmp_intern_names   (MscMmpReader *r);
const char *msc_mmp_too_deep    (void);

G_END_DECLS
