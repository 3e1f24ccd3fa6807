/* msc-linux.h — private to backends/linux: the working data of one scan and
 * the functions the backend's files share.  Nothing here leaves the backend;
 * the rest of Memscope only sees backends/backend.h.
 *
 * A scan runs in stages, each in its own file:
 *   maps     /proc/PID/maps text → VMA array          (msc-linux-maps.c)
 *   pagemap  PAGEMAP_SCAN or classic pagemap → ranges  (msc-linux-pagemap.c)
 *   smaps    VmFlags and Pss, only when needed         (msc-linux-smaps.c)
 *   classify VMAs → allocations made of pieces        (msc-linux-classify.c,
 *            msc-linux-objects.c, msc-linux-heap.c, msc-linux-threads.c)
 *   count    ranges → per-piece working-set figures    (msc-linux-pagemap.c)
 *   emit     pieces → MscRegion records + Free gaps    (msc-linux-emit.c)
 * msc-linux-scan.c runs them and checks the process stayed the same process.
 */
#pragma once

#include "backends/backend.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MSC_LINUX_NONE UINT32_MAX

/* What the name column of a maps line says about the VMA. */
typedef enum {
  MSC_VMA_ANON = 0,     /* no name */
  MSC_VMA_FILE,         /* "/path", incl. memfd, SysV, "/dev/zero (deleted)" */
  MSC_VMA_HEAP,         /* [heap] */
  MSC_VMA_STACK,        /* [stack] */
  MSC_VMA_VDSO,         /* [vdso] */
  MSC_VMA_KERNEL,       /* [vvar], [vvar_vclock], [uprobes], other [..] */
  MSC_VMA_ANON_NAMED,   /* [anon:name] (PR_SET_VMA_ANON_NAME) */
  MSC_VMA_ANON_SHMEM,   /* [anon_shmem:name] */
} MscVmaKind;

/* VmFlags letters we use, from smaps (only read when needed). */
enum {
  MSC_VMF_KNOWN = 1u << 0, /* smaps was read and matched this VMA */
  MSC_VMF_AC    = 1u << 1, /* VM_ACCOUNT: charged to Committed_AS */
  MSC_VMF_NR    = 1u << 2, /* VM_NORESERVE */
  MSC_VMF_LO    = 1u << 3, /* VM_LOCKED (mlock) */
};

typedef struct {
  uint64_t start;       /* start and end first: msc_linux_find() */
  uint64_t end;
  uint64_t offset;
  uint64_t inode;
  uint64_t dev;         /* makedev (major, minor) */
  uint64_t pss;         /* bytes, with MSC_VMF_KNOWN */
  const char *name;     /* NUL-terminated, inside the maps buffer; "" if none */
  uint32_t object;      /* file object index, or MSC_LINUX_NONE */
  uint32_t tid;         /* a thread whose stack pointer lies here, 0 = none */
  uint8_t perms;        /* MSC_PERM_READ | WRITE | EXECUTE | SHARED */
  uint8_t kind;         /* MscVmaKind */
  uint8_t vmflags;      /* MSC_VMF_* */
  uint8_t hugetlb;      /* hugetlbfs: its pages are not in smaps Rss */
  uint8_t ws_unknown;   /* the classic pagemap path did not read it */
} MscLinuxVma;

/* One run of pages with the same categories (PAGE_IS_* bits). */
typedef struct {
  uint64_t start;       /* start and end first: msc_linux_find() */
  uint64_t end;
  uint64_t categories;
} MscLinuxRange;

/* Pseudo-category for ranges built from the classic pagemap, which already
 * knows the exclusive bit: a present file page mapped elsewhere too. */
#define MSC_PAGE_IS_SHARED (UINT64_C (1) << 32)

/* A piece is a sub-block: one VMA, or the part of a VMA that belongs to one
 * allocation (malloc chunks split merged VMAs). */
typedef struct {
  uint64_t start;
  uint64_t end;
  uint64_t total_ws;
  uint64_t shareable_ws;
  uint64_t shared_ws;
  uint64_t swap;
  uint32_t vma;
  uint8_t ws_unknown;
} MscLinuxPiece;

typedef enum {
  MSC_DETAILS_PLAIN = 0, /* details as is (may be NULL) */
  MSC_DETAILS_HEAP,      /* "Heap ID: <heap_id> [<details>]" */
  MSC_DETAILS_THREAD,    /* "Thread ID: <thread_id>" when known */
} MscDetailsFormat;

