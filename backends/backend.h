/* backend.h — the one interface every OS backend implements.
 *
 * Plain C11, no GLib: the Windows capture tool links this with the model's
 * plain-C core only.  Every call reports failure through an MscStatus whose
 * message is a sentence a user can read ("process 1234 has exited").
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* VMMap's memory types, in the order of VMMap's summary table. */
typedef enum {
  MSC_TYPE_IMAGE = 0,
  MSC_TYPE_MAPPED_FILE,
  MSC_TYPE_SHAREABLE,
  MSC_TYPE_HEAP,
  MSC_TYPE_MANAGED_HEAP,
  MSC_TYPE_STACK,
  MSC_TYPE_PRIVATE_DATA,
  MSC_TYPE_PAGE_TABLE,
  MSC_TYPE_UNUSABLE,
  MSC_TYPE_FREE,
  MSC_N_TYPES
} MscUseType;

/* Win32 PAGE_* values: the .mmp Protection attribute is this number. */
enum {
  MSC_PAGE_NOACCESS          = 0x01,
  MSC_PAGE_READONLY          = 0x02,
  MSC_PAGE_READWRITE         = 0x04,
  MSC_PAGE_WRITECOPY         = 0x08,
  MSC_PAGE_EXECUTE           = 0x10,
  MSC_PAGE_EXECUTE_READ      = 0x20,
  MSC_PAGE_EXECUTE_READWRITE = 0x40,
  MSC_PAGE_EXECUTE_WRITECOPY = 0x80,
  MSC_PAGE_GUARD             = 0x100,
  MSC_PAGE_NOCACHE           = 0x200,
  MSC_PAGE_WRITECOMBINE      = 0x400,
};

/* Win32 MEM_* values: the .mmp Storage attribute. */
enum {
  MSC_MEM_FREE    = 0x10000,
  MSC_MEM_PRIVATE = 0x20000,
  MSC_MEM_MAPPED  = 0x40000,
  MSC_MEM_IMAGE   = 0x1000000,
};

/* Native (POSIX) permission bits, MscRegion.perms; 0 = not known (Windows). */
enum {
  MSC_PERM_READ    = 0x01,
  MSC_PERM_WRITE   = 0x02,
  MSC_PERM_EXECUTE = 0x04,
  MSC_PERM_SHARED  = 0x08,
  MSC_PERM_KNOWN   = 0x80,
};

/* MscRegion.flags */
enum {
  MSC_REGION_SUBBLOCK      = 1u << 0, /* belongs to the preceding top-level region */
  MSC_REGION_WS_UNKNOWN    = 1u << 1, /* the OS gave no working-set figures: "n/a" */
  MSC_REGION_ASLR          = 1u << 2, /* "Image (ASLR)": relocated image */
  MSC_REGION_SHAREABLE_HEAP = 1u << 3, /* "Heap (Shareable)" */
  MSC_REGION_NORESERVE     = 1u << 4, /* committed but not charged (MAP_NORESERVE) */
  MSC_REGION_PSS_KNOWN     = 1u << 5, /* pss is valid (Linux smaps was read) */
  MSC_REGION_STACK64       = 1u << 6, /* "64-bit thread stack" of a WOW64 process */
  MSC_REGION_LOCKED_UNKNOWN = 1u << 7, /* locked_ws could not be measured */
  MSC_REGION_PRIVATE_UNKNOWN = 1u << 8, /* private_bytes needed the working set the OS did
                                         * not give (Windows: image and mapped pages): "n/a" */
};

/* One allocation or one sub-block of it.  Byte counts throughout.
 * A top-level region's figures are the sums over its sub-blocks. */
typedef struct {
  uint64_t address;
  uint64_t size;
  uint64_t committed;
  uint64_t private_bytes;
  uint64_t total_ws;
  uint64_t private_ws;
  uint64_t shareable_ws;
  uint64_t shared_ws;
  uint64_t locked_ws;
  uint64_t pss;          /* Linux extra, valid with MSC_REGION_PSS_KNOWN */
  uint64_t swap;         /* Linux extra: bytes swapped out */
  uint32_t blocks;       /* VirtualQuery blocks / VMAs in an allocation; 0 on sub-blocks */
  uint32_t protection;   /* MSC_PAGE_*; 0 for reserved and free */
  uint32_t storage;      /* MSC_MEM_* */
  uint32_t heap_id;      /* 0 = none */
  uint32_t thread_id;    /* 0 = none */
  uint16_t flags;        /* MSC_REGION_* */
  uint8_t  type;         /* MscUseType */
  uint8_t  perms;        /* MSC_PERM_* */
} MscRegion;

