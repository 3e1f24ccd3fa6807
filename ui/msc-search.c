/* msc-search.c — see msc-search.h. */
#include "config.h"

#include <string.h>

#include "ui/msc-search.h"

gboolean
msc_search_contains (const char *haystack,
                     const char *needle)
{
  gsize n = strlen (needle);
  char lower, upper;

  if (n == 0)
    return TRUE;
  /* Most positions fail on the first character: test it before calling
   * g_ascii_strncasecmp (the filter runs over a million strings). */
  lower = g_ascii_tolower (needle[0]);
  upper = g_ascii_toupper (needle[0]);
  for (; *haystack != '\0'; haystack++)
    if ((*haystack == lower || *haystack == upper) && g_ascii_strncasecmp (haystack, needle, n) == 0)
      return TRUE;
  return FALSE;
}