/* A VMMap allocation: a top-level region made of consecutive pieces. */
typedef struct {
  uint64_t image_bias;   /* ELF load bias, for section names */
  const char *details;
  uint32_t first_piece;
  uint32_t n_pieces;
  uint32_t object;       /* file object (Image, Mapped File...), or MSC_LINUX_NONE */
  uint32_t heap_id;
  uint32_t thread_id;
  uint16_t flags;        /* MSC_REGION_* for the allocation */
  uint8_t type;          /* MscUseType */
  uint8_t details_format;
} MscLinuxAlloc;

typedef struct MscLinuxElf MscLinuxElf;

typedef enum {
  MSC_OBJECT_MAPPED = 0,
  MSC_OBJECT_IMAGE,
  MSC_OBJECT_SHAREABLE,
  MSC_OBJECT_MANAGED,
} MscObjectKind;

/* One mapped file, (dev, inode), shared by all its VMAs. */
typedef struct {
  uint64_t dev;
  uint64_t inode;
  uint32_t first_vma;
  uint8_t kind;          /* MscObjectKind */
  uint8_t has_exec;
  uint8_t shmem;         /* shmem-backed: committed even when PROT_NONE */
  const char *managed;   /* details for MSC_OBJECT_MANAGED */
  MscLinuxElf *elf;      /* parsed headers of images, NULL if unreadable */
} MscLinuxObject;

typedef struct {
  uint32_t tid;
  uint64_t sp;           /* 0 = unknown */
} MscLinuxThread;

/* A large array: mmap'd, populated as it grows, in huge pages once past
 * 2 MiB (msc-linux-buffer.c). */
typedef struct {
  void *data;
  size_t cap;        /* bytes */
  size_t populated;  /* bytes from data known populated */
} MscLinuxBuffer;

/* Runtimes whose managed heaps we recognise in anonymous memory. */
enum {
  MSC_RUNTIME_GO   = 1u << 0,
  MSC_RUNTIME_JVM  = 1u << 1,
  MSC_RUNTIME_V8   = 1u << 2,
};

typedef struct {
  uint32_t pid;
  unsigned flags;
  uint32_t bits;
  uint64_t page_size;
  uint64_t mmap_min_addr;
  uint64_t task_size;
  uint64_t stack_rlimit;     /* RLIMIT_STACK soft limit, bytes; 0 = unknown */
  int maps_fd;
  int pagemap_fd;

  MscLinuxBuffer maps_buffer;
  char *maps_text;
  MscLinuxBuffer vma_buffer;
  MscLinuxVma *vmas;
  size_t n_vmas;

  MscLinuxObject *objects;
  size_t n_objects;
  uint64_t shm_dev;          /* the kernel's internal shmem mount (memfd, shared anon) */
  uint64_t *tmpfs_devs;      /* devices of tmpfs mounts in the target's namespace */
  size_t n_tmpfs_devs;

  MscLinuxBuffer range_buffer;
  MscLinuxRange *ranges;
  size_t n_ranges;
  int classic_pagemap;       /* ranges came from the classic pagemap */
  pthread_t pagemap_thread;  /* PAGEMAP_SCAN runs while maps is parsed */
  int pagemap_started;
  int pagemap_joined;
  int pagemap_err;

  MscLinuxBuffer piece_buffer;
  MscLinuxPiece *pieces;
  size_t n_pieces;
  MscLinuxBuffer alloc_buffer;
  MscLinuxAlloc *allocs;
  size_t n_allocs;

  MscLinuxThread *threads;
  size_t n_threads;
  size_t n_threads_unknown;  /* threads whose stack pointer could not be read */
  int threads_denied;
  unsigned runtimes;         /* MSC_RUNTIME_* seen in the images */

  int memory_denied;         /* process_vm_readv not permitted */
  int smaps_read;
  uint64_t commit_charge;

  char *notes;
  int failed;                /* out of memory inside a stage */
} MscLinuxScan;

/* ---- msc-linux-buffer.c ---- */

/* Makes room for `bytes`; 0, or -1 when out of memory. */
int msc_linux_buffer_reserve (MscLinuxBuffer *buffer, size_t bytes);
void msc_linux_buffer_free (MscLinuxBuffer *buffer);

/* ---- msc-linux-proc.c: small procfs readers shared by list and scan ---- */

/* Reads a whole file with large reads into a malloc'd, NUL-terminated
 * buffer.  Returns 0, or an errno value. */
int msc_linux_read_all (int fd, char **out, size_t *len_out);
/* Reads up to size-1 bytes of a small /proc file; -1 + errno on failure. */
ssize_t msc_linux_read_small (const char *path, char *buf, size_t size);

