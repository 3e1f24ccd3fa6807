/* msc-import-cells.c — what a cell of VMMap's CSV/TXT exports means, apart
 * from where it sits (msc-import.c): KB figures with a locale's separators,
 * protection words, the storage a type implies, UTF-16 files. */
#include "config.h"



#include "model/core/msc-format.h"
#include "model/msc-import-private.h"

/* Length of a thousands separator at p, 0 if none: ',' '.' (VMMap's own
 * files, MemAnalyzer strips both), '\'' and the spaces some locales use
 * (space, U+00A0, U+202F). */
static gsize
msc_import_separator (const char *p)
{
  if (*p == ',' || *p == '.' || *p == '\'' || *p == ' ')
    return 1;
  if ((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0)
    return 2;
  if ((guchar) p[0] == 0xE2 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0xAF)
    return 3;
  return 0;
}

/* A number cell: "" is 0 (VMMap leaves zero empty), "n/a" sets *unknown.
 * multiplier 1024 for KB cells, 1 for Blocks. */
gboolean
msc_import_cell_number (const char *cell,
                        guint64     multiplier,
                        guint64    *value,
                        gboolean   *unknown)
{
  guint64 n = 0;
  gboolean digits = FALSE;

  *value = 0;
  if (g_ascii_strcasecmp (cell, "n/a") == 0)
    {
      *unknown = TRUE;
      return TRUE;
    }
  for (const char *p = cell; *p != '\0';)
    {
      gsize skip = msc_import_separator (p);

      if (skip > 0 && digits)
        {
          p += skip;
          continue;
        }
      if (!g_ascii_isdigit (*p) || n > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      n = n * 10 + (guint64) (*p++ - '0');
      digits = TRUE;
    }
  /* 2^54 KB is how a figure just under 2^64 bytes rounds (the writers
   * round to the nearest KB): the largest there is, not an overflow. */
  if (multiplier > 1 && n == G_MAXUINT64 / multiplier + 1)
    {
      *value = G_MAXUINT64;
      return TRUE;
    }
  if (n > G_MAXUINT64 / multiplier)
    return FALSE;
  *value = n * multiplier;
  return TRUE;
}

/* VMMap's storage (MEM_*) for a type: the .mmp writer wants one. */
guint32
msc_import_storage (MscUseType type)
{
  switch (type)
    {
    case MSC_TYPE_IMAGE:
      return MSC_MEM_IMAGE;
    case MSC_TYPE_MAPPED_FILE:
    case MSC_TYPE_SHAREABLE:
      return MSC_MEM_MAPPED;
    case MSC_TYPE_FREE:
      return MSC_MEM_FREE;
    default:
      return MSC_MEM_PRIVATE;
    }
}

/* Protection text → PAGE_* value: the inverse of msc_protection_string(),
 * built from it so the two cannot disagree. */
static GHashTable *
msc_import_protections (void)
{
  static gsize once = 0;
  static GHashTable *table;

  if (g_once_init_enter (&once))
    {
      const guint32 modifiers[] = { MSC_PAGE_GUARD, MSC_PAGE_NOCACHE, MSC_PAGE_WRITECOMBINE };

      table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint32 base = 0; base <= MSC_PAGE_EXECUTE_WRITECOPY; base = base ? base << 1 : 1)
        for (guint m = 0; m < 8; m++)
          {
            guint32 value = base;
            char buf[MSC_PROTECTION_LEN];

            for (guint k = 0; k < G_N_ELEMENTS (modifiers); k++)
              if (m & (1u << k))
                value |= modifiers[k];
            if (base != 0 || m == 0)
              g_hash_table_insert (table, g_ascii_strdown (msc_protection_string (value, buf, sizeof buf), -1),
                                   GUINT_TO_POINTER (value));
          }
      g_once_init_leave (&once, 1);
    }
  return table;
}

gboolean
msc_import_protection_value (const char *cell,
                             guint32    *protection)
{
  g_autofree char *key = g_ascii_strdown (cell, -1);
  gpointer value;
  guint64 hex;

  if (g_hash_table_lookup_extended (msc_import_protections (), key, NULL, &value))
    *protection = GPOINTER_TO_UINT (value);
  /* What VMMap has no words for we write as "0x1800". */
  else if (g_str_has_prefix (key, "0x") && g_ascii_string_to_unsigned (key + 2, 16, 0, G_MAXUINT32, &hex, NULL))
    *protection = (guint32) hex;
  else if (cell[0] == '\0')
    *protection = 0;
  else
    return FALSE;
  return TRUE;
}

/* An export saved as UTF-16 (with its BOM, as Windows tools write it) is
 * read as UTF-8; the lines are then read as any other's. */
gboolean
msc_import_utf16_to_utf8 (const char  *data,
                          gsize        length,
                          char       **utf8,
                          gsize       *written,
                          char       **problem)
{
  const guchar *bytes = (const guchar *) data;
  g_autoptr(GError) local = NULL;

  *utf8 = NULL;
  if (length < 2 || !((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
    return TRUE;
  *utf8 = g_convert (data + 2, (gssize) (length - 2), "UTF-8", bytes[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", NULL,
                     written, &local);
  if (*utf8 == NULL)
    {
      *problem = g_strdup (local->message);
      return FALSE;
    }
  return TRUE;
}
