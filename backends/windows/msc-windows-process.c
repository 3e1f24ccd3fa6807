/* msc-windows-process.c — the process list, and opening one process with a
 * reason a user can act on when that fails. */
#include "backends/windows/msc-windows.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tlhelp32.h>

typedef BOOL (WINAPI *MscIsWow64Process2) (HANDLE, USHORT *, USHORT *);
typedef LONG (NTAPI *MscRtlGetVersion) (OSVERSIONINFOW *);

const char *
msc_backend_name (void)
{
  return "windows";
}

int
msc_backend_can_scan (void)
{
  return 1;
}

/* Administrators may read every process once SeDebugPrivilege is enabled;
 * without it (not elevated) this fails quietly and only the user's own
 * processes open. */
static void
msc_win_enable_debug_privilege (void)
{
  static int done;
  HANDLE token;
  TOKEN_PRIVILEGES privileges = { 1, { { { 0, 0 }, SE_PRIVILEGE_ENABLED } } };

  if (done)
    return;
  done = 1;
  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_ADJUST_PRIVILEGES, &token))
    return;
  if (LookupPrivilegeValueW (NULL, L"SeDebugPrivilege", &privileges.Privileges[0].Luid))
    AdjustTokenPrivileges (token, FALSE, &privileges, 0, NULL, NULL);
  CloseHandle (token);
}

HANDLE
msc_win_open_process (uint32_t pid, DWORD access, MscStatus *status)
{
  HANDLE process;
  DWORD code, exit_code;
  char reason[256];

  msc_win_enable_debug_privilege ();
  process = OpenProcess (access, FALSE, pid);
  if (process == NULL)
    {
      code = GetLastError ();
      if (code == ERROR_INVALID_PARAMETER)
        msc_status_set (status, MSC_ERR_NO_PROCESS, "there is no process with ID %u", pid);
      else if (code == ERROR_ACCESS_DENIED)
        msc_status_set (status, MSC_ERR_PERMISSION,
                        "permission denied: cannot read process %u; run Memscope as an "
                        "administrator to analyse processes of other users and services", pid);
      else
        {
          msc_win_error_text (code, reason, sizeof reason);
          msc_status_set (status, MSC_ERR_PERMISSION, "cannot open process %u: %s", pid, reason);
        }
      return NULL;
    }
  if (GetExitCodeProcess (process, &exit_code) && exit_code != STILL_ACTIVE
      && WaitForSingleObject (process, 0) == WAIT_OBJECT_0)
    {
      CloseHandle (process);
      msc_status_set (status, MSC_ERR_EXITED, "process %u has exited", pid);
      return NULL;
    }
  return process;
}

uint32_t
msc_win_process_bits (HANDLE process, int *wow64)
{
  MscIsWow64Process2 is_wow64_process2 =
    (MscIsWow64Process2) (void (*) (void)) GetProcAddress (GetModuleHandleW (L"kernel32.dll"), "IsWow64Process2");
  USHORT process_machine = 0, native_machine = 0;
  BOOL is_wow64 = FALSE;

  *wow64 = 0;
  /* IsWow64Process2 (Windows 10 1511+) also knows x86 on ARM64; older
   * systems only have IsWow64Process. */
  if (is_wow64_process2 != NULL && is_wow64_process2 (process, &process_machine, &native_machine))
    is_wow64 = process_machine != IMAGE_FILE_MACHINE_UNKNOWN;
  else if (!IsWow64Process (process, &is_wow64))
    is_wow64 = FALSE;
  if (is_wow64)
    {
      *wow64 = sizeof (void *) == 8;
      return 32;
    }
  if (sizeof (void *) == 8)
    return 64;
  /* A 32-bit build on a 64-bit system sees native processes as 64-bit. */
  if (IsWow64Process (GetCurrentProcess (), &is_wow64) && is_wow64)
    return 64;
  return 32;
}

void
msc_win_process_user (HANDLE process, char *buf, size_t len)
{
  HANDLE token;
  union { TOKEN_USER user; BYTE bytes[256]; } info;
  wchar_t name[64], domain[64];
  DWORD n_info, n_name = 64, n_domain = 64;
  SID_NAME_USE use;
  char *text;

  buf[0] = '\0';
  if (!OpenProcessToken (process, TOKEN_QUERY, &token))
    return;
  if (GetTokenInformation (token, TokenUser, &info, sizeof info, &n_info)
      && LookupAccountSidW (NULL, info.user.User.Sid, name, &n_name, domain, &n_domain, &use))
    {
      text = msc_win_utf8_from_wide (name, -1);
      if (text != NULL)
        snprintf (buf, len, "%s", text);
      free (text);
    }
  CloseHandle (token);
}