typedef struct {
  char state;
  uint32_t ppid;
  uint32_t flags;          /* PF_* */
  uint64_t starttime;
  char comm[64];
} MscLinuxStat;
/* 0, or an errno value (ENOENT when the process does not exist). */
int msc_linux_read_stat (uint32_t pid, MscLinuxStat *stat);
int msc_linux_is_kernel_thread (const MscLinuxStat *stat);

typedef struct {
  uint32_t tgid;
  uint32_t uid;
  uint32_t threads;
  uint64_t vm_size, vm_lck, vm_rss, vm_data, vm_stk, vm_pte; /* bytes */
  int has_mm;              /* the Vm* lines were there */
} MscLinuxStatus;
int msc_linux_read_status (uint32_t pid, MscLinuxStatus *status);

/* 32, 64 or 0 from the ELF class of /proc/PID/exe. */
uint32_t msc_linux_exe_bits (uint32_t pid);
/* Basename of the exe link (without " (deleted)"), else comm. */
void msc_linux_process_name (uint32_t pid, const char *comm, char *name, size_t size);
/* cmdline with NULs as spaces; malloc'd, NULL when empty. */
char *msc_linux_command_line (uint32_t pid);
void msc_linux_user_name (uint32_t uid, char *user, size_t size);
/* Status for EACCES/EPERM on one of the process's files, with the hint. */
MscStatusCode msc_linux_permission_error (MscStatus *status, uint32_t pid, const char *what);

/* ---- msc-linux-maps.c ---- */

/* Reads and parses /proc/PID/maps (scan->maps_fd) into scan->vmas. */
int msc_linux_maps_read (MscLinuxScan *scan);
/* Index of the element containing addr in a sorted array of structs that
 * begin with uint64_t start, end (MscLinuxVma, MscLinuxRange), or n. */
size_t msc_linux_find (const void *array, size_t n, size_t stride, uint64_t addr);
/* Index of the VMA containing addr, or MSC_LINUX_NONE. */
uint32_t msc_linux_vma_find (const MscLinuxScan *scan, uint64_t addr);
/* Devices of tmpfs/hugetlbfs mounts from /proc/PID/mountinfo. */
void msc_linux_mounts_read (MscLinuxScan *scan);

/* ---- msc-linux-smaps.c ---- */

/* Reads /proc/PID/smaps for VmFlags and Pss; 0 or an errno value. */
int msc_linux_smaps_read (MscLinuxScan *scan);

/* ---- msc-linux-pagemap.c ---- */

/* Starts the PAGEMAP_SCAN walk on a thread (needs only pagemap_fd). */
void msc_linux_pagemap_start (MscLinuxScan *scan);
/* Waits for it; safe to call when it was never started. */
void msc_linux_pagemap_join (MscLinuxScan *scan);
/* Completes scan->ranges for every VMA (joining the walk, or taking the
 * classic path); 0 or an errno value. */
int msc_linux_pagemap_scan (MscLinuxScan *scan);
/* Counts the ranges into scan->pieces; 0 or an errno value. */
int msc_linux_pagemap_count (MscLinuxScan *scan);
/* Appends the ranges of [start, end) (page-aligned) to scan->ranges, by
 * PAGEMAP_SCAN or else the classic pagemap; 0 or an errno value. */
int msc_linux_pagemap_range (MscLinuxScan *scan, uint64_t start, uint64_t end);
/* Non-zero if the page at addr is resident (present in ranges). */
int msc_linux_page_present (const MscLinuxScan *scan, uint64_t addr);
/* Appends a range; -1 when out of memory. */
int msc_linux_ranges_add (MscLinuxScan *scan, uint64_t start, uint64_t end, uint64_t categories);

/* ---- msc-linux-classic.c ---- */

/* The pre-6.7 path: builds ranges from /proc/PID/pagemap entries. */
int msc_linux_classic_scan (MscLinuxScan *scan);
/* The same for [start, end) only, whatever the VMAs. */
int msc_linux_classic_range (MscLinuxScan *scan, uint64_t start, uint64_t end);

/* ---- msc-linux-elf.c ---- */