typedef enum {
  MSC_OK = 0,
  MSC_ERR_NO_PROCESS,   /* no such process */
  MSC_ERR_EXITED,       /* the process exited while it was being scanned */
  MSC_ERR_PERMISSION,   /* not allowed; the message says what is needed */
  MSC_ERR_UNSUPPORTED,  /* this host or kernel cannot do it */
  MSC_ERR_IO,           /* read/write failure, disk full, ... */
  MSC_ERR_NO_MEMORY,
  MSC_ERR_CANCELLED,
  MSC_ERR_INVALID,      /* bad argument or malformed input */
} MscStatusCode;

typedef struct {
  MscStatusCode code;
  char message[512];
} MscStatus;

/* Sets status (may be NULL) and returns code. printf-style. */
MscStatusCode msc_status_set (MscStatus *status, MscStatusCode code, const char *format, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 3, 4)))
#endif
  ;

/* ---- process list ---- */

typedef struct {
  uint32_t pid;
  uint32_t parent_pid;
  uint32_t bits;            /* 32 or 64; 0 = unknown */
  uint64_t working_set;     /* resident bytes */
  uint64_t private_bytes;   /* private committed bytes, 0 if unknown */
  MscStatusCode access;     /* MSC_OK if it can be scanned, else why not */
  char name[256];
  char user[64];
  char *command_line;       /* malloc'd, may be NULL */
  char access_message[256]; /* reason when access != MSC_OK */
} MscProcessInfo;

/* Lists the processes of this machine. *out is malloc'd; free with
 * msc_backend_free_processes(). */
MscStatusCode msc_backend_list_processes (MscProcessInfo **out, size_t *n_out, MscStatus *status);
void msc_backend_free_processes (MscProcessInfo *list, size_t n);

/* ---- address-space scan ---- */

/* What the scan learned about the process itself. */
typedef struct {
  uint32_t pid;
  uint32_t bits;
  uint64_t timestamp;        /* FILETIME ticks (100 ns since 1601-01-01, UTC) */
  uint64_t page_table_size;  /* bytes of page tables (VMMap "Page Table") */
  uint64_t commit_charge;    /* bytes charged to the commit limit, 0 if unknown */
  uint64_t process_ws;       /* the working set of the whole process, given only where the
                              * regions have none (MSC_REGION_WS_UNKNOWN); 0 otherwise */
  uint32_t n_threads;
  char name[256];
  char user[64];
  char os[64];               /* "Linux 6.18.44", "Windows 10.0.19045", ... */
  char *command_line;        /* malloc'd, may be NULL */
  char *notes;               /* malloc'd, may be NULL: what could not be measured and why */
} MscScanInfo;

typedef struct {
  /* Called once per region in address order; each top-level region is
   * followed by its sub-blocks (flag MSC_REGION_SUBBLOCK).  details may be
   * NULL or "".  Return 0 to continue, non-zero to stop (out of memory). */
  int (*region) (void *user, const MscRegion *region, const char *details);
  /* Optional: fraction done in [0, 1]; return non-zero to cancel. */
  int (*progress) (void *user, double fraction);
  void *user;
  /* Optional: called once before the first region, with info as complete
   * as msc_backend_scan() returns it, so that a writer can start its file
   * then (a scan that fails before it never called it). Return non-zero to
   * stop. */
  int (*begin) (void *user, const MscScanInfo *info);
} MscRegionSink;


enum {
  MSC_SCAN_DEFAULT = 0,
  MSC_SCAN_PSS     = 1u << 0, /* also read per-region Pss (Linux: smaps, slower) */
};

/* Scans the whole user address space of pid, free regions included, into
 * sink.  On failure nothing emitted so far may be presented as a complete
 * snapshot.  Free info with msc_scan_info_clear(). */
MscStatusCode msc_backend_scan (uint32_t pid, unsigned flags, const MscRegionSink *sink,
                                MscScanInfo *info, MscStatus *status);
void msc_scan_info_clear (MscScanInfo *info);

/* ---- target memory: the Strings view and Refresh > Empty Working Set ---- */

/* Reads up to size bytes of pid's memory at address into buf; *n_read says
 * how many were read (a read stops at the first page that cannot be read;
 * MSC_OK if at least one byte was).  This may fault pages in: the Strings
 * view uses msc_backend_read_resident() instead. */
MscStatusCode msc_backend_read_memory (uint32_t pid, uint64_t address, void *buf, size_t size,
                                       size_t *n_read, MscStatus *status);

