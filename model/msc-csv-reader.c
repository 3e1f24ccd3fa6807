/* msc-csv-reader.c — splits VMMap's CSV lines into cells; the sections and
 * what the cells mean are msc-import.c's.
 *
 * VMMap quotes every field, numbers included, and doubles '"' inside; we
 * also take unquoted fields (a spreadsheet's re-save). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "model/msc-csv-reader.h"
#include "model/msc-import-private.h"

/* One quoted field starting at *p (at the opening quote); moves *p past the
 * closing one. */
static gboolean
msc_csv_quoted (const char **p,
                GString     *field,
                char       **message)
{
  const char *s = *p + 1;

  for (;;)
    {
      if (*s == '\0')
        {
          *message = g_strdup (_("a quoted field is not closed on its line"));
          return FALSE;
        }
      if (*s == '"' && s[1] == '"')
        {
          g_string_append_c (field, '"');
          s += 2;
          continue;
        }
      if (*s == '"')
        break;
      g_string_append_c (field, *s++);
    }
  *p = s + 1;
  return TRUE;
}

static gboolean
msc_csv_split (gpointer       user,
               MscImportLine  kind,
               const char    *line,
               gsize          len,
               GPtrArray     *cells,
               char         **message)
{
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = line;

  for (;;)
    {
      g_string_truncate (field, 0);
      if (*p == '"')
        {
          if (!msc_csv_quoted (&p, field, message))
            return FALSE;
        }
      else
        while (*p != ',' && *p != '\0')
          g_string_append_c (field, *p++);
      g_ptr_array_add (cells, g_strdup (field->str));
      if (*p == '\0')
        return TRUE;
      if (*p != ',')
        {
          *message = g_strdup_printf (_("unexpected “%.20s” after a closing quote"), p);
          return FALSE;
        }
      p++;
    }
}

/* Returns: TRUE with one imported snapshot in result, or FALSE with error
 * (#MSC_IMPORT_ERROR) set */
gboolean
msc_csv_read (MscLoaderInput  *input,
              MscLoaderResult *result,
              GError         **error)
{
  return msc_import_read (input, msc_csv_split, NULL, result, error);
}
