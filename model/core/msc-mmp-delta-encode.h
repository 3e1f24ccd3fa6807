/* msc-mmp-delta-encode.h — internal to model/core: the .mmp writer's
 * SnapshotDelta element (docs/file-formats.md), a snapshot written as what
 * changed since the snapshot before it in the file. */
#pragma once

#include "model/core/msc-capture.h"
#include "model/core/msc-mmp-writer.h"
#include "model/core/msc-region-delta.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes snapshot (regions next) as a SnapshotDelta against prev, the
 * regions written just before it. Returns 0, or -1 having written nothing
 * when it must be written in full: a table is not ordered, the body would
 * pass MSC_MMP_DELTA_MAX, or memory ran out. */
int msc_mmp_delta_write (MscOutput                *out,
                         const MscCaptureSnapshot *snapshot,
                         const MscRegionTable     *prev,
                         const MscRegionTable     *next);

/* Largest packed body written (before base64): libxml2 refuses text nodes
 * over 10,000,000 bytes without XML_PARSE_HUGE, which readers leave off. */
#define MSC_MMP_DELTA_MAX ((size_t) 4 * 1024 * 1024)

/* A row's mask in the packed body: which values follow. */
#define MSC_MMP_DELTA_OFFSET_BIT  0u                            /* address − the entry's */
#define MSC_MMP_DELTA_FIELD_BIT(f) (1u + (unsigned) (f))        /* msc_region_field_get */
#define MSC_MMP_DELTA_DETAILS_BIT (1u + MSC_REGION_N_FIELDS)    /* length, bytes */

/* The flags a Region element can say (docs/file-formats.md): what a row of
 * a SnapshotDelta may carry. */
#define MSC_MMP_DELTA_FLAGS (MSC_REGION_SUBBLOCK | MSC_REGION_WS_UNKNOWN | MSC_REGION_ASLR     \
                             | MSC_REGION_SHAREABLE_HEAP | MSC_REGION_NORESERVE                \
                             | MSC_REGION_PSS_KNOWN | MSC_REGION_STACK64                       \
                             | MSC_REGION_LOCKED_UNKNOWN | MSC_REGION_PRIVATE_UNKNOWN)

/* CRC-32 (IEEE, zlib's crc32()) of bytes, continuing crc (0 to start). */
uint32_t msc_crc32 (uint32_t crc, const uint8_t *bytes, size_t n);

#ifdef __cplusplus
}
#endif
