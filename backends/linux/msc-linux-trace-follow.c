/* msc-linux-trace-follow.c — --follow-children on memscope's side: the
 * processes that hand memscope a channel on the rendezvous socket
 * (msc-trace-wire.h, msc-trace-follow.c), and the end of a process memscope
 * did not start.
 *
 * Only a parent can wait for a process, and the parent of a followed
 * process is the traced program (or one of its children), which collects
 * it.  So its end comes from the pidfd it sent (readable once it exited),
 * or without pidfds (Linux before 5.3) from /proc; how it ended from the
 * exit code it sent (MSC_WIRE_STATUS), else from its zombie's
 * /proc/PID/stat while its parent has not collected it yet.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux-trace.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The descriptors a rendezvous message carried. */
static int
msc_follow_fds (struct msghdr *mh, int fds[2])
{
  int n = 0;

  for (struct cmsghdr *c = CMSG_FIRSTHDR (mh); c != NULL; c = CMSG_NXTHDR (mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      {
        size_t count = (c->cmsg_len - CMSG_LEN (0)) / sizeof (int);

        for (size_t i = 0; i < count; i++)
          {
            int fd;

            memcpy (&fd, CMSG_DATA (c) + i * sizeof fd, sizeof fd);
            if (n < 2)
              fds[n++] = fd;
            else
              close (fd);
          }
      }
  return n;
}

MscTraceLaunch *
msc_backend_trace_accept (MscTraceLaunch *first)
{
  for (;;)
    {
      MscWireFollow msg;
      union {
        struct cmsghdr h;
        char room[CMSG_SPACE (4 * sizeof (int))];
      } control;
      struct iovec iov = { &msg, sizeof msg };
      struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.room, .msg_controllen = sizeof control,
      };
      int fds[2] = { -1, -1 }, n_fds;
      MscTraceLaunch *launch;
      ssize_t n;

      if (first->follow_fd < 0)
        return NULL;
      n = recvmsg (first->follow_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
      if (n == 0)
        {
          /* No process holds the rendezvous any more: none will come. */
          close (first->follow_fd);
          first->follow_fd = -1;
        }
      if (n <= 0)
        return NULL;
      n_fds = msc_follow_fds (&mh, fds);
      launch = n == (ssize_t) sizeof msg && n_fds >= 1 ? msc_trace_launch_new ((pid_t) msg.pid) : NULL;
      if (launch == NULL)
        {
          for (int i = 0; i < n_fds; i++)
            close (fds[i]);
          continue; /* not one of ours, or out of memory: this one is not traced */
        }
      launch->fd = fds[0];
      launch->pidfd = msg.has_pidfd && n_fds == 2 ? fds[1] : -1;
      if (launch->pidfd < 0 && n_fds == 2)
        close (fds[1]);
      launch->followed = 1;
      launch->running = 1;
      return launch;
    }
}

void
msc_backend_trace_continue (MscTraceLaunch *launch, MscTraceLaunch *later, const MscTraceSink *sink)
{
  /* The old image sent everything before its exec, so it is all queued. */
  msc_trace_drain (launch, sink);
  if (launch->fd >= 0)
    close (launch->fd);
  launch->fd = later->fd;
  later->fd = -1;
  msc_backend_trace_free (later);
}

void
msc_backend_trace_wait (MscTraceLaunch *first, MscTraceLaunch *const *running, size_t n,
                        int timeout_ms)
{
  struct pollfd *p = calloc (2 * n + 1, sizeof *p);
  nfds_t k = 0;

  /* A static program's end is not a descriptor: its watcher publishes it. */
  if (timeout_ms > 20)
    timeout_ms = 20;
  if (p == NULL)
    {
      poll (NULL, 0, timeout_ms);
      return;
    }
  if (first->follow_fd >= 0)
    p[k++] = (struct pollfd) { .fd = first->follow_fd, .events = POLLIN };
  for (size_t i = 0; i < n; i++)
    {
      if (running[i]->fd >= 0)
        p[k++] = (struct pollfd) { .fd = running[i]->fd, .events = POLLIN };
      if (running[i]->pidfd >= 0)
        p[k++] = (struct pollfd) { .fd = running[i]->pidfd, .events = POLLIN };
    }
  poll (p, k, timeout_ms);
  free (p);
}

/* 0: pid runs; 1: it ended, *wait_status unknown; 2: it is a zombie and
 * *wait_status is how it ended. */
static int
msc_follow_proc_end (pid_t pid, int *wait_status)
{
  char path[64], text[1024];
  const char *at;
  int fd, field;
  ssize_t n;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 1;
  n = read (fd, text, sizeof text - 1);
  close (fd);
  if (n <= 0)
    return 1;
  text[n] = '\0';
  /* The name may hold spaces and parentheses: the fields follow the last
   * ')'.  Field 3 is the state, field 52 exit_code (Linux 3.5). */
  at = strrchr (text, ')');
  if (at == NULL || at[1] != ' ')
    return 1;
  at += 2;
  if (*at != 'Z')
    return 0;
  for (field = 3; field < 52 && at != NULL; field++)
    {
      at = strchr (at, ' ');
      if (at != NULL)
        at++;
    }
  if (at == NULL)
    return 1;
  *wait_status = atoi (at);
  return 2;
}

int
msc_trace_follow_reap (MscTraceLaunch *launch)
{
  struct pollfd p = { .fd = launch->pidfd, .events = POLLIN };
  int st = 0, end;

  if (!launch->running)
    return 1;
  if (launch->pidfd >= 0 && poll (&p, 1, 0) <= 0)
    return 0;
  end = msc_follow_proc_end (launch->pid, &st);
  if (end == 0)
    {
      /* A pidfd said it exited: the pid is someone else's already. */
      if (launch->pidfd < 0)
        return 0;
      end = 1;
    }
  /* The exit code it sent may still be queued: msc_backend_trace_result()
   * prefers it once all is read. */
  launch->running = 0;
  if (end == 2)
    {
      launch->wait_status = st;
      launch->status_known = 1;
    }
  return 1;
}
