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

/* Parses a VMMap Type string (either form, ASCII case-insensitive, plus the
 * old help's names "Private" = Private Data, "System" = Page Table, "Stack");
 * ORs into *flags (may be NULL) the bits it implies (MSC_REGION_ASLR,
 * MSC_REGION_SHAREABLE_HEAP). Returns the MscUseType, or -1 if unknown. */
int msc_use_type_from_string (const char *text, uint16_t *flags);

/* VMMap's .mmp UseType code (0 Heap, 1 Stack, 2 Image, ...; formats.md §2.6)
 * and back (-1 if unknown). */
int msc_use_type_to_vmmap_code (MscUseType type);
int msc_use_type_from_vmmap_code (int code);

/* Buffer sizes that always suffice for the functions below (NUL included). */
#define MSC_FORMAT_U64_LEN   21  /* "18446744073709551615" */
#define MSC_FORMAT_KB_LEN    23  /* "18,014,398,509,481,984" */
#define MSC_PROTECTION_LEN   64  /* "Execute/Copy on Write/Guard/No cache/WriteCombine" */

/* VMMap protection text: "Read/Write", "Execute/Read", "Copy on write",
 * "Reserved" (0 on a non-free region), "No access", "Read/Write/Guard", ...
 * A value VMMap has no words for is shown as hex ("0x1800"). Returns either
 * a static string or buf (truncated to len if len < MSC_PROTECTION_LEN). */
const char *msc_protection_string (uint32_t protection, char *buf, size_t len);

/* "rw-p" style text of MSC_PERM_* bits; "" when not known. */
const char *msc_perms_string (uint8_t perms, char buf[5]);
/* Parses "rw-p"; returns perms with MSC_PERM_KNOWN, or 0 if malformed. */
uint8_t msc_perms_from_string (const char *text);

/* Decimal and KB formatting used by the writers and the CLI.
 * msc_format_kb: bytes/1024 rounded to nearest (512 bytes round up), with ','
 * thousands separators; "" when the rounded value is zero and blank_zero
 * (VMMap leaves zero cells empty). Both return buf, which must hold
 * MSC_FORMAT_U64_LEN / MSC_FORMAT_KB_LEN bytes; a shorter buf gets "". */
char *msc_format_u64 (uint64_t value, char *buf, size_t len);
/* bytes in KB rounded as msc_format_kb() shows them. */
uint64_t msc_round_kb (uint64_t bytes);
char *msc_format_kb (uint64_t bytes, int blank_zero, char *buf, size_t len);

/* The thread of "Thread ID: 812" in a Details text (VMMap's stacks name
 * their thread only there); 0 when there is none or it is out of range. */
uint32_t msc_thread_id_from_details (const char *details);

/* Room for any msc_text_escape() text, NUL included. */
#define MSC_ESCAPE_LEN 8

/* How a text view shows the character at p (a NUL-terminated string), so a
 * string read from a capture or a process can never forge a line or reorder
 * one: C0 controls and DEL as "\n", "\r", "\t" or "\x1B"; C1 controls,
 * the line/paragraph separators U+2028/2029 and the bidirectional controls
 * (U+202A-202E, U+2066-2069) as "\u2028"; invalid UTF-8 as U+FFFD (one per
 * maximal invalid subsequence). A backslash stays as it is: Windows paths
 * are full of them. Writes the escape to out (NUL-terminated) and returns
 * its length, or 0 when the character is shown as it is; *n receives the
 * bytes it takes in p (0 at the end of the string). */
size_t msc_text_escape (const char *p, size_t *n, char out[MSC_ESCAPE_LEN]);

/* Hands s to write, in pieces, as text views show it (msc_text_escape()),
 * with '"' doubled when csv: the one loop behind the CSV and text writers
 * and the GLib layer's msc_string_append_escaped(). */
typedef void (*MscTextWriteFunc) (void *user, const char *data, size_t n);
void msc_text_escape_each (const char *s, int csv, MscTextWriteFunc write, void *user);
/* Hands s to write as the .mmp writes it in an attribute (escape 1: & < > "
 * and tab/LF/CR as references), or as an XML parser reads that back
 * (escape 0); either way invalid UTF-8 and characters XML forbids become
 * U+FFFD. */
void msc_xml_text_each (const char *s, int escape, MscTextWriteFunc write, void *user);

#ifdef __cplusplus
}
#endif
