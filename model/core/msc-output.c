/* msc-output.c — buffered output and encoders shared by the writers. */
#include "model/core/msc-output.h"

#include "model/core/msc-format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Big enough that fwrite hands the kernel large chunks; small enough to be
 * harmless for a one-screen summary. */
#define MSC_OUTPUT_BUFFER_SIZE (256 * 1024)

static const char msc_digit_pairs[201] =
  "00010203040506070809"
  "10111213141516171819"
  "20212223242526272829"
  "30313233343536373839"
  "40414243444546474849"
  "50515253545556575859"
  "60616263646566676869"
  "70717273747576777879"
  "80818283848586878889"
  "90919293949596979899";

static const char msc_replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

MscStatusCode
msc_output_init (MscOutput *out, FILE *file, MscStatus *status)
{
  memset (out, 0, sizeof *out);
  out->file = file;
  out->buf = malloc (MSC_OUTPUT_BUFFER_SIZE);
  if (out->buf == NULL)
    return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
  out->cap = MSC_OUTPUT_BUFFER_SIZE;
  return MSC_OK;
}

static void
msc_output_fail_with (MscOutput *out, int err)
{
  if (out->failed)
    return;
  out->failed = 1;
  msc_status_set (&out->error, MSC_ERR_IO, MSC_OUTPUT_WRITE_FAILED "%s",
                  err != 0 ? strerror (err) : "I/O error");
}

/* Bytes between two write-behind hints. */
#define MSC_OUTPUT_WRITE_BEHIND (4u << 20)

/* Hands data to the file; returns 0 or the failure's errno (ISO C does not
 * promise errno from stdio; POSIX and the Windows CRT set it). Runs on the
 * relay's thread when there is one. */
static int
msc_output_put (MscOutput *out, const char *data, size_t n)
{
  errno = 0;
  if (n > 0 && fwrite (data, 1, n, out->file) != n)
    return errno != 0 ? errno : EIO;
  out->unsynced += n;
  /* The disk writes what is done while the rest is formatted: the final
   * sync of a save then waits for a little, not for all of it. */
  if (out->unsynced >= MSC_OUTPUT_WRITE_BEHIND)
    {
      msc_backend_write_behind (out->file);
      out->unsynced = 0;
    }
  return 0;
}

static void
msc_output_job (void *data)
{
  MscOutput *out = data;

  out->spare_errno = msc_output_put (out, out->spare, out->spare_len);
}

/* Until the thread has written what it was given; its failure is ours. */
static void
msc_output_settle (MscOutput *out)
{
  if (out->relay == NULL)
    return;
  msc_backend_relay_wait (out->relay);
  if (out->spare_errno != 0)
    msc_output_fail_with (out, out->spare_errno);
}

/* The relay, once the output outgrows its buffer (small ones never start
 * a thread). Without one, writes are made in line. */
static void
msc_output_start_relay (MscOutput *out)
{
  out->relay_tried = 1;
  out->spare = malloc (out->cap);
  if (out->spare != NULL && (out->relay = msc_backend_relay_new ()) == NULL)
    {
      free (out->spare);
      out->spare = NULL;
    }
}

static void
msc_output_raw (MscOutput *out, const char *data, size_t n)
{
  int err;

  msc_output_settle (out);
  if (out->failed || n == 0)
    return;
  if ((err = msc_output_put (out, data, n)) != 0)
    msc_output_fail_with (out, err);
}

/* Empties the buffer in every case: callers append at once, and once the
 * output has failed what it held is dropped (the document is lost anyway). */
static void
msc_output_flush (MscOutput *out)
{
  char *full = out->buf;
  size_t n = out->len;

  out->len = 0;
  if (n == 0 || out->failed)
    return;
  if (!out->relay_tried)
    msc_output_start_relay (out);
  if (out->relay == NULL)
    {
      msc_output_raw (out, full, n);
      return;
    }
  /* The thread's failure, found here, drops this buffer too. */
  msc_output_settle (out);
  if (out->failed)
    return;
  out->buf = out->spare;
  out->spare = full;
  out->spare_len = n;
  msc_backend_relay_run (out->relay, msc_output_job, out);
}

char *
msc_output_reserve_slow (MscOutput *out, size_t n)
{
  if (out->failed)
    return NULL;
  msc_output_flush (out);
  if (out->failed || n > out->cap)
    return NULL;
  return out->buf;
}

void
msc_output_write (MscOutput *out, const char *data, size_t n)
{
  if (out->failed)
    return;
  if (out->cap - out->len < n)
    {
      msc_output_flush (out);
      if (n >= out->cap)
        {
          msc_output_raw (out, data, n);
          return;
        }
    }
  memcpy (out->buf + out->len, data, n);
  out->len += n;
}

