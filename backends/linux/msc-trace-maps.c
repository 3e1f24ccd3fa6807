/* msc-trace-maps.c — the mappings ld.so makes and removes inside dlopen and
 * dlclose.
 *
 * ld.so maps a library with its own copy of mmap, which no entry in libc
 * leads to (and its symbol table is stripped in Debian, so it cannot be
 * found by name).  What it did is still exact in /proc/self/maps: the list
 * is read before and after the real call and each file-backed line that
 * appeared (with the anonymous line right after it: the library's .bss) is
 * recorded as a mapping of the dlopen call's stack, each line that went as
 * an unmapping.  A file another thread maps during the dlopen is counted
 * with it: such a call is rare, and docs/tracing.md says so.
 *
 * Nothing here mallocs: the lists live in memory mapped with the raw
 * system call, and a lock keeps two threads' dlopens from sharing them.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-trace-preload.h"

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

typedef struct {
  uint64_t start, end, inode;
  uint32_t prot;
  uint32_t keep;  /* file-backed, or the .bss right after a file line */
} MscTrLine;

typedef struct {
  char *text;
  size_t text_size;
  MscTrLine *lines;
  size_t n_lines, max_lines;
} MscTrMaps;

static pthread_mutex_t msc_tr_maps_lock = PTHREAD_MUTEX_INITIALIZER;
static MscTrMaps msc_tr_before, msc_tr_after;
static uint64_t msc_tr_before_time; /* unmappings are stamped here (msc-trace-patch.c says why) */

/* The whole file in maps->text, NUL-ended; the buffer doubles until it fits. */
static size_t
msc_tr_maps_slurp (MscTrMaps *maps)
{
  for (;;)
    {
      long fd, n;
      size_t used = 0;

      if (maps->text == NULL)
        {
          maps->text_size = maps->text_size != 0 ? maps->text_size : 1u << 20;
          maps->text = msc_tr_raw_map (maps->text_size);
          if (maps->text == NULL)
            return 0;
        }
      fd = msc_tr_syscall6 (SYS_openat, AT_FDCWD, (long) "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0, 0, 0);
      if (msc_tr_failed (fd))
        return 0;
      while (used < maps->text_size - 1
             && (n = msc_tr_syscall6 (SYS_read, fd, (long) (maps->text + used),
                                      (long) (maps->text_size - 1 - used), 0, 0, 0)) > 0)
        used += (size_t) n;
      msc_tr_syscall6 (SYS_close, fd, 0, 0, 0, 0, 0);
      if (used < maps->text_size - 1)
        {
          maps->text[used] = '\0';
          return used;
        }
      msc_tr_raw_unmap (maps->text, maps->text_size);
      maps->text = NULL;
      maps->text_size *= 2;
    }
}

static uint64_t
msc_tr_hex (const char **p)
{
  uint64_t v = 0;

  for (;; (*p)++)
    {
      char c = **p;

      if (c >= '0' && c <= '9')
        v = v << 4 | (uint64_t) (c - '0');
      else if (c >= 'a' && c <= 'f')
        v = v << 4 | (uint64_t) (c - 'a' + 10);
      else
        return v;
    }
}

static const char *
msc_tr_skip_field (const char *p)
{
  while (*p == ' ')
    p++;
  while (*p != ' ' && *p != '\n' && *p != '\0')
    p++;
  return p;
}

/* "start-end perms offset dev inode path": one line into *line. */
static const char *
msc_tr_parse_line (const char *p, MscTrLine *line)
{
  line->start = msc_tr_hex (&p);
  p++;
  line->end = msc_tr_hex (&p);
  p++;
  line->prot = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
  p = msc_tr_skip_field (msc_tr_skip_field (msc_tr_skip_field (p)));
  line->inode = 0;
  while (*p == ' ')
    p++;
  while (*p >= '0' && *p <= '9')
    line->inode = line->inode * 10 + (uint64_t) (*p++ - '0');
  while (*p != '\n' && *p != '\0')
    p++;
  return *p == '\n' ? p + 1 : p;
}

static int
msc_tr_maps_read (MscTrMaps *maps)
{
  const char *p;

  if (msc_tr_maps_slurp (maps) == 0)
    return 0;
  maps->n_lines = 0;
  for (p = maps->text; *p != '\0';)
    {
      MscTrLine line;

      p = msc_tr_parse_line (p, &line);
      if (maps->n_lines == maps->max_lines)
        {
          size_t max = maps->max_lines != 0 ? maps->max_lines * 2 : 16384;
          MscTrLine *lines = msc_tr_raw_map (max * sizeof *lines);

          if (lines == NULL)
            return 0;
          if (maps->lines != NULL)
            memcpy (lines, maps->lines, maps->n_lines * sizeof *lines);
          msc_tr_raw_unmap (maps->lines, maps->max_lines * sizeof *lines);
          maps->lines = lines;
          maps->max_lines = max;
        }
      line.keep = line.inode != 0
                  || (maps->n_lines > 0 && maps->lines[maps->n_lines - 1].inode != 0
                      && maps->lines[maps->n_lines - 1].end == line.start);
      maps->lines[maps->n_lines++] = line;
    }
  return 1;
}

static int
msc_tr_line_in (const MscTrMaps *maps, const MscTrLine *line)
{
  size_t lo = 0, hi = maps->n_lines;

  /* /proc lists lines by address. */
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (maps->lines[mid].start < line->start)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < maps->n_lines && maps->lines[lo].start == line->start && maps->lines[lo].end == line->end
         && maps->lines[lo].prot == line->prot && maps->lines[lo].inode == line->inode;
}

/* Each kept line of from that is not in to, as op. */
static void
msc_tr_maps_emit (const MscTrMaps *from, const MscTrMaps *to, int op, uint64_t time, uint64_t caller)
{
  for (size_t i = 0; i < from->n_lines; i++)
    {
      const MscTrLine *line = &from->lines[i];
      MscWireOp rec = { 0 };

      if (!line->keep || msc_tr_line_in (to, line))
        continue;
      rec.h.op = (uint8_t) op;
      rec.time = time;
      rec.address = line->start;
      rec.size = line->end - line->start;
      if (op == MSC_TRACE_MMAP)
        rec.flags = line->prot | (uint32_t) (MAP_PRIVATE | (line->inode == 0 ? MAP_ANONYMOUS : 0)) << 8;
      msc_tr_op (&rec, caller);
    }
}

int
msc_tr_maps_begin (void)
{
  /* The lists are read with raw system calls: nothing here is traced. */
  if (!msc_tr_enabled || msc_tr_busy)
    return 0;
  pthread_mutex_lock (&msc_tr_maps_lock);
  msc_tr_before_time = msc_tr_now ();
  if (msc_tr_maps_read (&msc_tr_before))
    return 1;
  pthread_mutex_unlock (&msc_tr_maps_lock);
  return 0;
}

void
msc_tr_maps_end (uint64_t caller)
{
  uint64_t after_time = msc_tr_now ();

  if (msc_tr_maps_read (&msc_tr_after))
    {
      /* Unmapped first: a library loaded where another was is both. */
      msc_tr_maps_emit (&msc_tr_before, &msc_tr_after, MSC_TRACE_MUNMAP, msc_tr_before_time, caller);
      msc_tr_maps_emit (&msc_tr_after, &msc_tr_before, MSC_TRACE_MMAP, after_time, caller);
    }
  pthread_mutex_unlock (&msc_tr_maps_lock);
}

void
msc_tr_maps_forked (void)
{
  pthread_mutex_init (&msc_tr_maps_lock, NULL);
}
