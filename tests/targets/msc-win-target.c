/* msc-win-target.c — a Windows process with a known memory layout, for the
 * Windows backend's tests and the capture tool's tests.
 *
 * usage: msc-win-target.exe <file-to-create>
 *
 * It allocates, then reports every allocation on stdout as
 *   name=<label> addr=0x<hex> size=<bytes> committed=<bytes> touched=<bytes> [tid=<id>] [path=<path>]
 * preceded by "pid=<id>" and followed by "ready", then waits until stdin
 * says "quit" or reaches EOF.
 *
 *   reservation  8 MiB reserved, first 2 MiB committed, 1 MiB written
 *   odd          12 KiB committed: the rest of its 64 KiB granule is Unusable
 *   heap         HeapCreate'd private heap, 100 HeapAlloc's of 1000 bytes
 *   heap-large   a 2 MiB HeapAlloc from that heap (its own VirtualAlloc region,
 *                HEAP.VirtualAllocdBlocks on Windows); addr = the block
 *   string-ascii, string-utf16
 *                known text in a heap block (size = bytes, no terminator)
 *   string-cross known ASCII text across the reservation's first page boundary
 *   stack-<n>    threads with 256 KiB and 1 MiB stack reservations
 *   file         the named file, 64 KiB, created and mapped read/write
 *   section      4 MiB pagefile-backed section, 64 KiB written
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define KIB 1024u
#define MIB (1024u * 1024u)

static HANDLE msc_quit_event;

static void
msc_report (const char *name, const void *addr, size_t size, size_t committed, size_t touched)
{
  printf ("name=%s addr=0x%llx size=%llu committed=%llu touched=%llu\n", name,
          (unsigned long long) (uintptr_t) addr, (unsigned long long) size,
          (unsigned long long) committed, (unsigned long long) touched);
}

static void
msc_touch (void *addr, size_t bytes)
{
  for (size_t offset = 0; offset < bytes; offset += 4096)
    ((volatile char *) addr)[offset] = 1;
}

/* Strings the Strings view must find where the target says they are; the
 * test spells them the same way. */
#define MSC_STRING_ASCII "MemscopeAsciiMarker-7Q"
#define MSC_STRING_UTF16 L"MemscopeWideMarker-9Z"
#define MSC_STRING_CROSS "MemscopePageCrossMarker"

