/* msc-format.h — names and strings shown to users and written to files. */
#pragma once

#include "backends/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "Image", "Mapped File", ... "Free" (summary names). */
const char *msc_use_type_name (MscUseType type);

/* Details-view type string of a region: "Image (ASLR)", "Heap (Private Data)",
 * "Thread Stack", ... as VMMap writes them in CSV and .mmp Type. */
const char *msc_region_type_string (const MscRegion *region);

/* Parses a VMMap Type string (either form); sets *flags bits it implies
 * (MSC_REGION_ASLR, MSC_REGION_SHAREABLE_HEAP). Returns -1 if unknown. */
int msc_use_type_from_string (const char *text, uint16_t *flags);

/* VMMap's .mmp UseType code (0 Heap, 1 Stack, 2 Image, ...; formats.md §2.6)
 * and back (-1 if unknown). */
int msc_use_type_to_vmmap_code (MscUseType type);
int msc_use_type_from_vmmap_code (int code);

/* VMMap protection text: "Read/Write", "Execute/Read", "Copy on write",
 * "Reserved" (0 on a non-free region), "No access", "Read/Write/Guard", ... */
const char *msc_protection_string (uint32_t protection, char *buf, size_t len);

/* "rw-p" style text of MSC_PERM_* bits; "" when not known. */
const char *msc_perms_string (uint8_t perms, char buf[5]);
/* Parses "rw-p"; returns perms with MSC_PERM_KNOWN, or 0 if malformed. */
uint8_t msc_perms_from_string (const char *text);

/* Decimal and KB formatting used by the writers and the CLI.
 * msc_format_kb: bytes/1024 rounded as VMMap does, with ',' thousands
 * separators; "" for zero when blank_zero. Returns buf. */
char *msc_format_u64 (uint64_t value, char *buf, size_t len);
char *msc_format_kb (uint64_t bytes, int blank_zero, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
