/* msc-trace-record.c — per-thread buffers, stacks and the channel of the
 * preload library (see msc-trace-preload.h).
 *
 * A thread's buffer is one mmap'd block (raw system call: never traced, never
 * malloc) holding the records not yet sent and a small cache of the stack
 * hashes this thread already sent.  A full buffer goes out as one seqpacket
 * message.  Buffers are listed in a fixed table so exit and exec can send
 * every thread's records; an atomic state per buffer keeps that flush and
 * the owning thread from writing the buffer at once (the fast path pays one
 * uncontended compare-and-swap, no lock a signal handler could deadlock on).
 */
#define _GNU_SOURCE
#include "backends/linux/msc-trace-preload.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

_Static_assert (sizeof (void *) == sizeof (uint64_t), "unw_backtrace writes into uint64_t frames");

#define MSC_TR_CACHE 4096          /* stack hashes remembered per thread */
#define MSC_TR_MAX_BUFFERS 4096    /* threads alive at once that can buffer */

/* OWNER: its thread is writing a record.  FLUSHING: exit or exec is sending
 * it from another thread; its owner waits, so that what it sends alone after
 * follows the buffer.  TAKEN: sent for good, its owner sends records alone.
 * FREE: its thread is gone and a new thread may take it over.  Buffers are
 * never unmapped: exit may be flushing them from another thread right then. */
enum { MSC_BUF_IDLE, MSC_BUF_OWNER, MSC_BUF_FLUSHING, MSC_BUF_TAKEN, MSC_BUF_FREE };

/* How long exit waits for a thread to finish the record it is writing. */
#define MSC_TR_FLUSH_WAIT_NS 1000000000LL

typedef struct {
  _Atomic int state;
  uint32_t tid;
  size_t len;
  uint64_t cache[MSC_TR_CACHE];
  MscTrUnwind unwind;
  char data[MSC_WIRE_MESSAGE_MAX];
} MscTrBuffer;

int msc_tr_enabled;
__thread int msc_tr_busy __attribute__ ((tls_model ("initial-exec")));

static __thread MscTrBuffer *msc_tr_buffer __attribute__ ((tls_model ("initial-exec")));
/* The thread's key destructor ran: its records go out one by one. */
static __thread int msc_tr_thread_gone __attribute__ ((tls_model ("initial-exec")));
static __thread uint32_t msc_tr_tid __attribute__ ((tls_model ("initial-exec")));

static int msc_tr_fd = -1;
static _Atomic int msc_tr_exiting;
static pthread_key_t msc_tr_key;
static MscTrBuffer *_Atomic msc_tr_buffers[MSC_TR_MAX_BUFFERS];
uint64_t msc_tr_self_start, msc_tr_self_end;

static uint32_t
msc_tr_gettid (void)
{
  if (msc_tr_tid == 0)
    msc_tr_tid = (uint32_t) syscall (SYS_gettid);
  return msc_tr_tid;
}

/* A failed send means memscope is gone (or stopped tracing): the program
 * goes on untraced rather than blocking or dying of SIGPIPE. */
static void
msc_tr_send (const void *data, size_t len)
{
  if (len == 0 || msc_tr_fd < 0)
    return;
  while (send (msc_tr_fd, data, len, MSG_NOSIGNAL) < 0)
    if (errno != EINTR)
      {
        msc_tr_enabled = 0;
        return;
      }
}

static int
msc_tr_find_self (struct dl_phdr_info *info, size_t size, void *user)
{
  uintptr_t here = (uintptr_t) user;

  (void) size;
  for (int i = 0; i < info->dlpi_phnum; i++)
    {
      const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
      uintptr_t start = info->dlpi_addr + ph->p_vaddr;

      if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && here >= start && here < start + ph->p_memsz)
        {
          msc_tr_self_start = start;
          msc_tr_self_end = start + ph->p_memsz;
          return 1;
        }
    }
  return 0;
}

/* The buffer's state once no flush is sending it (a send lasts one
 * message: the wait is short). */
static int
msc_tr_settled (MscTrBuffer *buffer)
{
  int state;

  while ((state = atomic_load (&buffer->state)) == MSC_BUF_FLUSHING)
    sched_yield ();
  return state;
}

/* Marks the buffer TAKEN once no flush is sending it; returns the state it
 * had (IDLE: what it holds is the caller's to send). */
