/* msc-linux-trace-pump.c — reads the traced program's messages
 * (msc-trace-wire.h) and hands them to an MscTraceSink; knows when it ended.
 * The launch structure is shared with msc-linux-trace.c through
 * msc-linux-trace.h. */
#define _GNU_SOURCE
#include "backends/linux/msc-linux-trace.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
msc_trace_modules_clear (MscTraceLaunch *launch)
{
  for (size_t i = 0; i < launch->n_modules; i++)
    free (launch->module_names[i]);
  launch->n_modules = 0;
  launch->modules_tid = 0;
}

/* The list of one thread is complete when that thread sends anything else. */
static void
msc_trace_modules_emit (MscTraceLaunch *launch, const MscTraceSink *sink)
{
  if (launch->modules_tid == 0)
    return;
  if (sink->modules != NULL)
    sink->modules (sink->user, launch->modules_time, launch->modules, launch->n_modules);
  msc_trace_modules_clear (launch);
}

/* The main program's dlpi_name is "": its file is what /proc says now. */
static char *
msc_trace_module_path (MscTraceLaunch *launch, const char *name)
{
  char link[64], target[4096];
  ssize_t n;

  if (name[0] != '\0')
    return strdup (name);
  snprintf (link, sizeof link, "/proc/%d/exe", (int) launch->pid);
  n = readlink (link, target, sizeof target - 1);
  if (n <= 0)
    return strdup ("");
  target[n] = '\0';
  return strdup (target);
}

static void
msc_trace_module_add (MscTraceLaunch *launch, const MscWireModule *m)
{
  const char *name = (const char *) (m + 1);
  size_t room = m->h.length - sizeof *m;
  char *path;

  if (launch->n_modules == MSC_MAX_MODULES || room == 0 || memchr (name, '\0', room) == NULL)
    return;
  path = msc_trace_module_path (launch, name);
  if (path == NULL)
    return;
  launch->module_names[launch->n_modules] = path;
  launch->modules[launch->n_modules] = (MscTraceModule) {
    .bias = m->bias, .start = m->start, .end = m->end, .path = path,
  };
  launch->n_modules++;
}

static void
msc_trace_event_from_op (MscTraceEvent *e, const MscWireOp *op)
{
  e->time = op->time;
  e->address = op->address;
  e->size = op->size;
  e->old_address = op->old_address;
  e->old_size = op->old_size;
  e->stack = op->stack;
  e->flags = op->flags;
  e->error = op->error;
}

static void
msc_trace_event (const MscTraceSink *sink, const MscWireHeader *h)
{
  MscTraceEvent e = { .tid = h->tid, .op = h->op };

  if (h->type == MSC_WIRE_ALLOC && h->length >= sizeof (MscWireAlloc))
    {
      const MscWireAlloc *a = (const MscWireAlloc *) h;

      e.time = a->time;
      e.address = a->address;
      e.size = a->size;
      e.stack = a->stack;
      e.error = a->address == 0 ? ENOMEM : 0;
    }
  else if (h->type == MSC_WIRE_FREE && h->length >= sizeof (MscWireFree))
    {
      e.time = ((const MscWireFree *) h)->time;
      e.address = ((const MscWireFree *) h)->address;
    }
  else if (h->type == MSC_WIRE_OP && h->length >= sizeof (MscWireOp))
    msc_trace_event_from_op (&e, (const MscWireOp *) h);
  else
    return;
  if (e.op < MSC_TRACE_N_OPS && sink->event != NULL)
    sink->event (sink->user, &e);
}

static void
msc_trace_text (const MscTraceSink *sink, const MscWireHeader *h)
{
  const char *text = (const char *) (h + 1);
  size_t room = h->length - sizeof *h;

  if (room > 0 && memchr (text, '\0', room) != NULL && sink->note != NULL)
    sink->note (sink->user, text);
}

static void
msc_trace_exit (MscTraceLaunch *launch, const MscTraceSink *sink, const MscWireExit *x)
{
  char ack = 1;

  if (sink->exiting != NULL)
    sink->exiting (sink->user, x->time);
  if (send (launch->fd, &ack, 1, MSG_NOSIGNAL) < 0)
    return; /* it died meanwhile: nothing waits */
}

static void
msc_trace_record (MscTraceLaunch *launch, const MscTraceSink *sink, const MscWireHeader *h)
{
  if (h->type != MSC_WIRE_MODULE && h->tid == launch->modules_tid)
    msc_trace_modules_emit (launch, sink);
  switch (h->type)
    {
    case MSC_WIRE_HELLO:
      if (sink->image != NULL && h->length >= sizeof (MscWireHello))
        sink->image (sink->user, ((const MscWireHello *) h)->time, launch->exec_count,
                     ((const MscWireHello *) h)->patched != 0);
      launch->exec_count++;
      break;
    case MSC_WIRE_STACK:
      if (sink->stack != NULL && h->length >= sizeof (MscWireStack))
        sink->stack (sink->user, ((const MscWireStack *) h)->hash,
                     (const uint64_t *) ((const MscWireStack *) h + 1),
                     (h->length - sizeof (MscWireStack)) / sizeof (uint64_t));
      break;
    case MSC_WIRE_MODULES:
      msc_trace_modules_emit (launch, sink);
      launch->modules_tid = h->tid;
      launch->modules_time = h->length >= sizeof (MscWireModules) ? ((const MscWireModules *) h)->time : 0;
      break;
    case MSC_WIRE_MODULE:
      if (h->tid == launch->modules_tid && h->length > sizeof (MscWireModule))
        msc_trace_module_add (launch, (const MscWireModule *) h);
      break;
    case MSC_WIRE_NOTE:
      msc_trace_text (sink, h);
      break;
    case MSC_WIRE_EXIT:
      if (h->length >= sizeof (MscWireExit))
        msc_trace_exit (launch, sink, (const MscWireExit *) h);
      break;
    case MSC_WIRE_STATUS:
      if (h->length >= sizeof (MscWireStatus))
        {
          launch->exit_code = ((const MscWireStatus *) h)->code;
          launch->exit_code_known = 1;
        }
      break;
    default:
      msc_trace_event (sink, h);
    }
}