/* Toolhelp calls every process entry; fn returns non-zero to stop. */
static int
msc_win_each_process (int (*fn) (void *user, const PROCESSENTRY32W *entry), void *user)
{
  HANDLE snapshot = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32W entry = { .dwSize = sizeof entry };
  int stopped = 0;

  if (snapshot == INVALID_HANDLE_VALUE)
    return -1;
  if (Process32FirstW (snapshot, &entry))
    do
      stopped = fn (user, &entry);
    while (!stopped && Process32NextW (snapshot, &entry));
  CloseHandle (snapshot);
  return stopped;
}

typedef struct {
  uint32_t pid;
  char *buf;
  size_t len;
} MscNameQuery;

static int
msc_win_name_match (void *user, const PROCESSENTRY32W *entry)
{
  MscNameQuery *query = user;
  char *name;

  if (entry->th32ProcessID != query->pid)
    return 0;
  name = msc_win_utf8_from_wide (entry->szExeFile, -1);
  snprintf (query->buf, query->len, "%s", name != NULL ? name : "");
  free (name);
  return 1;
}

int
msc_win_process_name (uint32_t pid, char *buf, size_t len)
{
  MscNameQuery query = { pid, buf, len };

  buf[0] = '\0';
  return msc_win_each_process (msc_win_name_match, &query) == 1 ? 0 : -1;
}

void
msc_win_os_version (char *buf, size_t len)
{
  /* GetVersionEx lies to programs without a compatibility manifest;
   * RtlGetVersion does not. */
  MscRtlGetVersion rtl_get_version = (MscRtlGetVersion) (void (*) (void)) msc_win_ntdll_proc ("RtlGetVersion");
  OSVERSIONINFOW version = { .dwOSVersionInfoSize = sizeof version };

  if (rtl_get_version == NULL || rtl_get_version (&version) != 0)
    {
      snprintf (buf, len, "Windows");
      return;
    }
  snprintf (buf, len, "Windows %lu.%lu.%lu%s", (unsigned long) version.dwMajorVersion,
            (unsigned long) version.dwMinorVersion, (unsigned long) version.dwBuildNumber,
            msc_win_is_wine () ? " (Wine)" : "");
}

/* ---- the list ---- */

typedef struct {
  MscProcessInfo *list;
  size_t n, cap;
  int failed;
} MscProcessList;

static void
msc_win_fill_info (MscProcessInfo *info, const PROCESSENTRY32W *entry)
{
  PROCESS_MEMORY_COUNTERS_EX counters = { .cb = sizeof counters };
  MscStatus status = { MSC_OK, "" };
  HANDLE process;
  char *name = msc_win_utf8_from_wide (entry->szExeFile, -1);
  int wow64;

  info->pid = entry->th32ProcessID;
  info->parent_pid = entry->th32ParentProcessID;
  snprintf (info->name, sizeof info->name, "%s", name != NULL ? name : "");
  free (name);
  /* What a scan needs: reading the address space and its memory. */
  process = msc_win_open_process (info->pid, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, &status);
  info->access = status.code;
  snprintf (info->access_message, sizeof info->access_message, "%s", status.message);
  if (process == NULL)
    process = OpenProcess (PROCESS_QUERY_LIMITED_INFORMATION, FALSE, info->pid);
  if (process == NULL)
    return;
  info->bits = msc_win_process_bits (process, &wow64);
  if (info->access == MSC_OK)
    {
      uint64_t peb = msc_win_peb_address (process);

      info->command_line = msc_win_command_line (process, peb, wow64 ? msc_win_peb32_address (process, peb) : 0);
    }
  if (GetProcessMemoryInfo (process, (PROCESS_MEMORY_COUNTERS *) &counters, sizeof counters))
    {
      info->working_set = counters.WorkingSetSize;
      info->private_bytes = counters.PrivateUsage;
    }
  msc_win_process_user (process, info->user, sizeof info->user);
  CloseHandle (process);
}

static int
msc_win_list_add (void *user, const PROCESSENTRY32W *entry)
{
  MscProcessList *list = user;

  if (list->n == list->cap)
    {
      size_t cap = list->cap ? list->cap * 2 : 256;
      MscProcessInfo *grown = realloc (list->list, cap * sizeof *grown);

      if (grown == NULL)
        {
          list->failed = 1;
          return 1;
        }
      list->list = grown;
      list->cap = cap;
    }
  memset (&list->list[list->n], 0, sizeof list->list[0]);
  msc_win_fill_info (&list->list[list->n++], entry);
  return 0;
}

MscStatusCode
msc_backend_list_processes (MscProcessInfo **out, size_t *n_out, MscStatus *status)
{
  MscProcessList list = { 0 };
  char reason[256];

  *out = NULL;
  *n_out = 0;
  if (msc_win_each_process (msc_win_list_add, &list) < 0)
    {
      msc_win_error_text (GetLastError (), reason, sizeof reason);
      return msc_status_set (status, MSC_ERR_UNSUPPORTED, "cannot list the processes: %s", reason);
    }
  if (list.failed)
    {
      msc_backend_free_processes (list.list, list.n);
      return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory while listing the processes");
    }
  *out = list.list;
  *n_out = list.n;
  return MSC_OK;
}
