/* msc-windows-nt.c — the PEB, TEB and NT_TIB fields the scan needs, in both
 * bitnesses, and the thread list.
 *
 * mingw-w64's winternl.h lacks most of these fields and all of the 32-bit
 * (WOW64) structures, so the offsets are spelled out here, as phnt and
 * windows-notes.md §5.1 give them.  Parsing is kept apart from reading so
 * the 32-bit layout can be tested on captured bytes without a 32-bit target.
 */
#include "backends/windows/msc-windows.h"

#include <stdlib.h>
#include <string.h>
#include <tlhelp32.h>

#define MSC_PROCESS_BASIC_INFORMATION 0
#define MSC_PROCESS_WOW64_INFORMATION 26
#define MSC_THREAD_BASIC_INFORMATION  0

typedef LONG (NTAPI *MscNtQueryInformationProcess) (HANDLE, ULONG, void *, ULONG, ULONG *);
typedef LONG (NTAPI *MscNtQueryInformationThread) (HANDLE, ULONG, void *, ULONG, ULONG *);

typedef struct {
  LONG exit_status;
  void *peb_base_address;
  ULONG_PTR affinity_mask;
  LONG base_priority;
  ULONG_PTR unique_process_id;
  ULONG_PTR inherited_from_unique_process_id;
} MscProcessBasicInformation;

typedef struct {
  LONG exit_status;
  void *teb_base_address;
  HANDLE unique_process;
  HANDLE unique_thread;
  ULONG_PTR affinity_mask;
  LONG priority;
  LONG base_priority;
} MscThreadBasicInformation;

const MscWinLayout msc_win_layout64 = {
  .ptr_size = 8,
  .peb_image_base = 0x10,
  .peb_process_parameters = 0x20,
  .peb_process_heap = 0x30,
  .peb_number_of_heaps = 0xE8,
  .peb_process_heaps = 0xF0,
  .params_command_line = 0x70,
  .teb_deallocation_stack = 0x1478,
  .heap_signature = 0x10,
  .heap_segment_heap = 0x28,
  .heap_segment_list_entry = 0x18,
  .heap_nt_signature = { 0x98, 0xA0 },
  .heap_virtual_allocd = { 0x118, 0x110 },
};

const MscWinLayout msc_win_layout32 = {
  .ptr_size = 4,
  .peb_image_base = 0x08,
  .peb_process_parameters = 0x10,
  .peb_process_heap = 0x18,
  .peb_number_of_heaps = 0x88,
  .peb_process_heaps = 0x90,
  .params_command_line = 0x40,
  .teb_deallocation_stack = 0xE0C,
  .heap_signature = 0x08,
  .heap_segment_heap = 0x18,
  .heap_segment_list_entry = 0x10,
  .heap_nt_signature = { 0x60, 0x64 },
  .heap_virtual_allocd = { 0xA0, 0x9C },
};

/* Little-endian, unaligned: the bytes came from another process. */
uint64_t
msc_win_get_ptr (const MscWinLayout *layout, const uint8_t *p)
{
  uint64_t value = 0;

  for (unsigned i = layout->ptr_size; i-- > 0;)
    value = (value << 8) | p[i];
  return value;
}

