/* msc-linux-process.c — the process chooser's list, and the host facts
 * (backend name, can it scan).  Kernel threads are left out: they have no
 * user address space.  A process that vanishes while the list is built is
 * skipped; nothing about it would be true by the time it is shown.
 */
#include "backends/linux/msc-linux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *
msc_backend_name (void)
{
  return "linux";
}

int
msc_backend_can_scan (void)
{
  return access ("/proc/self/maps", R_OK) == 0;
}

/* 1 = listed, 0 = skip (kernel thread, zombie, vanished). */
static int
msc_process_info (uint32_t pid, MscProcessInfo *info)
{
  MscLinuxStat stat;
  MscLinuxStatus status;
  char path[64];
  int fd;

  if (msc_linux_read_stat (pid, &stat) != 0 || msc_linux_is_kernel_thread (&stat)
      || msc_linux_read_status (pid, &status) != 0 || !status.has_mm)
    return 0;
  memset (info, 0, sizeof *info);
  info->pid = pid;
  info->parent_pid = stat.ppid;
  info->bits = msc_linux_exe_bits (pid);
  info->working_set = status.vm_rss;
  /* VmData + VmStk: the private writable (anonymous) virtual size, the
   * nearest Linux counterpart of Windows' Private Bytes. */
  info->private_bytes = status.vm_data + status.vm_stk;
  msc_linux_process_name (pid, stat.comm, info->name, sizeof info->name);
  msc_linux_user_name (status.uid, info->user, sizeof info->user);
  snprintf (path, sizeof path, "/proc/%u/pagemap", pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    close (fd);
  else if (errno == ENOENT || errno == ESRCH)
    return 0;
  else
    {
      info->access = MSC_ERR_PERMISSION;
      snprintf (info->access_message, sizeof info->access_message,
                "permission denied: run Memscope as the same user as the process, or as root "
                "(CAP_SYS_PTRACE)");
    }
  info->command_line = msc_linux_command_line (pid);
  return 1;
}

MscStatusCode
msc_backend_list_processes (MscProcessInfo **out, size_t *n_out, MscStatus *status)
{
  MscProcessInfo *list = NULL;
  size_t n = 0, cap = 0;
  struct dirent *entry;
  DIR *proc = opendir ("/proc");

  *out = NULL;
  *n_out = 0;
  if (proc == NULL)
    return msc_status_set (status, MSC_ERR_IO, "cannot list processes: /proc: %s", strerror (errno));
  while ((entry = readdir (proc)) != NULL)
    {
      char *end;
      unsigned long pid = strtoul (entry->d_name, &end, 10);

      if (*end != '\0' || pid == 0 || pid > UINT32_MAX)
        continue;
      if (n == cap)
        {
          MscProcessInfo *bigger = realloc (list, (cap * 2 + 64) * sizeof *bigger);

          if (bigger == NULL)
            goto no_memory;
          list = bigger;
          cap = cap * 2 + 64;
        }
      if (msc_process_info ((uint32_t) pid, &list[n]) > 0)
        n++;
    }
  closedir (proc);
  *out = list;
  *n_out = n;
  return MSC_OK;

no_memory:
  closedir (proc);
  msc_backend_free_processes (list, n);
  return msc_status_set (status, MSC_ERR_NO_MEMORY, "out of memory while listing processes");
}
