/* msc-linux-threads.c — which VMA is which thread's stack.
 *
 * The kernel names only the main thread's stack ([stack]).  A thread's
 * stack pointer is in /proc/PID/task/TID/syscall: "nr a1..a6 sp pc" while it
 * is in a system call, "-1 sp pc" when blocked outside one, "running" while
 * it runs (then we retry).  stat's kstkesp is 0 on current kernels and
 * startstack is the main stack for every thread (linux-notes §2 rule 5), so
 * there is no cheaper source.  The file needs PTRACE_MODE_ATTACH; without
 * it we fall back to the shape of a glibc stack and say so in the notes.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSC_SP_TRIES 5
#define MSC_MAX_GUARD (UINT64_C (1) << 20)

/* 0 if unknown; *denied set on EACCES/EPERM. */
static uint64_t
msc_thread_sp (uint32_t pid, uint32_t tid, int *denied)
{
  char path[96], buf[512];

  snprintf (path, sizeof path, "/proc/%u/task/%u/syscall", pid, tid);
  for (int attempt = 0; attempt < MSC_SP_TRIES; attempt++)
    {
      char *fields[9], *save = NULL, *token;
      int n = 0;

      if (msc_linux_read_small (path, buf, sizeof buf) < 0)
        {
          *denied = errno == EACCES || errno == EPERM;
          return 0;
        }
      if (strncmp (buf, "running", 7) == 0)
        {
          struct timespec pause = { 0, 200000 };

          sched_yield ();
          nanosleep (&pause, NULL);
          continue;
        }
      for (token = strtok_r (buf, " \n", &save); token != NULL && n < 9; token = strtok_r (NULL, " \n", &save))
        fields[n++] = token;
      if (n >= 3 && strcmp (fields[0], "-1") == 0)
        return strtoull (fields[1], NULL, 16);
      if (n == 9)
        return strtoull (fields[7], NULL, 16);
      return 0;
    }
  return 0;
}

/* RLIMIT_STACK soft limit from /proc/PID/limits ("Max stack size  8388608 ..."). */
static uint64_t
msc_stack_rlimit (uint32_t pid)
{
  char path[64], buf[4096];
  const char *line;

  snprintf (path, sizeof path, "/proc/%u/limits", pid);
  if (msc_linux_read_small (path, buf, sizeof buf) <= 0)
    return 0;
  line = strstr (buf, "Max stack size");
  if (line == NULL)
    return 0;
  line += strlen ("Max stack size");
  while (*line == ' ')
    line++;
  /* With no limit glibc sizes thread stacks by ARCH_STACK_DEFAULT_SIZE
   * (2 MiB on x86-64, nptl/pthreaddef.h). */
  if (strncmp (line, "unlimited", 9) == 0)
    return UINT64_C (2) << 20;
  return strtoull (line, NULL, 10);
}

static int
msc_threads_list (MscLinuxScan *scan)
{
  char path[64];
  struct dirent *entry;
  size_t cap = 0;
  DIR *dir;

  snprintf (path, sizeof path, "/proc/%u/task", scan->pid);
  dir = opendir (path);
  if (dir == NULL)
    return errno;
  while ((entry = readdir (dir)) != NULL)
    {
      uint32_t tid = (uint32_t) strtoul (entry->d_name, NULL, 10);

      if (tid == 0)
        continue;
      if (scan->n_threads == cap)
        {
          MscLinuxThread *bigger = realloc (scan->threads, (cap * 2 + 16) * sizeof *bigger);

          if (bigger == NULL)
            {
              closedir (dir);
              return ENOMEM;
            }
          scan->threads = bigger;
          cap = cap * 2 + 16;
        }
      scan->threads[scan->n_threads++] = (MscLinuxThread) { tid, 0 };
    }
  closedir (dir);
  return 0;
}

static int
msc_forced_no_sp (void)
{
  /* Testing aid: take the path of a user who may not read the thread
   * registers (Yama, other user) on a machine where we may. */
  const char *value = getenv ("MSC_LINUX_NO_THREAD_SP");

  return value != NULL && value[0] != '\0' && strcmp (value, "0") != 0;
}

int
msc_linux_threads_read (MscLinuxScan *scan)
{
  int err = msc_threads_list (scan), forced = msc_forced_no_sp ();

  if (err != 0)
    return err;
  scan->stack_rlimit = msc_stack_rlimit (scan->pid);
  for (size_t t = 0; t < scan->n_threads; t++)
    {
      MscLinuxThread *thread = &scan->threads[t];
      int denied = forced;
      uint32_t v;

      if (thread->tid == scan->pid)
        continue;  /* the main thread's stack is [stack] */
      if (!forced)
        thread->sp = msc_thread_sp (scan->pid, thread->tid, &denied);
      if (thread->sp == 0)
        {
          scan->n_threads_unknown++;
          scan->threads_denied |= denied;
          continue;
        }
      v = msc_linux_vma_find (scan, thread->sp);
      /* A Go thread runs on a goroutine stack inside the Go heap. */
      if (v != MSC_LINUX_NONE && scan->vmas[v].tid == 0 && !msc_linux_managed_go_heap (scan, scan->vmas[v].start))
        scan->vmas[v].tid = thread->tid;
    }
  if (scan->threads_denied)
    msc_linux_note (scan, "Thread IDs of stacks are missing: reading a thread's stack pointer "
                    "(/proc/%u/task/TID/syscall) needs ptrace access to the process; stacks "
                    "were recognised by their shape.", scan->pid);
  else if (scan->n_threads_unknown > 0)
    msc_linux_note (scan, "%zu thread(s) kept running while they were sampled; their stacks "
                    "were recognised by their shape, without thread IDs.", scan->n_threads_unknown);
  return 0;
}

static int
msc_is_power_of_two (uint64_t x)
{
  return x != 0 && (x & (x - 1)) == 0;
}

int
msc_linux_stack_shape (const MscLinuxScan *scan, const MscLinuxVma *guard, const MscLinuxVma *stack)
{
  const uint8_t rw = MSC_PERM_READ | MSC_PERM_WRITE;
  uint64_t size = stack->end - stack->start;
  uint64_t rlimit = (scan->stack_rlimit + scan->page_size - 1) & ~(scan->page_size - 1);

  /* glibc: a PROT_NONE guard (guardsize, one page by default) directly
   * below the rw stack, whose size is RLIMIT_STACK by default or what
   * pthread_attr_setstacksize asked (usually a power of two). */
  if (guard->kind != MSC_VMA_ANON || guard->perms != 0 || guard->end != stack->start
      || guard->end - guard->start > MSC_MAX_GUARD)
    return 0;
  if (stack->kind != MSC_VMA_ANON || stack->perms != rw)
    return 0;
  return size == rlimit || (msc_is_power_of_two (size) && size >= (UINT64_C (64) << 10));
}
