/* test-session.c — MscProcess, MscSnapshot and MscSession: properties,
 * time order, scanning, and saving (round trips byte for byte, failures
 * that leave the old file alone). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "backends/backend.h"
#include "model/core/msc-format.h"
#include "model/msc-loader.h"
#include "tests/model/model-test-util.h"

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_process (void)
{
  g_autoptr(MscProcess) process = msc_process_new (4242, "target", 64);
  g_autofree char *name = NULL;
  guint pid = 0, notified = 0;

  g_assert_cmpuint (msc_process_get_pid (process), ==, 4242);
  g_assert_cmpstr (msc_process_get_name (process), ==, "target");
  g_assert_cmpuint (msc_process_get_bits (process), ==, 64);
  g_assert_null (msc_process_get_user (process));
  g_assert_null (msc_process_get_os (process));
  g_assert_null (msc_process_get_command_line (process));

  g_signal_connect (process, "notify", G_CALLBACK (count_notify), &notified);
  msc_process_set_user (process, "root");
  msc_process_set_user (process, "root");          /* unchanged: no notify */
  msc_process_set_os (process, "Linux 6.18.44");
  msc_process_set_command_line (process, "target --hold");
  msc_process_set_command_line (process, "");      /* "" = not known */
  g_assert_cmpuint (notified, ==, 4);
  g_assert_cmpstr (msc_process_get_user (process), ==, "root");
  g_assert_cmpstr (msc_process_get_os (process), ==, "Linux 6.18.44");
  g_assert_null (msc_process_get_command_line (process));

  g_object_get (process, "pid", &pid, "name", &name, NULL);
  g_assert_cmpuint (pid, ==, 4242);
  g_assert_cmpstr (name, ==, "target");

  /* A NULL name reads back as "" (writers print it as is). */
  g_clear_object (&process);
  process = msc_process_new (0, NULL, 0);
  g_assert_cmpstr (msc_process_get_name (process), ==, "");
}

static void
test_snapshot (void)
{
  g_autoptr(MscSnapshot) snapshot = msc_snapshot_new (1, 8192, NULL);
  const MscSummary *summary;
  guint notified = 0;

  g_assert_nonnull (msc_snapshot_get_regions (snapshot));
  g_assert_cmpuint (msc_region_table_length (msc_snapshot_get_regions (snapshot)), ==, 0);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (snapshot), ==, 8192);

  g_signal_connect (snapshot, "notify", G_CALLBACK (count_notify), &notified);
  msc_snapshot_set_commit_charge (snapshot, 1 << 20);
  msc_snapshot_set_commit_charge (snapshot, 1 << 20);
  msc_snapshot_set_n_threads (snapshot, 12);
  msc_snapshot_set_notes (snapshot, "Locked WS needs CAP_SYS_ADMIN");
  msc_snapshot_set_notes (snapshot, "");
  g_assert_cmpuint (notified, ==, 4);
  g_assert_cmpuint (msc_snapshot_get_commit_charge (snapshot), ==, 1 << 20);
  g_assert_cmpuint (msc_snapshot_get_n_threads (snapshot), ==, 12);
  g_assert_null (msc_snapshot_get_notes (snapshot));

  /* An empty snapshot still has its page tables: 8192 in every column of
   * the Page Table row and of Total, Size included. */
  summary = msc_snapshot_get_summary (snapshot);
  g_assert_cmpuint (summary->types[MSC_TYPE_PAGE_TABLE].size, ==, 8192);
  g_assert_cmpuint (summary->total.size, ==, 8192);
  g_assert_cmpuint (summary->total.private_ws, ==, 8192);
  g_assert_true (msc_snapshot_get_summary (snapshot) == summary);
}

