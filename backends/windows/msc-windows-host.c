/* msc-windows-host.c — host services on Windows: atomic file replacement,
 * the clock, text conversion and Wine detection. */
#include "backends/windows/msc-windows.h"
#include "backends/msc-backend-host.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
msc_win_utf8_from_wide (const wchar_t *text, int n_chars)
{
  int n = WideCharToMultiByte (CP_UTF8, 0, text, n_chars, NULL, 0, NULL, NULL);
  char *out;

  if (n_chars == 0 || n <= 0)
    return calloc (1, 1);
  out = malloc ((size_t) n + 1);
  if (out == NULL)
    return NULL;
  WideCharToMultiByte (CP_UTF8, 0, text, n_chars, out, n, NULL, NULL);
  out[n] = '\0';
  return out;
}

wchar_t *
msc_win_wide_from_utf8 (const char *text)
{
  int n = MultiByteToWideChar (CP_UTF8, 0, text, -1, NULL, 0);
  wchar_t *out;

  if (n <= 0)
    return NULL;
  out = malloc ((size_t) n * sizeof *out);
  if (out != NULL)
    MultiByteToWideChar (CP_UTF8, 0, text, -1, out, n);
  return out;
}

void
msc_win_error_text (DWORD code, char *buf, size_t len)
{
  wchar_t wide[256];
  DWORD n = FormatMessageW (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code,
                            0, wide, sizeof wide / sizeof wide[0], NULL);
  char *text;

  /* The system's text ends in ".\r\n"; Wine has no text for some codes. */
  while (n > 0 && (wide[n - 1] == L'\n' || wide[n - 1] == L'\r' || wide[n - 1] == L' '))
    n--;
  text = n > 0 ? msc_win_utf8_from_wide (wide, (int) n) : NULL;
  if (text != NULL && text[0] != '\0')
    snprintf (buf, len, "%s", text);
  else
    snprintf (buf, len, "error %lu", (unsigned long) code);
  free (text);
}

FARPROC
msc_win_ntdll_proc (const char *name)
{
  HMODULE ntdll = GetModuleHandleW (L"ntdll.dll");

  return ntdll != NULL ? GetProcAddress (ntdll, name) : NULL;
}

int
msc_win_is_wine (void)
{
  /* Wine's ntdll exports wine_get_version; Windows' never does. */
  return msc_win_ntdll_proc ("wine_get_version") != NULL;
}

/* ---- the backend interface's host services ---- */

