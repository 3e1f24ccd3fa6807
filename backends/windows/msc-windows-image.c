/* msc-windows-image.c — what is left after stacks and heaps: images (path,
 * PE section names per sub-block, relocation), mapped files, pagefile-backed
 * sections (Shareable) and Private Data. */
#include "backends/windows/msc-windows.h"

#include <psapi.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MSC_WIN_PE_HEADER_SIZE 4096
#define MSC_WIN_SECTION_SIZE   40

typedef struct {
  wchar_t device[26][MAX_PATH];  /* "\Device\HarddiskVolume3" for C: ... */
} MscWinDrives;

static void
msc_win_drives_init (MscWinDrives *drives)
{
  wchar_t name[3] = L"A:";

  for (int d = 0; d < 26; d++)
    {
      name[0] = (wchar_t) (L'A' + d);
      if (QueryDosDeviceW (name, drives->device[d], MAX_PATH) == 0)
        drives->device[d][0] = L'\0';
    }
}

static void
msc_win_put_utf8 (const wchar_t *text, char *buf, size_t len)
{
  char *utf8 = msc_win_utf8_from_wide (text, -1);
  size_t n = utf8 != NULL ? strlen (utf8) : 0;

  if (n >= len)
    n = len - 1;
  if (n > 0)
    memcpy (buf, utf8, n);
  buf[n] = '\0';
  free (utf8);
}

static void
msc_win_dos_path_with (const MscWinDrives *drives, const wchar_t *nt_path, char *buf, size_t len)
{
  wchar_t converted[MAX_PATH * 2];

  /* Wine answers with DOS-style NT paths ("\??\C:\..."), Windows with the
   * volume's device name ("\Device\HarddiskVolume3\..."). */
  if (wcsncmp (nt_path, L"\\??\\", 4) == 0 || wcsncmp (nt_path, L"\\\\?\\", 4) == 0)
    {
      msc_win_put_utf8 (nt_path + 4, buf, len);
      return;
    }
  if (wcsncmp (nt_path, L"\\Device\\Mup\\", 12) == 0)
    {
      _snwprintf (converted, sizeof converted / sizeof converted[0], L"\\\\%ls", nt_path + 12);
      converted[sizeof converted / sizeof converted[0] - 1] = L'\0';
      msc_win_put_utf8 (converted, buf, len);
      return;
    }
  for (int d = 0; drives != NULL && d < 26; d++)
    {
      size_t n = wcslen (drives->device[d]);

      if (n > 0 && wcsncmp (nt_path, drives->device[d], n) == 0 && nt_path[n] == L'\\')
        {
          _snwprintf (converted, sizeof converted / sizeof converted[0], L"%lc:%ls", (wint_t) (L'A' + d), nt_path + n);
          converted[sizeof converted / sizeof converted[0] - 1] = L'\0';
          msc_win_put_utf8 (converted, buf, len);
          return;
        }
    }
  msc_win_put_utf8 (nt_path, buf, len);
}

void
msc_win_dos_path (const wchar_t *nt_path, char *buf, size_t len)
{
  MscWinDrives *drives = malloc (sizeof *drives);

  if (drives != NULL)
    msc_win_drives_init (drives);
  msc_win_dos_path_with (drives, nt_path, buf, len);
  free (drives);
}

/* The file behind a mapped view, or NULL (pagefile-backed section). */
static char *
msc_win_mapped_name (MscWinScan *scan, const MscWinDrives *drives, uint64_t base)
{
  wchar_t nt_path[MAX_PATH * 2];
  char path[MAX_PATH * 4];
  DWORD n = GetMappedFileNameW (scan->process, (void *) (uintptr_t) base, nt_path,
                                sizeof nt_path / sizeof nt_path[0]);

  if (n == 0)
    return NULL;
  nt_path[n < sizeof nt_path / sizeof nt_path[0] ? n : n - 1] = L'\0';
  msc_win_dos_path_with (drives, nt_path, path, sizeof path);
  return strdup (path);
}

static uint16_t
msc_win_u16 (const uint8_t *p)
{
  return (uint16_t) (p[0] | p[1] << 8);
}

/* Names of the sections overlapping [start, end) (offsets from the image
 * base), space-separated, as the Linux backend lists ELF sections. */