static void
assert_date_time (guint64 ticks, int year, int month, int day, int hour, int minute, int second,
                  int microsecond)
{
  g_autoptr(MscSnapshot) snapshot = msc_snapshot_new (ticks, 0, NULL);
  g_autoptr(GDateTime) date_time = msc_snapshot_dup_date_time (snapshot);

  g_assert_nonnull (date_time);
  g_assert_cmpint (g_date_time_get_utc_offset (date_time), ==, 0);
  g_assert_cmpint (g_date_time_get_year (date_time), ==, year);
  g_assert_cmpint (g_date_time_get_month (date_time), ==, month);
  g_assert_cmpint (g_date_time_get_day_of_month (date_time), ==, day);
  g_assert_cmpint (g_date_time_get_hour (date_time), ==, hour);
  g_assert_cmpint (g_date_time_get_minute (date_time), ==, minute);
  g_assert_cmpint (g_date_time_get_second (date_time), ==, second);
  g_assert_cmpint (g_date_time_get_microsecond (date_time), ==, microsecond);
}

/* FILETIME ticks: 100 ns since 1601-01-01 UTC. 133500000000000000 ticks =
 * 13350000000 s; minus the 11644473600 s from 1601 to 1970 = Unix
 * 1705526400 = 2024-01-17 21:20:00 UTC; 1234567 ticks more = 123456.7 µs. */
static void
test_date_time (void)
{
  g_autoptr(MscSnapshot) far = msc_snapshot_new (G_MAXUINT64, 0, NULL);

  assert_date_time (133500000000000000, 2024, 1, 17, 21, 20, 0, 0);
  assert_date_time (133500000001234567, 2024, 1, 17, 21, 20, 0, 123456);
  assert_date_time (0, 1601, 1, 1, 0, 0, 0, 0);
  /* 1970-01-01 is 116444736000000000 ticks. */
  assert_date_time (116444736000000000, 1970, 1, 1, 0, 0, 0, 0);
  /* Year 58,000-odd: GDateTime cannot say it. */
  g_assert_null (msc_snapshot_dup_date_time (far));
}

static void
test_scan (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MscProcess) process = NULL;
  g_autoptr(MscSnapshot) snapshot = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint self = msc_backend_self_pid ();

  if (!msc_backend_can_scan ())
    {
      /* The message is the backend's. */
      snapshot = msc_snapshot_new_from_scan (self, 0, NULL, &process, &error);
      g_assert_null (snapshot);
      g_assert_null (process);
      model_assert_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_UNSUPPORTED, "no live backend", NULL);
      return;
    }

  snapshot = msc_snapshot_new_from_scan (self, 0, NULL, &process, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msc_process_get_pid (process), ==, self);
  g_assert_cmpstr (msc_process_get_name (process), !=, "");
  g_assert_cmpuint (msc_region_table_n_top_level (msc_snapshot_get_regions (snapshot)), >, 3);
  /* Taken just now: within a minute of the clock. */
  g_assert_cmpuint (msc_snapshot_get_timestamp (snapshot) / 10000000, >=, msc_backend_now () / 10000000 - 60);
  g_clear_object (&snapshot);
  g_clear_object (&process);

  /* Above pid_max (4194304 on Linux): no such process. */
  snapshot = msc_snapshot_new_from_scan (4194305 * 2, 0, NULL, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_NO_PROCESS);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  snapshot = msc_snapshot_new_from_scan (self, 0, cancellable, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_CANCELLED);
}

static void
on_snapshot_added (MscSession *session, guint index, gpointer user_data)
{
  GArray *indexes = user_data;

  g_array_append_val (indexes, index);
}

/* A copy shares the snapshots in their order, or keeps only the one asked
 * for; it does not follow the original as that grows. */
static void
test_copy (void)
{
  g_autoptr(MscProcess) process = msc_process_new (42, "copied", 64);
  g_autoptr(MscSession) session = msc_session_new (process);
  g_autoptr(MscSession) all = NULL;
  g_autoptr(MscSession) one = NULL;
  g_autoptr(MscSnapshot) later = msc_snapshot_new (300, 0, NULL);

  for (guint64 t = 100; t <= 200; t += 100)
    {
      g_autoptr(MscSnapshot) snapshot = msc_snapshot_new (t, 0, NULL);

      msc_session_add_snapshot (session, snapshot);
    }
  all = msc_session_copy (session, NULL);
  one = msc_session_copy (session, msc_session_get_snapshot (session, 0));
  g_assert_true (msc_session_get_process (all) == process);
  g_assert_cmpuint (msc_session_get_n_snapshots (all), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_true (msc_session_get_snapshot (all, i) == msc_session_get_snapshot (session, i));
  g_assert_cmpuint (msc_session_get_n_snapshots (one), ==, 1);
  g_assert_true (msc_session_get_latest (one) == msc_session_get_snapshot (session, 0));
  msc_session_add_snapshot (session, later);
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 3);
  g_assert_cmpuint (msc_session_get_n_snapshots (all), ==, 2);
}

