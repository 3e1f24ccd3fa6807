/* msc-linux-maps.c — /proc/PID/maps text → VMA array, and the mount table
 * facts (tmpfs, hugetlbfs) that classification needs.
 *
 * The parser is memchr/hex-digit code on one buffer read with big reads:
 * sscanf on a multi-megabyte buffer is 30× slower because glibc strlen()s the
 * whole remaining input per call (linux-notes §5.1: 527 ms vs 18 ms at 50k
 * VMAs).
 */
#include "backends/linux/msc-linux.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Addresses at or above this are kernel addresses: [vsyscall] lives at
 * 0xffffffffff600000, above TASK_SIZE, and is not counted in VmSize. */
#define MSC_LINUX_USER_LIMIT (UINT64_C (1) << 57)

static const char *
msc_parse_hex (const char *p, const char *end, uint64_t *value)
{
  uint64_t v = 0;
  const char *start = p;

  for (; p < end; p++)
    {
      unsigned c = (unsigned char) *p, d;

      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        break;
      v = (v << 4) | d;
    }
  *value = v;
  return p == start ? NULL : p;
}

static const char *
msc_parse_dec (const char *p, const char *end, uint64_t *value)
{
  uint64_t v = 0;
  const char *start = p;

  for (; p < end && *p >= '0' && *p <= '9'; p++)
    v = v * 10 + (uint64_t) (*p - '0');
  *value = v;
  return p == start ? NULL : p;
}

static uint8_t
msc_vma_kind (const char *name)
{
  if (name[0] == '\0')
    return MSC_VMA_ANON;
  if (name[0] != '[')
    return MSC_VMA_FILE;  /* "/path", "anon_inode:[...]" */
  if (strcmp (name, "[heap]") == 0)
    return MSC_VMA_HEAP;
  if (strcmp (name, "[stack]") == 0)
    return MSC_VMA_STACK;
  if (strcmp (name, "[vdso]") == 0)
    return MSC_VMA_VDSO;
  if (strncmp (name, "[anon:", 6) == 0)
    return MSC_VMA_ANON_NAMED;
  if (strncmp (name, "[anon_shmem:", 12) == 0)
    return MSC_VMA_ANON_SHMEM;
  return MSC_VMA_KERNEL;
}

/* Most "\\012" sequences in one name we try to tell apart (2^n stats). */
#define MSC_ESCAPES_MAX 6

/* name with the escapes whose bit is set in mask decoded, into out. */
static void
msc_decode_escapes (const char *name, unsigned mask, char *out)
{
  unsigned k = 0;

  while (*name != '\0')
    if (strncmp (name, "\\012", 4) == 0 && (mask & (1u << k++)))
      {
        *out++ = '\n';
        name += 4;
      }
    else if (strncmp (name, "\\012", 4) == 0)
      {
        memcpy (out, name, 4);
        out += 4;
        name += 4;
      }
    else
      *out++ = *name++;
  *out = '\0';
}

/* The kernel writes a newline in a mapped file's name as "\\012" (show_map
 * → seq_file_path (m, file, "\n")) and escapes nothing else, not even a
 * backslash: a name that really holds "\\012" reads the same. Decode to the
 * real bytes: of the readings, the one that names the mapped inode (seen
 * from our mount namespace), else every escape decoded, the kernel's
 * convention. In place: a decoded name is never longer. */
static void
msc_unescape_name (char *name, uint64_t inode)
{
  char candidate[PATH_MAX];
  unsigned n = 0, all;
  struct stat st;

  for (const char *p = name; (p = strstr (p, "\\012")) != NULL; p += 4)
    n++;
  if (n == 0 || name[0] != '/' || strlen (name) >= sizeof candidate)
    return;
  all = n <= MSC_ESCAPES_MAX ? (1u << n) - 1 : ~0u;
  for (unsigned mask = all; n <= MSC_ESCAPES_MAX; mask--)
    {
      msc_decode_escapes (name, mask, candidate);
      if (stat (candidate, &st) == 0 && (uint64_t) st.st_ino == inode)
        {
          strcpy (name, candidate);
          return;
        }
      if (mask == 0)
        break;
    }
  msc_decode_escapes (name, all, candidate);
  strcpy (name, candidate);
}

/* Parses one line [p, eol); fills vma and returns 0, or -1 if malformed. */
static int
msc_parse_line (char *p, char *eol, MscLinuxVma *vma)
{
  uint64_t major, minor;
  const char *q = p;

  memset (vma, 0, sizeof *vma);
  if ((q = msc_parse_hex (q, eol, &vma->start)) == NULL || *q++ != '-'
      || (q = msc_parse_hex (q, eol, &vma->end)) == NULL || *q++ != ' ' || eol - q < 5)
    return -1;
  vma->perms = (q[0] == 'r' ? MSC_PERM_READ : 0) | (q[1] == 'w' ? MSC_PERM_WRITE : 0)
               | (q[2] == 'x' ? MSC_PERM_EXECUTE : 0) | (q[3] == 's' ? MSC_PERM_SHARED : 0);
  q += 4;
  if (*q++ != ' ' || (q = msc_parse_hex (q, eol, &vma->offset)) == NULL || *q++ != ' '
      || (q = msc_parse_hex (q, eol, &major)) == NULL || *q++ != ':'
      || (q = msc_parse_hex (q, eol, &minor)) == NULL || *q++ != ' '
      || (q = msc_parse_dec (q, eol, &vma->inode)) == NULL)
    return -1;
  while (q < eol && *q == ' ')
    q++;
  *eol = '\0';
  msc_unescape_name ((char *) q, vma->inode);
  vma->name = q;
  vma->dev = makedev ((unsigned) major, (unsigned) minor);
  vma->kind = msc_vma_kind (vma->name);
  vma->object = MSC_LINUX_NONE;
  return vma->end > vma->start ? 0 : -1;
}

