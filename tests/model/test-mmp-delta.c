/* test-mmp-delta.c — the .mmp's SnapshotDelta elements (issue 20): a
 * damaged or cut delta is a clear note naming the element and its line,
 * never a lost file: the snapshots before it and the full ones after it
 * still open, each exactly as saved. */
#include "config.h"

#include <string.h>

#include "tests/model/model-history.h"
#include "tests/model/model-test-util.h"

#define N_SNAPSHOTS 20

static MscSession *
delta_session (void)
{
  g_autoptr(ModelHistory) history = model_history_new (11, 120);
  MscSession *session = msc_session_new (msc_process_new (4242, "python3", 64));

  g_object_unref (msc_session_get_process (session));
  for (guint i = 0; i < N_SNAPSHOTS; i++)
    {
      g_autoptr(MscSnapshot) snapshot = NULL;

      if (i > 0)
        model_history_step (history, 5, TRUE);
      snapshot = msc_snapshot_new (133000000000000000 + i * 10000000, 4096, model_history_table (history));
      msc_session_add_snapshot (session, snapshot);
    }
  return session;
}

static void
assert_same_regions (MscSnapshot *a,
                     MscSnapshot *b)
{
  const MscRegionTable *ta = msc_snapshot_get_regions (a), *tb = msc_snapshot_get_regions (b);

  g_assert_cmpuint (msc_region_table_length (ta), ==, msc_region_table_length (tb));
  for (gsize i = 0; i < msc_region_table_length (ta); i++)
    g_assert_true (msc_region_table_same (ta, i, tb, i));
}

static MscSession *load_text (const char *text, gsize length);

/* The saved text, where its k-th (0-based) SnapshotDelta starts and on
 * which line; *intact: the text read back whole (test-snapshot-storage.c
 * shows it is the session). */
static char *
delta_text (MscSession **intact,
            guint        k,
            char       **at,
            guint       *line)
{
  g_autoptr(MscSession) session = delta_session ();
  g_autoptr(GBytes) saved = model_write (session, MSC_FILE_FORMAT_MMP);
  char *text = g_strndup (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved));

  *intact = load_text (text, strlen (text));
  *at = text;
  for (guint i = 0; i <= k; i++)
    {
      *at = strstr (*at + 1, "<SnapshotDelta ");
      g_assert_nonnull (*at);
    }
  *line = 1;
  for (const char *p = text; p < *at; p++)
    *line += *p == '\n';
  return text;
}

static MscSession *
load_text (const char *text,
           gsize       length)
{
  g_autoptr(GError) error = NULL;
  MscSession *loaded = msc_loader_load_memory (text, length, "deltas.mmp", &error);

  g_assert_no_error (error);
  return loaded;
}

/* A delta whose packed bytes were changed: the snapshots before it and the
 * last (full) one open; the note names the element, its line, the loss. */
static void
test_delta_corrupt (void)
{
  g_autoptr(MscSession) full = NULL;
  char *at;
  guint line;
  g_autofree char *text = delta_text (&full, 4, &at, &line);
  char *body = strchr (at, '>') + 1;
  g_autoptr(MscSession) loaded = NULL;
  g_autofree char *where = g_strdup_printf ("line %u: SnapshotDelta: ", line);
  const char *notes;

  /* Another base64 digit: the length holds, the check does not. */
  body[2] = body[2] == 'A' ? 'B' : 'A';
  loaded = load_text (text, strlen (text));
  /* Snapshot 0, deltas 1-4, the last: the damaged delta (5) and the 13
   * chained to it are lost. */
  g_assert_cmpuint (msc_session_get_n_snapshots (loaded), ==, 6);
  for (guint i = 0; i < 5; i++)
    assert_same_regions (msc_session_get_snapshot (loaded, i), msc_session_get_snapshot (full, i));
  assert_same_regions (msc_session_get_snapshot (loaded, 5), msc_session_get_snapshot (full, N_SNAPSHOTS - 1));
  notes = msc_snapshot_get_notes (msc_session_get_snapshot (loaded, 5));
  g_assert_nonnull (notes);
  g_test_message ("%s", notes);
  g_assert_nonnull (strstr (notes, where));
  g_assert_nonnull (strstr (notes, "Check"));
  g_assert_nonnull (strstr (notes, "(14 snapshots could not be read)"));
}