typedef int (*MscElfReadFn) (void *ctx, uint64_t offset, void *buf, size_t len);
/* Parses the headers and section table; NULL if not an ELF file. */
MscLinuxElf *msc_linux_elf_parse (MscElfReadFn read_fn, void *ctx);
void msc_linux_elf_free (MscLinuxElf *elf);
int msc_linux_elf_is_dyn (const MscLinuxElf *elf);
/* Load bias of a mapping of file offset `offset` at address `start`. */
uint64_t msc_linux_elf_bias (const MscLinuxElf *elf, uint64_t start, uint64_t offset);
/* End of the image's memory (last PT_LOAD's vaddr + memsz), bias added. */
uint64_t msc_linux_elf_mem_end (const MscLinuxElf *elf, uint64_t bias);
/* Space-separated names of the allocated sections overlapping [start, end)
 * once loaded with bias; "" if none. */
void msc_linux_elf_sections (const MscLinuxElf *elf, uint64_t bias, uint64_t start, uint64_t end,
                             char *out, size_t size);
int msc_linux_elf_has_section (const MscLinuxElf *elf, const char *name);
/* The vDSO is the same image in every process of our bitness: parse ours. */
MscLinuxElf *msc_linux_elf_vdso (void);

/* ---- msc-linux-objects.c ---- */

/* Builds scan->objects from the file-backed VMAs and decides their kind. */
int msc_linux_objects_build (MscLinuxScan *scan);
void msc_linux_objects_free (MscLinuxScan *scan);

/* ---- msc-linux-threads.c ---- */

/* Reads the threads' stack pointers and tags the VMAs they point into. */
int msc_linux_threads_read (MscLinuxScan *scan);
/* Non-zero if [guard][stack] looks like a pthread stack without a known SP. */
int msc_linux_stack_shape (const MscLinuxScan *scan, const MscLinuxVma *guard, const MscLinuxVma *stack);

/* ---- msc-linux-heap.c ---- */

/* Reads target memory; 0 on success. Remembers when it is not permitted. */
int msc_linux_read_memory (MscLinuxScan *scan, uint64_t addr, void *buf, size_t len);
/* If VMA i starts a glibc arena heap, returns how many VMAs it spans (1 or 2)
 * and its arena pointer (0 if unknown); else 0. */
size_t msc_linux_heap_arena (MscLinuxScan *scan, size_t i, uint64_t *arena);
/* Length of the glibc mmapped chunk at addr (inside VMA i), or 0. */
uint64_t msc_linux_heap_chunk (MscLinuxScan *scan, size_t i, uint64_t addr);

/* ---- msc-linux-classify.c ---- */

int msc_linux_classify (MscLinuxScan *scan);
/* Appends an allocation of type with one piece per range; NULL when out of memory. */
MscLinuxAlloc *msc_linux_alloc_add (MscLinuxScan *scan, uint8_t type);
int msc_linux_piece_add (MscLinuxScan *scan, MscLinuxAlloc *alloc, uint32_t vma, uint64_t start, uint64_t end);

/* ---- msc-linux-managed.c ---- */

/* Managed-heap details for an anonymous allocation [start, end), or NULL. */
const char *msc_linux_managed_anon (const MscLinuxScan *scan, uint64_t start, uint64_t end);
/* Whether an anonymous mapping starting at start is part of a Go heap. */
int msc_linux_managed_go_heap (const MscLinuxScan *scan, uint64_t start);
/* Notes which runtimes the process's images belong to. */
void msc_linux_managed_detect (MscLinuxScan *scan);

/* ---- msc-linux-emit.c ---- */

MscStatusCode msc_linux_emit (MscLinuxScan *scan, const MscRegionSink *sink, MscStatus *status);

/* ---- msc-linux-scan.c ---- */

/* Zeroes scan for pid, fds closed (-1), page_size set. */
void msc_linux_scan_init (MscLinuxScan *scan, uint32_t pid, unsigned flags);
/* Checks that pid is a live user process (not a thread, kernel thread or
 * zombie) and opens its maps and pagemap; stat and proc_status are filled. */
MscStatusCode msc_linux_scan_open (MscLinuxScan *scan, MscLinuxStat *stat, MscLinuxStatus *proc_status,
                                   MscStatus *status);
/* Turns an errno value from reading `what` into a message: "exited" when
 * the process is gone (starttime changed), "permission denied", ... */
MscStatusCode msc_linux_scan_error (const MscLinuxScan *scan, uint64_t starttime, int err, const char *what,
                                    MscStatus *status);
/* Frees everything scan holds and closes its files. */
void msc_linux_scan_free (MscLinuxScan *scan);

/* Appends a sentence to scan->notes (once). */
void msc_linux_note (MscLinuxScan *scan, const char *format, ...)
#if defined(__GNUC__)
  __attribute__ ((format (printf, 2, 3)))
#endif
  ;