uint32_t
msc_win_get_u32 (const uint8_t *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

int
msc_win_parse_peb (const MscWinLayout *layout, const uint8_t *buf, size_t n, MscWinPeb *peb)
{
  memset (peb, 0, sizeof *peb);
  if (n < layout->peb_process_heaps + layout->ptr_size)
    return -1;
  peb->image_base = msc_win_get_ptr (layout, buf + layout->peb_image_base);
  peb->process_parameters = msc_win_get_ptr (layout, buf + layout->peb_process_parameters);
  peb->process_heap = msc_win_get_ptr (layout, buf + layout->peb_process_heap);
  peb->number_of_heaps = msc_win_get_u32 (buf + layout->peb_number_of_heaps);
  peb->process_heaps = msc_win_get_ptr (layout, buf + layout->peb_process_heaps);
  return 0;
}

int
msc_win_parse_tib (const MscWinLayout *layout, const uint8_t *buf, size_t n, MscWinTib *tib)
{
  memset (tib, 0, sizeof *tib);
  if (n < 3 * layout->ptr_size)
    return -1;
  /* NT_TIB: ExceptionList, StackBase, StackLimit, ... */
  tib->exception_list = msc_win_get_ptr (layout, buf);
  tib->stack_base = msc_win_get_ptr (layout, buf + layout->ptr_size);
  tib->stack_limit = msc_win_get_ptr (layout, buf + 2 * layout->ptr_size);
  return 0;
}

int
msc_win_parse_heap_lists (const MscWinLayout *layout, const uint8_t *buf, size_t n, uint64_t base,
                          uint64_t *head, uint64_t *first)
{
  unsigned ptr = layout->ptr_size;
  int nt_heap = 0;

  *head = *first = 0;
  if (n < MSC_WIN_HEAP_HEADER_SIZE)
    return -1;
  for (int i = 0; i < 2; i++)
    nt_heap |= msc_win_get_u32 (buf + layout->heap_nt_signature[i]) == MSC_WIN_HEAP_SIGNATURE_NT;
  if (!nt_heap)
    return -1;
  /* VirtualAllocdBlocks is followed by SegmentList, whose entries are the
   * heap's segments; the first segment is the heap itself, so one end of
   * that list points at the heap's own SegmentListEntry.  Only the right
   * offset passes that test. */
  for (int i = 0; i < 2; i++)
    {
      unsigned offset = layout->heap_virtual_allocd[i];
      uint64_t own_segment = base + layout->heap_segment_list_entry;
      uint64_t flink = msc_win_get_ptr (layout, buf + offset);
      uint64_t blink = msc_win_get_ptr (layout, buf + offset + ptr);

      if ((msc_win_get_ptr (layout, buf + offset + 2 * ptr) == own_segment
           || msc_win_get_ptr (layout, buf + offset + 3 * ptr) == own_segment)
          && flink != 0 && blink != 0)
        {
          *head = base + offset;
          *first = flink;
          return 0;
        }
    }
  return -1;
}

int
msc_win_read (HANDLE process, uint64_t address, void *buf, size_t n)
{
  SIZE_T done = 0;

  if (address == 0 || (sizeof (void *) == 4 && address + n > 0xFFFFFFFFull))
    return -1;
  if (!ReadProcessMemory (process, (const void *) (uintptr_t) address, buf, n, &done) || done != n)
    return -1;
  return 0;
}

uint64_t
msc_win_read_ptr (HANDLE process, const MscWinLayout *layout, uint64_t address)
{
  uint8_t buf[8];

  if (msc_win_read (process, address, buf, layout->ptr_size) != 0)
    return 0;
  return msc_win_get_ptr (layout, buf);
}

int
msc_win_read_peb (HANDLE process, const MscWinLayout *layout, uint64_t address, MscWinPeb *peb)
{
  uint8_t buf[MSC_WIN_PEB_SIZE];

  if (msc_win_read (process, address, buf, sizeof buf) != 0)
    return -1;
  return msc_win_parse_peb (layout, buf, sizeof buf, peb);
}

static int
msc_win_query_process (HANDLE process, ULONG info_class, void *buf, ULONG len)
{
  MscNtQueryInformationProcess query =
    (MscNtQueryInformationProcess) (void (*) (void)) msc_win_ntdll_proc ("NtQueryInformationProcess");

  return query != NULL && query (process, info_class, buf, len, NULL) == 0 ? 0 : -1;
}

uint64_t
msc_win_peb_address (HANDLE process)
{
  MscProcessBasicInformation basic = { 0 };

  if (msc_win_query_process (process, MSC_PROCESS_BASIC_INFORMATION, &basic, sizeof basic) != 0)
    return 0;
  return (uint64_t) (uintptr_t) basic.peb_base_address;
}

/* A WOW64 process's PEB32: Windows returns its address for
 * ProcessWow64Information; Wine returns 1, and places it one page after the
 * PEB64 as Windows usually does.  Either way it must look like a PEB32 of
 * the same image. */
uint64_t
msc_win_peb32_address (HANDLE process, uint64_t peb)
{
  ULONG_PTR wow64_info = 0;
  MscWinPeb peb64, peb32;
  uint64_t candidate;

  if (peb == 0
      || msc_win_query_process (process, MSC_PROCESS_WOW64_INFORMATION, &wow64_info, sizeof wow64_info) != 0)
    return 0;
  candidate = wow64_info > 1 ? (uint64_t) wow64_info : peb + 0x1000;
  if (msc_win_read_peb (process, &msc_win_layout64, peb, &peb64) != 0
      || msc_win_read_peb (process, &msc_win_layout32, candidate, &peb32) != 0
      || peb32.image_base != peb64.image_base)
    return 0;
  return candidate;
}

int
msc_win_find_pebs (MscWinScan *scan)
{
  scan->peb = msc_win_peb_address (scan->process);
  if (scan->wow64)
    {
      scan->peb32 = msc_win_peb32_address (scan->process, scan->peb);
      if (scan->peb32 == 0)
        msc_win_note (scan, "The 32-bit PEB of this WOW64 process was not found: its 32-bit heaps are shown as Private Data.");
    }
  return scan->peb != 0 ? 0 : -1;
}

int
msc_win_parse_unicode_string (const MscWinLayout *layout, const uint8_t *buf, size_t n, uint16_t *length,
                              uint64_t *buffer)
{
  *length = 0;
  *buffer = 0;
  if (n < 2u * layout->ptr_size)
    return -1;
  /* UNICODE_STRING: Length (bytes), MaximumLength, then Buffer, aligned to
   * a pointer (4 bytes of padding in the 64-bit layout). */
  *length = (uint16_t) (buf[0] | buf[1] << 8);
  *buffer = msc_win_get_ptr (layout, buf + layout->ptr_size);
  return *length % 2 == 0 ? 0 : -1;
}

/* ProcessParameters->CommandLine of the PEB at peb, read with layout. */
static char *
msc_win_read_command_line (HANDLE process, const MscWinLayout *layout, uint64_t peb_address)
{
  MscWinPeb peb;
  uint8_t string[16];
  uint64_t buffer;
  uint16_t length;
  wchar_t *text;
  char *utf8;

  if (peb_address == 0 || msc_win_read_peb (process, layout, peb_address, &peb) != 0
      || msc_win_read (process, peb.process_parameters + layout->params_command_line, string,
                       2 * layout->ptr_size) != 0
      || msc_win_parse_unicode_string (layout, string, sizeof string, &length, &buffer) != 0
      || length == 0 || (text = calloc (length / 2 + 1, sizeof *text)) == NULL)
    return NULL;
  utf8 = msc_win_read (process, buffer, text, length) == 0 ? msc_win_utf8_from_wide (text, length / 2) : NULL;
  free (text);
  return utf8;
}

char *
msc_win_command_line (HANDLE process, uint64_t peb, uint64_t peb32)
{
  const MscWinLayout *native = sizeof (void *) == 8 ? &msc_win_layout64 : &msc_win_layout32;
  char *text = NULL;

  /* A WOW64 process has both: the 32-bit copy is the one its own code sees
   * (GetCommandLineW) and may have changed; the native one is the fallback. */
  if (peb32 != 0)
    text = msc_win_read_command_line (process, &msc_win_layout32, peb32);
  return text != NULL ? text : msc_win_read_command_line (process, native, peb);
}

/* The TEB of one thread, or 0. */
static uint64_t
msc_win_thread_teb (DWORD thread_id)
{
  MscNtQueryInformationThread query =
    (MscNtQueryInformationThread) (void (*) (void)) msc_win_ntdll_proc ("NtQueryInformationThread");
  MscThreadBasicInformation basic = { 0 };
  HANDLE thread = OpenThread (THREAD_QUERY_LIMITED_INFORMATION, FALSE, thread_id);
  uint64_t teb = 0;

  if (thread == NULL)
    thread = OpenThread (THREAD_QUERY_INFORMATION, FALSE, thread_id);
  if (thread == NULL)
    return 0;
  if (query != NULL && query (thread, MSC_THREAD_BASIC_INFORMATION, &basic, sizeof basic, NULL) == 0)
    teb = (uint64_t) (uintptr_t) basic.teb_base_address;
  CloseHandle (thread);
  return teb;
}

static int
msc_win_add_thread (MscWinScan *scan, size_t *cap, DWORD thread_id)
{
  MscWinThread *thread;

  if (scan->n_threads == *cap)
    {
      size_t grown_cap = *cap ? *cap * 2 : 32;
      MscWinThread *grown = realloc (scan->threads, grown_cap * sizeof *grown);

      if (grown == NULL)
        return -1;
      scan->threads = grown;
      *cap = grown_cap;
    }
  thread = &scan->threads[scan->n_threads++];
  thread->thread_id = thread_id;
  thread->teb = msc_win_thread_teb (thread_id);
  /* WOW64 keeps the TEB32's address in TEB64.NtTib.ExceptionList, which the
   * 64-bit side never uses for exception handling (System Informer). */
  thread->teb32 = scan->wow64 && thread->teb != 0 ? msc_win_read_ptr (scan->process, &msc_win_layout64, thread->teb) : 0;
  return 0;
}

MscStatusCode
msc_win_list_threads (MscWinScan *scan, MscStatus *status)
{
  HANDLE snapshot = CreateToolhelp32Snapshot (TH32CS_SNAPTHREAD, 0);
  THREADENTRY32 entry = { .dwSize = sizeof entry };
  size_t cap = 0;

  if (snapshot == INVALID_HANDLE_VALUE)
    {
      msc_win_note (scan, "The thread list was not available: stacks are shown as Private Data.");
      return MSC_OK;
    }
  if (Thread32First (snapshot, &entry))
    do
      if (entry.th32OwnerProcessID == scan->pid && msc_win_add_thread (scan, &cap, entry.th32ThreadID) != 0)
        {
          CloseHandle (snapshot);
          return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory");
        }
    while (Thread32Next (snapshot, &entry));
  CloseHandle (snapshot);
  return MSC_OK;
}