static void
test_order (void)
{
  g_autoptr(MscSession) session = msc_session_new (NULL);
  g_autoptr(GArray) indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint64 times[] = { 300, 100, 200, 200, 400 };
  MscSnapshot *added[G_N_ELEMENTS (times)];
  guint n_notified = 0, n = 0;

  g_signal_connect (session, "snapshot-added", G_CALLBACK (on_snapshot_added), indexes);
  g_signal_connect (session, "notify::n-snapshots", G_CALLBACK (count_notify), &n_notified);
  g_assert_null (msc_session_get_latest (session));
  for (size_t i = 0; i < G_N_ELEMENTS (times); i++)
    {
      added[i] = msc_snapshot_new (times[i], 0, NULL);
      msc_session_add_snapshot (session, added[i]);
      g_object_unref (added[i]);
    }
  /* 300 → [300]; 100 → [100 300]; 200 → [100 200 300]; the second 200 goes
   * after the first; 400 at the end. */
  g_assert_cmpuint (indexes->len, ==, 5);
  g_assert_cmpuint (g_array_index (indexes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (indexes, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (indexes, guint, 2), ==, 1);
  g_assert_cmpuint (g_array_index (indexes, guint, 3), ==, 2);
  g_assert_cmpuint (g_array_index (indexes, guint, 4), ==, 4);
  g_assert_cmpuint (n_notified, ==, 5);
  g_object_get (session, "n-snapshots", &n, NULL);
  g_assert_cmpuint (n, ==, 5);
  g_assert_true (msc_session_get_snapshot (session, 0) == added[1]);
  g_assert_true (msc_session_get_snapshot (session, 1) == added[2]);
  g_assert_true (msc_session_get_snapshot (session, 2) == added[3]);
  g_assert_true (msc_session_get_snapshot (session, 3) == added[0]);
  g_assert_true (msc_session_get_latest (session) == added[4]);
}

static void
assert_bytes_equal (GBytes *a, GBytes *b)
{
  gsize la, lb;
  const char *da = g_bytes_get_data (a, &la), *db = g_bytes_get_data (b, &lb);

  if (la != lb || memcmp (da, db, la) != 0)
    {
      gsize i = 0;

      while (i < la && i < lb && da[i] == db[i])
        i++;
      g_error ("outputs differ at byte %" G_GSIZE_FORMAT " (%" G_GSIZE_FORMAT " vs %" G_GSIZE_FORMAT " bytes): “%.60s” vs “%.60s”",
               i, la, lb, da + i, db + i);
    }
}

/* Read → write → read → write: the two writes are the same bytes, for every
 * hand-made file (VMMap-shaped ones included). */
static void
test_round_trip_files (void)
{
  static const char *const names[] = {
    "flat.mmp", "nested.mmp", "utf16le.mmp", "unknown.mmp", "two-snapshots.mmp",
    "no-process.mmp", "unordered.mmp",
  };
  g_autofree char *dir = model_temp_dir ();

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MscSession) first = model_load (names[i]);
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(MscSession) second = NULL;
      g_autoptr(GBytes) saved = NULL;
      g_autoptr(GBytes) again = NULL;

      g_test_message ("%s", names[i]);
      g_assert_true (msc_session_save (first, path, MSC_FILE_FORMAT_MMP, &error));
      g_assert_no_error (error);
      saved = model_file_bytes (path);
      second = msc_loader_load (path, NULL, &error);
      g_assert_no_error (error);
      again = model_write (second, MSC_FILE_FORMAT_MMP);
      assert_bytes_equal (saved, again);
      g_assert_cmpuint (msc_session_get_n_snapshots (second), ==, msc_session_get_n_snapshots (first));
      g_assert_cmpstr (msc_process_get_name (msc_session_get_process (second)), ==,
                       msc_process_get_name (msc_session_get_process (first)));
    }
  model_remove_tree (dir);
}

