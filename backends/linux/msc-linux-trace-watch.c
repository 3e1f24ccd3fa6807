/* msc-linux-trace-watch.c — the mappings of a program the tracer library
 * cannot be loaded into (statically linked: a Go program, a static C tool),
 * seen through ptrace.
 *
 * Such a program makes its mapping calls as raw system calls.  A thread of
 * memscope, the watcher, attaches to it before it execs (PTRACE_SEIZE, so no
 * signal is faked), follows its threads (PTRACE_O_TRACECLONE) but not the
 * processes it starts, and stops it at each system call (PTRACE_SYSCALL).
 * At the entry of mmap, munmap, mremap, mprotect, madvise and brk it unwinds
 * the calling thread with libdwfl (CFI where the file has it, frame pointers
 * else: Go keeps them); at the exit it has the result.  It sends what it saw
 * on the trace channel in the tracer library's own records
 * (msc-trace-wire.h), so the pump reads one stream either way.
 *
 * Why not a seccomp filter that stops only on those calls: a filter cannot
 * be removed, and once no tracer is attached a RET_TRACE call fails with
 * ENOSYS: the programs the target starts, and the target itself when left
 * running, would find mmap failing.  A plain syscall stop leaves nothing
 * behind when the watcher detaches.
 *
 * ptrace requests are answered only to the thread that attached, so the
 * watcher alone waits for the target and publishes its end to the pump.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux-trace.h"

#include <elfutils/libdwfl.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSC_WATCH_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC \
                           | PTRACE_O_TRACEEXIT)

typedef struct {
  pid_t tid;
  int pending;          /* a mapping call entered, its exit not yet seen */
  int nr;
  uint64_t entry_time;  /* what gives address space back is stamped here */
  uint64_t args[6];
  size_t n_frames;
  uint64_t frames[MSC_WIRE_MAX_FRAMES];
} MscWatchThread;

struct MscTraceWatch {
  pthread_t thread;
  pid_t pid;
  int fd;               /* the target's end of the channel, ours to send on */
  int go_fd;            /* the child waits for one byte here before exec */
  _Atomic int done;
  int wait_status;
  _Atomic int detach;   /* leave it running: let go at the next stop */
  uint64_t brk;         /* the break as last seen, 0 before the first brk */
  uint32_t images;
  Dwfl *dwfl;
  MscWatchThread *threads;
  size_t n_threads, max_threads;
  char message[MSC_WIRE_MESSAGE_MAX];
};

/* ---- sending ---- */

static void
msc_watch_header (MscWireHeader *h, int type, int op, size_t len, pid_t tid)
{
  h->type = (uint8_t) type;
  h->op = (uint8_t) op;
  h->length = (uint16_t) len;
  h->tid = (uint32_t) tid;
}

static void
msc_watch_send (MscTraceWatch *w, const void *data, size_t len)
{
  while (send (w->fd, data, len, MSG_NOSIGNAL) < 0 && errno == EINTR)
    ;
}

static void
msc_watch_hello (MscTraceWatch *w, int traced)
{
  MscWireHello rec = { .time = msc_backend_trace_clock (), .pid = (uint32_t) w->pid,
                       .patched = (uint32_t) traced };

  msc_watch_header (&rec.h, MSC_WIRE_HELLO, 0, sizeof rec, w->pid);
  msc_watch_send (w, &rec, sizeof rec);
}

static void
msc_watch_note (MscTraceWatch *w, const char *text)
{
  struct {
    MscWireHeader h;
    char text[512];
  } rec = { 0 };
  size_t n = strlen (text);

  n = n < sizeof rec.text - 1 ? n : sizeof rec.text - 1;
  memcpy (rec.text, text, n);
  msc_watch_header (&rec.h, MSC_WIRE_NOTE, 0, sizeof rec.h + ((n + 1 + 7) & ~(size_t) 7), w->pid);
  msc_watch_send (w, &rec, rec.h.length);
}

