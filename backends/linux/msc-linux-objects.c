/* msc-linux-objects.c — one record per mapped file (dev, inode): is it an
 * Image, a Mapped File, Shareable (shmem) or a runtime's Managed Heap?
 *
 * Image test (linux-notes §2 rule 2): only files with an executable mapping
 * can be images (a data-only mapping of an ELF is a Mapped File), so only
 * those are examined: PROCMAP_QUERY's build ID (6.11+, one point lookup per
 * file) proves ELF without opening anything; the file is then opened once
 * through /proc/PID/map_files (works for deleted files; needs
 * CAP_CHECKPOINT_RESTORE) or /proc/PID/root/<path> to read the magic, the
 * ELF type (ASLR) and the section table for the sub-block names.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"
#include "backends/linux/msc-linux-uapi.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_once_t shm_dev_once = PTHREAD_ONCE_INIT;
static uint64_t shm_dev;

/* memfd, MAP_SHARED|MAP_ANONYMOUS ("/dev/zero (deleted)") and SysV segments
 * live on the kernel's internal shmem mount, which is in no mountinfo; learn
 * its device from a memfd of our own (pmap's discover_shm_minor trick). */
static void
msc_find_shm_dev (void)
{
  int fd = memfd_create ("memscope-probe", MFD_CLOEXEC);
  struct stat st;

  if (fd < 0)
    return;
  if (fstat (fd, &st) == 0)
    shm_dev = st.st_dev;
  close (fd);
}

/* Open addressing on (dev, inode); the table is rebuilt for every scan. */
typedef struct {
  uint32_t *slots;
  size_t mask;
} MscObjectIndex;

static size_t
msc_object_hash (uint64_t dev, uint64_t inode)
{
  uint64_t h = (inode ^ (dev << 29) ^ (dev >> 7)) * UINT64_C (0x9e3779b97f4a7c15);

  return (size_t) (h >> 17);
}

static uint32_t
msc_object_lookup (MscLinuxScan *scan, MscObjectIndex *index, const MscLinuxVma *vma, uint32_t vma_index)
{
  size_t slot = msc_object_hash (vma->dev, vma->inode) & index->mask;

  for (;; slot = (slot + 1) & index->mask)
    {
      uint32_t o = index->slots[slot];

      if (o == MSC_LINUX_NONE)
        {
          MscLinuxObject *object = &scan->objects[scan->n_objects];

          memset (object, 0, sizeof *object);
          object->dev = vma->dev;
          object->inode = vma->inode;
          object->first_vma = vma_index;
          index->slots[slot] = (uint32_t) scan->n_objects;
          return (uint32_t) scan->n_objects++;
        }
      if (scan->objects[o].dev == vma->dev && scan->objects[o].inode == vma->inode)
        return o;
    }
}

static int
msc_objects_index (MscLinuxScan *scan)
{
  MscObjectIndex index;
  size_t n_files = 0, size = 16;

  for (size_t i = 0; i < scan->n_vmas; i++)
    n_files += scan->vmas[i].kind == MSC_VMA_FILE;
  while (size < n_files * 2)
    size *= 2;
  index.mask = size - 1;
  index.slots = malloc (size * sizeof *index.slots);
  scan->objects = malloc ((n_files + 1) * sizeof *scan->objects);
  if (index.slots == NULL || scan->objects == NULL)
    {
      free (index.slots);
      return ENOMEM;
    }
  memset (index.slots, 0xff, size * sizeof *index.slots);
  for (size_t i = 0; i < scan->n_vmas; i++)
    {
      MscLinuxVma *vma = &scan->vmas[i];

      if (vma->kind != MSC_VMA_FILE)
        continue;
      vma->object = msc_object_lookup (scan, &index, vma, (uint32_t) i);
      if (vma->perms & MSC_PERM_EXECUTE)
        scan->objects[vma->object].has_exec = 1;
    }
  free (index.slots);
  return 0;
}

/* 1 = has a build ID (ELF), 0 = none, -1 = cannot tell (no PROCMAP_QUERY). */
static int
msc_object_build_id (MscLinuxScan *scan, const MscLinuxVma *vma, int *supported)
{
  struct procmap_query query;
  unsigned char build_id[64];

  if (!*supported)
    return -1;
  memset (&query, 0, sizeof query);
  query.size = sizeof query;
  query.query_addr = vma->start;
  query.build_id_addr = (uint64_t) (uintptr_t) build_id;
  query.build_id_size = sizeof build_id;
  if (ioctl (scan->maps_fd, PROCMAP_QUERY, &query) != 0)
    {
      if (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP)
        *supported = 0;
      return -1;
    }
  return query.build_id_size > 0;
}