static void
append (MscRegionTable *table, const MscRegion *region, const char *details)
{
  g_assert_cmpint (msc_region_table_append (table, region, details), ==, 0);
}

/* Every field and flag the .mmp carries, set by hand. */
static MscSession *
make_full_session (void)
{
  MscRegionTable *table = msc_region_table_new ();
  MscProcess *process = msc_process_new (4242, "tar\"get & <co>", 64);
  MscSnapshot *snapshot;
  MscSession *session;
  const MscRegion image = {
    .address = 0x555555554000, .size = 0x5000, .committed = 0x5000, .private_bytes = 0x1000,
    .total_ws = 0x4000, .private_ws = 0x1000, .shareable_ws = 0x3000, .shared_ws = 0x2000,
    .locked_ws = 0x1000, .pss = 0x2800, .swap = 0, .blocks = 2,
    .protection = MSC_PAGE_EXECUTE_READ, .storage = MSC_MEM_IMAGE,
    .flags = MSC_REGION_ASLR | MSC_REGION_PSS_KNOWN, .type = MSC_TYPE_IMAGE,
    .perms = MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_EXECUTE,
  };
  const MscRegion text = {
    .address = 0x555555554000, .size = 0x1000, .committed = 0x1000, .total_ws = 0x1000,
    .shareable_ws = 0x1000, .shared_ws = 0x1000, .pss = 0x800,
    .protection = MSC_PAGE_READONLY, .storage = MSC_MEM_IMAGE,
    .flags = MSC_REGION_SUBBLOCK | MSC_REGION_ASLR | MSC_REGION_PSS_KNOWN, .type = MSC_TYPE_IMAGE,
    .perms = MSC_PERM_KNOWN | MSC_PERM_READ,
  };
  const MscRegion data = {
    .address = 0x555555555000, .size = 0x4000, .committed = 0x4000, .private_bytes = 0x1000,
    .total_ws = 0x3000, .private_ws = 0x1000, .shareable_ws = 0x2000, .shared_ws = 0x1000,
    .locked_ws = 0x1000, .pss = 0x2000, .protection = MSC_PAGE_EXECUTE_READ, .storage = MSC_MEM_IMAGE,
    .flags = MSC_REGION_SUBBLOCK | MSC_REGION_ASLR | MSC_REGION_PSS_KNOWN, .type = MSC_TYPE_IMAGE,
    .perms = MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_EXECUTE,
  };
  const MscRegion heap = {
    .address = 0x7f0000000000, .size = 0x21000, .committed = 0x21000, .private_bytes = 0x21000,
    .total_ws = 0x8000, .private_ws = 0x8000, .swap = 0x4000, .blocks = 1, .heap_id = 4294967295u,
    .protection = MSC_PAGE_READWRITE, .storage = MSC_MEM_MAPPED,
    .flags = MSC_REGION_SHAREABLE_HEAP | MSC_REGION_NORESERVE, .type = MSC_TYPE_HEAP,
    .perms = MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_WRITE | MSC_PERM_SHARED,
  };
  const MscRegion stack = {
    .address = 0x7ffd00000000, .size = 0x800000, .committed = 0x22000, .private_bytes = 0x22000,
    .blocks = 1, .thread_id = 4243, .protection = MSC_PAGE_READWRITE | MSC_PAGE_GUARD,
    .storage = MSC_MEM_PRIVATE, .flags = MSC_REGION_WS_UNKNOWN | MSC_REGION_LOCKED_UNKNOWN,
    .type = MSC_TYPE_STACK,
  };
  const MscRegion top = {
    /* The top of the space; figures no larger than the size (a larger one
     * is refused on reading: issue 15, defect 4). */
    .address = G_MAXUINT64 - 0xFFFF, .size = 0x10000, .committed = 0x10000,
    .total_ws = 0x10000, .swap = 0x10000, .blocks = G_MAXUINT32,
    .storage = MSC_MEM_FREE, .type = MSC_TYPE_FREE,
  };

  append (table, &image, "/usr/bin/tar\"get & <co>");
  append (table, &text, ".interp\t.note\n.dynsym\r");
  append (table, &data, "/usr/bin/J\xC3\xB6rg \xE2\x82\xAC");
  append (table, &heap, "[heap]");
  append (table, &stack, "");
  append (table, &top, "");
  snapshot = msc_snapshot_new (133500000001234567, 122880, table);
  msc_snapshot_set_commit_charge (snapshot, 1234944);
  msc_snapshot_set_n_threads (snapshot, 5);
  msc_snapshot_set_notes (snapshot, "Locked WS: needs \"CAP_IPC_LOCK\" & <root>\n");
  msc_process_set_user (process, "root");
  msc_process_set_os (process, "Linux 6.18.44");
  msc_process_set_command_line (process, "target --hold \"a b\"\t&");
  session = msc_session_new (process);
  msc_session_add_snapshot (session, snapshot);
  g_object_unref (snapshot);
  g_object_unref (process);
  return session;
}