/* The module list as libdwfl found it: one message, list and modules. */
static int
msc_watch_module (Dwfl_Module *mod, void **user, const char *name, Dwarf_Addr start, void *arg)
{
  struct {
    char *buf;
    size_t len;
  } *out = arg;
  struct {
    MscWireModule m;
    char name[512];
  } rec = { 0 };
  Dwarf_Addr lo, hi, bias = 0;
  size_t n;

  (void) user;
  (void) start;
  dwfl_module_info (mod, NULL, &lo, &hi, NULL, NULL, NULL, NULL);
  if (name == NULL || name[0] != '/' || dwfl_module_getelf (mod, &bias) == NULL)
    return DWARF_CB_OK;
  n = strnlen (name, sizeof rec.name - 1);
  memcpy (rec.name, name, n);
  rec.m.bias = bias;
  rec.m.start = lo;
  rec.m.end = hi;
  msc_watch_header (&rec.m.h, MSC_WIRE_MODULE, 0, sizeof rec.m + ((n + 1 + 7) & ~(size_t) 7), 0);
  if (out->len + rec.m.h.length <= MSC_WIRE_MESSAGE_MAX)
    {
      memcpy (out->buf + out->len, &rec, rec.m.h.length);
      out->len += rec.m.h.length;
    }
  return DWARF_CB_OK;
}

static void
msc_watch_modules (MscTraceWatch *w)
{
  char *buf = w->message;
  struct {
    char *buf;
    size_t len;
  } out = { buf, sizeof (MscWireModules) };
  MscWireModules head = { .time = msc_backend_trace_clock () };

  if (w->dwfl == NULL)
    return;
  msc_watch_header (&head.h, MSC_WIRE_MODULES, 0, sizeof head, w->pid);
  memcpy (buf, &head, sizeof head);
  dwfl_getmodules (w->dwfl, msc_watch_module, &out, 0);
  /* Every record of the list carries the list's thread. */
  for (size_t at = sizeof head; at < out.len; at += ((MscWireHeader *) (buf + at))->length)
    ((MscWireHeader *) (buf + at))->tid = (uint32_t) w->pid;
  msc_watch_send (w, buf, out.len);
}

/* ---- stacks ---- */

static const Dwfl_Callbacks msc_watch_callbacks = {
  .find_elf = dwfl_linux_proc_find_elf,
  .find_debuginfo = dwfl_standard_find_debuginfo,
};

/* Reads the target's modules afresh (after exec, after new code is mapped). */
static void
msc_watch_report (MscTraceWatch *w)
{
  if (w->dwfl != NULL)
    dwfl_end (w->dwfl);
  w->dwfl = dwfl_begin (&msc_watch_callbacks);
  if (w->dwfl == NULL)
    return;
  if (dwfl_linux_proc_report (w->dwfl, w->pid) != 0 || dwfl_report_end (w->dwfl, NULL, NULL) != 0
      || dwfl_linux_proc_attach (w->dwfl, w->pid, true) != 0)
    {
      dwfl_end (w->dwfl);
      w->dwfl = NULL;
      return;
    }
  msc_watch_modules (w);
}

static int
msc_watch_frame (Dwfl_Frame *state, void *arg)
{
  MscWatchThread *t = arg;
  Dwarf_Addr pc;
  bool activation;

  if (!dwfl_frame_pc (state, &pc, &activation) || pc < 4096) /* 0, or the end marker Go leaves */
    return DWARF_CB_ABORT;
  /* The system call's own wrapper is left out, as the preloaded tracer
   * leaves out its hook: the stack starts at the wrapper's caller. */
  if (activation)
    return DWARF_CB_OK;
  t->frames[t->n_frames++] = pc;
  return t->n_frames < MSC_WIRE_MAX_FRAMES ? DWARF_CB_OK : DWARF_CB_ABORT;
}

static void
msc_watch_unwind (MscTraceWatch *w, MscWatchThread *t)
{
  t->n_frames = 0;
  if (w->dwfl != NULL)
    dwfl_getthread_frames (w->dwfl, t->tid, msc_watch_frame, t);
}

static uint64_t
msc_watch_hash (const uint64_t *frames, size_t n)
{
  uint64_t h = 0xcbf29ce484222325u ^ n;

  for (size_t i = 0; i < n; i++)
    h = (h ^ frames[i]) * 0x100000001b3u;
  return h != 0 ? h : 1;
}

