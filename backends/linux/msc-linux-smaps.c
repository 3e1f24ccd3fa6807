/* msc-linux-smaps.c — VmFlags (ac, nr, lo) and Pss from /proc/PID/smaps.
 *
 * smaps costs ≈2.5 µs of kernel text generation per VMA plus a page-table
 * walk under mmap_lock (linux-notes §5), so the scan reads it only when the
 * figures need it: status VmLck > 0 (Locked WS needs the `lo` flag; with
 * VmLck == 0 nothing is locked) or the caller asked for Pss.  Streamed in
 * 1 MiB reads; only the header, "Pss:" and "VmFlags:" lines are looked at.
 */
#include "backends/linux/msc-linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSC_SMAPS_CHUNK (1u << 20)

typedef struct {
  MscLinuxScan *scan;
  size_t cursor;
  uint32_t current;  /* VMA of the entry being read, or MSC_LINUX_NONE */
} MscSmapsParser;

static uint64_t
msc_hex (const char **p)
{
  uint64_t v = 0;

  for (;; (*p)++)
    {
      unsigned c = (unsigned char) **p;

      if (c >= '0' && c <= '9')
        v = (v << 4) | (c - '0');
      else if (c >= 'a' && c <= 'f')
        v = (v << 4) | (c - 'a' + 10);
      else
        return v;
    }
}

static void
msc_smaps_header (MscSmapsParser *parser, const char *line)
{
  MscLinuxScan *scan = parser->scan;
  uint64_t start = msc_hex (&line), end;

  line++;  /* '-' */
  end = msc_hex (&line);
  while (parser->cursor < scan->n_vmas && scan->vmas[parser->cursor].start < start)
    parser->cursor++;
  parser->current = MSC_LINUX_NONE;
  /* smaps is read after maps: only an identical VMA gets the flags. */
  if (parser->cursor < scan->n_vmas && scan->vmas[parser->cursor].start == start
      && scan->vmas[parser->cursor].end == end)
    parser->current = (uint32_t) parser->cursor;
}

static void
msc_smaps_flags (MscLinuxVma *vma, const char *p, const char *eol)
{
  vma->vmflags |= MSC_VMF_KNOWN;
  for (; p + 1 < eol; p++)
    {
      if (p[0] == ' ' || p[1] == ' ')
        continue;
      if (p[0] == 'a' && p[1] == 'c')
        vma->vmflags |= MSC_VMF_AC;
      else if (p[0] == 'n' && p[1] == 'r')
        vma->vmflags |= MSC_VMF_NR;
      else if (p[0] == 'l' && p[1] == 'o')
        vma->vmflags |= MSC_VMF_LO;
      p += 2;  /* every flag is two letters and a space */
    }
}

static void
msc_smaps_line (MscSmapsParser *parser, const char *line, const char *eol)
{
  char c = line[0];

  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
    msc_smaps_header (parser, line);
  else if (parser->current != MSC_LINUX_NONE)
    {
      MscLinuxVma *vma = &parser->scan->vmas[parser->current];

      if (strncmp (line, "Pss:", 4) == 0)
        vma->pss = strtoull (line + 4, NULL, 10) * 1024;
      else if (strncmp (line, "VmFlags:", 8) == 0)
        msc_smaps_flags (vma, line + 8, eol);
    }
}

/* Parses the complete lines of buf[0, len); returns the bytes consumed. */
static size_t
msc_smaps_lines (MscSmapsParser *parser, char *buf, size_t len)
{
  char *p = buf, *end = buf + len;

  for (;;)
    {
      char *eol = memchr (p, '\n', (size_t) (end - p));

      if (eol == NULL)
        return (size_t) (p - buf);
      *eol = '\0';
      msc_smaps_line (parser, p, eol);
      p = eol + 1;
    }
}

int
msc_linux_smaps_read (MscLinuxScan *scan)
{
  MscSmapsParser parser = { scan, 0, MSC_LINUX_NONE };
  char path[64];
  char *buf;
  size_t kept = 0;
  int fd, err = 0;

  snprintf (path, sizeof path, "/proc/%u/smaps", scan->pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  buf = malloc (MSC_SMAPS_CHUNK + 1);
  if (buf == NULL)
    {
      close (fd);
      return ENOMEM;
    }
  for (;;)
    {
      ssize_t n = read (fd, buf + kept, MSC_SMAPS_CHUNK - kept);
      size_t used;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          err = errno;
          break;
        }
      if (n == 0)
        break;
      kept += (size_t) n;
      used = msc_smaps_lines (&parser, buf, kept);
      if (used == 0 && kept == MSC_SMAPS_CHUNK)
        used = kept;  /* a 1 MiB line cannot be ours: skip it */
      memmove (buf, buf + used, kept - used);
      kept -= used;
    }
  free (buf);
  close (fd);
  if (err != 0)
    return err;
  scan->smaps_read = 1;
  /* Commit charge = Σ Size of VM_ACCOUNT VMAs: what Committed_AS counts
   * (linux-notes §1.2). */
  for (size_t i = 0; i < scan->n_vmas; i++)
    if (scan->vmas[i].vmflags & MSC_VMF_AC)
      scan->commit_charge += scan->vmas[i].end - scan->vmas[i].start;
  return 0;
}