typedef struct {
  /* Called with runs of memory in increasing address order, in pieces of at
   * most a few hundred KiB (a 1 GiB region is never buffered).  A piece
   * whose address is the previous piece's end continues it (a string may
   * cross); any other address follows a gap.  bytes is valid only during
   * the call.  Return 0 to continue, non-zero to stop (cancel). */
  int (*data) (void *user, uint64_t address, const void *bytes, size_t size);
  /* Optional, called between pieces and while skipping: fraction of the
   * range walked, in [0, 1]; return non-zero to cancel. */
  int (*progress) (void *user, double fraction);
  void *user;
} MscMemorySink;

typedef struct {
  uint64_t page_size;
  uint64_t bytes_read;          /* bytes handed to the sink */
  uint64_t pages_not_resident;  /* readable pages skipped because they are not in
                                 * RAM (never touched, paged out, swapped): reading
                                 * them would fault them in */
  uint64_t pages_unreadable;    /* mapped pages without read access (reserved,
                                 * PROT_NONE, guard, kernel) or gone while read */
  uint64_t pages_unmapped;      /* pages of the range with nothing mapped */
  uint64_t pages_unverified;    /* pages read although the OS would not say whether
                                 * they were resident (Windows, where QueryWorkingSetEx
                                 * is refused): reading may have faulted them in */
} MscReadStats;

/* Streams the committed, readable, resident pages of [address, address +
 * size) in pid (rounded out to whole pages) to sink without faulting any
 * page in, so the scan does not grow the working set it is displaying
 * (Linux: pagemap present bits, then
 * process_vm_readv; Windows: QueryWorkingSetEx where the OS allows, then
 * ReadProcessMemory).  stats (required) counts what was read and skipped,
 * also on failure.  Safe on any thread.  Returns MSC_OK even when every
 * page was skipped (the stats say so); MSC_ERR_CANCELLED when the sink
 * stopped; MSC_ERR_INVALID when nothing at all is mapped in the range (the
 * region is gone). */
MscStatusCode msc_backend_read_resident (uint32_t pid, uint64_t address, uint64_t size,
                                         const MscMemorySink *sink, MscReadStats *stats,
                                         MscStatus *status);

/* How Empty Working Set was carried out (MscEmptyResult.method). */
typedef enum {
  MSC_EMPTY_NONE = 0,        /* nothing could be done */
  MSC_EMPTY_PAGEOUT,         /* Linux process_madvise (MADV_PAGEOUT) per resident range */
  MSC_EMPTY_CGROUP_RECLAIM,  /* Linux cgroup v2 memory.reclaim of the process's own cgroup */
  MSC_EMPTY_OS_CALL,         /* one OS call for the whole process (Windows EmptyWorkingSet) */
} MscEmptyMethod;

typedef struct {
  uint32_t method;            /* MscEmptyMethod */
  uint64_t rss_before;        /* resident bytes just before, 0 if unknown */
  uint64_t rss_after;         /* resident bytes just after */
  uint64_t bytes_requested;   /* bytes the OS was asked to trim */
  uint64_t bytes_refused;     /* of those, bytes in ranges the OS refused */
  uint32_t ranges_requested;
  uint32_t ranges_refused;    /* e.g. mlock'ed, hugetlbfs or device mappings */
  /* What was and was not done, in sentences a user can read; set on
   * success and on failure alike (the GUI shows it after the refresh). */
  char message[1024];
} MscEmptyResult;

/* Removes as many pages as the OS allows from pid's working set (VMMap's
 * Empty Working Set); the next scan shows what the process touches again.
 * MSC_OK only when the resident size actually dropped; otherwise an error
 * code (MSC_ERR_PERMISSION without the privilege, MSC_ERR_UNSUPPORTED when
 * the OS accepted but nothing could leave RAM, e.g. anonymous memory with
 * no swap) and result->message says why.  status->message repeats it on
 * failure.  result is required.  Safe on any thread. */
MscStatusCode msc_backend_empty_working_set (uint32_t pid, MscEmptyResult *result, MscStatus *status);

/* ---- launch and trace ---- */

/* The operations a trace records.  The numbers are stored in captures
 * (docs/file-formats.md, "Trace"): append only. */
typedef enum {
  MSC_TRACE_MALLOC = 0,
  MSC_TRACE_CALLOC,
  MSC_TRACE_REALLOC,
  MSC_TRACE_REALLOCARRAY,
  MSC_TRACE_FREE,
  MSC_TRACE_POSIX_MEMALIGN,
  MSC_TRACE_ALIGNED_ALLOC,
  MSC_TRACE_MEMALIGN,
  MSC_TRACE_VALLOC,
  MSC_TRACE_PVALLOC,
  MSC_TRACE_MMAP,
  MSC_TRACE_MUNMAP,
  MSC_TRACE_MREMAP,
  MSC_TRACE_MPROTECT,
  MSC_TRACE_MADVISE,
  MSC_TRACE_BRK,
  MSC_TRACE_N_OPS
} MscTraceOp;