static int
msc_tr_take (MscTrBuffer *buffer)
{
  for (;;)
    {
      int state = msc_tr_settled (buffer);

      if (atomic_compare_exchange_weak (&buffer->state, &state, MSC_BUF_TAKEN))
        return state;
    }
}

/* Sends what the buffer holds and marks it TAKEN; the caller has it. */
static void
msc_tr_send_and_take (MscTrBuffer *buffer)
{
  msc_tr_send (buffer->data, buffer->len);
  buffer->len = 0;
  atomic_store (&buffer->state, MSC_BUF_TAKEN);
}

static void
msc_tr_thread_exit (void *data)
{
  MscTrBuffer *buffer = data;

  msc_tr_busy++;
  if (msc_tr_take (buffer) == MSC_BUF_IDLE)
    msc_tr_send (buffer->data, buffer->len);
  /* Its stack cache stays: every hash in it reached memscope. */
  buffer->len = 0;
  atomic_store (&buffer->state, MSC_BUF_FREE);
  msc_tr_buffer = NULL;
  msc_tr_thread_gone = 1;
  msc_tr_busy--;
}

void
msc_tr_record_init (int fd)
{
  msc_tr_fd = fd;
  pthread_key_create (&msc_tr_key, msc_tr_thread_exit);
  dl_iterate_phdr (msc_tr_find_self, (void *) (uintptr_t) msc_tr_record_init);
  /* libunwind's per-thread cache: a malloc-heavy program unwinds the same
   * few stacks over and over. */
  unw_set_caching_policy (unw_local_addr_space, UNW_CACHE_PER_THREAD);
}

/* A dead thread's buffer, else a new one (registered when there is room). */
static MscTrBuffer *
msc_tr_new_buffer (void)
{
  MscTrBuffer *buffer;

  for (size_t i = 0; i < MSC_TR_MAX_BUFFERS; i++)
    {
      int free_state = MSC_BUF_FREE;

      buffer = atomic_load (&msc_tr_buffers[i]);
      if (buffer != NULL && atomic_compare_exchange_strong (&buffer->state, &free_state, MSC_BUF_IDLE))
        {
          /* Its frames are the dead thread's, on a stack that may be gone. */
          msc_tr_unwind_reset (&buffer->unwind);
          return buffer;
        }
    }
  buffer = msc_tr_raw_map (sizeof *buffer);
  if (buffer == NULL)
    return NULL;
  for (size_t i = 0; i < MSC_TR_MAX_BUFFERS; i++)
    {
      MscTrBuffer *expected = NULL;

      if (atomic_compare_exchange_strong (&msc_tr_buffers[i], &expected, buffer))
        break;
    }
  return buffer;
}

/* The thread's buffer, claimed for writing; NULL: send the record alone. */
static MscTrBuffer *
msc_tr_claim (void)
{
  MscTrBuffer *buffer = msc_tr_buffer;
  int idle = MSC_BUF_IDLE;

  if (buffer == NULL && !msc_tr_thread_gone && !msc_tr_exiting)
    {
      buffer = msc_tr_new_buffer ();
      if (buffer == NULL)
        return NULL;
      buffer->tid = msc_tr_gettid ();
      msc_tr_buffer = buffer;
      pthread_setspecific (msc_tr_key, buffer);
    }
  if (buffer == NULL)
    return NULL;
  if (!atomic_compare_exchange_strong (&buffer->state, &idle, MSC_BUF_OWNER))
    {
      /* Exit is sending it: records sent alone must follow what it held. */
      if (idle == MSC_BUF_FLUSHING)
        msc_tr_settled (buffer);
      return NULL;
    }
  /* Exit began after this thread's last look and may have passed this
   * buffer by while it was not yet listed or not idle: send it here.  (The
   * flush stores msc_tr_exiting before it looks at a buffer, this thread
   * claims before it looks at msc_tr_exiting: one of the two sees the
   * other.) */
  if (atomic_load (&msc_tr_exiting))
    {
      msc_tr_send_and_take (buffer);
      return NULL;
    }
  return buffer;
}

/* Gives the claimed buffer back.  A release store, not a sequentially
 * consistent one: a flush that takes the buffer (its compare-and-swap
 * acquires) sees every record written before, and on x86 this is a plain
 * store instead of a second locked instruction on every event. */
static void
msc_tr_release (MscTrBuffer *buffer)
{
  atomic_store_explicit (&buffer->state, MSC_BUF_IDLE, memory_order_release);
}