static void
assert_same_region (const MscRegion *a, const MscRegion *b)
{
  g_assert_cmphex (a->address, ==, b->address);
  g_assert_cmphex (a->size, ==, b->size);
  g_assert_cmphex (a->committed, ==, b->committed);
  g_assert_cmphex (a->private_bytes, ==, b->private_bytes);
  g_assert_cmphex (a->total_ws, ==, b->total_ws);
  g_assert_cmphex (a->private_ws, ==, b->private_ws);
  g_assert_cmphex (a->shareable_ws, ==, b->shareable_ws);
  g_assert_cmphex (a->shared_ws, ==, b->shared_ws);
  g_assert_cmphex (a->locked_ws, ==, b->locked_ws);
  g_assert_cmphex (a->pss, ==, b->pss);
  g_assert_cmphex (a->swap, ==, b->swap);
  g_assert_cmpuint (a->blocks, ==, b->blocks);
  g_assert_cmphex (a->protection, ==, b->protection);
  g_assert_cmphex (a->storage, ==, b->storage);
  g_assert_cmpuint (a->heap_id, ==, b->heap_id);
  g_assert_cmpuint (a->thread_id, ==, b->thread_id);
  g_assert_cmphex (a->flags, ==, b->flags);
  g_assert_cmpuint (a->type, ==, b->type);
  g_assert_cmphex (a->perms, ==, b->perms);
}

/* A capture written by us comes back field for field, and writing what was
 * read gives the very same bytes. */
