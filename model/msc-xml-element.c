/* msc-xml-element.c — see msc-xml-element.h. */
#include "config.h"

#include <string.h>

#include "model/msc-xml-element.h"

const char *
msc_xml_attr_value (const xmlChar **a,
                    GString        *scratch,
                    gsize          *len)
{
  const char *value = (const char *) a[3];
  const char *end = (const char *) a[4];
  const char *amp = memchr (value, '&', (gsize) (end - value));

  if (amp == NULL)
    {
      *len = (gsize) (end - value);
      return value;
    }
  g_string_truncate (scratch, 0);
  while (amp != NULL)
    {
      g_string_append_len (scratch, value, amp - value + 1);
      value = amp + (end - amp >= 5 && memcmp (amp, "&#38;", 5) == 0 ? 5 : 1);
      amp = memchr (value, '&', (gsize) (end - value));
    }
  g_string_append_len (scratch, value, end - value);
  *len = scratch->len;
  return scratch->str;
}

char *
msc_xml_element_attr (const MscXmlElement *element,
                      const char          *name)
{
  for (int i = 0; i < element->n_attributes; i++)
    {
      const xmlChar **a = element->attributes + 5 * i;

      if (a[1] == NULL && strcmp ((const char *) a[0], name) == 0)
        {
          g_autoptr(GString) scratch = g_string_new (NULL);
          gsize len;
          const char *value = msc_xml_attr_value (a, scratch, &len);

          return g_strndup (value, len);
        }
    }
  return NULL;
}