/* One recorded call.  Fields that do not apply are 0. */
typedef struct {
  uint64_t time;         /* ns on the clock of msc_backend_trace_clock() */
  uint64_t address;      /* result block / mapping / range; brk: the new break */
  uint64_t size;         /* bytes asked for / length; brk: bytes the break moved */
  uint64_t old_address;  /* realloc, mremap: the old block; brk: the old break */
  uint64_t old_size;     /* mremap: the old length */
  uint64_t stack;        /* the stack's key in MscTraceSink.stack, 0 = none */
  uint32_t tid;
  uint32_t flags;        /* mmap: prot | flags << 8; mprotect: prot; madvise: advice */
  int32_t  error;        /* errno of a failed call, 0 on success */
  uint8_t  op;           /* MscTraceOp */
} MscTraceEvent;

/* One loaded module: where it lies in the target, and its file. */
typedef struct {
  uint64_t bias;         /* load bias: file address 0 lies here */
  uint64_t start;
  uint64_t end;
  const char *path;      /* absolute file name; "[vdso]" and such are not files */
} MscTraceModule;

typedef struct {
  void (*event) (void *user, const MscTraceEvent *event);
  /* A stack seen for the first time (or again: keys repeat, keep the first).
   * frames are return addresses, innermost first. */
  void (*stack) (void *user, uint64_t key, const uint64_t *frames, size_t n_frames);
  /* The module list in effect from time on (after start, dlopen, dlclose, exec). */
  void (*modules) (void *user, uint64_t time, const MscTraceModule *modules, size_t n_modules);
  /* An image of the target began tracing: exec_count 0 is the first. */
  void (*image) (void *user, uint64_t time, uint32_t exec_count, int mappings_patched);
  /* Something the capture should tell its reader. */
  void (*note) (void *user, const char *text);
  /* The target is exiting and waits until this returns: the moment for
   * the last snapshot. */
  void (*exiting) (void *user, uint64_t time);
  void *user;
} MscTraceSink;

typedef struct MscTraceLaunch MscTraceLaunch;

/* What msc_backend_trace_launch() found out about the program. */
typedef enum {
  MSC_TRACE_TRACED = 0,   /* the tracer is loaded into it */
  MSC_TRACE_STATIC,       /* statically linked: mappings through ptrace, no heap calls */
} MscTraceMode;

/* Non-zero if this host can launch a program under the tracer. */
int msc_backend_can_trace (void);

/* The clock trace events and msc_backend_trace_clock() share (ns). */
uint64_t msc_backend_trace_clock (void);

/* msc_backend_trace_launch() flags */
enum {
  MSC_TRACE_OWN_GROUP       = 1u << 0, /* own process group: Ctrl+C reaches memscope only */
  MSC_TRACE_FOLLOW_CHILDREN = 1u << 1, /* every process it starts is traced too, each on
                                        * a launch of its own (msc_backend_trace_accept) */
};

/* Where the program starts; every field optional. */
typedef struct {
  const char        *directory;    /* working directory; NULL: memscope's own */
  const char *const *environment;  /* "NAME=value" entries added to (or replacing in)
                                    * memscope's environment; NULL-terminated */
} MscTraceStart;

/* Whether program (looked up in PATH) can be launched under the tracer, and
 * how (*mode): MSC_ERR_INVALID with a message when it is not found, not
 * executable, or setuid (the loader ignores the tracer there). */
MscStatusCode msc_backend_trace_check (const char *program, MscTraceMode *mode, MscStatus *status);

/* Starts argv[0] (looked up in PATH) with the tracer library at
 * preload_path, as start says (may be NULL).  MSC_ERR_INVALID with a
 * message when msc_backend_trace_check() refuses the program, the working
 * directory is not one, or the program is statically linked and its
 * children to be followed. */
MscStatusCode msc_backend_trace_launch (const char *const *argv, const char *preload_path,
                                        unsigned flags, const MscTraceStart *start,
                                        MscTraceLaunch **out, MscTraceMode *mode, MscStatus *status);
uint32_t msc_backend_trace_pid (MscTraceLaunch *launch);
/* Hands what the target sent to sink, waiting up to timeout_ms for the
 * first message.  *more = 0 once the target exited and all was read. */
MscStatusCode msc_backend_trace_pump (MscTraceLaunch *launch, const MscTraceSink *sink,
                                      int timeout_ms, int *more, MscStatus *status);
