/* model-test-util.h — helpers shared by the model tests: the hand-made
 * captures in tests/data/model/ and the bytes a session writes. */
#pragma once

#include <glib.h>

#include "model/msc-loader.h"
#include "model/msc-mmp-reader.h"
#include "model/msc-session.h"

/* Path of tests/data/model/<name> (g_free). */
char       *model_data_path    (const char *name);
/* Reads tests/data/model/<name>; asserts it loads. */
MscSession *model_load         (const char *name);
/* Reads data as format; asserts it loads. */
MscSession *model_load_bytes   (GBytes *data, MscFileFormat format);
/* Contents of tests/data/model/<name>. */
GBytes     *model_data_bytes   (const char *name);
/* What msc_session_write() produces, as bytes; asserts it succeeds. */
GBytes     *model_write        (MscSession *session, MscFileFormat format);
/* Contents of a file; asserts it can be read. */
GBytes     *model_file_bytes   (const char *path);
/* A new temporary directory (removed by model_remove_tree). */
char       *model_temp_dir     (void);
void        model_remove_tree  (const char *path);

/* The snapshot's table and region i of it. */
const MscRegionTable *model_regions (MscSession *session, guint snapshot);
MscRegion             model_region  (MscSession *session, guint snapshot, size_t i);

/* Asserts error is domain/code and its message contains every NULL-terminated
 * needle. */
void model_assert_error (const GError *error, GQuark domain, int code, ...) G_GNUC_NULL_TERMINATED;