/* Attributes a delta cannot do without, or says wrong. */
static void
test_delta_bad_attributes (void)
{
  static const struct {
    const char *from;
    const char *to;
    const char *needle;
  } cases[] = {
    { " Length=\"", " Lngth=\"", "Length or Check is missing" },
    { " Length=\"", " Length=\"1", "where Length says" },
    { " Check=\"", " Check=\"x", "Check=\"x" },
    { " PageTableSize=\"", " PageTableSize=\"-", "PageTableSize=\"-" },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(MscSession) full = NULL;
      char *at;
      guint line;
      g_autofree char *text = delta_text (&full, 0, &at, &line);
      g_autofree char *head = g_strndup (text, (gsize) (strstr (at, cases[c].from) - text));
      g_autofree char *bad = g_strconcat (head, cases[c].to, strstr (at, cases[c].from) + strlen (cases[c].from), NULL);
      g_autoptr(MscSession) loaded = load_text (bad, strlen (bad));
      const char *notes;

      g_assert_cmpuint (msc_session_get_n_snapshots (loaded), ==, 2);
      assert_same_regions (msc_session_get_snapshot (loaded, 1), msc_session_get_snapshot (full, N_SNAPSHOTS - 1));
      notes = msc_snapshot_get_notes (msc_session_get_snapshot (loaded, 1));
      g_assert_nonnull (strstr (notes, "SnapshotDelta: "));
      g_assert_nonnull (strstr (notes, cases[c].needle));
    }
}

/* A file cut inside a delta: what was read opens, as it was saved, and
 * the last snapshot read says the rest is lost. */
static void
test_delta_cut (void)
{
  g_autoptr(MscSession) full = NULL;
  char *at;
  guint line;
  g_autofree char *text = delta_text (&full, 12, &at, &line);
  g_autoptr(MscSession) loaded = load_text (text, (gsize) (strchr (at, '>') + 5 - text));
  guint n = msc_session_get_n_snapshots (loaded);

  g_test_message ("%u snapshots: %s", n, msc_snapshot_get_notes (msc_session_get_snapshot (loaded, n - 1)));
  /* libxml2 gives up the nodes of the last piece it was handed. */
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (n, <=, 13);
  for (guint i = 0; i < n; i++)
    assert_same_regions (msc_session_get_snapshot (loaded, i), msc_session_get_snapshot (full, i));
  g_assert_nonnull (strstr (msc_snapshot_get_notes (msc_session_get_snapshot (loaded, n - 1)),
                            "(the snapshots after it could not be read)"));
}

/* Within one Snapshot a cut still fails: nothing says what it lacked. */
static void
test_delta_cut_in_last_snapshot (void)
{
  g_autoptr(MscSession) full = NULL;
  char *at;
  guint line;
  g_autofree char *text = delta_text (&full, N_SNAPSHOTS - 3, &at, &line);
  const char *last = strstr (at, "<Snapshot ");
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) loaded = msc_loader_load_memory (text, (gsize) (strstr (last, "<Region ") + 20 - text),
                                                         "deltas.mmp", &error);

  g_assert_null (loaded);
  g_assert_nonnull (error);
  g_assert_true (error->domain == MSC_MMP_ERROR);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mmp-delta/corrupt", test_delta_corrupt);
  g_test_add_func ("/mmp-delta/bad-attributes", test_delta_bad_attributes);
  g_test_add_func ("/mmp-delta/cut", test_delta_cut);
  g_test_add_func ("/mmp-delta/cut-in-last-snapshot", test_delta_cut_in_last_snapshot);
  return g_test_run ();
}
