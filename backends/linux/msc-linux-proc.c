/* msc-linux-proc.c — small /proc readers shared by the process list and the
 * scan: stat, status, exe, cmdline, user names, the permission message. */
#include "backends/linux/msc-linux.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PF_KTHREAD from include/linux/sched.h: the stat flags field is the only
 * reliable mark of a kernel thread (its maps are empty like a zombie's). */
#define MSC_PF_KTHREAD 0x00200000u

int
msc_linux_read_all (int fd, char **out, size_t *len_out)
{
  /* seq_file fills whatever the reader asks for, so reads as big as the
   * buffer beat page-sized ones (linux-notes §5). */
  size_t cap = 16u << 10, len = 0;
  char *buf = malloc (cap);

  if (buf == NULL)
    return ENOMEM;
  for (;;)
    {
      ssize_t n;

      if (cap - len < 4096)
        {
          char *bigger = realloc (buf, cap * 2);

          if (bigger == NULL)
            {
              free (buf);
              return ENOMEM;
            }
          buf = bigger;
          cap *= 2;
        }
      n = read (fd, buf + len, cap - len - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          free (buf);
          return saved;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  buf[len] = '\0';
  *out = buf;
  *len_out = len;
  return 0;
}

ssize_t
msc_linux_read_small (const char *path, char *buf, size_t size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  size_t len = 0;

  if (fd < 0)
    return -1;
  while (len + 1 < size)
    {
      ssize_t n = read (fd, buf + len, size - 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          errno = saved;
          return -1;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  close (fd);
  buf[len] = '\0';
  return (ssize_t) len;
}

int
msc_linux_read_stat (uint32_t pid, MscLinuxStat *stat)
{
  char path[64], buf[1024];
  const char *open_paren, *close_paren, *p;
  unsigned long long value;
  int field;

  snprintf (path, sizeof path, "/proc/%u/stat", pid);
  errno = 0;
  if (msc_linux_read_small (path, buf, sizeof buf) <= 0)
    return errno ? errno : ESRCH;
  /* comm may contain spaces and ')': it ends at the last ')'. */
  open_paren = strchr (buf, '(');
  close_paren = strrchr (buf, ')');
  if (open_paren == NULL || close_paren == NULL || close_paren < open_paren)
    return EIO;
  memset (stat, 0, sizeof *stat);
  snprintf (stat->comm, sizeof stat->comm, "%.*s", (int) (close_paren - open_paren - 1), open_paren + 1);
  p = close_paren + 2;
  stat->state = *p;
  /* Fields 4 (ppid), 9 (flags) and 22 (starttime), counted from 1. */
  for (field = 3; field <= 22 && *p != '\0'; field++)
    {
      char *end;

      while (*p == ' ')
        p++;
      value = strtoull (p, &end, 10);
      if (field == 4)
        stat->ppid = (uint32_t) value;
      else if (field == 9)
        stat->flags = (uint32_t) value;
      else if (field == 22)
        stat->starttime = value;
      p = strchr (p, ' ');
      if (p == NULL)
        break;
    }
  return field >= 22 ? 0 : EIO;
}

int
msc_linux_is_kernel_thread (const MscLinuxStat *stat)
{
  return (stat->flags & MSC_PF_KTHREAD) != 0;
}

static uint64_t
msc_linux_kb (const char *value)
{
  return strtoull (value, NULL, 10) * 1024;
}

int
msc_linux_read_status (uint32_t pid, MscLinuxStatus *status)
{
  char path[64], buf[8192];
  char *line, *next;

  snprintf (path, sizeof path, "/proc/%u/status", pid);
  errno = 0;
  if (msc_linux_read_small (path, buf, sizeof buf) <= 0)
    return errno ? errno : ESRCH;
  memset (status, 0, sizeof *status);
  for (line = buf; line != NULL && *line != '\0'; line = next)
    {
      char *colon = strchr (line, ':');

      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      if (colon == NULL)
        continue;
      *colon = '\0';
      if (strcmp (line, "Tgid") == 0)
        status->tgid = (uint32_t) strtoul (colon + 1, NULL, 10);
      else if (strcmp (line, "Uid") == 0)
        status->uid = (uint32_t) strtoul (colon + 1, NULL, 10);
      else if (strcmp (line, "Threads") == 0)
        status->threads = (uint32_t) strtoul (colon + 1, NULL, 10);
      else if (strcmp (line, "VmSize") == 0)
        {
          status->vm_size = msc_linux_kb (colon + 1);
          status->has_mm = 1;
        }
      else if (strcmp (line, "VmLck") == 0)
        status->vm_lck = msc_linux_kb (colon + 1);
      else if (strcmp (line, "VmRSS") == 0)
        status->vm_rss = msc_linux_kb (colon + 1);
      else if (strcmp (line, "VmData") == 0)
        status->vm_data = msc_linux_kb (colon + 1);
      else if (strcmp (line, "VmStk") == 0)
        status->vm_stk = msc_linux_kb (colon + 1);
      else if (strcmp (line, "VmPTE") == 0)
        status->vm_pte = msc_linux_kb (colon + 1);
    }
  return 0;
}

uint32_t
msc_linux_exe_bits (uint32_t pid)
{
  char path[64];
  unsigned char ident[5];
  ssize_t n;
  int fd;

  snprintf (path, sizeof path, "/proc/%u/exe", pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  n = pread (fd, ident, sizeof ident, 0);
  close (fd);
  if (n != (ssize_t) sizeof ident || memcmp (ident, "\177ELF", 4) != 0)
    return 0;
  return ident[4] == 1 ? 32 : ident[4] == 2 ? 64 : 0;
}

void
msc_linux_process_name (uint32_t pid, const char *comm, char *name, size_t size)
{
  char path[64], target[4096];
  ssize_t n;
  const char *base;
  static const char deleted[] = " (deleted)";

  snprintf (path, sizeof path, "/proc/%u/exe", pid);
  n = readlink (path, target, sizeof target - 1);
  if (n <= 0)
    {
      snprintf (name, size, "%s", comm);
      return;
    }
  target[n] = '\0';
  if ((size_t) n > sizeof deleted - 1 && strcmp (target + n - (sizeof deleted - 1), deleted) == 0)
    target[n - (sizeof deleted - 1)] = '\0';
  base = strrchr (target, '/');
  snprintf (name, size, "%s", base != NULL ? base + 1 : target);
}

char *
msc_linux_command_line (uint32_t pid)
{
  char path[64];
  char *text = NULL;
  size_t len = 0;
  int fd, err;

  snprintf (path, sizeof path, "/proc/%u/cmdline", pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  err = msc_linux_read_all (fd, &text, &len);
  close (fd);
  if (err != 0)
    return NULL;
  while (len > 0 && (text[len - 1] == '\0' || text[len - 1] == ' '))
    len--;
  if (len == 0)
    {
      free (text);
      return NULL;
    }
  text[len] = '\0';
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\0')
      text[i] = ' ';
  return text;
}

void
msc_linux_user_name (uint32_t uid, char *user, size_t size)
{
  struct passwd pw, *result = NULL;
  char buf[4096];

  if (getpwuid_r ((uid_t) uid, &pw, buf, sizeof buf, &result) == 0 && result != NULL)
    snprintf (user, size, "%s", result->pw_name);
  else
    snprintf (user, size, "%u", uid);
}

/* kernel.yama.ptrace_scope, or -1 without Yama. */
static int
msc_linux_yama_scope (void)
{
  char buf[16];

  if (msc_linux_read_small ("/proc/sys/kernel/yama/ptrace_scope", buf, sizeof buf) <= 0)
    return -1;
  return atoi (buf);
}

/* What privilege reading the process needs (linux-notes §4.2): maps and
 * pagemap need PTRACE_MODE_READ (same user and dumpable, or
 * CAP_SYS_PTRACE), which Yama leaves alone; its memory (process_vm_readv)
 * needs ATTACH, which Yama's ptrace_scope restricts further. */
MscStatusCode
msc_linux_permission_error (MscStatus *status, uint32_t pid, const char *what)
{
  static const char *const yama_rule[] = {
    "", "only to its ancestors", "only to holders of CAP_SYS_PTRACE", "to no one",
  };
  MscLinuxStatus proc;
  char owner[64] = "another user";
  int scope = strcmp (what, "memory") == 0 ? msc_linux_yama_scope () : -1;
  int own = 0;

  if (msc_linux_read_status (pid, &proc) == 0)
    {
      own = proc.uid == (uint32_t) geteuid ();
      msc_linux_user_name (proc.uid, owner, sizeof owner);
    }
  if (scope >= 1 && scope <= 3)
    return msc_status_set (status, MSC_ERR_PERMISSION,
                           "permission denied reading the %s of process %u (%s's): kernel.yama.ptrace_scope=%d "
                           "allows that %s%s", what, pid, owner, scope, yama_rule[scope],
                           scope < 3 ? "; run Memscope as root (CAP_SYS_PTRACE), or lower the setting" : "");
  if (own)
    return msc_status_set (status, MSC_ERR_PERMISSION,
                           "permission denied reading the %s of process %u: it runs as you, but is not dumpable "
                           "(setuid, or prctl PR_SET_DUMPABLE 0), so only root (CAP_SYS_PTRACE) may read it",
                           what, pid);
  return msc_status_set (status, MSC_ERR_PERMISSION,
                         "permission denied reading the %s of process %u, which belongs to %s: run Memscope as "
                         "that user, or as root (CAP_SYS_PTRACE)", what, pid, owner);
}