static int
msc_pread_fn (void *ctx, uint64_t offset, void *buf, size_t len)
{
  int fd = *(int *) ctx;

  return pread (fd, buf, len, (off_t) offset) == (ssize_t) len ? 0 : -1;
}

static int
msc_object_open (MscLinuxScan *scan, const MscLinuxObject *object)
{
  const MscLinuxVma *vma = &scan->vmas[object->first_vma];
  static const char deleted[] = " (deleted)";
  char path[4200];
  struct stat st;
  size_t len;
  int fd;

  snprintf (path, sizeof path, "/proc/%u/map_files/%llx-%llx", scan->pid,
            (unsigned long long) vma->start, (unsigned long long) vma->end);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && vma->name[0] == '/')
    {
      len = strlen (vma->name);
      if (len > sizeof deleted - 1 && strcmp (vma->name + len - (sizeof deleted - 1), deleted) == 0)
        return -1;  /* gone from its directory; only map_files could reach it */
      snprintf (path, sizeof path, "/proc/%u/root%s", scan->pid, vma->name);
      fd = open (path, O_RDONLY | O_CLOEXEC);
    }
  /* The path may now name another file (a package upgrade): check it. */
  if (fd >= 0 && (fstat (fd, &st) != 0 || (uint64_t) st.st_ino != object->inode))
    {
      close (fd);
      fd = -1;
    }
  return fd;
}

static int
msc_name_has_prefix (const char *name, const char *prefix)
{
  return strncmp (name, prefix, strlen (prefix)) == 0;
}

static int
msc_object_is_shmem (const MscLinuxScan *scan, const MscLinuxObject *object, const char *name)
{
  if ((shm_dev != 0 && object->dev == shm_dev) || msc_name_has_prefix (name, "/memfd:")
      || msc_name_has_prefix (name, "/SYSV") || strcmp (name, "/dev/zero (deleted)") == 0)
    return 1;
  for (size_t i = 0; i < scan->n_tmpfs_devs; i++)
    if (scan->tmpfs_devs[i] == object->dev)
      return 1;
  return 0;
}

/* Decides whether an executable file is an Image; parses it if so. */
static int
msc_object_image (MscLinuxScan *scan, MscLinuxObject *object, int *query_supported)
{
  int has_build_id = msc_object_build_id (scan, &scan->vmas[object->first_vma], query_supported);
  int fd = msc_object_open (scan, object);

  if (fd >= 0)
    {
      object->elf = msc_linux_elf_parse (msc_pread_fn, &fd);
      close (fd);
      return object->elf != NULL || has_build_id == 1;
    }
  /* Unreadable file: an executable file mapping is an image unless the
   * build-ID lookup says it is no ELF (linux-notes §2: group by (dev,
   * inode) where any segment is x). */
  return has_build_id != 0;
}

int
msc_linux_objects_build (MscLinuxScan *scan)
{
  int query_supported = 1;
  int err = msc_objects_index (scan);

  if (err != 0)
    return err;
  pthread_once (&shm_dev_once, msc_find_shm_dev);
  scan->shm_dev = shm_dev;
  for (size_t o = 0; o < scan->n_objects; o++)
    {
      MscLinuxObject *object = &scan->objects[o];
      const char *name = scan->vmas[object->first_vma].name;

      object->shmem = (uint8_t) msc_object_is_shmem (scan, object, name);
      /* Runtime heaps on memfds come first: ZGC multi-maps its heap
       * memfd, .NET double-maps JIT code (linux-notes §2 rule 3). */
      if (msc_name_has_prefix (name, "/memfd:java_heap"))
        object->managed = "Java heap (ZGC)";
      else if (msc_name_has_prefix (name, "/memfd:doublemapper"))
        object->managed = ".NET double-mapped memory";
      if (object->managed != NULL)
        object->kind = MSC_OBJECT_MANAGED;
      else if (object->has_exec && msc_object_image (scan, object, &query_supported))
        object->kind = MSC_OBJECT_IMAGE;
      else if (object->shmem)
        object->kind = MSC_OBJECT_SHAREABLE;
      else
        object->kind = MSC_OBJECT_MAPPED;
    }
  return 0;
}

void
msc_linux_objects_free (MscLinuxScan *scan)
{
  for (size_t o = 0; o < scan->n_objects; o++)
    msc_linux_elf_free (scan->objects[o].elf);
  free (scan->objects);
  scan->objects = NULL;
  scan->n_objects = 0;
}