static char *
msc_win_section_names (const uint8_t *sections, unsigned n, uint64_t start, uint64_t end)
{
  char *names = NULL;
  size_t used = 0;

  for (unsigned s = 0; s < n; s++)
    {
      const uint8_t *section = sections + s * MSC_WIN_SECTION_SIZE;
      uint64_t va = msc_win_get_u32 (section + 12), size = msc_win_get_u32 (section + 8);
      char name[9];
      char *grown;
      size_t len;

      if (size == 0 || va >= end || va + size <= start)
        continue;
      memcpy (name, section, 8);
      name[8] = '\0';
      len = strlen (name);
      if ((grown = realloc (names, used + len + 2)) == NULL)
        break;
      names = grown;
      if (used > 0)
        names[used++] = ' ';
      memcpy (names + used, name, len + 1);
      used += len;
    }
  return names;
}

/* Reads the PE headers: section names for each sub-block, and whether the
 * image takes part in ASLR (VMMap's "Image (ASLR)"): it opted in
 * (IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE), or the loader moved it from its
 * preferred base. (Windows rewrites ImageBase in the mapped header of a
 * relocated image, so the flag is the signal that holds there.) */
static void
msc_win_describe_image (MscWinScan *scan, MscWinAlloc *alloc)
{
  uint8_t *header = malloc (MSC_WIN_PE_HEADER_SIZE);
  uint32_t pe;
  uint16_t n_sections, optional_size, magic;
  uint64_t preferred;
  const uint8_t *sections;

  if (header == NULL || msc_win_read (scan->process, alloc->base, header, MSC_WIN_PE_HEADER_SIZE) != 0
      || msc_win_u16 (header) != 0x5A4D /* MZ */)
    goto out;
  pe = msc_win_get_u32 (header + 0x3C);
  if (pe > MSC_WIN_PE_HEADER_SIZE - 24 - 0x70 || msc_win_get_u32 (header + pe) != 0x00004550 /* PE\0\0 */)
    goto out;
  n_sections = msc_win_u16 (header + pe + 6);
  optional_size = msc_win_u16 (header + pe + 20);
  magic = msc_win_u16 (header + pe + 24);
  /* ImageBase: PE32 +28 (4 bytes), PE32+ +24 (8 bytes) into the optional header. */
  preferred = magic == 0x20B ? (uint64_t) msc_win_get_u32 (header + pe + 48) | (uint64_t) msc_win_get_u32 (header + pe + 52) << 32
                             : msc_win_get_u32 (header + pe + 52);
  /* DllCharacteristics: +70 into either optional header. */
  if (preferred != alloc->base || (msc_win_u16 (header + pe + 24 + 70) & 0x0040))
    alloc->flags |= MSC_REGION_ASLR;
  sections = header + pe + 24 + optional_size;
  if ((size_t) (sections - header) + (size_t) n_sections * MSC_WIN_SECTION_SIZE > MSC_WIN_PE_HEADER_SIZE)
    goto out;
  for (size_t b = alloc->first; b < alloc->first + alloc->n_blocks; b++)
    {
      MscWinBlock *block = &scan->blocks[b];

      if (block->details == NULL)
        block->details = msc_win_section_names (sections, n_sections, block->base - alloc->base,
                                                block->base - alloc->base + block->size);
    }
out:
  free (header);
}

void
msc_win_tag_files (MscWinScan *scan)
{
  MscWinDrives *drives = malloc (sizeof *drives);

  if (drives != NULL)
    msc_win_drives_init (drives);
  for (size_t a = 0; a < scan->n_allocs; a++)
    {
      MscWinAlloc *alloc = &scan->allocs[a];
      uint32_t type = scan->blocks[alloc->first].type;

      if (alloc->type != MSC_N_TYPES)
        continue;
      if (type == MEM_IMAGE)
        {
          alloc->type = MSC_TYPE_IMAGE;
          alloc->details = msc_win_mapped_name (scan, drives, alloc->base);
          msc_win_describe_image (scan, alloc);
        }
      else if (type == MEM_MAPPED)
        {
          alloc->details = msc_win_mapped_name (scan, drives, alloc->base);
          alloc->type = alloc->details != NULL ? MSC_TYPE_MAPPED_FILE : MSC_TYPE_SHAREABLE;
        }
      else
        alloc->type = MSC_TYPE_PRIVATE_DATA;
    }
  free (drives);
}