/* After pump said no more: how the target ended.  exited = 1 with
 * exit_code, or 0 with the signal that killed it.  Returns 0 when that is
 * not known (a followed process killed and collected by its parent before
 * memscope could look). */
int  msc_backend_trace_result (MscTraceLaunch *launch, int *exited, int *code_or_signal);
/* MSC_TRACE_FOLLOW_CHILDREN: a process that began tracing on its own
 * (forked by a traced process, or a program one of them started) and is
 * waiting to be taken, else NULL.  It is pumped, stopped and freed like
 * the first.  A pid already taken and still running is the same process in
 * a new image: hand it to msc_backend_trace_continue(). */
MscTraceLaunch *msc_backend_trace_accept (MscTraceLaunch *first);
/* launch exec'd and its new image connected as later: what the old image
 * sent goes to sink, then launch goes on from later's channel; later is
 * freed. */
void msc_backend_trace_continue (MscTraceLaunch *launch, MscTraceLaunch *later,
                                 const MscTraceSink *sink);
/* Waits up to timeout_ms until one of running has something to read or
 * may have ended, or a process is waiting for first to accept it. */
void msc_backend_trace_wait (MscTraceLaunch *first, MscTraceLaunch *const *running, size_t n,
                             int timeout_ms);
/* Stops tracing: kill = 1 kills the target, else it runs on untraced. */
void msc_backend_trace_stop (MscTraceLaunch *launch, int kill);
void msc_backend_trace_free (MscTraceLaunch *launch);

/* Memory for the large, append-only tables a trace keeps (its events): size
 * bytes, zeroed, in pages the OS may back with huge pages (Linux: THP), so
 * that filling 100 MiB does not take 25,000 page faults.  NULL when out of
 * memory.  Free with msc_backend_block_free() and the same size. */
void *msc_backend_block_alloc (size_t size);
void msc_backend_block_free (void *block, size_t size);

/* ---- host services the plain-C layers need ---- */

/* "linux", "windows" or "none". */
const char *msc_backend_name (void);

/* Non-zero if this host can scan live processes. */
int msc_backend_can_scan (void);

/* The calling process's own ID. */
uint32_t msc_backend_self_pid (void);

/* Current time as FILETIME ticks. */
uint64_t msc_backend_now (void);

/* Puts stdin in binary mode where the C runtime has a text mode (Windows:
 * it would drop '\r' and stop at ^Z), so a capture piped in arrives whole. */
void msc_backend_binary_stdin (void);

/* Atomic file replacement, in three steps: open a new temporary file next to
 * dest (same directory, so the final rename cannot cross file systems), write
 * it, then commit (flush, sync, close, rename over dest) or abort (close,
 * remove). dest is untouched until commit succeeds. *tmp_path is malloc'd and
 * freed by commit/abort. The new file gets dest's permissions if it exists,
 * else the usual umask-based ones. */
FILE *msc_backend_temp_open (const char *dest, char **tmp_path, MscStatus *status);
MscStatusCode msc_backend_temp_commit (FILE *file, char *tmp_path, const char *dest, MscStatus *status);
void msc_backend_temp_abort (FILE *file, char *tmp_path);

/* Makes the pages of [address, address + size) of our own memory present in
 * one call, before a loop writes them: a page fault per page costs about
 * 10 µs in a virtual machine (a 16 MiB region table took 43 ms in faults, 2.5 ms
 * populated at once). Only whole pages inside the range; past 2 MiB they may
 * be huge pages (Linux THP). A hint, never fails. */
void msc_backend_prefault (void *address, size_t size);

/* Starts writing file's data so far to its disk without waiting (Linux:
 * sync_file_range): a save's final sync then waits for the tail only (a
 * 32 MB capture's fsync took 40 ms at the end). A hint: never fails,
 * nothing on a pipe or where the host has no such call. */
void msc_backend_write_behind (FILE *file);

/* A second thread that runs one job at a time, in the order given:
 * msc_backend_relay_run() waits for the job before to finish, starts fn (arg)
 * on the thread and returns; _wait() waits for the last one; _free() waits,
 * then ends the thread. _new() returns NULL where no thread can be made:
 * the caller then does its jobs itself. */
typedef struct MscRelay MscRelay;

MscRelay *msc_backend_relay_new  (void);
void      msc_backend_relay_run  (MscRelay *relay, void (*fn) (void *), void *arg);
void      msc_backend_relay_wait (MscRelay *relay);
void      msc_backend_relay_free (MscRelay *relay);

#ifdef __cplusplus
}
#endif