/* ---- the mapping calls ---- */

static int
msc_watch_is_mapping (long nr)
{
  return nr == SYS_mmap || nr == SYS_munmap || nr == SYS_mremap || nr == SYS_mprotect
         || nr == SYS_madvise || nr == SYS_brk;
}

/* The record of a finished call; 0 when it is not one the trace keeps. */
static int
msc_watch_op (MscTraceWatch *w, const MscWatchThread *t, int64_t ret, int failed, MscWireOp *op)
{
  const uint64_t *a = t->args;

  switch (t->nr)
    {
    case SYS_mmap:
      *op = (MscWireOp) { .h.op = MSC_TRACE_MMAP, .address = failed ? 0 : (uint64_t) ret, .size = a[1],
                          .old_address = a[0], .flags = (uint32_t) (a[2] & 0xff) | (uint32_t) a[3] << 8 };
      break;
    case SYS_munmap:
      *op = (MscWireOp) { .h.op = MSC_TRACE_MUNMAP, .address = a[0], .size = a[1] };
      break;
    case SYS_mremap:
      *op = (MscWireOp) { .h.op = MSC_TRACE_MREMAP, .address = failed ? 0 : (uint64_t) ret, .size = a[2],
                          .old_address = a[0], .old_size = a[1], .flags = (uint32_t) a[3] };
      break;
    case SYS_mprotect:
      *op = (MscWireOp) { .h.op = MSC_TRACE_MPROTECT, .address = a[0], .size = a[1], .flags = (uint32_t) a[2] };
      break;
    case SYS_madvise:
      if (a[2] != MADV_DONTNEED && a[2] != MADV_FREE && a[2] != MADV_REMOVE)
        return 0;
      *op = (MscWireOp) { .h.op = MSC_TRACE_MADVISE, .address = a[0], .size = a[1], .flags = (uint32_t) a[2] };
      break;
    default: /* brk: the kernel answers with the break, moved or not */
      {
        uint64_t old = w->brk;

        w->brk = (uint64_t) ret;
        if (old == 0 || old == (uint64_t) ret)
          return 0;
        *op = (MscWireOp) { .h.op = MSC_TRACE_BRK, .address = (uint64_t) ret, .old_address = old,
                            .size = (uint64_t) ret > old ? (uint64_t) ret - old : old - (uint64_t) ret };
      }
    }
  op->error = failed ? (int32_t) -ret : 0;
  return 1;
}

static void
msc_watch_send_op (MscTraceWatch *w, const MscWatchThread *t, MscWireOp *op)
{
  struct {
    MscWireStack s;
    uint64_t frames[MSC_WIRE_MAX_FRAMES];
    MscWireOp op;
  } msg;
  size_t stack_len = sizeof msg.s + t->n_frames * sizeof (uint64_t);

  msg.s.hash = msc_watch_hash (t->frames, t->n_frames);
  msc_watch_header (&msg.s.h, MSC_WIRE_STACK, 0, stack_len, t->tid);
  memcpy (msg.frames, t->frames, t->n_frames * sizeof (uint64_t));
  op->stack = t->n_frames > 0 ? msg.s.hash : 0;
  /* Taken at the exit: mmap's range exists from then on (see
   * msc_tr_record_op() in msc-trace-patch.c). */
  op->time = t->nr == SYS_mmap ? msc_backend_trace_clock () : t->entry_time;
  msc_watch_header (&op->h, MSC_WIRE_OP, op->h.op, sizeof *op, t->tid);
  /* The op right after the stack: one message, one send. */
  memcpy ((char *) &msg + stack_len, op, sizeof *op);
  msc_watch_send (w, &msg, stack_len + sizeof *op);
}

static MscWatchThread *
msc_watch_thread (MscTraceWatch *w, pid_t tid)
{
  for (size_t i = 0; i < w->n_threads; i++)
    if (w->threads[i].tid == tid)
      return &w->threads[i];
  if (w->n_threads == w->max_threads)
    {
      size_t max = w->max_threads != 0 ? w->max_threads * 2 : 16;
      MscWatchThread *threads = realloc (w->threads, max * sizeof *threads);

      if (threads == NULL)
        return NULL;
      w->threads = threads;
      w->max_threads = max;
    }
  w->threads[w->n_threads] = (MscWatchThread) { .tid = tid };
  return &w->threads[w->n_threads++];
}

