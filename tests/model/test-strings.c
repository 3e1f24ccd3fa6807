/* test-strings.c — the strings extractor against a literal port of GNU
 * strings' scan loop (binutils strings.c print_strings/get_char/
 * unget_part_char), on random buffers fed whole, split at every offset and
 * split into many random pieces. */
#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "model/msc-strings.h"

typedef struct {
  guint64 address;
  guint32 length;
  guint8 encoding;
  char *text;
} Hit;

static void
hit_clear (gpointer data)
{
  g_free (((Hit *) data)->text);
}

static GArray *
hits_new (void)
{
  GArray *hits = g_array_new (FALSE, TRUE, sizeof (Hit));

  g_array_set_clear_func (hits, hit_clear);
  return hits;
}

static gboolean
gnu_graphic (long c)
{
  return c >= 0 && c <= 255 && (c == '\t' || (c >= 0x20 && c < 0x7f));
}

/* print_strings () with encoding 's' (width 1) or 'l' (width 2). */
static void
gnu_strings (const guint8 *buf, gsize n, guint64 base, guint min, guint width, GArray *out)
{
  gsize addr = 0;

  for (;;)
    {
      gsize start;
      guint i;
      Hit hit = { 0 };
      GString *text = g_string_new (NULL);

    tryline:
      g_string_truncate (text, 0);
      start = addr;
      for (i = 0; i < min; i++)
        {
          long c;

          if (addr + width > n)
            {
              g_string_free (text, TRUE);
              return;
            }
          c = width == 1 ? buf[addr] : buf[addr] | (buf[addr + 1] << 8);
          addr += width;
          if (!gnu_graphic (c))
            {
              addr -= width - 1;  /* unget_part_char */
              goto tryline;
            }
          g_string_append_c (text, (char) c);
        }
      while (addr + width <= n)
        {
          long c = width == 1 ? buf[addr] : buf[addr] | (buf[addr + 1] << 8);

          addr += width;
          if (!gnu_graphic (c))
            {
              addr -= width - 1;
              break;
            }
          g_string_append_c (text, (char) c);
        }
      hit.address = base + start;
      hit.length = (guint32) text->len;
      hit.encoding = width == 1 ? MSC_STRING_ASCII : MSC_STRING_UTF16LE;
      g_string_truncate (text, MIN (text->len, MSC_STRINGS_MAX_TEXT));
      hit.text = g_string_free (text, FALSE);
      g_array_append_val (out, hit);
    }
}

static gint
hit_compare (gconstpointer a, gconstpointer b)
{
  const Hit *x = a, *y = b;

  return x->address < y->address ? -1 : x->address > y->address;
}

/* Both encodings, in address order. */
static GArray *
gnu_reference (const guint8 *buf, gsize n, guint64 base, guint min)
{
  GArray *hits = hits_new ();

  gnu_strings (buf, n, base, min, 1, hits);
  gnu_strings (buf, n, base, min, 2, hits);
  g_array_sort (hits, hit_compare);
  return hits;
}

static void
collect (MscStringsBatch *batch, gpointer user_data)
{
  GArray *hits = user_data;
  const MscStringHit *h = msc_strings_batch_get_hits (batch);

  for (guint i = 0; i < msc_strings_batch_get_length (batch); i++)
    {
      Hit hit = { h[i].address, h[i].length, h[i].encoding, g_strdup (h[i].text) };

      g_array_append_val (hits, hit);
    }
}

/* Feeds buf at base in pieces ending at the given cuts. */
static GArray *
extract (const guint8 *buf, gsize n, guint64 base, guint min, const gsize *cuts, guint n_cuts)
{
  GArray *hits = hits_new ();
  g_autoptr(MscStrings) strings = msc_strings_new (min, collect, hits);
  gsize at = 0;

  for (guint k = 0; k <= n_cuts; k++)
    {
      gsize end = k < n_cuts ? cuts[k] : n;

      msc_strings_feed (strings, base + at, buf + at, end - at);
      at = end;
    }
  msc_strings_finish (strings);
  g_assert_cmpuint (msc_strings_get_n_found (strings), ==, hits->len);
  return hits;
}

static void
assert_same (GArray *got, GArray *want)
{
  g_assert_cmpuint (got->len, ==, want->len);
  for (guint i = 0; i < got->len; i++)
    {
      const Hit *a = &g_array_index (got, Hit, i), *b = &g_array_index (want, Hit, i);

      g_assert_cmpuint (a->address, ==, b->address);
      g_assert_cmpuint (a->length, ==, b->length);
      g_assert_cmpuint (a->encoding, ==, b->encoding);
      g_assert_cmpstr (a->text, ==, b->text);
    }
}

