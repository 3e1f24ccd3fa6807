/* msc-linux-elf.c — the little of ELF an Image needs: is it ELF, ET_DYN
 * (relocatable: VMMap's "Image (ASLR)"), where it loads (PT_LOAD), and the
 * names of its allocated sections, so every sub-block can say what it holds
 * (".init .plt .text .fini") as VMMap does for PE sections.
 *
 * Headers are read through a callback (pread on the file, or memcpy for our
 * own vDSO) and bounded: a hostile or truncated file yields no sections,
 * never a crash.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-linux.h"

#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#define MSC_ELF_MAX_LOADS 32
#define MSC_ELF_MAX_PHDRS 512
#define MSC_ELF_MAX_SECTIONS 65536
#define MSC_ELF_MAX_NAMES (1u << 20)

typedef struct {
  uint64_t vaddr;
  uint64_t offset;
  uint64_t filesz;
  uint64_t memsz;
} MscElfLoad;

typedef struct {
  uint64_t addr;
  uint64_t size;
  uint32_t name;
} MscElfSection;

struct MscLinuxElf {
  uint16_t type;
  size_t n_loads;
  MscElfLoad loads[MSC_ELF_MAX_LOADS];
  size_t n_sections;
  MscElfSection *sections;
  char *names;
  size_t names_len;
};

/* The fields we use, widened from Elf32 or Elf64. */
typedef struct {
  int is64;
  uint16_t type;
  uint64_t phoff, shoff;
  uint32_t phnum, shnum, shstrndx;
  uint16_t phentsize, shentsize;
} MscElfHeader;

static int
msc_elf_header (MscElfReadFn read_fn, void *ctx, MscElfHeader *h)
{
  unsigned char ident[EI_NIDENT];

  memset (h, 0, sizeof *h);
  if (read_fn (ctx, 0, ident, sizeof ident) != 0 || memcmp (ident, ELFMAG, SELFMAG) != 0
      || (ident[EI_CLASS] != ELFCLASS32 && ident[EI_CLASS] != ELFCLASS64))
    return -1;
  /* A process only maps images of its own byte order; others get no
   * sections rather than garbage. */
  h->is64 = ident[EI_CLASS] == ELFCLASS64;
  if (ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB))
    return 0;
  if (h->is64)
    {
      Elf64_Ehdr e;

      if (read_fn (ctx, 0, &e, sizeof e) != 0)
        return -1;
      *h = (MscElfHeader) { 1, e.e_type, e.e_phoff, e.e_shoff, e.e_phnum, e.e_shnum, e.e_shstrndx,
                            e.e_phentsize, e.e_shentsize };
    }
  else
    {
      Elf32_Ehdr e;

      if (read_fn (ctx, 0, &e, sizeof e) != 0)
        return -1;
      *h = (MscElfHeader) { 0, e.e_type, e.e_phoff, e.e_shoff, e.e_phnum, e.e_shnum, e.e_shstrndx,
                            e.e_phentsize, e.e_shentsize };
    }
  return 0;
}

static void
msc_elf_loads (MscLinuxElf *elf, const MscElfHeader *h, MscElfReadFn read_fn, void *ctx)
{
  size_t entsize = h->is64 ? sizeof (Elf64_Phdr) : sizeof (Elf32_Phdr);
  unsigned char *buf;

  if (h->phnum == 0 || h->phnum > MSC_ELF_MAX_PHDRS || h->phentsize != entsize)
    return;
  buf = malloc (h->phnum * entsize);
  if (buf == NULL || read_fn (ctx, h->phoff, buf, h->phnum * entsize) != 0)
    {
      free (buf);
      return;
    }
  for (uint32_t i = 0; i < h->phnum && elf->n_loads < MSC_ELF_MAX_LOADS; i++)
    {
      MscElfLoad load;
      uint32_t type;

      if (h->is64)
        {
          Elf64_Phdr *p = (Elf64_Phdr *) (buf + i * entsize);

          type = p->p_type;
          load = (MscElfLoad) { p->p_vaddr, p->p_offset, p->p_filesz, p->p_memsz };
        }
      else
        {
          Elf32_Phdr *p = (Elf32_Phdr *) (buf + i * entsize);

          type = p->p_type;
          load = (MscElfLoad) { p->p_vaddr, p->p_offset, p->p_filesz, p->p_memsz };
        }
      if (type == PT_LOAD)
        elf->loads[elf->n_loads++] = load;
    }
  free (buf);
}