/* Appends one record (len a multiple of 8, at most a message). */
static void
msc_tr_put (const void *record, size_t len)
{
  MscTrBuffer *buffer = msc_tr_claim ();

  if (buffer == NULL)
    {
      msc_tr_send (record, len);
      return;
    }
  if (buffer->len + len > sizeof buffer->data)
    {
      msc_tr_send (buffer->data, buffer->len);
      buffer->len = 0;
    }
  memcpy (buffer->data + buffer->len, record, len);
  buffer->len += len;
  msc_tr_release (buffer);
}

static void
msc_tr_header (MscWireHeader *h, int type, int op, size_t len)
{
  h->type = (uint8_t) type;
  h->op = (uint8_t) op;
  h->length = (uint16_t) len;
  h->tid = msc_tr_gettid ();
}

/* Four independent lanes: a 60-frame stack is hashed on every malloc, and
 * one multiply chain would cost more than the unwinding's cache lookups. */
static uint64_t
msc_tr_hash (const uint64_t *frames, int n)
{
  const uint64_t k = 0xff51afd7ed558ccdu;
  uint64_t h0 = 0x9e3779b97f4a7c15u, h1 = 0xc2b2ae3d27d4eb4fu, h2 = 0x165667b19e3779f9u, h3 = (uint64_t) n;
  int i = 0;

  for (; i + 4 <= n; i += 4)
    {
      h0 = (h0 ^ frames[i]) * k;
      h1 = (h1 ^ frames[i + 1]) * k;
      h2 = (h2 ^ frames[i + 2]) * k;
      h3 = (h3 ^ frames[i + 3]) * k;
    }
  for (; i < n; i++)
    h0 = (h0 ^ frames[i]) * 0xc4ceb9fe1a85ec53u;
  h0 ^= (h1 >> 29) ^ (h2 << 17) ^ (h3 >> 41) ^ h1 ^ h2 ^ h3;
  h0 *= k;
  h0 ^= h0 >> 32;
  return h0 != 0 ? h0 : 1;
}

/* The full unwind: the caller's frames without the tracer's own, into
 * frames (room for MSC_WIRE_MAX_FRAMES + 8); returns how many. */
static int
msc_tr_unwind_full (uint64_t *frames, uint64_t caller)
{
  int n = unw_backtrace ((void **) frames, MSC_WIRE_MAX_FRAMES + 8);
  int skip = 0, kept;

  while (skip < n && frames[skip] >= msc_tr_self_start && frames[skip] < msc_tr_self_end)
    skip++;
  kept = n - skip < MSC_WIRE_MAX_FRAMES ? n - skip : MSC_WIRE_MAX_FRAMES;
  if (kept <= 0 && caller != 0)
    {
      frames[0] = caller;
      return 1;
    }
  if (kept <= 0)
    return 0;
  memmove (frames, frames + skip, (size_t) kept * sizeof frames[0]);
  return kept;
}

/* The caller's stack without our own frames; sends it the first time this
 * thread sees it and returns its hash.  A stack the thread's unwind cache
 * still vouches for is not unwound (msc-trace-unwind.c). */
uint64_t
msc_tr_stack (uint64_t caller)
{
  struct {
    MscWireStack s;
    uint64_t frames[MSC_WIRE_MAX_FRAMES + 8];
  } rec;
  MscTrBuffer *buffer = msc_tr_buffer;
  MscTrTop top;
  int have_top = buffer != NULL && msc_tr_unwind_top (&top);
  const uint64_t *known = NULL;
  int kept = 0;
  uint64_t hash = 0;

  if (have_top)
    known = msc_tr_unwind_lookup (&buffer->unwind, &top, &kept, &hash);
  if (known == NULL)
    {
      kept = msc_tr_unwind_full (rec.frames, caller);
      hash = msc_tr_hash (rec.frames, kept);
      /* One frame is the hook's return address alone: libunwind found
       * nothing past the tracer, and that is no stack to keep. */
      if (have_top && kept > 1)
        msc_tr_unwind_learn (&buffer->unwind, &top, rec.frames, kept, hash);
    }
  if (buffer != NULL && buffer->cache[hash % MSC_TR_CACHE] == hash)
    return hash;
  if (known != NULL)
    memcpy (rec.frames, known, (size_t) kept * sizeof rec.frames[0]);
  msc_tr_header (&rec.s.h, MSC_WIRE_STACK, 0, sizeof rec.s + (size_t) kept * 8);
  rec.s.hash = hash;
  msc_tr_put (&rec, rec.s.h.length);
  if (buffer != NULL)
    buffer->cache[hash % MSC_TR_CACHE] = hash;
  return hash;
}

