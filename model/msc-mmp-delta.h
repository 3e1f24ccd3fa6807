/* msc-mmp-delta.h — reading the .mmp's SnapshotDelta element (a snapshot
 * stored as what changed since the one before it, docs/file-formats.md).
 *
 * Parser-neutral: whatever reads the XML hands over the element's
 * attributes and text as it meets them; this expands the element into the
 * snapshot's regions against the snapshot before it. A damaged element is
 * not fatal: the snapshots read stay, the deltas chained to it are
 * skipped up to the next full Snapshot, and the last snapshot gets a note
 * saying what was lost. Not installed, not API.
 */
#pragma once

#include <glib.h>

#include "model/msc-mmp-reader-private.h"

G_BEGIN_DECLS

typedef struct _MscMmpDelta MscMmpDelta;

MscMmpDelta *msc_mmp_delta_new        (void);
void         msc_mmp_delta_free       (MscMmpDelta *self);

gboolean     msc_mmp_delta_is_element (const char *local_name);

/* One element: _start, then each attribute and each piece of text in any
 * number of calls, then _end. */
void         msc_mmp_delta_start      (MscMmpDelta *self);
void         msc_mmp_delta_attr       (MscMmpDelta *self,
                                       const char  *name,
                                       const char  *value);
void         msc_mmp_delta_text       (MscMmpDelta *self,
                                       const char  *text,
                                       gsize        len);
/* At the element's end, with snapshots (MscSnapshot, file order) read so
 * far, the last one complete. TRUE: builder holds the snapshot the element
 * expands to, open, for the reader to finish as if read in full; or is
 * left closed when the element was skipped (it chains to a damaged one).
 * FALSE: the element is damaged (error says how, without the file's name
 * or line); pass that, located, to _set_damage, and read on. */
gboolean     msc_mmp_delta_end        (MscMmpDelta   *self,
                                       GPtrArray     *snapshots,
                                       MscMmpBuilder *builder,
                                       GError       **error);
/* message NULL: the element's text could not be read (the document broke;
 * its parser says how, _take_cut). */
void         msc_mmp_delta_set_damage (MscMmpDelta *self,
                                       GPtrArray   *snapshots,
                                       const char  *message);
/* The document broke (error) after a delta was read, outside any Snapshot:
 * records error as damage and returns TRUE when what was read may open. */
gboolean     msc_mmp_delta_take_cut   (MscMmpDelta  *self,
                                       GPtrArray    *snapshots,
                                       const GError *error);
/* Before the snapshots are handed out: the damage, as a note on the last. */
void         msc_mmp_delta_finish     (MscMmpDelta *self,
                                       GPtrArray   *snapshots);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscMmpDelta, msc_mmp_delta_free)

G_END_DECLS
