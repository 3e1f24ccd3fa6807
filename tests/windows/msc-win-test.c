/* msc-win-test.c — the Windows tests' harness (see msc-win-test.h). */
#include "tests/windows/msc-win-test.h"

#include <stdlib.h>
#include <string.h>

int msc_test_failures;

void
msc_test_run (const char *name, void (*test) (void))
{
  int before = msc_test_failures;

  test ();
  printf ("%s - %s\n", msc_test_failures == before ? "ok" : "not ok", name);
  fflush (stdout);
}

int
msc_test_exit_status (void)
{
  return msc_test_failures == 0 ? 0 : 1;
}

int
msc_test_is_wine (void)
{
  HMODULE ntdll = GetModuleHandleA ("ntdll.dll");

  return ntdll != NULL && GetProcAddress (ntdll, "wine_get_version") != NULL;
}

static void
msc_target_parse (MscTargetItem *item, char *line)
{
  for (char *field = strtok (line, " \r\n"); field != NULL; field = strtok (NULL, " \r\n"))
    {
      char *value = strchr (field, '=');

      if (value == NULL)
        continue;
      *value++ = '\0';
      if (strcmp (field, "name") == 0)
        snprintf (item->name, sizeof item->name, "%s", value);
      else if (strcmp (field, "addr") == 0)
        item->addr = strtoull (value, NULL, 16);
      else if (strcmp (field, "size") == 0)
        item->size = strtoull (value, NULL, 10);
      else if (strcmp (field, "committed") == 0)
        item->committed = strtoull (value, NULL, 10);
      else if (strcmp (field, "touched") == 0)
        item->touched = strtoull (value, NULL, 10);
      else if (strcmp (field, "tid") == 0)
        item->tid = (uint32_t) strtoul (value, NULL, 10);
      else if (strcmp (field, "path") == 0)
        snprintf (item->path, sizeof item->path, "%s", value);
    }
}

/* One line from the pipe (without CR/LF); 0 on success. */
static int
msc_read_line (HANDLE pipe, char *buf, size_t len)
{
  size_t n = 0;
  DWORD got;
  char c;

  while (ReadFile (pipe, &c, 1, &got, NULL) && got == 1)
    {
      if (c == '\n')
        {
          while (n > 0 && buf[n - 1] == '\r')
            n--;
          buf[n] = '\0';
          return 0;
        }
      if (n + 1 < len)
        buf[n++] = c;
    }
  return -1;
}

int
msc_target_start (MscTarget *target, const char *exe, const char *arg)
{
  SECURITY_ATTRIBUTES inherit = { sizeof inherit, NULL, TRUE };
  STARTUPINFOA startup = { .cb = sizeof startup, .dwFlags = STARTF_USESTDHANDLES };
  PROCESS_INFORMATION info;
  HANDLE out_read, out_write, in_read;
  char command[sizeof target->command_line], line[MAX_PATH + 256];

  memset (target, 0, sizeof *target);
  if (!CreatePipe (&out_read, &out_write, &inherit, 0) || !CreatePipe (&in_read, &target->stdin_write, &inherit, 0))
    return -1;
  SetHandleInformation (out_read, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation (target->stdin_write, HANDLE_FLAG_INHERIT, 0);
  startup.hStdInput = in_read;
  startup.hStdOutput = out_write;
  startup.hStdError = GetStdHandle (STD_ERROR_HANDLE);
  snprintf (command, sizeof command, "\"%s\" \"%s\"", exe, arg);
  memcpy (target->command_line, command, sizeof command);
  if (!CreateProcessA (NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &info))
    return -1;
  CloseHandle (info.hThread);
  CloseHandle (out_write);
  CloseHandle (in_read);
  target->process = info.hProcess;
  target->pid = info.dwProcessId;
  while (msc_read_line (out_read, line, sizeof line) == 0 && strcmp (line, "ready") != 0)
    if (strncmp (line, "name=", 5) == 0 && target->n_items < sizeof target->items / sizeof target->items[0])
      msc_target_parse (&target->items[target->n_items++], line);
  CloseHandle (out_read);
  return strcmp (line, "ready") == 0 ? 0 : -1;
}

const MscTargetItem *
msc_target_item (const MscTarget *target, const char *name)
{
  for (size_t i = 0; i < target->n_items; i++)
    if (strcmp (target->items[i].name, name) == 0)
      return &target->items[i];
  return NULL;
}

const MscTargetItem *
msc_target_require (const MscTarget *target, const char *name)
{
  const MscTargetItem *item = msc_target_item (target, name);

  if (item == NULL)
    {
      fprintf (stderr, "the target did not report %s\n", name);
      exit (1);
    }
  return item;
}

int
msc_target_setup (MscTarget *target, int argc, char **argv, const char *test, char *file, size_t len)
{
  char dir[MAX_PATH];

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s.exe <msc-win-target.exe>\n", test);
      return 2;
    }
  GetTempPathA (sizeof dir, dir);
  snprintf (file, len, "%s%s-target.bin", dir, test);
  if (msc_target_start (target, argv[1], file) != 0)
    {
      fprintf (stderr, "could not start %s\n", argv[1]);
      return 1;
    }
  return 0;
}

void
msc_target_teardown (MscTarget *target, const char *file)
{
  msc_target_stop (target);
  DeleteFileA (file);
}

void
msc_target_stop (MscTarget *target)
{
  DWORD written;

  if (target->stdin_write != NULL)
    {
      WriteFile (target->stdin_write, "quit\n", 5, &written, NULL);
      CloseHandle (target->stdin_write);
    }
  if (target->process != NULL)
    {
      if (WaitForSingleObject (target->process, 10000) != WAIT_OBJECT_0)
        TerminateProcess (target->process, 1);
      CloseHandle (target->process);
    }
  memset (target, 0, sizeof *target);
}

MscRegionTable *
msc_test_scan (uint32_t pid, MscScanInfo *info)
{
  MscRegionTable *table = msc_region_table_new ();
  MscRegionSink sink = { msc_region_table_sink, NULL, table };
  MscStatus status = { MSC_OK, "" };

  if (msc_backend_scan (pid, MSC_SCAN_DEFAULT, &sink, info, &status) != MSC_OK)
    {
      fprintf (stderr, "scan of %u failed: %s\n", pid, status.message);
      msc_region_table_free (table);
      return NULL;
    }
  return table;
}

size_t
msc_test_find_top (const MscRegionTable *table, uint64_t address)
{
  size_t i = msc_region_table_find (table, address);

  if (i == MSC_NO_PARENT || msc_region_table_address (table, i) != address)
    return MSC_NO_PARENT;
  return i;
}