uint64_t
msc_backend_now (void)
{
  FILETIME ft;

  GetSystemTimeAsFileTime (&ft);
  return ((uint64_t) ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

void
msc_backend_binary_stdin (void)
{
  _setmode (_fileno (stdin), _O_BINARY);
}

uint32_t
msc_backend_self_pid (void)
{
  return (uint32_t) GetCurrentProcessId ();
}

static MscStatusCode
msc_win_file_error (MscStatus *status, const char *verb, const char *dest, DWORD code)
{
  char reason[256];

  msc_win_error_text (code, reason, sizeof reason);
  return msc_status_set (status, code == ERROR_NOT_ENOUGH_MEMORY ? MSC_ERR_NO_MEMORY : MSC_ERR_IO,
                         "%s %s: %s", verb, dest, reason);
}

/* Creates dest.XXXXXX, new (CREATE_NEW), trying other names on collision. */
static HANDLE
msc_win_create_temp (const char *dest, char **tmp_path, DWORD *error)
{
  size_t len = strlen (dest);

  for (unsigned attempt = 0; attempt < 100; attempt++)
    {
      char *path = malloc (len + 16);
      wchar_t *wide;
      HANDLE handle;

      if (path == NULL)
        break;
      snprintf (path, len + 16, "%s.%06lx", dest,
                (unsigned long) ((GetTickCount () ^ (GetCurrentProcessId () << 8)) + attempt * 7919u) & 0xFFFFFFu);
      wide = msc_win_wide_from_utf8 (path);
      handle = wide != NULL ? CreateFileW (wide, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                                           FILE_ATTRIBUTE_NORMAL, NULL)
                            : INVALID_HANDLE_VALUE;
      *error = wide != NULL ? GetLastError () : ERROR_NOT_ENOUGH_MEMORY;
      free (wide);
      if (handle != INVALID_HANDLE_VALUE)
        {
          *tmp_path = path;
          return handle;
        }
      free (path);
      if (*error != ERROR_FILE_EXISTS && *error != ERROR_ALREADY_EXISTS)
        return INVALID_HANDLE_VALUE;
    }
  return INVALID_HANDLE_VALUE;
}

void
msc_backend_write_behind (FILE *file)
{
  /* The cache manager writes behind on its own (lazy writer). */
  (void) file;
}

void
msc_backend_prefault (void *address, size_t size)
{
  /* Windows has no call that makes private pages present ahead of use
   * (PrefetchVirtualMemory reads files in); the loop takes its faults. */
  (void) address;
  (void) size;
}

void
msc_host_remove_file (const char *path)
{
  wchar_t *wide = msc_win_wide_from_utf8 (path);

  if (wide != NULL)
    DeleteFileW (wide);
  free (wide);
}

FILE *
msc_backend_temp_open (const char *dest, char **tmp_path, MscStatus *status)
{
  DWORD error = ERROR_NOT_ENOUGH_MEMORY;
  HANDLE handle = msc_win_create_temp (dest, tmp_path, &error);
  FILE *file;
  int fd;

  if (handle == INVALID_HANDLE_VALUE)
    {
      *tmp_path = NULL;
      msc_win_file_error (status, "cannot write", dest, error);
      return NULL;
    }
  /* Binary mode: the writers choose their own line ends ("\n" in .mmp,
   * "\r\n" in CSV/TXT) and must not get a second "\r" from the CRT. */
  fd = _open_osfhandle ((intptr_t) handle, _O_WRONLY | _O_BINARY);
  file = fd >= 0 ? _fdopen (fd, "wb") : NULL;
  if (file == NULL)
    {
      if (fd >= 0)
        _close (fd);
      else
        CloseHandle (handle);
      msc_host_remove_file (*tmp_path);
      free (*tmp_path);
      *tmp_path = NULL;
      msc_status_set (status, MSC_ERR_IO, "cannot write %s: the C runtime refused the file", dest);
      return NULL;
    }
  return file;
}

MscStatusCode
msc_backend_temp_commit (FILE *file, char *tmp_path, const char *dest, MscStatus *status)
{
  DWORD error = 0;
  wchar_t *wide_tmp, *wide_dest;

  errno = 0;
  if (fflush (file) != 0 || ferror (file))
    error = errno == ENOSPC ? ERROR_DISK_FULL : ERROR_WRITE_FAULT;
  else if (!FlushFileBuffers ((HANDLE) _get_osfhandle (_fileno (file))))
    error = GetLastError ();
  if (fclose (file) != 0 && error == 0)
    error = ERROR_WRITE_FAULT;
  wide_tmp = msc_win_wide_from_utf8 (tmp_path);
  wide_dest = msc_win_wide_from_utf8 (dest);
  if (error == 0 && (wide_tmp == NULL || wide_dest == NULL))
    error = ERROR_NOT_ENOUGH_MEMORY;
  /* WRITE_THROUGH: MoveFileEx returns only once the rename is on disk, so a
   * crash leaves either the old file or the new one. */
  if (error == 0 && !MoveFileExW (wide_tmp, wide_dest, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    error = GetLastError ();
  free (wide_tmp);
  free (wide_dest);
  if (error != 0)
    {
      msc_host_remove_file (tmp_path);
      free (tmp_path);
      return msc_win_file_error (status, "could not write", dest, error);
    }
  free (tmp_path);
  return MSC_OK;
}

