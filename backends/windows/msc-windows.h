/* msc-windows.h — internal to the Windows backend: the scan's state and the
 * stages that fill it (windows-notes.md §1.2-1.4, §5.3).
 *
 *   walk      VirtualQueryEx from 0 to the top of user space → blocks, grouped
 *             by allocation base into allocations; unaligned free space →
 *             Unusable (the rest of the 64 KiB granule).
 *   nt        PEB/TEB/NT_TIB layouts (64-bit and 32-bit, for WOW64) and the
 *             remote reads of them.
 *   tag       first tag wins: stacks (every thread's TEB), heaps (PEB heap
 *             list, else the heap signature; their VirtualAlloc'd large
 *             blocks), PEB/TEB sub-block labels.
 *   image     images (path, PE section names, relocation) and mapped files.
 *   managed   the .NET GC's segments and region range (Managed Heap).
 *   ws        QueryWorkingSetEx per page in large batches.
 *   scan      the entry point; emits the records.
 * Plain C11 + Win32/NT API; only this folder includes windows.h.
 */
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

/* One VirtualQueryEx region. */
typedef struct {
  uint64_t base;
  uint64_t size;
  uint64_t allocation_base;
  uint32_t state;           /* MEM_COMMIT / MEM_RESERVE / MEM_FREE */
  uint32_t protect;
  uint32_t type;            /* MEM_IMAGE / MEM_MAPPED / MEM_PRIVATE */
  uint32_t allocation_protect;
  uint64_t total_ws, private_ws, shareable_ws, shared_ws, locked_ws;
  char *details;            /* malloc'd sub-block details (sections, "TEB ..."), or NULL */
} MscWinBlock;

/* Blocks [first, first + n_blocks) with one allocation base; or one free
 * (or Unusable) range with n_blocks == 1. */
typedef struct {
  uint64_t base;
  size_t   first;
  size_t   n_blocks;
  uint8_t  type;            /* MscUseType; MSC_N_TYPES = not tagged yet */
  uint16_t flags;           /* MSC_REGION_ASLR, _STACK64, _SHAREABLE_HEAP */
  uint32_t heap_id;
  uint32_t thread_id;
  char *details;            /* malloc'd, or NULL */
} MscWinAlloc;

/* Where the fields the backend reads sit in one bitness's PEB/TEB
 * (phnt / windows-notes.md §5.1). */
typedef struct {
  unsigned ptr_size;
  unsigned peb_image_base;
  unsigned peb_process_parameters;
  unsigned peb_process_heap;
  unsigned peb_number_of_heaps;
  unsigned peb_process_heaps;
  unsigned params_command_line;     /* UNICODE_STRING in RTL_USER_PROCESS_PARAMETERS */
  unsigned teb_deallocation_stack;
  unsigned heap_signature;          /* HEAP_SEGMENT.SegmentSignature */
  unsigned heap_segment_heap;       /* HEAP_SEGMENT.Heap */
  unsigned heap_segment_list_entry; /* HEAP_SEGMENT.SegmentListEntry */
  /* NT heap (HEAP) fields that moved between Windows versions; the walk
   * tries each and keeps the one whose lists point where they must. */
  unsigned heap_nt_signature[2];    /* HEAP.Signature: Windows 8+, Windows 7 */
  unsigned heap_virtual_allocd[2];  /* HEAP.VirtualAllocdBlocks: with and without
                                     * MaximumNumberOfFreeBlocks (Windows 10 builds) */
} MscWinLayout;

extern const MscWinLayout msc_win_layout64;
extern const MscWinLayout msc_win_layout32;

#define MSC_WIN_HEAP_SIGNATURE    0xFFEEFFEEu  /* HEAP_SEGMENT.SegmentSignature */
#define MSC_WIN_SEGMENT_HEAP_SIGNATURE 0xDDEEDDEEu /* SEGMENT_HEAP.Signature (Win 8.1+) */
#define MSC_WIN_PEB_SIZE   0x400
#define MSC_WIN_TIB_SIZE   0x40
#define MSC_WIN_MAX_HEAPS  1000   /* System Informer's sanity limit */
#define MSC_WIN_HEAP_SIGNATURE_NT 0xEEFFEEFFu  /* HEAP.Signature (NT heap) */
#define MSC_WIN_HEAP_HEADER_SIZE  0x140        /* covers HEAP up to SegmentList */

