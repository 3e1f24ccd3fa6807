/* msc-test-target.c — a process with a known memory layout, for the Linux
 * backend's tests, the CLI tests and the benchmark.
 *
 * usage: msc-test-target [--file PATH] [--threads N] [--churn 1]
 *        msc-test-target --bench-vmas N --bench-touch BYTES
 *
 * --churn 1 adds a thread that maps, splits and unmaps memory in a tight
 * loop, forever (the layout never holds still: fault tests).
 *
 * It allocates, then reports every allocation on stdout as
 *   name=<label> addr=0x<hex> size=<bytes> touched=<bytes>
 * followed by a line "ready", and waits with every thread blocked in a system
 * call.  Commands on stdin, each answered by its lines and "ready":
 *   alloc <label> <bytes> <touched>   a new anonymous rw mapping; the first
 *                                     <touched> bytes are written
 *   free <label>                      unmaps it; prints "freed=<label>"
 *   touch <label> <bytes>             writes its first <bytes> (its working
 *                                     set grows, nothing else); reports it
 *   strings <dir>                     places known strings (see make_strings)
 *   quit                              exits
 * EOF on a pipe means the parent is gone: exit.  EOF on anything else
 * (/dev/null under a benchmark) is ignored.
 *
 * The default mix:
 *   reservation  64 MiB PROT_NONE, first 16 MiB rw, 4 MiB written
 *   file         --file mapped MAP_PRIVATE rw; first 256 KiB read, one page at
 *                512 KiB written (copy-on-write)
 *   memfd        2 MiB MAP_SHARED memfd, 1 MiB written
 *   stack-<tid>  N threads (default 4) with 1 MiB stacks (guard included in
 *                addr/size), 64 KiB of each written
 *   arena-<i>    the glibc arena heap each thread's malloc created
 *   chunk-8m     an 8 MiB malloc (an mmapped chunk; addr/size = the chunk)
 *   chunk-300k   a 300,000-byte malloc (another chunk, often merged with it)
 *   locked       64 KiB, mlock'ed
 *   zeropage     1 MiB, every page read but never written (zero page)
 * Anonymous mappings we make ourselves (reservation, locked, zeropage,
 * alloc) are fenced by one-page PROT_NONE memfd mappings, so the kernel
 * cannot merge them with their neighbours and sizes stay exact.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1024ul * 1024ul)
#define KIB 1024ul
#define THREAD_STACK (1 * MIB)
#define THREAD_TOUCH (64 * KIB)
#define ARENA_SIZE (64 * MIB)  /* glibc HEAP_MAX_SIZE on 64-bit */

