/* msc-strings.h — the Strings extractor: every ASCII and UTF-16LE run of at
 * least N printable characters in a stream of memory pieces.
 *
 * "Printable" is GNU strings' definition (binutils strings.c
 * STRING_ISGRAPHIC in its default 7-bit mode): 0x20–0x7e and tab; a
 * UTF-16LE character is such a byte followed by a zero byte (strings -el).
 * Runs are found in both byte alignments, so the counts equal `strings -a
 * -n N` and `strings -a -n N -el` over the same bytes.
 *
 * Pieces whose address continues the previous piece are one stream: a
 * string may cross between them.  Results come in batches, in address
 * order; the extractor never holds more than one batch and the few
 * characters of runs still open at the end of a piece.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MSC_STRING_ASCII = 0,
  MSC_STRING_UTF16LE,
} MscStringEncoding;

/* Characters kept of one string; a longer run is cut (its length says how
 * long it really is). */
#define MSC_STRINGS_MAX_TEXT 1024
#define MSC_STRINGS_DEFAULT_MIN_LENGTH 3

typedef struct {
  guint64 address;          /* of the first character */
  guint32 length;           /* characters (bytes: × 2 for UTF-16LE) */
  guint8 encoding;          /* MscStringEncoding */
  const char *text;         /* ASCII, NUL-terminated, at most MSC_STRINGS_MAX_TEXT chars */
} MscStringHit;

/* An immutable, reference-counted batch of hits (safe to pass between
 * threads). */
typedef struct _MscStringsBatch MscStringsBatch;

#define MSC_TYPE_STRINGS_BATCH (msc_strings_batch_get_type ())
GType                msc_strings_batch_get_type   (void) G_GNUC_CONST;
MscStringsBatch     *msc_strings_batch_ref        (MscStringsBatch *batch);
void                 msc_strings_batch_unref      (MscStringsBatch *batch);
guint                msc_strings_batch_get_length (MscStringsBatch *batch);
const MscStringHit  *msc_strings_batch_get_hits   (MscStringsBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscStringsBatch, msc_strings_batch_unref)

/* Called with each full batch (transfer none: ref it to keep it). */
typedef void (*MscStringsFunc) (MscStringsBatch *batch, gpointer user_data);

typedef struct _MscStrings MscStrings;

const char *msc_string_encoding_to_string (MscStringEncoding encoding); /* "ascii", "utf-16le" */

MscStrings *msc_strings_new           (guint           min_length,
                                       MscStringsFunc  func,
                                       gpointer        user_data);
/* Scans one piece of memory at address. */
void        msc_strings_feed          (MscStrings     *self,
                                       guint64         address,
                                       const guint8   *data,
                                       gsize           size);
/* Hands over the hits found so far (strings still open at the end of the
 * last piece stay open). */
void        msc_strings_flush         (MscStrings     *self);
/* Ends the stream: closes open strings and hands over the last batch. */
void        msc_strings_finish        (MscStrings     *self);
guint64     msc_strings_get_n_found   (MscStrings     *self);
/* Of those, the ones handed over in batches with this encoding. */
guint64     msc_strings_get_n_encoded (MscStrings        *self,
                                       MscStringEncoding  encoding);
void        msc_strings_free          (MscStrings     *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscStrings, msc_strings_free)

G_END_DECLS