static void
test_round_trip_fields (void)
{
  g_autoptr(MscSession) session = make_full_session ();
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "full.mmp", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) loaded = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) again = NULL;
  const MscRegionTable *a = model_regions (session, 0);
  const MscRegionTable *b;
  MscSnapshot *snapshot;
  MscProcess *process;

  g_assert_true (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  g_assert_no_error (error);
  loaded = msc_loader_load (path, NULL, &error);
  g_assert_no_error (error);

  process = msc_session_get_process (loaded);
  g_assert_cmpuint (msc_process_get_pid (process), ==, 4242);
  g_assert_cmpstr (msc_process_get_name (process), ==, "tar\"get & <co>");
  g_assert_cmpuint (msc_process_get_bits (process), ==, 64);
  g_assert_cmpstr (msc_process_get_user (process), ==, "root");
  g_assert_cmpstr (msc_process_get_os (process), ==, "Linux 6.18.44");
  g_assert_cmpstr (msc_process_get_command_line (process), ==, "target --hold \"a b\"\t&");
  snapshot = msc_session_get_latest (loaded);
  g_assert_cmpuint (msc_snapshot_get_timestamp (snapshot), ==, 133500000001234567);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (snapshot), ==, 122880);
  g_assert_cmpuint (msc_snapshot_get_commit_charge (snapshot), ==, 1234944);
  g_assert_cmpuint (msc_snapshot_get_n_threads (snapshot), ==, 5);
  g_assert_cmpstr (msc_snapshot_get_notes (snapshot), ==, "Locked WS: needs \"CAP_IPC_LOCK\" & <root>\n");

  b = msc_snapshot_get_regions (snapshot);
  g_assert_cmpuint (msc_region_table_length (b), ==, msc_region_table_length (a));
  for (size_t i = 0; i < msc_region_table_length (a); i++)
    {
      MscRegion ra = msc_region_table_row (a, i), rb = msc_region_table_row (b, i);

      g_test_message ("region %zu", i);
      assert_same_region (&ra, &rb);
      g_assert_cmpstr (msc_region_table_details (a, i), ==, msc_region_table_details (b, i));
    }

  saved = model_file_bytes (path);
  again = model_write (loaded, MSC_FILE_FORMAT_MMP);
  assert_bytes_equal (saved, again);
  model_remove_tree (dir);
}

/* CSV and text are the latest snapshot, the same through both paths. */
static void
test_formats (void)
{
  g_autoptr(MscSession) session = model_load ("two-snapshots.mmp");
  g_autofree char *dir = model_temp_dir ();
  static const MscFileFormat formats[] = { MSC_FILE_FORMAT_CSV, MSC_FILE_FORMAT_TXT, MSC_FILE_FORMAT_MMP };

  for (size_t i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (dir, "out", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) saved = NULL;
      g_autoptr(GBytes) written = NULL;

      g_assert_true (msc_session_save (session, path, formats[i], &error));
      g_assert_no_error (error);
      saved = model_file_bytes (path);
      written = model_write (session, formats[i]);
      assert_bytes_equal (saved, written);
      /* The exports show the latest scan: its 3 MiB region, 3,072 KB. */
      if (formats[i] != MSC_FILE_FORMAT_MMP)
        g_assert_nonnull (g_strstr_len (g_bytes_get_data (saved, NULL), (gssize) g_bytes_get_size (saved), "3,072"));
    }
  model_remove_tree (dir);
}

/* Three scans added out of time order: the .mmp keeps all of them, in time
 * order, and reads back to the same timeline, bytes and all. */
static void
test_round_trip_timeline (void)
{
  static const guint64 times[] = { 133500000600000000, 133500000000000000, 133500000300000000 };
  g_autoptr(MscProcess) process = msc_process_new (7, "timeline", 64);
  g_autoptr(MscSession) session = msc_session_new (process);
  g_autoptr(MscSession) loaded = NULL;
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "timeline.mmp", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) again = NULL;

  for (guint s = 0; s < G_N_ELEMENTS (times); s++)
    {
      MscRegionTable *table = msc_region_table_new ();
      g_autoptr(MscSnapshot) snapshot = NULL;

      /* Snapshot s has s + 1 regions of (s + 1) × 4 KiB. */
      for (guint i = 0; i <= s; i++)
        {
          const MscRegion region = {
            .address = 0x10000 * (i + 1), .size = 4096 * (s + 1), .committed = 4096,
            .blocks = 1, .protection = MSC_PAGE_READWRITE, .storage = MSC_MEM_PRIVATE,
            .type = MSC_TYPE_PRIVATE_DATA,
          };

          append (table, &region, "shared details");
        }
      snapshot = msc_snapshot_new (times[s], 4096 * (s + 1), table);
      msc_session_add_snapshot (session, snapshot);
    }
  g_assert_true (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  g_assert_no_error (error);
  loaded = msc_loader_load (path, NULL, &error);
  g_assert_no_error (error);

  /* Time order: the snapshot added second (1 region), third (3), first (2). */
  g_assert_cmpuint (msc_session_get_n_snapshots (loaded), ==, 3);
  g_assert_cmpuint (msc_snapshot_get_timestamp (msc_session_get_snapshot (loaded, 0)), ==, times[1]);
  g_assert_cmpuint (msc_snapshot_get_timestamp (msc_session_get_snapshot (loaded, 1)), ==, times[2]);
  g_assert_cmpuint (msc_snapshot_get_timestamp (msc_session_get_snapshot (loaded, 2)), ==, times[0]);
  g_assert_cmpuint (msc_region_table_length (model_regions (loaded, 0)), ==, 2);
  g_assert_cmpuint (msc_region_table_length (model_regions (loaded, 1)), ==, 3);
  g_assert_cmpuint (msc_region_table_length (model_regions (loaded, 2)), ==, 1);
  g_assert_cmpuint (model_region (loaded, 1, 2).size, ==, 3 * 4096);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (msc_session_get_snapshot (loaded, 2)), ==, 4096);

  saved = model_file_bytes (path);
  again = model_write (loaded, MSC_FILE_FORMAT_MMP);
  assert_bytes_equal (saved, again);
  model_remove_tree (dir);
}