void
msc_output_str (MscOutput *out, const char *s)
{
  msc_output_write (out, s, strlen (s));
}

MscStatusCode
msc_output_finish (MscOutput *out, MscStatus *status)
{
  /* The last buffer in line: nothing is left to overlap it with. */
  msc_output_raw (out, out->buf, out->len);
  out->len = 0;
  msc_backend_relay_free (out->relay);
  out->relay = NULL;
  if (!out->failed)
    {
      errno = 0;
      if (fflush (out->file) != 0 || ferror (out->file))
        msc_output_fail_with (out, errno);
    }
  free (out->buf);
  free (out->spare);
  out->buf = out->spare = NULL;
  out->cap = out->len = 0;
  if (out->failed)
    return msc_status_set (status, out->error.code, "%s", out->error.message);
  return MSC_OK;
}

/* ---- encoders ---- */

/* Decimal digits of value (1..20). */
static unsigned
msc_digit_count (uint64_t value)
{
  unsigned n = 1;

  for (; value >= 10000; value /= 10000)
    n += 4;
  if (value >= 100)
    {
      n += 2;
      value /= 100;
    }
  return value >= 10 ? n + 1 : n;
}

char *
msc_put_u64 (char *p, uint64_t value)
{
  /* Written backwards in place from a counted end: a copy of variable
   * length here was a tenth of a capture's formatting time. */
  char *end = p + msc_digit_count (value);
  char *q = end;

  while (value >= 100)
    {
      unsigned pair = (unsigned) (value % 100);

      value /= 100;
      q -= 2;
      q[0] = msc_digit_pairs[2 * pair];
      q[1] = msc_digit_pairs[2 * pair + 1];
    }
  if (value >= 10)
    {
      q[-2] = msc_digit_pairs[2 * value];
      q[-1] = msc_digit_pairs[2 * value + 1];
    }
  else
    q[-1] = (char) ('0' + value);
  return end;
}

char *
msc_put_kb (char *p, uint64_t bytes, int blank_zero)
{
  uint64_t kb = msc_bytes_to_kb (bytes);
  char digits[20];
  size_t n, first;

  if (kb == 0 && blank_zero)
    return p;
  n = (size_t) (msc_put_u64 (digits, kb) - digits);
  /* Leading group of 1-3 digits, then ",ddd" groups. */
  first = n % 3 == 0 ? 3 : n % 3;
  p = msc_put_bytes (p, digits, first);
  for (size_t i = first; i < n; i += 3)
    {
      *p++ = ',';
      p = msc_put_bytes (p, digits + i, 3);
    }
  return p;
}

char *
msc_put_hex (char *p, uint64_t value, int digits)
{
  static const char hex[] = "0123456789ABCDEF";
  int n = 1;

  while (n < 16 && (value >> (4 * n)) != 0)
    n++;
  if (n < digits)
    n = digits;
  for (int i = n - 1; i >= 0; i--)
    *p++ = hex[(value >> (4 * i)) & 0xF];
  return p;
}

/* ---- text ---- */

int
msc_ascii_equal (const char *a, const char *b)
{
  for (;; a++, b++)
    {
      unsigned char ca = (unsigned char) *a, cb = (unsigned char) *b;

      if (ca >= 'A' && ca <= 'Z')
        ca = (unsigned char) (ca - 'A' + 'a');
      if (cb >= 'A' && cb <= 'Z')
        cb = (unsigned char) (cb - 'A' + 'a');
      if (ca != cb)
        return 0;
      if (ca == '\0')
        return 1;
    }
}

size_t
msc_utf8_sequence (const unsigned char *p, size_t *skip)
{
  /* Unicode Table 3-7 (well-formed UTF-8): the second byte's range depends on
   * the lead byte, which rules out overlongs, surrogates and > U+10FFFF. */
  unsigned lead = p[0];
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;

  *skip = 1;
  if (lead < 0x80)
    return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    n = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
    {
      n = 3;
      if (lead == 0xE0)
        lo = 0xA0;
      else if (lead == 0xED)
        hi = 0x9F;
    }
  else if (lead >= 0xF0 && lead <= 0xF4)
    {
      n = 4;
      if (lead == 0xF0)
        lo = 0x90;
      else if (lead == 0xF4)
        hi = 0x8F;
    }
  else
    return 0;
  if (p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      {
        *skip = i;
        return 0;
      }
  return n;
}

/* A code point of a valid 2- or 3-byte sequence that text views escape. */
static int
msc_text_invisible (const unsigned char *p, size_t n)
{
  unsigned cp;

  if (n == 2)
    cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  else if (n == 3)
    cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  else
    return -1;
  if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E)
      || (cp >= 0x2066 && cp <= 0x2069))
    return (int) cp;
  return -1;
}

