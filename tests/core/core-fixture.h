/* core-fixture.h — hand-made captures whose every figure is written out in
 * core-fixture.c, so the expected files in tests/data/core/ can be checked
 * by hand against them.
 */
#pragma once

#include <glib.h>

#include "model/core/msc-capture.h"

typedef struct {
  MscCaptureProcess  process;
  MscCaptureSnapshot snapshots[2];
  MscCapture         capture;
  MscRegionTable    *tables[2];
} CoreFixture;

/* "fixture", PID 4242, 64-bit, two snapshots; the second is the one the
 * CSV/TXT exports show (see the table in core-fixture.c). */
void core_fixture_main (CoreFixture *fixture);
/* "wow.exe", PID 77, 32-bit, one snapshot: a region without working-set
 * figures and a shareable heap without Locked WS. */
void core_fixture_wow (CoreFixture *fixture);
void core_fixture_clear (CoreFixture *fixture);

/* Runs writer into memory; asserts it succeeded. */
typedef MscStatusCode (*CoreWriteFn) (FILE *out, const CoreFixture *fixture, MscStatus *status);
GBytes *core_write_to_bytes (CoreWriteFn writer, const CoreFixture *fixture);

MscStatusCode core_write_mmp (FILE *out, const CoreFixture *fixture, MscStatus *status);
MscStatusCode core_write_csv (FILE *out, const CoreFixture *fixture, MscStatus *status);
MscStatusCode core_write_txt (FILE *out, const CoreFixture *fixture, MscStatus *status);
MscStatusCode core_write_summary (FILE *out, const CoreFixture *fixture, MscStatus *status);

/* Contents of tests/data/core/<name> without its leading '#' comment lines. */
char *core_expected (const char *name);
/* Asserts text uses "\r\n" line ends only and returns it with "\n" ends. */
char *core_crlf_to_lf (const char *text, gsize len);

/* A realistic table of n regions (images with sections, heaps, stacks,
 * anonymous maps, free gaps), for budget and speed tests. */
MscRegionTable *core_make_large_table (size_t n);