/* Widens section i of the table; returns its type and flags. */
static void
msc_elf_shdr (const MscElfHeader *h, const unsigned char *table, uint32_t i, uint32_t *type,
              uint64_t *flags, MscElfSection *section, uint64_t *offset, uint32_t *link)
{
  if (h->is64)
    {
      const Elf64_Shdr *s = (const Elf64_Shdr *) (table + (size_t) i * sizeof *s);

      *type = s->sh_type, *flags = s->sh_flags, *offset = s->sh_offset, *link = s->sh_link;
      *section = (MscElfSection) { s->sh_addr, s->sh_size, s->sh_name };
    }
  else
    {
      const Elf32_Shdr *s = (const Elf32_Shdr *) (table + (size_t) i * sizeof *s);

      *type = s->sh_type, *flags = s->sh_flags, *offset = s->sh_offset, *link = s->sh_link;
      *section = (MscElfSection) { s->sh_addr, s->sh_size, s->sh_name };
    }
}

static void
msc_elf_sections (MscLinuxElf *elf, MscElfHeader *h, MscElfReadFn read_fn, void *ctx)
{
  size_t entsize = h->is64 ? sizeof (Elf64_Shdr) : sizeof (Elf32_Shdr);
  unsigned char *table = NULL;
  MscElfSection names;
  uint64_t flags, offset;
  uint32_t type, link;

  if (h->shoff == 0 || h->shentsize != entsize)
    return;
  if (h->shnum == 0 || h->shstrndx == SHN_XINDEX)
    {
      /* Extended numbering: the real counts live in section 0. */
      unsigned char zero[sizeof (Elf64_Shdr)];

      if (read_fn (ctx, h->shoff, zero, entsize) != 0)
        return;
      msc_elf_shdr (h, zero, 0, &type, &flags, &names, &offset, &link);
      if (h->shnum == 0)
        h->shnum = (uint32_t) (names.size < MSC_ELF_MAX_SECTIONS ? names.size : 0);
      if (h->shstrndx == SHN_XINDEX)
        h->shstrndx = link;
    }
  if (h->shnum == 0 || h->shnum > MSC_ELF_MAX_SECTIONS || h->shstrndx >= h->shnum)
    return;
  table = malloc ((size_t) h->shnum * entsize);
  elf->sections = malloc ((size_t) h->shnum * sizeof *elf->sections);
  if (table == NULL || elf->sections == NULL || read_fn (ctx, h->shoff, table, (size_t) h->shnum * entsize) != 0)
    goto out;
  msc_elf_shdr (h, table, h->shstrndx, &type, &flags, &names, &offset, &link);
  if (names.size == 0 || names.size > MSC_ELF_MAX_NAMES || (elf->names = malloc (names.size + 1)) == NULL
      || read_fn (ctx, offset, elf->names, names.size) != 0)
    goto out;
  elf->names[names.size] = '\0';
  elf->names_len = names.size;
  for (uint32_t i = 1; i < h->shnum; i++)
    {
      MscElfSection section;

      msc_elf_shdr (h, table, i, &type, &flags, &section, &offset, &link);
      /* .tbss takes no room in the image: it is the TLS template's tail. */
      if (!(flags & SHF_ALLOC) || section.size == 0 || (type == SHT_NOBITS && (flags & SHF_TLS))
          || section.name >= names.size)
        continue;
      elf->sections[elf->n_sections++] = section;
    }
out:
  free (table);
}

MscLinuxElf *
msc_linux_elf_parse (MscElfReadFn read_fn, void *ctx)
{
  MscElfHeader h;
  MscLinuxElf *elf;

  if (msc_elf_header (read_fn, ctx, &h) != 0)
    return NULL;
  elf = calloc (1, sizeof *elf);
  if (elf == NULL)
    return NULL;
  elf->type = h.type;
  msc_elf_loads (elf, &h, read_fn, ctx);
  msc_elf_sections (elf, &h, read_fn, ctx);
  return elf;
}

