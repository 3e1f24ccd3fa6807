/* msc-trace-wire.h — the records the preload library (libmemscope-trace.so)
 * sends memscope over its one channel, a SOCK_SEQPACKET socket.
 *
 * Each thread fills its own buffer with records and sends the buffer as one
 * message: a seqpacket message arrives whole and is never interleaved with
 * another thread's, so no lock is needed on the way (a pipe only keeps
 * writes up to PIPE_BUF whole).  Records never cross a message; each is a
 * multiple of 8 bytes and starts with MscWireHeader.  Both ends are the
 * same build, so the layout is the compiler's, not a file format.
 */
#pragma once

#include <stdint.h>
#include <sys/socket.h>

/* The largest message (bytes): a thread's buffer. */
#define MSC_WIRE_MESSAGE_MAX 32768
/* Deepest stack recorded (the issue asks for at least 64). */
#define MSC_WIRE_MAX_FRAMES 128

/* Environment the launcher hands the target. */
#define MSC_WIRE_ENV_FD  "MEMSCOPE_TRACE_FD"   /* the socket's descriptor */
#define MSC_WIRE_ENV_PID "MEMSCOPE_TRACE_PID"  /* the one process to trace */
/* --follow-children: the rendezvous socket (SOCK_SEQPACKET) on which every
 * other process that loads the tracer (a fork child, a program a traced
 * process started) hands memscope a channel of its own: one MscWireFollow
 * with the channel's other end and, where the kernel has them, a pidfd of
 * the process (SCM_RIGHTS). */
#define MSC_WIRE_ENV_FOLLOW "MEMSCOPE_TRACE_FOLLOW_FD"

typedef enum {
  MSC_WIRE_HELLO = 1,  /* an image started tracing (the first, or after exec) */
  MSC_WIRE_ALLOC,      /* MscWireAlloc: a malloc-family call that needs no old block */
  MSC_WIRE_FREE,       /* MscWireFree */
  MSC_WIRE_OP,         /* MscWireOp: realloc and the mapping calls */
  MSC_WIRE_STACK,      /* MscWireStack + frames: a stack first used by this thread */
  MSC_WIRE_MODULES,    /* MscWireModules: the module list is replaced by ... */
  MSC_WIRE_MODULE,     /* MscWireModule + name: ... these, up to the next MODULES */
  MSC_WIRE_NOTE,       /* MscWireNote + text: something the capture should say */
  MSC_WIRE_EXIT,       /* MscWireExit: exit() has begun; the thread waits for
                        * one byte back, so memscope can take the last
                        * snapshot while the memory is still there */
  MSC_WIRE_STATUS,     /* MscWireStatus: the exit code (--follow-children: a
                        * followed process is not memscope's to wait for) */
} MscWireType;

typedef struct {
  uint8_t  type;       /* MscWireType */
  uint8_t  op;         /* MscTraceOp for ALLOC, FREE, OP */
  uint16_t length;     /* bytes of the whole record, header included */
  uint32_t tid;
} MscWireHeader;

typedef struct {
  MscWireHeader h;
  uint64_t time;       /* CLOCK_MONOTONIC ns */
  uint32_t pid;
  uint32_t patched;    /* non-zero: libc's mapping calls are seen from inside libc too */
} MscWireHello;

typedef struct {
  MscWireHeader h;
  uint64_t time;
  uint64_t address;    /* the block, 0 when the call failed */
  uint64_t size;       /* bytes asked for (calloc: n * size) */
  uint64_t stack;      /* stack hash, as sent in an MscWireStack */
} MscWireAlloc;

typedef struct {
  MscWireHeader h;
  uint64_t time;
  uint64_t address;
} MscWireFree;

typedef struct {
  MscWireHeader h;
  uint64_t time;
  uint64_t address;     /* result: new block, mapping, range; brk: the new break */
  uint64_t size;        /* new size, length; brk: bytes the break moved */
  uint64_t old_address; /* realloc/mremap: the old block; brk: the old break */
  uint64_t old_size;    /* mremap: the old length */
  uint64_t stack;
  uint32_t flags;       /* mmap: prot | flags << 8; mprotect: prot; madvise: advice */
  int32_t  error;       /* errno of a failed call, 0 on success */
} MscWireOp;

typedef struct {
  MscWireHeader h;
  uint64_t hash;
  /* uint64_t frames[n], n = (h.length - sizeof (MscWireStack)) / 8,
   * innermost first; return addresses as found on the stack. */
} MscWireStack;

typedef struct {
  MscWireHeader h;
  uint64_t time;
} MscWireModules;

typedef struct {
  MscWireHeader h;
  uint64_t bias;       /* load bias (dlpi_addr) */
  uint64_t start;      /* lowest and end of the highest PT_LOAD, bias added */
  uint64_t end;
  /* char name[], NUL-terminated, padded to 8; "" = the main program */
} MscWireModule;

typedef struct {
  MscWireHeader h;
  uint64_t time;
} MscWireExit;

typedef struct {
  MscWireHeader h;
  /* char text[], NUL-terminated, padded to 8 */
} MscWireNote;

typedef struct {
  MscWireHeader h;
  int32_t code;        /* exit()'s or _exit()'s argument */
  uint32_t unused;
} MscWireStatus;

/* The one data part of a rendezvous message. */
typedef struct {
  uint32_t pid;
  uint32_t has_pidfd;  /* the second descriptor is a pidfd of pid */
} MscWireFollow;

/* A unix socket's queue is charged to the sender: a larger send buffer in
 * the target lets it run on while memscope takes a snapshot instead of
 * blocking on a full queue.  SO_SNDBUFFORCE passes rmem/wmem_max where the
 * user may (root); else the plain request is capped by the system.  Both
 * ends call it: memscope on the channel it launches with, the tracer on
 * the channel a followed process makes. */
static inline void
msc_wire_grow_channel (int fd)
{
  int size = 16 << 20;

  if (setsockopt (fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0)
    setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}