static int
msc_reserve (void)
{
  char *base = VirtualAlloc (NULL, 8 * MIB, MEM_RESERVE, PAGE_NOACCESS);

  if (base == NULL || VirtualAlloc (base, 2 * MIB, MEM_COMMIT, PAGE_READWRITE) == NULL)
    return -1;
  msc_touch (base, 1 * MIB);
  msc_report ("reservation", base, 8 * MIB, 2 * MIB, 1 * MIB);
  /* Half on each side of the first page boundary: a reader that handles
   * pages one by one must still see it whole. */
  memcpy (base + 4096 - 11, MSC_STRING_CROSS, strlen (MSC_STRING_CROSS));
  msc_report ("string-cross", base + 4096 - 11, strlen (MSC_STRING_CROSS), 0, 0);
  base = VirtualAlloc (NULL, 12 * KIB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (base == NULL)
    return -1;
  msc_report ("odd", base, 12 * KIB, 12 * KIB, 0);
  return 0;
}

static int
msc_heap (void)
{
  HANDLE heap = HeapCreate (0, 0, 0);
  char *text, *large;

  if (heap == NULL)
    return -1;
  for (int i = 0; i < 100; i++)
    if (HeapAlloc (heap, 0, 1000) == NULL)
      return -1;
  msc_report ("heap", heap, 0, 0, 0);
  /* Above the heap's VirtualMemoryThreshold (~1 MiB on x64): the heap
   * VirtualAllocs it separately. */
  large = HeapAlloc (heap, 0, 2 * MIB);
  text = HeapAlloc (heap, HEAP_ZERO_MEMORY, 256);
  if (large == NULL || text == NULL)
    return -1;
  msc_touch (large, 2 * MIB);
  msc_report ("heap-large", large, 2 * MIB, 2 * MIB, 2 * MIB);
  memcpy (text, MSC_STRING_ASCII, strlen (MSC_STRING_ASCII));
  msc_report ("string-ascii", text, strlen (MSC_STRING_ASCII), 0, 0);
  memcpy (text + 64, MSC_STRING_UTF16, wcslen (MSC_STRING_UTF16) * sizeof (wchar_t));
  msc_report ("string-utf16", text + 64, wcslen (MSC_STRING_UTF16) * sizeof (wchar_t), 0, 0);
  return 0;
}

static DWORD WINAPI
msc_thread_main (void *data)
{
  (void) data;
  WaitForSingleObject (msc_quit_event, INFINITE);
  return 0;
}

static int
msc_threads (void)
{
  static const SIZE_T reserves[2] = { 256 * KIB, 1 * MIB };

  for (int i = 0; i < 2; i++)
    {
      DWORD tid;
      HANDLE thread = CreateThread (NULL, reserves[i], msc_thread_main, NULL,
                                    STACK_SIZE_PARAM_IS_A_RESERVATION, &tid);

      if (thread == NULL)
        return -1;
      printf ("name=stack-%d addr=0x0 size=%llu committed=0 touched=0 tid=%lu\n", i,
              (unsigned long long) reserves[i], (unsigned long) tid);
      CloseHandle (thread);
    }
  printf ("name=main-thread addr=0x0 size=0 committed=0 touched=0 tid=%lu\n", (unsigned long) GetCurrentThreadId ());
  return 0;
}

static int
msc_file (const char *path)
{
  HANDLE file = CreateFileA (path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                             CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY, NULL);
  HANDLE mapping;
  char *view;
  char full[MAX_PATH];

  if (file == INVALID_HANDLE_VALUE)
    return -1;
  mapping = CreateFileMappingA (file, NULL, PAGE_READWRITE, 0, 64 * KIB, NULL);
  view = mapping != NULL ? MapViewOfFile (mapping, FILE_MAP_WRITE, 0, 0, 64 * KIB) : NULL;
  if (view == NULL || GetFullPathNameA (path, sizeof full, full, NULL) == 0)
    return -1;
  memcpy (view, "memscope", 8);
  printf ("name=file addr=0x%llx size=%u committed=%u touched=4096 path=%s\n",
          (unsigned long long) (uintptr_t) view, 64 * KIB, 64 * KIB, full);
  return 0;
}

static int
msc_section (void)
{
  HANDLE mapping = CreateFileMappingA (INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4 * MIB, NULL);
  char *view = mapping != NULL ? MapViewOfFile (mapping, FILE_MAP_WRITE, 0, 0, 0) : NULL;

  if (view == NULL)
    return -1;
  msc_touch (view, 64 * KIB);
  msc_report ("section", view, 4 * MIB, 4 * MIB, 64 * KIB);
  return 0;
}

int
main (int argc, char **argv)
{
  char line[64];

  if (argc != 2)
    {
      fprintf (stderr, "usage: msc-win-target.exe <file-to-create>\n");
      return 2;
    }
  msc_quit_event = CreateEventA (NULL, TRUE, FALSE, NULL);
  printf ("pid=%lu\n", (unsigned long) GetCurrentProcessId ());
  if (msc_reserve () != 0 || msc_heap () != 0 || msc_threads () != 0 || msc_file (argv[1]) != 0
      || msc_section () != 0)
    {
      fprintf (stderr, "msc-win-target: setup failed (error %lu)\n", (unsigned long) GetLastError ());
      return 1;
    }
  printf ("ready\n");
  fflush (stdout);
  while (fgets (line, sizeof line, stdin) != NULL && strncmp (line, "quit", 4) != 0)
    ;
  SetEvent (msc_quit_event);
  return 0;
}