static void
msc_trace_message (MscTraceLaunch *launch, const MscTraceSink *sink, size_t len)
{
  size_t at = 0;

  while (at + sizeof (MscWireHeader) <= len)
    {
      const MscWireHeader *h = (const MscWireHeader *) (launch->message + at);

      if (h->length < sizeof *h || h->length % 8 != 0 || at + h->length > len)
        return; /* a damaged message: the rest of it means nothing */
      msc_trace_record (launch, sink, h);
      at += h->length;
    }
}

int
msc_trace_drain (MscTraceLaunch *launch, const MscTraceSink *sink)
{
  int got = 0;
  ssize_t n = -1; /* no recv yet: not the closed channel's 0 */

  while (launch->fd >= 0
         && (n = recv (launch->fd, launch->message, sizeof launch->message, MSG_DONTWAIT)) > 0)
    {
      msc_trace_message (launch, sink, (size_t) n);
      got = 1;
    }
  /* Every sender is gone (the tracer sends no empty message), yet the
   * process may live on (it exec'd a program without the tracer): a
   * closed channel would wake every poll at once. */
  if (launch->fd >= 0 && n == 0)
    {
      close (launch->fd);
      launch->fd = -1;
    }
  return got;
}

/* Through the pidfd where there is one: a followed process's pid may have
 * been collected by its parent and given to another process. */
static void
msc_trace_kill (MscTraceLaunch *launch)
{
#ifdef SYS_pidfd_send_signal
  if (launch->pidfd >= 0
      && (syscall (SYS_pidfd_send_signal, launch->pidfd, SIGKILL, NULL, 0) == 0 || errno != ENOSYS))
    return;
#endif
  kill (launch->pid, SIGKILL);
}

static int
msc_trace_reap (MscTraceLaunch *launch)
{
  int st;
  pid_t r;

  if (launch->followed)
    return msc_trace_follow_reap (launch);
  if (launch->watch != NULL)
    {
      if (launch->running && msc_trace_watch_ended (launch->watch, &st))
        {
          launch->wait_status = st;
          launch->status_known = 1;
          launch->running = 0;
        }
      return !launch->running;
    }
  while ((r = waitpid (launch->pid, &st, WNOHANG)) < 0 && errno == EINTR)
    ;
  if (r == launch->pid && (WIFEXITED (st) || WIFSIGNALED (st)))
    {
      launch->wait_status = st;
      launch->status_known = 1;
      launch->running = 0;
    }
  return !launch->running;
}

MscStatusCode
msc_backend_trace_pump (MscTraceLaunch *launch, const MscTraceSink *sink, int timeout_ms,
                        int *more, MscStatus *status)
{
  struct pollfd p = { .fd = launch->fd, .events = POLLIN };

  (void) status;
  *more = 1;
  if (msc_trace_drain (launch, sink))
    return MSC_OK;
  if (msc_trace_reap (launch))
    {
      /* Gone: what it sent is all queued. */
      msc_trace_drain (launch, sink);
      msc_trace_modules_emit (launch, sink);
      *more = 0;
      return MSC_OK;
    }
  if (launch->fd < 0)
    poll (NULL, 0, timeout_ms < 20 ? timeout_ms : 20);
  else if (poll (&p, 1, timeout_ms < 20 ? timeout_ms : 20) > 0)
    msc_trace_drain (launch, sink);
  return MSC_OK;
}

int
msc_backend_trace_result (MscTraceLaunch *launch, int *exited, int *code_or_signal)
{
  if (launch->followed && launch->exit_code_known)
    {
      *exited = 1;
      *code_or_signal = launch->exit_code & 0xff;
      return 1;
    }
  *exited = WIFEXITED (launch->wait_status);
  *code_or_signal = *exited ? WEXITSTATUS (launch->wait_status) : WTERMSIG (launch->wait_status);
  return launch->status_known;
}

void
msc_backend_trace_stop (MscTraceLaunch *launch, int kill_it)
{
  if (!kill_it && launch->watch != NULL && launch->running)
    msc_trace_watch_release (launch->watch);
  if (kill_it && launch->running)
    {
      msc_trace_kill (launch);
      while (!msc_trace_reap (launch))
        poll (NULL, 0, 5);
      /* A followed process its parent collected first: it was ours. */
      if (!launch->status_known)
        {
          launch->wait_status = SIGKILL;
          launch->status_known = 1;
        }
    }
  /* Closing our end makes the tracer's next send fail: it stops recording
   * and the program runs on; a process it forks from now on finds no one
   * on the rendezvous and runs untraced. */
  if (launch->fd >= 0)
    close (launch->fd);
  launch->fd = -1;
  if (launch->follow_fd >= 0)
    close (launch->follow_fd);
  launch->follow_fd = -1;
}

void
msc_backend_trace_free (MscTraceLaunch *launch)
{
  if (launch == NULL)
    return;
  msc_trace_watch_free (launch->watch);
  if (launch->fd >= 0)
    close (launch->fd);
  if (launch->follow_fd >= 0)
    close (launch->follow_fd);
  if (launch->pidfd >= 0)
    close (launch->pidfd);
  msc_trace_modules_clear (launch);
  free (launch);
}