void
msc_tr_alloc (int op, void *address, size_t size, uint64_t caller)
{
  MscWireAlloc rec;

  msc_tr_busy++;
  /* Stamped as soon as the block is there, before the unwinding: see
   * msc_tr_record_op() in msc-trace-patch.c. */
  rec.time = msc_tr_now ();
  rec.stack = msc_tr_stack (caller);
  msc_tr_header (&rec.h, MSC_WIRE_ALLOC, op, sizeof rec);
  rec.address = (uint64_t) (uintptr_t) address;
  rec.size = size;
  msc_tr_put (&rec, sizeof rec);
  msc_tr_busy--;
}

void
msc_tr_free (void *address)
{
  MscWireFree rec;

  msc_tr_busy++;
  msc_tr_header (&rec.h, MSC_WIRE_FREE, MSC_TRACE_FREE, sizeof rec);
  rec.time = msc_tr_now ();
  rec.address = (uint64_t) (uintptr_t) address;
  msc_tr_put (&rec, sizeof rec);
  msc_tr_busy--;
}

/* op arrives filled but for header and stack; time 0: now. */
void
msc_tr_op (const MscWireOp *op, uint64_t caller)
{
  MscWireOp rec = *op;

  msc_tr_busy++;
  if (rec.time == 0)
    rec.time = msc_tr_now ();
  rec.stack = msc_tr_stack (caller);
  msc_tr_header (&rec.h, MSC_WIRE_OP, op->h.op, sizeof rec);
  msc_tr_put (&rec, sizeof rec);
  msc_tr_busy--;
}

void
msc_tr_hello (int patched)
{
  MscWireHello rec;

  msc_tr_header (&rec.h, MSC_WIRE_HELLO, 0, sizeof rec);
  rec.time = msc_tr_now ();
  rec.pid = (uint32_t) getpid ();
  rec.patched = (uint32_t) patched;
  msc_tr_put (&rec, sizeof rec);
}

static void
msc_tr_text_record (int type, const char *text, size_t max)
{
  struct {
    MscWireHeader h;
    char text[512];
  } rec;
  size_t n = strnlen (text, max < sizeof rec.text - 1 ? max : sizeof rec.text - 1);

  memset (rec.text, 0, sizeof rec.text);
  memcpy (rec.text, text, n);
  msc_tr_header (&rec.h, type, 0, sizeof rec.h + ((n + 1 + 7) & ~(size_t) 7));
  msc_tr_put (&rec, rec.h.length);
}

void
msc_tr_note (const char *text)
{
  msc_tr_busy++;
  msc_tr_text_record (MSC_WIRE_NOTE, text, 500);
  msc_tr_busy--;
}

static int
msc_tr_module (struct dl_phdr_info *info, size_t size, void *user)
{
  struct {
    MscWireModule m;
    char name[512];
  } rec;
  uint64_t lo = UINT64_MAX, hi = 0;
  size_t n = strnlen (info->dlpi_name, sizeof rec.name - 1);

  (void) size;
  (void) user;
  for (int i = 0; i < info->dlpi_phnum; i++)
    if (info->dlpi_phdr[i].p_type == PT_LOAD)
      {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

        lo = ph->p_vaddr < lo ? ph->p_vaddr : lo;
        hi = ph->p_vaddr + ph->p_memsz > hi ? ph->p_vaddr + ph->p_memsz : hi;
      }
  if (hi == 0)
    return 0;
  memset (rec.name, 0, sizeof rec.name);
  memcpy (rec.name, info->dlpi_name, n);
  msc_tr_header (&rec.m.h, MSC_WIRE_MODULE, 0, sizeof rec.m + ((n + 1 + 7) & ~(size_t) 7));
  rec.m.bias = info->dlpi_addr;
  rec.m.start = info->dlpi_addr + lo;
  rec.m.end = info->dlpi_addr + hi;
  msc_tr_put (&rec, rec.m.h.length);
  return 0;
}

static void
msc_tr_flush_own (void)
{
  MscTrBuffer *buffer = msc_tr_claim ();

  if (buffer == NULL)
    return;
  msc_tr_send (buffer->data, buffer->len);
  buffer->len = 0;
  msc_tr_release (buffer);
}

