/* msc-output.h — internal to model/core: the buffered output the writers
 * share, and the number/text encoders they format with.
 *
 * The writers format straight into one large buffer and hand it to fwrite in
 * big chunks: a 130,000-region .mmp must be written in a fraction of the time
 * libxml2 takes to read it, which per-attribute fprintf calls cannot do.
 * After the first failed write every call is a no-op; msc_output_finish()
 * reports the failure.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backends/backend.h"

/* Start of the message a failed write leaves in MscOutput.error. */
#define MSC_OUTPUT_WRITE_FAILED "write failed: "

/* Room every region line's fixed part fits in (attribute names + numbers). */
#define MSC_OUTPUT_LINE_MAX 1024

typedef struct {
  FILE      *file;
  char      *buf;
  size_t     len;
  size_t     cap;
  int        failed;
  MscStatus  error;   /* valid once failed */
  /* Past one buffer, a second thread writes the full one while the next is
   * formatted (msc_backend_relay_*); it owns file, spare and the fields
   * below between a job's start and the next wait. */
  MscRelay  *relay;
  int        relay_tried;
  char      *spare;     /* the buffer the thread writes or last wrote */
  size_t     spare_len;
  int        spare_errno; /* the thread's first failure, 0 if none */
  size_t     unsynced; /* bytes handed to the file since the last write-behind */
} MscOutput;

/* How msc_output_text() treats the bytes of a string. Whatever the mode,
 * bytes that are not valid UTF-8 become U+FFFD (one per maximal invalid
 * subsequence, as Unicode recommends). */
typedef enum {
  MSC_TEXT_XML,   /* & < > " escaped, tab/LF/CR as character references,
                   * other characters XML 1.0 forbids → U+FFFD */
  MSC_TEXT_CSV,   /* " doubled; controls escaped as msc_text_escape() does
                   * (one row per line, and as --text and the GUI show them) */
  MSC_TEXT_PLAIN, /* controls escaped as msc_text_escape() does */
} MscTextMode;

MscStatusCode msc_output_init   (MscOutput *out, FILE *file, MscStatus *status);
/* Flushes the buffer and the FILE; frees the buffer. Returns MSC_OK or the
 * first failure (copied into status). */
MscStatusCode msc_output_finish (MscOutput *out, MscStatus *status);

/* Makes room for n bytes (n <= MSC_OUTPUT_LINE_MAX) and returns where they
 * go, or NULL after a write failure. Pair with msc_output_commit(). */
char *msc_output_reserve_slow (MscOutput *out, size_t n);

static inline char *
msc_output_reserve (MscOutput *out, size_t n)
{
  if (out->cap - out->len >= n && !out->failed)
    return out->buf + out->len;
  return msc_output_reserve_slow (out, n);
}

static inline void
msc_output_commit (MscOutput *out, char *end)
{
  out->len = (size_t) (end - out->buf);
}

void msc_output_write (MscOutput *out, const char *data, size_t n);
void msc_output_str   (MscOutput *out, const char *s);
void msc_output_text  (MscOutput *out, const char *s, MscTextMode mode);

/* ---- encoders: write into p (no NUL), return the end ---- */

/* Decimal digits: at most 20 bytes. */
char *msc_put_u64 (char *p, uint64_t value);
/* KB with ',' separators, rounded as msc_format_kb (22 bytes at most);
 * writes nothing for zero when blank_zero. */
char *msc_put_kb (char *p, uint64_t bytes, int blank_zero);
/* Upper-case hex zero-padded to at least digits (1..16). */
char *msc_put_hex (char *p, uint64_t value, int digits);

static inline char *
msc_put_bytes (char *p, const char *s, size_t n)
{
  memcpy (p, s, n);
  return p + n;
}

/* A string literal: its length is known at compile time. */
#define MSC_PUT_LIT(p, lit) msc_put_bytes ((p), (lit), sizeof (lit) - 1)

/* KB value rounded as VMMap shows it. */
static inline uint64_t
msc_bytes_to_kb (uint64_t bytes)
{
  return bytes / 1024 + ((bytes % 1024) >= 512);
}

/* ASCII case-insensitive equality (strcasecmp is POSIX, not ISO C). */
int msc_ascii_equal (const char *a, const char *b);

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is invalid;
 * *skip receives how many bytes to replace with one U+FFFD (>= 1). */
size_t msc_utf8_sequence (const unsigned char *p, size_t *skip);