/* Bytes that make many short runs of both kinds and breaks between them. */
static guint8 *
random_buffer (GRand *rand, gsize n)
{
  static const guint8 alphabet[] = { 0, 0, 0, 'a', 'B', '7', ' ', '\t', 0x01, 0x80, 0xff, '\n' };
  guint8 *buf = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    buf[i] = alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))];
  return buf;
}

/* A string crossing a piece boundary is found once, whole. */
static void
test_every_split (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  const gsize n = 300;
  g_autofree guint8 *buf = random_buffer (rand, n);
  g_autoptr(GArray) want = NULL;

  /* Plant one long run of each kind, UTF-16 at an odd offset. */
  memcpy (buf + 40, "a long ascii string", 19);
  for (gsize i = 0; i < 12; i++)
    {
      buf[121 + 2 * i] = (guint8) ('a' + i);
      buf[122 + 2 * i] = 0;
    }
  want = gnu_reference (buf, n, 0x5001, 3);
  for (gsize cut = 0; cut <= n; cut++)
    {
      g_autoptr(GArray) got = extract (buf, n, 0x5001, 3, &cut, 1);

      assert_same (got, want);
    }
}

static int
cut_compare (const void *a, const void *b)
{
  gsize x = *(const gsize *) a, y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

/* Random buffers, whole (no cut) or in up to 15 pieces, at even and odd
 * addresses, minimum lengths 2 to 5. */
static void
test_matches_gnu (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (guint round = 0; round < 400; round++)
    {
      gsize n = (gsize) g_rand_int_range (rand, 0, 2000);
      g_autofree guint8 *buf = random_buffer (rand, n);
      guint min = (guint) g_rand_int_range (rand, 2, 6);
      guint64 base = 0x7000 + (guint64) g_rand_int_range (rand, 0, 2);
      gsize cuts[16];
      guint n_cuts = (guint) g_rand_int_range (rand, 0, 16);
      g_autoptr(GArray) want = gnu_reference (buf, n, base, min);
      g_autoptr(GArray) got = NULL;

      for (guint k = 0; k < n_cuts; k++)
        cuts[k] = (gsize) g_rand_int_range (rand, 0, (gint32) n + 1);
      qsort (cuts, n_cuts, sizeof *cuts, cut_compare);
      got = extract (buf, n, base, min, cuts, n_cuts);
      assert_same (got, want);
    }
}

/* Pieces that do not touch are separate streams: nothing joins across the
 * gap (a string ending one piece is complete there). */
static void
test_gap_breaks (void)
{
  const guint8 piece[] = "xy\0abcd";
  g_autoptr(GArray) hits = hits_new ();
  g_autoptr(MscStrings) strings = msc_strings_new (3, collect, hits);

  msc_strings_feed (strings, 0x1000, (const guint8 *) "tail-of-one", 11);
  msc_strings_feed (strings, 0x2000, (const guint8 *) "ab", 2);
  msc_strings_feed (strings, 0x3000, piece, sizeof piece - 1);
  msc_strings_finish (strings);
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpuint (g_array_index (hits, Hit, 0).address, ==, 0x1000);
  g_assert_cmpstr (g_array_index (hits, Hit, 0).text, ==, "tail-of-one");
  g_assert_cmpuint (g_array_index (hits, Hit, 1).address, ==, 0x3003);
  g_assert_cmpstr (g_array_index (hits, Hit, 1).text, ==, "abcd");
}

/* A run longer than the text kept: the length is the real one. */
static void
test_long_run (void)
{
  const gsize n = 5000;
  g_autofree guint8 *buf = g_malloc (n);
  g_autoptr(GArray) hits = NULL;
  gsize cuts[] = { 1000, 1001, 4096 };

  memset (buf, 'q', n);
  hits = extract (buf, n, 0, 3, cuts, G_N_ELEMENTS (cuts));
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpuint (g_array_index (hits, Hit, 0).length, ==, n);
  g_assert_cmpuint (strlen (g_array_index (hits, Hit, 0).text), ==, MSC_STRINGS_MAX_TEXT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/strings/matches-gnu", test_matches_gnu);
  g_test_add_func ("/strings/every-split", test_every_split);
  g_test_add_func ("/strings/gap-breaks", test_gap_breaks);
  g_test_add_func ("/strings/long-run", test_long_run);
  return g_test_run ();
}