/* The whole module list, as memscope symbolizes with it from now on. */
void
msc_tr_modules (void)
{
  MscWireModules rec;

  msc_tr_busy++;
  msc_tr_header (&rec.h, MSC_WIRE_MODULES, 0, sizeof rec);
  rec.time = msc_tr_now ();
  msc_tr_put (&rec, sizeof rec);
  dl_iterate_phdr (msc_tr_module, NULL);
  /* Out now: other threads' stacks are named with this list, and their
   * buffers may reach memscope long before this thread's fills. */
  msc_tr_flush_own ();
  msc_tr_busy--;
}

static int64_t
msc_tr_monotonic_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Another thread's buffer: sent once its owner is between records.  A
 * thread that never gets there (stopped in a handler that called exit on
 * another thread) holds exit up until the deadline at most. */
static void
msc_tr_flush_other (MscTrBuffer *buffer, int64_t deadline)
{
  for (;;)
    {
      int idle = MSC_BUF_IDLE;

      if (atomic_compare_exchange_strong (&buffer->state, &idle, MSC_BUF_FLUSHING))
        {
          msc_tr_send_and_take (buffer);
          return;
        }
      if (idle != MSC_BUF_OWNER || msc_tr_monotonic_ns () > deadline)
        return;
      sched_yield ();
    }
}

/* Other threads may be running: a buffer is sent only while its owner is
 * not writing it, and once sent its owner sends records alone. */
void
msc_tr_flush_all (void)
{
  MscTrBuffer *own = msc_tr_buffer;
  int64_t deadline = msc_tr_monotonic_ns () + MSC_TR_FLUSH_WAIT_NS;

  msc_tr_busy++;
  atomic_store (&msc_tr_exiting, 1);
  if (own != NULL && msc_tr_take (own) == MSC_BUF_IDLE)
    msc_tr_send (own->data, own->len);
  for (size_t i = 0; i < MSC_TR_MAX_BUFFERS; i++)
    {
      MscTrBuffer *buffer = atomic_load (&msc_tr_buffers[i]);

      if (buffer != NULL && buffer != own)
        msc_tr_flush_other (buffer, deadline);
    }
  msc_tr_busy--;
}

void
msc_tr_exit_handshake (void)
{
  MscWireExit rec;
  char ack;

  msc_tr_busy++;
  msc_tr_header (&rec.h, MSC_WIRE_EXIT, 0, sizeof rec);
  rec.time = msc_tr_now ();
  msc_tr_send (&rec, sizeof rec);
  /* memscope answers once its snapshot is taken; no answer (it is gone or
   * stopped tracing) ends the wait just the same. */
  while (msc_tr_enabled && recv (msc_tr_fd, &ack, 1, 0) < 0 && errno == EINTR)
    ;
  msc_tr_busy--;
}

void
msc_tr_status (int code)
{
  MscWireStatus rec = { .code = code };

  msc_tr_busy++;
  msc_tr_header (&rec.h, MSC_WIRE_STATUS, 0, sizeof rec);
  msc_tr_send (&rec, sizeof rec);
  msc_tr_busy--;
}

/* Only the forking thread lives on in the child.  The other buffers are
 * the child's copies of the parent's: unmapped, not cleared, so that no
 * page is copied for nothing.  The child's own starts empty, and with no
 * stack known: memscope's recorder for this process has seen none. */
void
msc_tr_record_restart (int fd)
{
  MscTrBuffer *own = msc_tr_buffer;

  for (size_t i = 0; i < MSC_TR_MAX_BUFFERS; i++)
    {
      MscTrBuffer *buffer = atomic_load (&msc_tr_buffers[i]);

      if (buffer != NULL && buffer != own)
        {
          atomic_store (&msc_tr_buffers[i], NULL);
          msc_tr_raw_unmap (buffer, sizeof *buffer);
        }
    }
  msc_tr_tid = 0;
  if (own != NULL)
    {
      own->len = 0;
      own->tid = msc_tr_gettid ();
      memset (own->cache, 0, sizeof own->cache);
      msc_tr_unwind_reset (&own->unwind);
      atomic_store (&own->state, MSC_BUF_IDLE);
    }
  msc_tr_exiting = 0;
  msc_tr_fd = fd;
}

void
msc_tr_forked_child (void)
{
  /* The parent's buffers were copied into the child: they are the
   * parent's to send.  Closing the socket keeps the child's records (and
   * its exit) out of the parent's stream. */
  msc_tr_enabled = 0;
  if (msc_tr_fd >= 0)
    close (msc_tr_fd);
  msc_tr_fd = -1;
}