static size_t page_size;
static int fence_fd = -1;
static int block_pipe[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int n_started;

typedef struct {
  char label[64];
  char *addr;
  size_t size;
} Allocation;

static Allocation allocations[256];
static size_t n_allocations;

static void
die (const char *what)
{
  fprintf (stderr, "msc-test-target: %s: %s\n", what, strerror (errno));
  exit (1);
}

static void
report (const char *label, const void *addr, size_t size, size_t touched)
{
  printf ("name=%s addr=%p size=%zu touched=%zu\n", label, addr, size, touched);
}

static void
touch (char *p, size_t bytes)
{
  for (size_t i = 0; i < bytes; i += page_size)
    ((volatile char *) p)[i] = 1;
}

static size_t
round_pages (size_t bytes)
{
  return (bytes + page_size - 1) & ~(page_size - 1);
}

/* An anonymous private mapping between two PROT_NONE file pages. */
static char *
fenced_map (size_t size, int prot)
{
  char *base = mmap (NULL, size + 2 * page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

  if (base == MAP_FAILED)
    die ("mmap");
  if (mmap (base, page_size, PROT_NONE, MAP_PRIVATE | MAP_FIXED, fence_fd, 0) == MAP_FAILED
      || mmap (base + page_size + size, page_size, PROT_NONE, MAP_PRIVATE | MAP_FIXED, fence_fd, 0) == MAP_FAILED
      || mmap (base + page_size, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
    die ("mmap fence");
  return base + page_size;
}

static void
fenced_unmap (char *p, size_t size)
{
  munmap (p - page_size, size + 2 * page_size);
}

static void
make_reservation (void)
{
  char *p = fenced_map (64 * MIB, PROT_NONE);

  if (mprotect (p, 16 * MIB, PROT_READ | PROT_WRITE) != 0)
    die ("mprotect");
  touch (p, 4 * MIB);
  report ("reservation", p, 64 * MIB, 4 * MIB);
}

static void
map_file (const char *path)
{
  struct stat st;
  int fd = open (path, O_RDONLY);
  size_t size, read_bytes, touched;
  volatile char sum = 0;
  char *p;

  if (fd < 0 || fstat (fd, &st) != 0)
    die (path);
  size = round_pages ((size_t) st.st_size);
  p = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  close (fd);
  if (p == MAP_FAILED)
    die ("mmap file");
  read_bytes = size < 256 * KIB ? size : 256 * KIB;
  for (size_t i = 0; i < read_bytes; i += page_size)
    sum += ((volatile char *) p)[i];
  touched = read_bytes;
  if (size >= 512 * KIB + page_size)
    {
      p[512 * KIB] = 'w';  /* a copy-on-write page: Private Bytes 4 KiB */
      touched += page_size;
    }
  (void) sum;
  report ("file", p, size, touched);
}

static void
map_memfd (void)
{
  int fd = memfd_create ("msc-shared", MFD_CLOEXEC);
  char *p;

  if (fd < 0 || ftruncate (fd, (off_t) (2 * MIB)) != 0)
    die ("memfd");
  p = mmap (NULL, 2 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED)
    die ("mmap memfd");
  touch (p, 1 * MIB);
  report ("memfd", p, 2 * MIB, 1 * MIB);
}

/* The size field of malloc's chunk header, two words below the pointer
 * (read through an integer address: it lies outside the object malloc
 * returned, which the compiler rightly flags). */
static size_t
chunk_size (const char *p)
{
  uintptr_t header = (uintptr_t) p - sizeof (size_t);
  size_t size;

  memcpy (&size, (const void *) header, sizeof size);
  return size & ~(size_t) 7;
}

static void
make_chunks (void)
{
  /* malloc's mmapped chunks: the header {prev_size, size|IS_MMAPPED} sits
   * two words before the pointer and the chunk fills its mapping. */
  char *big = malloc (8 * MIB);
  char *small = malloc (300000);

  if (big == NULL || small == NULL)
    die ("malloc");
  memset (big, 1, 8 * MIB);
  memset (small, 1, 300000);
  report ("chunk-8m", big - 2 * sizeof (size_t), chunk_size (big), chunk_size (big));
  report ("chunk-300k", small - 2 * sizeof (size_t), chunk_size (small), chunk_size (small));
}

static void
make_locked (void)
{
  char *p = fenced_map (64 * KIB, PROT_READ | PROT_WRITE);

  if (mlock (p, 64 * KIB) != 0)
    die ("mlock");
  report ("locked", p, 64 * KIB, 64 * KIB);
}

static void
make_zero_pages (void)
{
  char *p = fenced_map (1 * MIB, PROT_READ | PROT_WRITE);
  volatile char sum = 0;

  for (size_t i = 0; i < 1 * MIB; i += page_size)
    sum += ((volatile char *) p)[i];
  (void) sum;
  report ("zeropage", p, 1 * MIB, 0);
}

/* Used memory made inaccessible: still charged (VM_ACCOUNT survives the
 * mprotect), so Committed, not Reserved. */
static void
make_no_access (void)
{
  char *p = fenced_map (512 * KIB, PROT_READ | PROT_WRITE);

  touch (p, 256 * KIB);
  if (mprotect (p, 512 * KIB, PROT_NONE) != 0)
    die ("mprotect");
  report ("noaccess", p, 512 * KIB, 256 * KIB);
}

static void *
thread_main (void *data)
{
  char label[64];
  pthread_attr_t attr;
  void *stack_low;
  size_t stack_size, guard;
  char *heap;
  char c;
  volatile char buf[THREAD_TOUCH];

  (void) data;
  memset ((char *) buf, 1, sizeof buf);
  heap = malloc (100 * KIB);  /* below the mmap threshold: from this thread's arena */
  if (heap == NULL)
    die ("malloc");
  memset (heap, 1, 100 * KIB);
  if (pthread_getattr_np (pthread_self (), &attr) != 0)
    die ("pthread_getattr_np");
  pthread_attr_getstack (&attr, &stack_low, &stack_size);
  pthread_attr_getguardsize (&attr, &guard);
  pthread_attr_destroy (&attr);
  pthread_mutex_lock (&lock);
  snprintf (label, sizeof label, "stack-%d", (int) gettid ());
  report (label, (char *) stack_low - guard, stack_size + guard, THREAD_TOUCH);
  snprintf (label, sizeof label, "arena-%d", (int) gettid ());
  report (label, (void *) ((uintptr_t) heap & ~(uintptr_t) (ARENA_SIZE - 1)), ARENA_SIZE, 100 * KIB);
  n_started++;
  pthread_cond_signal (&cond);
  pthread_mutex_unlock (&lock);
  /* Blocked in read(2): /proc/PID/task/TID/syscall then has its SP. */
  while (read (block_pipe[0], &c, 1) < 0 && errno == EINTR)
    ;
  return NULL;
}

/* Maps 64 pages, splits them by protection, unmaps them, again and again. */
static void *
churn_main (void *arg)
{
  size_t size = 64 * page_size;

  (void) arg;
  for (;;)
    {
      char *p = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

      if (p == MAP_FAILED)
        continue;
      p[0] = 1;
      for (size_t i = 1; i < 64; i += 2)
        mprotect (p + i * page_size, page_size, PROT_READ);
      munmap (p, size);
    }
  return NULL;
}

static void
start_churn (void)
{
  pthread_t thread;

  if (pthread_create (&thread, NULL, churn_main, NULL) != 0)
    die ("pthread_create");
}

static void
start_threads (int n)
{
  pthread_attr_t attr;

  if (pipe (block_pipe) != 0)
    die ("pipe");
  pthread_attr_init (&attr);
  pthread_attr_setstacksize (&attr, THREAD_STACK);
  for (int i = 0; i < n; i++)
    {
      pthread_t thread;

      if (pthread_create (&thread, &attr, thread_main, NULL) != 0)
        die ("pthread_create");
    }
  pthread_attr_destroy (&attr);
  pthread_mutex_lock (&lock);
  while (n_started < n)
    pthread_cond_wait (&cond, &lock);
  pthread_mutex_unlock (&lock);
}

static void
bench (long n_vmas, long touch_bytes)
{
  /* N single-page VMAs that cannot merge (linux-notes §5.4), then a
   * resident-heavy region in 4 KiB pages. */
  size_t size = (size_t) n_vmas * page_size;
  char *p = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *q;

  if (p == MAP_FAILED)
    die ("mmap");
  touch (p, size);
  for (long i = 1; i < n_vmas; i += 2)
    if (mprotect (p + (size_t) i * page_size, page_size, PROT_READ) != 0)
      die ("mprotect (raise vm.max_map_count?)");
  report ("bench-vmas", p, size, size);
  if (touch_bytes > 0)
    {
      q = mmap (NULL, (size_t) touch_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (q == MAP_FAILED)
        die ("mmap");
      madvise (q, (size_t) touch_bytes, MADV_NOHUGEPAGE);
      touch (q, (size_t) touch_bytes);
      report ("bench-touch", q, (size_t) touch_bytes, (size_t) touch_bytes);
    }
}

static void
command_alloc (const char *label, size_t bytes, size_t touched)
{
  Allocation *a;

  if (n_allocations == sizeof allocations / sizeof *allocations || bytes == 0)
    {
      printf ("error cannot allocate %s\n", label);
      return;
    }
  a = &allocations[n_allocations++];
  snprintf (a->label, sizeof a->label, "%s", label);
  a->size = round_pages (bytes);
  a->addr = fenced_map (a->size, PROT_READ | PROT_WRITE);
  touch (a->addr, touched < a->size ? touched : a->size);
  report (a->label, a->addr, a->size, touched < a->size ? round_pages (touched) : a->size);
}

static void
command_free (const char *label)
{
  for (size_t i = 0; i < n_allocations; i++)
    if (strcmp (allocations[i].label, label) == 0)
      {
        fenced_unmap (allocations[i].addr, allocations[i].size);
        allocations[i] = allocations[--n_allocations];
        printf ("freed=%s\n", label);
        return;
      }
  printf ("error no allocation %s\n", label);
}

static void
command_touch (const char *label, size_t bytes)
{
  for (size_t i = 0; i < n_allocations; i++)
    if (strcmp (allocations[i].label, label) == 0)
      {
        size_t touched = round_pages (bytes) < allocations[i].size ? round_pages (bytes) : allocations[i].size;

        touch (allocations[i].addr, touched);
        report (label, allocations[i].addr, allocations[i].size, touched);
        return;
      }
  printf ("error no allocation %s\n", label);
}

/* ---- known strings for the Strings view (command "strings <dir>") ---- */

#define STRINGS_SPAN (256 * KIB)  /* the backend's read chunk: a piece boundary */

static void
put_ascii (char *at, const char *label, const char *text)
{
  memcpy (at, text, strlen (text));
  report (label, at, strlen (text), 0);
}

/* UTF-16LE of an ASCII text; size in characters. */
static void
put_utf16 (char *at, const char *label, const char *text)
{
  for (size_t i = 0; text[i] != '\0'; i++)
    {
      at[2 * i] = text[i];
      at[2 * i + 1] = 0;
    }
  report (label, at, strlen (text), 0);
}

/* A heap block (malloc'ed, in [heap]) with one string of each encoding. */
static void
strings_heap (void)
{
  char *block = calloc (1, 4096);

  if (block == NULL)
    die ("calloc");
  put_ascii (block + 16, "str-heap-ascii", "MSC-ASCII-HEAP-STRING");
  put_utf16 (block + 256, "str-heap-utf16", "MSC-UTF16-HEAP-STRING");
}

/* Strings across page boundaries that are also boundaries of the pieces
 * the backend reads; the UTF-16 one starts at an odd address, so one of
 * its characters has a byte on each side. */
static void
strings_across (void)
{
  char *p = fenced_map (3 * STRINGS_SPAN, PROT_READ | PROT_WRITE);

  touch (p, 3 * STRINGS_SPAN);
  report ("strings-across", p, 3 * STRINGS_SPAN, 3 * STRINGS_SPAN);
  put_ascii (p + STRINGS_SPAN - 7, "str-across-ascii", "MSC-ASCII-ACROSS-PAGES");
  put_utf16 (p + 2 * STRINGS_SPAN - 9, "str-across-utf16", "MSC-UTF16-ACROSS-PAGES");
}

/* A file mapping whose third page holds strings but is not in the page
 * tables (MADV_DONTNEED on a file mapping drops the PTEs; the page cache
 * keeps the data): reading it would fault it in. */
static void
strings_file (const char *dir)
{
  char path[4200], *data = calloc (4, page_size), *p;
  int fd;

  if (data == NULL)
    die ("calloc");
  memcpy (data + 100, "MSC-ASCII-FILE-VISIBLE", 22);
  memcpy (data + 2 * page_size + 100, "MSC-ASCII-FILE-HIDDEN", 21);
  snprintf (path, sizeof path, "%s/strings.bin", dir);
  fd = open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || write (fd, data, 4 * page_size) != (ssize_t) (4 * page_size))
    die (path);
  p = mmap (NULL, 4 * page_size, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  free (data);
  if (p == MAP_FAILED)
    die ("mmap strings file");
  for (size_t i = 0; i < 4; i++)
    (void) ((volatile char *) p)[i * page_size];
  if (madvise (p + 2 * page_size, page_size, MADV_DONTNEED) != 0)
    die ("madvise");
  report ("strings-file", p, 4 * page_size, 3 * page_size);
  report ("str-file-visible", p + 100, 22, 0);
  report ("str-file-hidden", p + 2 * page_size + 100, 21, 0);
}

static void
command_strings (const char *dir)
{
  strings_heap ();
  strings_across ();
  strings_file (dir);
}

static void
serve (void)
{
  char line[4200], label[64], path[4000];
  struct stat st;
  size_t bytes, touched;

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      if (strncmp (line, "quit", 4) == 0)
        exit (0);
      if (sscanf (line, "alloc %63s %zu %zu", label, &bytes, &touched) == 3)
        command_alloc (label, bytes, touched);
      else if (sscanf (line, "free %63s", label) == 1)
        command_free (label);
      else if (sscanf (line, "touch %63s %zu", label, &bytes) == 2)
        command_touch (label, bytes);
      else if (sscanf (line, "strings %3999s", path) == 1)
        command_strings (path);
      else
        printf ("error unknown command\n");
      printf ("ready\n");
    }
  if (fstat (STDIN_FILENO, &st) == 0 && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)))
    exit (0);
  for (;;)
    pause ();
}

int
main (int argc, char **argv)
{
  const char *file = NULL;
  long n_threads = 4, bench_vmas = 0, bench_touch = 0, with_locked = 1, churn = 0;

  static char stdin_buffer[4096];

  page_size = (size_t) sysconf (_SC_PAGESIZE);
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* stdio would malloc stdin's buffer at the first read, i.e. just after
   * "ready": the layout must not change once it is announced. */
  setvbuf (stdin, stdin_buffer, _IOLBF, sizeof stdin_buffer);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (strcmp (argv[i], "--file") == 0)
        file = argv[i + 1];
      else if (strcmp (argv[i], "--threads") == 0)
        n_threads = atol (argv[i + 1]);
      else if (strcmp (argv[i], "--bench-vmas") == 0)
        bench_vmas = atol (argv[i + 1]);
      else if (strcmp (argv[i], "--bench-touch") == 0)
        bench_touch = atol (argv[i + 1]);
      else if (strcmp (argv[i], "--lock") == 0)
        with_locked = atol (argv[i + 1]);
      else if (strcmp (argv[i], "--churn") == 0)
        churn = atol (argv[i + 1]);
    }
  fence_fd = memfd_create ("msc-fence", MFD_CLOEXEC);
  if (fence_fd < 0 || ftruncate (fence_fd, (off_t) page_size) != 0)
    die ("memfd");
  if (bench_vmas > 0)
    bench (bench_vmas, bench_touch);
  else
    {
      make_chunks ();
      start_threads ((int) n_threads);
      make_reservation ();
      if (file != NULL)
        map_file (file);
      map_memfd ();
      if (with_locked)
        make_locked ();
      make_zero_pages ();
      make_no_access ();
    }
  if (churn)
    start_churn ();
  printf ("ready\n");
  serve ();
  return 0;
}