static void
msc_watch_forget (MscTraceWatch *w, pid_t tid)
{
  for (size_t i = 0; i < w->n_threads; i++)
    if (w->threads[i].tid == tid)
      {
        w->threads[i] = w->threads[--w->n_threads];
        return;
      }
}

/* A syscall stop: at a mapping call's entry its stack, at its exit the record. */
static void
msc_watch_syscall (MscTraceWatch *w, pid_t tid)
{
  struct __ptrace_syscall_info info;
  MscWatchThread *t;
  MscWireOp op = { 0 };

  if (ptrace (PTRACE_GET_SYSCALL_INFO, tid, (void *) sizeof info, &info) <= 0
      || (t = msc_watch_thread (w, tid)) == NULL)
    return;
  if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
    {
      t->pending = msc_watch_is_mapping ((long) info.entry.nr);
      if (!t->pending)
        return;
      t->nr = (int) info.entry.nr;
      t->entry_time = msc_backend_trace_clock ();
      memcpy (t->args, info.entry.args, sizeof t->args);
      msc_watch_unwind (w, t);
    }
  else if (info.op == PTRACE_SYSCALL_INFO_EXIT && t->pending)
    {
      t->pending = 0;
      if (msc_watch_op (w, t, info.exit.rval, info.exit.is_error, &op))
        msc_watch_send_op (w, t, &op);
      /* New code mapped: the modules libdwfl knows are out of date. */
      if (!info.exit.is_error && ((t->nr == SYS_mmap && (t->args[2] & PROT_EXEC))
                                  || (t->nr == SYS_mprotect && (t->args[2] & PROT_EXEC))))
        msc_watch_report (w);
    }
}

/* ---- the stops ---- */

/* The program is exiting: memscope takes its last snapshot while the
 * memory is still there, then answers.  Not when a signal killed it (the
 * preloaded tracer cannot either), nor for ever: memscope may have
 * stopped reading. */
static void
msc_watch_exit_handshake (MscTraceWatch *w, pid_t tid)
{
  MscWireExit rec = { .time = msc_backend_trace_clock () };
  unsigned long status = 0;
  struct pollfd p = { .fd = w->fd, .events = POLLIN };
  char ack;

  if (ptrace (PTRACE_GETEVENTMSG, tid, 0, &status) != 0 || WIFSIGNALED ((int) status))
    return;
  msc_watch_header (&rec.h, MSC_WIRE_EXIT, 0, sizeof rec, w->pid);
  msc_watch_send (w, &rec, sizeof rec);
  if (poll (&p, 1, 30000) > 0)
    while (recv (w->fd, &ack, 1, MSG_DONTWAIT) < 0 && errno == EINTR)
      ;
}

static void
msc_watch_event (MscTraceWatch *w, pid_t tid, int event)
{
  if (event == PTRACE_EVENT_EXEC)
    {
      /* The new image is in place and none of it has run. */
      w->brk = 0;
      msc_watch_report (w);
      msc_watch_hello (w, w->dwfl != NULL);
      w->images++;
    }
  else if (event == PTRACE_EVENT_EXIT && tid == w->pid)
    msc_watch_exit_handshake (w, tid);
}

/* Lets every thread go: each must be stopped to be detached. */
static void
msc_watch_let_go (MscTraceWatch *w, pid_t stopped, int sig)
{
  for (size_t i = 0; i < w->n_threads; i++)
    if (w->threads[i].tid != stopped)
      ptrace (PTRACE_INTERRUPT, w->threads[i].tid, 0, 0);
  ptrace (PTRACE_DETACH, stopped, 0, (void *) (long) sig);
  msc_watch_forget (w, stopped);
  while (w->n_threads > 0)
    {
      int st;
      pid_t tid = waitpid (-1, &st, __WALL | __WNOTHREAD);

      if (tid < 0 && errno == EINTR)
        continue;
      if (tid < 0)
        break;
      if (WIFSTOPPED (st))
        ptrace (PTRACE_DETACH, tid, 0,
                (void *) (long) ((st >> 16) == 0 && WSTOPSIG (st) != (SIGTRAP | 0x80) ? WSTOPSIG (st) : 0));
      msc_watch_forget (w, tid);
    }
}