typedef struct {
  uint64_t image_base;
  uint64_t process_parameters;
  uint64_t process_heap;
  uint32_t number_of_heaps;
  uint64_t process_heaps;
} MscWinPeb;

typedef struct {
  uint64_t exception_list;  /* WOW64: TEB64's holds the TEB32 address */
  uint64_t stack_base;
  uint64_t stack_limit;
} MscWinTib;

typedef struct {
  uint32_t thread_id;
  uint64_t teb;             /* native TEB */
  uint64_t teb32;           /* WOW64 only */
} MscWinThread;

typedef struct {
  HANDLE   process;
  uint32_t pid;
  uint32_t bits;            /* of the target */
  int      wow64;           /* 32-bit target seen from the 64-bit build */
  int      wine;
  const MscWinLayout *layout;   /* the native (scanner's) view */
  uint64_t peb;
  uint64_t peb32;           /* WOW64 only; 0 if not found */

  MscWinBlock *blocks;
  size_t n_blocks, cap_blocks;
  MscWinAlloc *allocs;
  size_t n_allocs, cap_allocs;
  uint64_t user_end;        /* one past the highest user address */

  MscWinThread *threads;
  size_t n_threads;

  int ws_known;
  uint64_t process_ws;       /* GetProcessMemoryInfo, where ws_known is 0 */
  uint64_t page_table_size;
  char *notes;              /* malloc'd, sentences separated by '\n' */
} MscWinScan;

/* ---- host (msc-windows-host.c) ---- */
char    *msc_win_utf8_from_wide (const wchar_t *text, int n_chars); /* n_chars -1: NUL-terminated */
wchar_t *msc_win_wide_from_utf8 (const char *text);
/* The system's message for code, trimmed, in UTF-8 ("Access is denied."). */
void     msc_win_error_text (DWORD code, char *buf, size_t len);
int      msc_win_is_wine (void);
/* ntdll's address of name, or NULL (functions newer than mingw's import libs). */
FARPROC  msc_win_ntdll_proc (const char *name);

/* ---- processes (msc-windows-process.c) ---- */
/* Opens pid for access; on failure sets status with the reason a user can act on. */
HANDLE   msc_win_open_process (uint32_t pid, DWORD access, MscStatus *status);
/* 32 or 64; *wow64 set when a 32-bit process runs on a 64-bit system. */
uint32_t msc_win_process_bits (HANDLE process, int *wow64);
void     msc_win_process_user (HANDLE process, char *buf, size_t len);
int      msc_win_process_name (uint32_t pid, char *buf, size_t len);
void     msc_win_os_version (char *buf, size_t len);

/* ---- NT structures (msc-windows-nt.c) ---- */
uint64_t msc_win_get_ptr (const MscWinLayout *layout, const uint8_t *p);
uint32_t msc_win_get_u32 (const uint8_t *p);  /* little-endian, unaligned */
int      msc_win_parse_peb (const MscWinLayout *layout, const uint8_t *buf, size_t n, MscWinPeb *peb);
int      msc_win_parse_tib (const MscWinLayout *layout, const uint8_t *buf, size_t n, MscWinTib *tib);
/* An NT heap's header (the first MSC_WIN_HEAP_HEADER_SIZE bytes at base):
 * the address of its VirtualAllocdBlocks list head and that list's first
 * entry (== *head when empty); 0 on success, -1 when it is no NT heap
 * (a segment heap, Wine's heap) or the lists do not check out. */
int      msc_win_parse_heap_lists (const MscWinLayout *layout, const uint8_t *buf, size_t n, uint64_t base,
                                   uint64_t *head, uint64_t *first);