static void
test_save_empty (void)
{
  g_autoptr(MscProcess) process = msc_process_new (1, "idle", 64);
  g_autoptr(MscSession) session = msc_session_new (process);
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "empty.mmp", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  model_assert_error (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_EMPTY, path, NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  model_remove_tree (dir);
}

/* Saving where the temporary file cannot be made fails with WRITE and
 * leaves the existing capture exactly as it was, with no debris. */
static void
test_save_unwritable (void)
{
  g_autoptr(MscSession) session = model_load ("flat.mmp");
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *long_name = g_strnfill (251, 'c');
  g_autofree char *name = g_strconcat (long_name, ".mmp", NULL);   /* 255 bytes: NAME_MAX */
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *original = "<MemoryMap>precious</MemoryMap>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;
  GDir *listing;
  FILE *file;
  guint n_files = 0;

  /* g_file_set_contents() would need a temporary name too: write in place. */
  file = g_fopen (path, "wb");
  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (original, 1, strlen (original), file), ==, strlen (original));
  g_assert_cmpint (fclose (file), ==, 0);
  /* The temporary name (path + ".XXXXXX") is too long for the file system. */
  g_assert_false (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  model_assert_error (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_WRITE, path, NULL);

  after = model_file_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), original, strlen (original));
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_dir_close (listing);
  g_assert_cmpuint (n_files, ==, 1);
  model_remove_tree (dir);
}

static void
test_save_read_only_dir (void)
{
  g_autoptr(MscSession) session = model_load ("flat.mmp");
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "capture.mmp", NULL);
  g_autofree char *probe = g_build_filename (dir, "probe", NULL);
  const char *original = "old capture\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;

  g_file_set_contents (path, original, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  if (g_file_set_contents (probe, "", 0, NULL))
    {
      model_remove_tree (dir);
      g_test_skip ("directory permissions are not enforced for this user");
      return;
    }
  g_assert_false (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  model_assert_error (error, MSC_SESSION_ERROR, MSC_SESSION_ERROR_WRITE, path, g_strerror (EACCES), NULL);
  after = model_file_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), original, strlen (original));
  model_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/process/properties", test_process);
  g_test_add_func ("/snapshot/properties", test_snapshot);
  g_test_add_func ("/snapshot/date-time", test_date_time);
  g_test_add_func ("/snapshot/scan", test_scan);
  g_test_add_func ("/session/order", test_order);
  g_test_add_func ("/session/copy", test_copy);
  g_test_add_func ("/session/round-trip/files", test_round_trip_files);
  g_test_add_func ("/session/round-trip/fields", test_round_trip_fields);
  g_test_add_func ("/session/round-trip/timeline", test_round_trip_timeline);
  g_test_add_func ("/session/formats", test_formats);
  g_test_add_func ("/session/save/empty", test_save_empty);
  g_test_add_func ("/session/save/unwritable", test_save_unwritable);
  g_test_add_func ("/session/save/read-only-dir", test_save_read_only_dir);

  return g_test_run ();
}
