/* msc-loader-private.h — what the loader hands a reader, and what it
 * gets back. Not installed, not API. */
#pragma once

#include <stdio.h>

#include <gio/gio.h>

/* Not msc-loader.h: the readers know the input and their result, not the
 * session the loader makes of it. */
#include "model/msc-process.h"
#include "model/msc-snapshot.h"
#include "model/msc-trace.h"

G_BEGIN_DECLS

/* Bytes read before choosing a reader: enough for a BOM, blanks and the
 * first line's opening ("<?xml", "\"Process:\"", "Process:"). */
#define MSC_LOADER_HEAD 512

/* The input, read once: head[0, head_len) first, then the rest of file
 * (or, from memory, data[offset, length)). */
typedef struct {
  FILE         *file;          /* NULL when reading memory */
  char         *file_buffer;
  char          head[MSC_LOADER_HEAD];
  gsize         head_len;
  gsize         head_offset;
  const char   *data;          /* memory input */
  gsize         length;
  gsize         offset;
  const char   *path;          /* nullable: names the process when the file does not */
  char         *display_name;  /* nullable: prefixes error messages */
  GCancellable *cancellable;
  guint64       mtime;         /* FILETIME ticks of the file; 0 unknown (pipes, memory) */
  int           read_errno;    /* set when a read failed */
  guint64       n_bytes;       /* delivered to the reader so far */
} MscLoaderInput;

/* What a reader found. process is NULL when the file names none; pid and
 * bits are what it said anyway (0 unknown). */
typedef struct {
  MscProcess *process;
  guint32     pid;
  guint       bits;
  GPtrArray  *snapshots;   /* MscSnapshot, file order */
  MscTrace   *trace;       /* nullable: a Launch and Trace capture's operations */
} MscLoaderResult;

/* Up to len bytes into buffer; 0 at the end, -1 on a read error
 * (input->read_errno says which). */
gssize   msc_loader_input_read   (MscLoaderInput  *input,
                                  char            *buffer,
                                  gsize            len);
/* All that is left, in one block (*data stays valid while input does; for
 * memory input it is the caller's data itself). */
gboolean msc_loader_input_slurp  (MscLoaderInput  *input,
                                  const char     **data,
                                  gsize           *length,
                                  char           **owned,
                                  GError         **error);
/* Sets error to "could not read <name>: <reason>" (#MSC_LOADER_ERROR_READ). */
void     msc_loader_input_failed (MscLoaderInput  *input,
                                  GError         **error);

typedef gboolean (*MscLoaderReadFunc) (MscLoaderInput  *input,
                                       MscLoaderResult *result,
                                       GError         **error);

G_END_DECLS