/* Reads exactly n bytes of the target; 0 on success. */
int      msc_win_read (HANDLE process, uint64_t address, void *buf, size_t n);
int      msc_win_read_peb (HANDLE process, const MscWinLayout *layout, uint64_t address, MscWinPeb *peb);
uint64_t msc_win_read_ptr (HANDLE process, const MscWinLayout *layout, uint64_t address);
/* The native PEB's address, or 0. */
uint64_t msc_win_peb_address (HANDLE process);
/* A WOW64 process's PEB32 address (checked against its PEB), or 0. */
uint64_t msc_win_peb32_address (HANDLE process, uint64_t peb);
/* PEB (and PEB32 for WOW64) addresses; 0 on success. */
int      msc_win_find_pebs (MscWinScan *scan);
/* A UNICODE_STRING's Length (bytes) and Buffer; 0 on success. */
int      msc_win_parse_unicode_string (const MscWinLayout *layout, const uint8_t *buf, size_t n,
                                       uint16_t *length, uint64_t *buffer);
/* The target's command line from PEB(32)->ProcessParameters->CommandLine,
 * malloc'd UTF-8, or NULL; peb32 is 0 unless the target is WOW64. */
char    *msc_win_command_line (HANDLE process, uint64_t peb, uint64_t peb32);
/* The target's threads with their TEBs. */
MscStatusCode msc_win_list_threads (MscWinScan *scan, MscStatus *status);

/* ---- walk (msc-windows-walk.c) ---- */
MscStatusCode msc_win_walk (MscWinScan *scan, MscStatus *status);
/* Index of the allocation containing address, or (size_t) -1. */
size_t   msc_win_find_alloc (const MscWinScan *scan, uint64_t address);
/* Index of the block containing address, or (size_t) -1. */
size_t   msc_win_find_block (const MscWinScan *scan, uint64_t address);
/* Appends text to a malloc'd ", "-separated list; 0 on success. */
int      msc_win_append_text (char **list, const char *text);
/* Adds a sentence to scan->notes once. */
void     msc_win_note (MscWinScan *scan, const char *sentence);

/* ---- classification (msc-windows-tag.c, msc-windows-image.c) ---- */
void     msc_win_tag_stacks (MscWinScan *scan);
void     msc_win_tag_heaps (MscWinScan *scan);
void     msc_win_tag_system (MscWinScan *scan);
void     msc_win_tag_files (MscWinScan *scan);
void     msc_win_tag_managed (MscWinScan *scan);

/* ---- Managed Heap (msc-windows-managed.c) ---- */
enum {
  MSC_WIN_RUNTIME_CLR     = 1u << 0,  /* .NET Framework: clr.dll, mscorwks.dll */
  MSC_WIN_RUNTIME_CORECLR = 1u << 1,  /* .NET (Core): coreclr.dll */
};

/* One allocation as the Managed Heap rules see it. */
typedef struct {
  uint64_t base;
  uint64_t size;             /* the whole reservation */
  uint64_t committed_end;    /* end of the committed run at base (== base if none) */
  uint32_t storage;          /* MEM_PRIVATE, MEM_MAPPED, MEM_IMAGE */
  unsigned runtimes;         /* MSC_WIN_RUNTIME_* loaded in the process */
  const MscWinLayout *layout;   /* bitness of the managed code */
  const uint8_t *header;     /* the first bytes at base, or NULL if unreadable */
  size_t header_size;
} MscWinManagedCandidate;

/* MSC_WIN_RUNTIME_* for a loaded image's path, or 0. */
unsigned msc_win_managed_runtime (const char *image_path);
/* The Details label ("GC") if the allocation is the GC's, else NULL. */
const char *msc_win_managed_classify (const MscWinManagedCandidate *candidate);
/* NT path → DOS path: "\Device\HarddiskVolume3\x" → "C:\x", "\??\C:\x" → "C:\x".
 * Writes UTF-8 into buf. */
void     msc_win_dos_path (const wchar_t *nt_path, char *buf, size_t len);

/* ---- working set (msc-windows-ws.c) ---- */
void     msc_win_working_set (MscWinScan *scan);
