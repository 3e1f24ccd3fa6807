/* msc-trace-follow.c — --follow-children in the tracer (see
 * msc-trace-preload.h and msc-trace-wire.h).
 *
 * memscope names a rendezvous socket in MEMSCOPE_TRACE_FOLLOW_FD, inherited
 * by every process the traced one starts.  A process that should be traced
 * but is not the one memscope launched (a fork child, at fork; a program a
 * traced process started, when the tracer starts in it) makes a channel of
 * its own and hands memscope one end over that socket, with its pid and a
 * pidfd: memscope cannot wait for a process it did not start, and a pidfd
 * sent by the process itself cannot name a recycled pid.  Nothing here
 * allocates: a fork child of a threaded program may not.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-trace-preload.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int msc_tr_follow_fd = -1;

void
msc_tr_follow_init (void)
{
  const char *text = getenv (MSC_WIRE_ENV_FOLLOW);
  int type = 0;
  socklen_t len = sizeof type;
  char *end;
  long fd;

  msc_tr_follow_fd = -1;
  if (text == NULL || text[0] == '\0')
    return;
  errno = 0;
  fd = strtol (text, &end, 10);
  /* A program that closed its descriptors may have that number in use for
   * something else: only a seqpacket socket can be memscope's. */
  if (errno == 0 && *end == '\0' && fd >= 0 && fd <= INT_MAX
      && getsockopt ((int) fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_SEQPACKET)
    msc_tr_follow_fd = (int) fd;
}

int
msc_tr_following (void)
{
  return msc_tr_follow_fd >= 0;
}

static int
msc_tr_own_pidfd (void)
{
#ifdef SYS_pidfd_open
  long fd = syscall (SYS_pidfd_open, (long) getpid (), 0L);

  return fd >= 0 ? (int) fd : -1;
#else
  return -1;
#endif
}

int
msc_tr_follow_connect (void)
{
  MscWireFollow msg = { .pid = (uint32_t) getpid () };
  union {
    struct cmsghdr h;
    char room[CMSG_SPACE (2 * sizeof (int))];
  } control;
  struct iovec iov = { &msg, sizeof msg };
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.room };
  struct cmsghdr *c;
  int sv[2], fds[2], n_fds = 1;
  ssize_t sent;

  /* Close-on-exec: a new image hands memscope a channel of its own, and
   * a program this one spawns must not inherit ours. */
  if (msc_tr_follow_fd < 0 || socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    return -1;
  msc_wire_grow_channel (sv[0]);
  fds[0] = sv[1];
  fds[1] = msc_tr_own_pidfd ();
  if (fds[1] >= 0)
    n_fds = 2;
  msg.has_pidfd = n_fds == 2;
  memset (&control, 0, sizeof control);
  mh.msg_controllen = CMSG_SPACE ((size_t) n_fds * sizeof (int));
  c = CMSG_FIRSTHDR (&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN ((size_t) n_fds * sizeof (int));
  memcpy (CMSG_DATA (c), fds, (size_t) n_fds * sizeof (int));
  while ((sent = sendmsg (msc_tr_follow_fd, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
    ;
  close (sv[1]);
  if (fds[1] >= 0)
    close (fds[1]);
  if (sent < 0)
    {
      /* memscope stopped following (Ctrl+C, --leave-running): untraced. */
      close (sv[0]);
      return -1;
    }
  return sv[0];
}