/* One stop of a thread; resumes it.  0 when the watcher let go of them all. */
static int
msc_watch_stop (MscTraceWatch *w, pid_t tid, int st)
{
  int sig = WSTOPSIG (st), event = (unsigned) st >> 16, deliver = 0;

  if (sig == (SIGTRAP | 0x80))
    msc_watch_syscall (w, tid);
  else if (event == PTRACE_EVENT_STOP)
    {
      /* A group stop (SIGSTOP and kin) stays one: listen until SIGCONT. */
      if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
        {
          ptrace (PTRACE_LISTEN, tid, 0, 0);
          return 1;
        }
      msc_watch_thread (w, tid); /* a new thread's first stop */
    }
  else if (event != 0)
    msc_watch_event (w, tid, event);
  else
    deliver = sig; /* a signal on its way to the program */
  if (atomic_load (&w->detach))
    {
      msc_watch_let_go (w, tid, deliver);
      return 0;
    }
  ptrace (PTRACE_SYSCALL, tid, 0, (void *) (long) deliver);
  return 1;
}

static void *
msc_watch_main (void *data)
{
  MscTraceWatch *w = data;
  char go = 1;
  int st, watching;
  pid_t tid;

  watching = ptrace (PTRACE_SEIZE, w->pid, 0, (void *) (long) MSC_WATCH_OPTIONS) == 0;
  if (!watching)
    {
      char note[256];

      snprintf (note, sizeof note, "its mappings are not traced either: memscope cannot attach to it (%s)",
                strerror (errno));
      msc_watch_note (w, note);
      msc_watch_hello (w, 0);
    }
  else
    msc_watch_thread (w, w->pid);
  if (write (w->go_fd, &go, 1) != 1)
    kill (w->pid, SIGKILL); /* it would wait for ever */
  close (w->go_fd);
  for (;;)
    {
      tid = waitpid (watching ? -1 : w->pid, &st, watching ? __WALL | __WNOTHREAD : 0);
      if (tid < 0 && errno == EINTR)
        continue;
      if (tid < 0)
        break;
      if (WIFEXITED (st) || WIFSIGNALED (st))
        {
          msc_watch_forget (w, tid);
          if (tid == w->pid)
            {
              w->wait_status = st;
              break;
            }
        }
      else if (WIFSTOPPED (st) && !msc_watch_stop (w, tid, st))
        break; /* let go: the program runs on, untraced */
    }
  atomic_store (&w->done, 1);
  return NULL;
}

/* ---- msc-linux-trace.h ---- */

MscTraceWatch *
msc_trace_watch_start (pid_t pid, int channel, int go_fd)
{
  MscTraceWatch *w = calloc (1, sizeof *w);

  if (w == NULL)
    return NULL;
  w->pid = pid;
  w->fd = channel;
  w->go_fd = go_fd;
  if (pthread_create (&w->thread, NULL, msc_watch_main, w) != 0)
    {
      free (w);
      return NULL;
    }
  return w;
}

int
msc_trace_watch_ended (MscTraceWatch *w, int *wait_status)
{
  if (!atomic_load (&w->done))
    return 0;
  *wait_status = w->wait_status;
  return 1;
}

void
msc_trace_watch_release (MscTraceWatch *w)
{
  atomic_store (&w->detach, 1);
  /* A signal stops it at once, and it lets go there; SIGCONT does
   * nothing else to a running program. */
  kill (w->pid, SIGCONT);
}

void
msc_trace_watch_free (MscTraceWatch *w)
{
  if (w == NULL)
    return;
  pthread_join (w->thread, NULL);
  if (w->dwfl != NULL)
    dwfl_end (w->dwfl);
  close (w->fd);
  free (w->threads);
  free (w);
}