void
msc_linux_elf_free (MscLinuxElf *elf)
{
  if (elf == NULL)
    return;
  free (elf->sections);
  free (elf->names);
  free (elf);
}

int
msc_linux_elf_is_dyn (const MscLinuxElf *elf)
{
  return elf->type == ET_DYN;
}

uint64_t
msc_linux_elf_bias (const MscLinuxElf *elf, uint64_t start, uint64_t offset)
{
  /* p_vaddr ≡ p_offset (mod page size), so a segment mapped from file
   * offset `offset` at `start` was relocated by start - (p_vaddr - p_offset
   * + offset). */
  const MscElfLoad *match = elf->n_loads ? &elf->loads[0] : NULL;

  for (size_t i = 0; i < elf->n_loads; i++)
    if (offset >= (elf->loads[i].offset & ~(uint64_t) 0xfff)
        && offset < elf->loads[i].offset + elf->loads[i].filesz)
      {
        match = &elf->loads[i];
        break;
      }
  if (match == NULL)
    return start - offset;
  return start - offset - (match->vaddr - match->offset);
}

uint64_t
msc_linux_elf_mem_end (const MscLinuxElf *elf, uint64_t bias)
{
  uint64_t end = 0;

  for (size_t i = 0; i < elf->n_loads; i++)
    if (elf->loads[i].vaddr + elf->loads[i].memsz > end)
      end = elf->loads[i].vaddr + elf->loads[i].memsz;
  return end ? bias + end : 0;
}

void
msc_linux_elf_sections (const MscLinuxElf *elf, uint64_t bias, uint64_t start, uint64_t end,
                        char *out, size_t size)
{
  size_t len = 0;

  out[0] = '\0';
  for (size_t i = 0; i < elf->n_sections; i++)
    {
      const MscElfSection *s = &elf->sections[i];
      uint64_t s_start = bias + s->addr;
      const char *name = elf->names + s->name;
      size_t name_len;

      if (s_start >= end || s_start + s->size <= start)
        continue;
      name_len = strnlen (name, elf->names_len - s->name);
      if (name_len == 0 || len + name_len + 2 > size)
        continue;
      if (len > 0)
        out[len++] = ' ';
      memcpy (out + len, name, name_len);
      len += name_len;
      out[len] = '\0';
    }
}

int
msc_linux_elf_has_section (const MscLinuxElf *elf, const char *name)
{
  for (size_t i = 0; i < elf->n_sections; i++)
    if (strcmp (elf->names + elf->sections[i].name, name) == 0)
      return 1;
  return 0;
}

/* ---- our own vDSO ---- */

typedef struct {
  const unsigned char *base;
  uint64_t size;
} MscMemoryImage;

static int
msc_read_memory_image (void *ctx, uint64_t offset, void *buf, size_t len)
{
  const MscMemoryImage *image = ctx;

  if (offset > image->size || len > image->size - offset)
    return -1;
  memcpy (buf, image->base + offset, len);
  return 0;
}

static pthread_once_t vdso_once = PTHREAD_ONCE_INIT;
static MscLinuxElf *vdso_elf;

/* Size of our [vdso] mapping, so reads of its headers stay inside it. */
static uint64_t
msc_vdso_size (uintptr_t base)
{
  char line[512];
  uint64_t size = 0;
  FILE *maps = fopen ("/proc/self/maps", "re");

  if (maps == NULL)
    return 0;
  while (fgets (line, sizeof line, maps) != NULL)
    {
      unsigned long long start, end;

      if (sscanf (line, "%llx-%llx", &start, &end) == 2 && start == base)
        {
          size = end - start;
          break;
        }
    }
  fclose (maps);
  return size;
}

static void
msc_parse_vdso (void)
{
  uintptr_t base = (uintptr_t) getauxval (AT_SYSINFO_EHDR);
  MscMemoryImage image;

  if (base == 0)
    return;
  image.base = (const unsigned char *) base;
  image.size = msc_vdso_size (base);
  if (image.size > 0)
    vdso_elf = msc_linux_elf_parse (msc_read_memory_image, &image);
}

MscLinuxElf *
msc_linux_elf_vdso (void)
{
  pthread_once (&vdso_once, msc_parse_vdso);
  return vdso_elf;
}