size_t
msc_text_escape (const char *text, size_t *n, char out[MSC_ESCAPE_LEN])
{
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *) text;
  size_t len, skip;
  int cp;

  *n = p[0] != 0;
  out[0] = '\0';
  if (p[0] == 0 || (p[0] >= 0x20 && p[0] < 0x7F))
    return 0;
  if (p[0] < 0x80)
    {
      const char *named = p[0] == '\n' ? "\\n" : p[0] == '\r' ? "\\r" : p[0] == '\t' ? "\\t" : NULL;

      if (named != NULL)
        memcpy (out, named, 3);
      else
        memcpy (out, (char[]) { '\\', 'x', hex[p[0] >> 4], hex[p[0] & 0xF], '\0' }, 5);
      return strlen (out);
    }
  len = msc_utf8_sequence (p, &skip);
  if (len == 0 || (len == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE))
    {
      *n = len > 0 ? len : skip;
      memcpy (out, msc_replacement, sizeof msc_replacement);
      return 3;
    }
  *n = len;
  cp = msc_text_invisible (p, len);
  if (cp < 0)
    return 0;
  memcpy (out, (char[]) { '\\', 'u', hex[(cp >> 12) & 0xF], hex[(cp >> 8) & 0xF], hex[(cp >> 4) & 0xF],
                          hex[cp & 0xF], '\0' }, 7);
  return 6;
}

static int
msc_xml_is_special (unsigned c)
{
  return c == '&' || c == '<' || c == '>' || c == '"';
}

/* c is a control character (< 0x20, 0x7F) or msc_xml_is_special(): its
 * reference, or (escape 0) the character a parser gives back for it. */
static const char *
msc_xml_escape (unsigned c, int escape, char *self)
{
  switch (c)
    {
    case '&':  return escape ? "&amp;" : "&";
    case '<':  return escape ? "&lt;" : "<";
    case '>':  return escape ? "&gt;" : ">";
    case '"':  return escape ? "&quot;" : "\"";
    case '\t': return escape ? "&#9;" : "\t";
    case '\n': return escape ? "&#10;" : "\n";
    case '\r': return escape ? "&#13;" : "\r";
    case 0x7F: *self = 0x7F; return self;  /* allowed in XML 1.0 */
    default:   return msc_replacement;    /* forbidden in XML 1.0 even as a reference */
    }
}

void
msc_text_escape_each (const char *s, int csv, MscTextWriteFunc write, void *user)
{
  const char *run = s;
  const char *p = s;

  while (*p != '\0')
    {
      char escape[MSC_ESCAPE_LEN];
      size_t n;
      size_t len = msc_text_escape (p, &n, escape);

      if (len == 0 && !(csv && *p == '"'))
        {
          p += n;
          continue;
        }
      write (user, run, (size_t) (p - run));
      if (len > 0)
        write (user, escape, len);
      else
        write (user, "\"\"", 2);
      p += n;
      run = p;
    }
  write (user, run, (size_t) (p - run));
}

static void
msc_output_write_cb (void *user, const char *data, size_t n)
{
  msc_output_write (user, data, n);
}

void
msc_xml_text_each (const char *s, int escape, MscTextWriteFunc write, void *user)
{
  const unsigned char *p = (const unsigned char *) s;
  const unsigned char *run = p;

  for (;;)
    {
      unsigned c = *p;
      char self[2] = { 0, 0 };
      const char *e;

      if (c >= 0x20 && c < 0x7F)
        {
          if (!msc_xml_is_special (c))
            {
              p++;
              continue;
            }
        }
      else if (c >= 0x80)
        {
          size_t skip;
          size_t n = msc_utf8_sequence (p, &skip);

          /* U+FFFE and U+FFFF are not characters (and not allowed in XML). */
          if (n > 0 && !(n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE))
            {
              p += n;
              continue;
            }
          write (user, (const char *) run, (size_t) (p - run));
          write (user, msc_replacement, 3);
          p += n > 0 ? n : skip;
          run = p;
          continue;
        }
      else if (c == 0)
        break;
      write (user, (const char *) run, (size_t) (p - run));
      e = msc_xml_escape (c, escape, self);
      write (user, e, strlen (e));
      p++;
      run = p;
    }
  write (user, (const char *) run, (size_t) (p - run));
}

void
msc_output_text (MscOutput *out, const char *s, MscTextMode mode)
{
  /* CSV and plain text: as every text view shows them. */
  if (mode != MSC_TEXT_XML)
    msc_text_escape_each (s, mode == MSC_TEXT_CSV, msc_output_write_cb, out);
  else
    msc_xml_text_each (s, 1, msc_output_write_cb, out);
}