/* Reads the whole maps file with big reads into scan->maps_buffer. */
static int
msc_maps_slurp (MscLinuxScan *scan, size_t *len_out)
{
  size_t len = 0;

  for (;;)
    {
      MscLinuxBuffer *buffer = &scan->maps_buffer;
      ssize_t n;

      if (buffer->cap - len < (64u << 10) && msc_linux_buffer_reserve (buffer, buffer->cap + (256u << 10)) != 0)
        return ENOMEM;
      n = read (scan->maps_fd, (char *) buffer->data + len, buffer->cap - len - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno;
      if (n == 0)
        break;
      len += (size_t) n;
    }
  scan->maps_text = scan->maps_buffer.data;
  scan->maps_text[len] = '\0';
  *len_out = len;
  return 0;
}

int
msc_linux_maps_read (MscLinuxScan *scan)
{
  size_t len = 0, lines = 0, n = 0;
  char *p, *end;
  int err = msc_maps_slurp (scan, &len);

  if (err != 0)
    return err;
  p = scan->maps_text;
  end = p + len;
  for (char *q = p; (q = memchr (q, '\n', (size_t) (end - q))) != NULL; q++)
    lines++;
  if (msc_linux_buffer_reserve (&scan->vma_buffer, (lines + 1) * sizeof *scan->vmas) != 0)
    return ENOMEM;
  scan->vmas = scan->vma_buffer.data;
  while (p < end)
    {
      char *eol = memchr (p, '\n', (size_t) (end - p));
      MscLinuxVma *vma = &scan->vmas[n];

      if (eol == NULL)
        eol = end;
      if (n <= lines && msc_parse_line (p, eol, vma) == 0 && vma->start < MSC_LINUX_USER_LIMIT
          && strcmp (vma->name, "[vsyscall]") != 0
          /* maps is read in chunks without one lock: a VMA that changed
           * between two reads can overlap its neighbour; keep the order
           * the kernel guarantees (proc.rst) by dropping such a line. */
          && (n == 0 || vma->start >= scan->vmas[n - 1].end))
        n++;
      p = eol + 1;
    }
  scan->n_vmas = n;
  return 0;
}

size_t
msc_linux_find (const void *array, size_t n, size_t stride, uint64_t addr)
{
  const char *base = array;
  size_t lo = 0, hi = n;

  /* The first element whose end lies above addr, by bisection. */
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      const uint64_t *bounds = (const uint64_t *) (const void *) (base + mid * stride);

      if (bounds[1] <= addr)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < n && ((const uint64_t *) (const void *) (base + lo * stride))[0] <= addr)
    return lo;
  return n;
}

uint32_t
msc_linux_vma_find (const MscLinuxScan *scan, uint64_t addr)
{
  size_t i = msc_linux_find (scan->vmas, scan->n_vmas, sizeof *scan->vmas, addr);

  return i < scan->n_vmas ? (uint32_t) i : MSC_LINUX_NONE;
}

static int
msc_dev_in (const uint64_t *devs, size_t n, uint64_t dev)
{
  for (size_t i = 0; i < n; i++)
    if (devs[i] == dev)
      return 1;
  return 0;
}

/* Parses "id parent major:minor root mount opts... - fstype source sopts";
 * returns the device and points *fstype at the type (NUL-terminated). */
static int
msc_mountinfo_line (char *line, uint64_t *dev, const char **fstype)
{
  char *field = line, *sep, *space;
  unsigned long major, minor;

  for (int i = 0; i < 2; i++)
    {
      field = strchr (field, ' ');
      if (field == NULL)
        return -1;
      field++;
    }
  if (sscanf (field, "%lu:%lu", &major, &minor) != 2)
    return -1;
  sep = strstr (field, " - ");
  if (sep == NULL)
    return -1;
  *fstype = sep + 3;
  space = strchr (sep + 3, ' ');
  if (space != NULL)
    *space = '\0';
  *dev = makedev (major, minor);
  return 0;
}

void
msc_linux_mounts_read (MscLinuxScan *scan)
{
  char path[64];
  char *text = NULL, *line, *next;
  uint64_t hugetlb[16];
  size_t len, n_hugetlb = 0, cap = 0;
  int fd;

  snprintf (path, sizeof path, "/proc/%u/mountinfo", scan->pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  if (msc_linux_read_all (fd, &text, &len) != 0)
    text = NULL;
  close (fd);
  for (line = text; line != NULL && *line != '\0'; line = next)
    {
      const char *fstype;
      uint64_t dev;

      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      if (msc_mountinfo_line (line, &dev, &fstype) != 0)
        continue;
      if (strcmp (fstype, "tmpfs") == 0)
        {
          if (scan->n_tmpfs_devs == cap)
            {
              uint64_t *bigger = realloc (scan->tmpfs_devs, (cap * 2 + 8) * sizeof *bigger);

              if (bigger == NULL)
                break;
              scan->tmpfs_devs = bigger;
              cap = cap * 2 + 8;
            }
          scan->tmpfs_devs[scan->n_tmpfs_devs++] = dev;
        }
      else if (strcmp (fstype, "hugetlbfs") == 0 && n_hugetlb < 16)
        hugetlb[n_hugetlb++] = dev;
    }
  free (text);
  for (size_t i = 0; i < scan->n_vmas; i++)
    {
      MscLinuxVma *vma = &scan->vmas[i];

      /* MAP_HUGETLB anon memory is named like this by the kernel. */
      if (vma->kind == MSC_VMA_FILE
          && (msc_dev_in (hugetlb, n_hugetlb, vma->dev) || strncmp (vma->name, "/anon_hugepage", 14) == 0))
        vma->hugetlb = 1;
    }
}
