/* msc-xml-element.h — one element of a capture as libxml2's SAX2 parser
 * hands it over (model/msc-mmp-reader.c), for the readers of the elements
 * that are not the reader's own (the trace). Not installed, not API. */
#pragma once

#include <glib.h>
#include <libxml/parser.h>

G_BEGIN_DECLS

typedef struct {
  const char     *name;          /* local name */
  /* SAX2's attributes: per attribute five pointers (local name, prefix,
   * URI, value, end of value); the values are not NUL-terminated. */
  const xmlChar **attributes;
  int             n_attributes;
  int             line;
  /* The element's text, for the elements read at their end (NULL else). */
  const char     *text;
} MscXmlElement;

/* The value of SAX2 attribute a (its five pointers) and its length. Without
 * entity substitution libxml2 hands over each '&' as "&#38;" (so a tree
 * could be built from the text); those become '&' again, in scratch when
 * there are any. Every other reference arrives decoded, and entities of a
 * DOCTYPE are refused before any could be used. */
const char *msc_xml_attr_value (const xmlChar **a,
                                GString        *scratch,
                                gsize          *len);

/* The value of the unprefixed attribute name, copied; NULL when absent. */
char *msc_xml_element_attr (const MscXmlElement *element,
                            const char          *name);

G_END_DECLS
