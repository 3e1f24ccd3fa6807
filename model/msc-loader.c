/* msc-loader.c — reads a capture's input once and hands it to its reader.
 *
 * Why one pass: sniffing by opening the file, reading its head and opening
 * it again fails on a pipe or FIFO (the second open waits for a writer that
 * is gone, or sees the data after the head only). Here the head is read into
 * a buffer, the format chosen from it, and the reader is served that buffer
 * first and then the rest of the same stream.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "backends/backend.h"
#include "model/msc-csv-reader.h"
#include "model/msc-loader.h"
#include "model/msc-loader-private.h"
#include "model/msc-mmp-reader.h"
#include "model/msc-txt-reader.h"

G_DEFINE_QUARK (msc-loader-error-quark, msc_loader_error)

/* stdio's buffer for a file: readers ask for a few KB at a time, and a
 * system call per 4 KB costs more than the copy. */
#define MSC_LOADER_FILE_BUFFER (256 * 1024)

/* FILETIME ticks of the Unix epoch, and per second. */
#define MSC_LOADER_UNIX_EPOCH_TICKS G_GUINT64_CONSTANT (116444736000000000)
#define MSC_LOADER_TICKS_PER_SECOND G_GUINT64_CONSTANT (10000000)

/* ---- reading ---- */

gssize
msc_loader_input_read (MscLoaderInput *input,
                       char           *buffer,
                       gsize           len)
{
  gsize n;

  if (input->head_offset < input->head_len)
    {
      n = MIN (len, input->head_len - input->head_offset);
      memcpy (buffer, input->head + input->head_offset, n);
      input->head_offset += n;
    }
  else if (input->file != NULL)
    {
      errno = 0;
      n = fread (buffer, 1, len, input->file);
      if (n == 0 && ferror (input->file))
        {
          input->read_errno = errno != 0 ? errno : EIO;
          return -1;
        }
    }
  else
    {
      n = MIN (len, input->length - input->offset);
      memcpy (buffer, input->data + input->offset, n);
      input->offset += n;
    }
  input->n_bytes += n;
  return (gssize) n;
}

void
msc_loader_input_failed (MscLoaderInput  *input,
                         GError         **error)
{
  const char *reason = g_strerror (input->read_errno != 0 ? input->read_errno : EIO);

  if (input->display_name != NULL)
    g_set_error (error, MSC_LOADER_ERROR, MSC_LOADER_ERROR_READ, _("could not read %s: %s"),
                 input->display_name, reason);
  else
    g_set_error (error, MSC_LOADER_ERROR, MSC_LOADER_ERROR_READ, _("could not read the capture: %s"),
                 reason);
}

gboolean
msc_loader_input_slurp (MscLoaderInput  *input,
                        const char     **data,
                        gsize           *length,
                        char           **owned,
                        GError         **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  char chunk[64 * 1024];
  gssize n;

  *owned = NULL;
  if (input->file == NULL && input->head_offset == input->head_len)
    {
      *data = input->data + input->offset;
      *length = input->length - input->offset;
      input->n_bytes += *length;
      input->offset = input->length;
      return TRUE;
    }
  bytes = g_byte_array_new ();
  while ((n = msc_loader_input_read (input, chunk, sizeof chunk)) > 0)
    g_byte_array_append (bytes, (const guint8 *) chunk, (guint) n);
  if (n < 0)
    {
      msc_loader_input_failed (input, error);
      return FALSE;
    }
  *length = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  *owned = (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
  *data = *owned;
  return TRUE;
}

/* Fills the head buffer: as much of it as the input has. A pipe may hand
 * over fewer bytes per read; fread() keeps reading until it has them all or
 * the writer closed. */
static gboolean
msc_loader_read_head (MscLoaderInput  *input,
                      GError         **error)
{
  if (input->file == NULL)
    {
      input->head_len = 0;
      return TRUE;
    }
  errno = 0;
  input->head_len = fread (input->head, 1, sizeof input->head, input->file);
  if (input->head_len < sizeof input->head && ferror (input->file))
    {
      input->read_errno = errno != 0 ? errno : EIO;
      msc_loader_input_failed (input, error);
      return FALSE;
    }
  return TRUE;
}

/* ---- which format ---- */

static gboolean
msc_loader_has_suffix (const char *path,
                       const char *suffix)
{
  gsize n = path != NULL ? strlen (path) : 0, m = strlen (suffix);

  return n > m && g_ascii_strcasecmp (path + n - m, suffix) == 0;
}

/* The ASCII characters of a UTF-16 head (after its BOM), up to the first
 * other one: enough to tell '<', '"' and "Process:" apart. */
static gsize
msc_loader_ascii_of_utf16 (const char *data,
                           gsize       length,
                           gboolean    big_endian,
                           char       *ascii,
                           gsize       size)
{
  gsize n = 0;

  for (gsize i = 2; i + 1 < length && n < size; i += 2)
    {
      guchar lo = (guchar) data[i + (big_endian ? 1 : 0)], hi = (guchar) data[i + (big_endian ? 0 : 1)];

      if (hi != 0 || lo == 0 || lo >= 0x80)
        break;
      ascii[n++] = (char) lo;
    }
  return n;
}

MscFileFormat
msc_loader_sniff (const char *data,
                  gsize       length,
                  const char *path)
{
  gsize i = 0;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  else if (length >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE)
                           || ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      /* UTF-16 (a spreadsheet's "Unicode text" export, or a .mmp): the
       * same rules on its characters. */
      char ascii[MSC_LOADER_HEAD / 2];
      gsize n = msc_loader_ascii_of_utf16 (data, length, (guchar) data[0] == 0xFE, ascii, sizeof ascii);

      return msc_loader_sniff (ascii, n, path);
    }
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  if (i < length && data[i] == '<')
    return MSC_FILE_FORMAT_MMP;
  if (i < length && data[i] == '"')
    return MSC_FILE_FORMAT_CSV;
  if (length - i >= 8 && g_ascii_strncasecmp (data + i, "Process:", 8) == 0)
    return MSC_FILE_FORMAT_TXT;
  if (msc_loader_has_suffix (path, ".csv"))
    return MSC_FILE_FORMAT_CSV;
  if (msc_loader_has_suffix (path, ".txt"))
    return MSC_FILE_FORMAT_TXT;
  return MSC_FILE_FORMAT_MMP;
}

static MscLoaderReadFunc
msc_loader_reader (MscFileFormat format)
{
  switch (format)
    {
    case MSC_FILE_FORMAT_CSV:
      return msc_csv_read;
    case MSC_FILE_FORMAT_TXT:
      return msc_txt_read;
    case MSC_FILE_FORMAT_MMP:
    default:
      return msc_mmp_read;
    }
}

/* ---- the session ---- */

/* A file that names no process: its name, without the extension, is the
 * best label there is. */
static MscProcess *
msc_loader_process (MscLoaderResult *result,
                    const char      *path)
{
  g_autofree char *name = NULL;

  if (result->process != NULL)
    return g_steal_pointer (&result->process);
  if (path != NULL && strcmp (path, MSC_LOADER_STDIN) != 0)
    {
      char *dot;

      name = g_filename_display_basename (path);
      dot = strrchr (name, '.');
      if (dot != NULL && dot != name)
        *dot = '\0';
    }
  return msc_process_new (result->pid, name, result->bits);
}

static MscSession *
msc_loader_run (MscLoaderInput *input,
                MscFileFormat   format,
                GError        **error)
{
  MscLoaderResult result = { 0 };
  g_autoptr(MscProcess) process = NULL;
  MscSession *session = NULL;

  result.snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  if (msc_loader_reader (format) (input, &result, error))
    {
      process = msc_loader_process (&result, input->path);
      session = msc_session_new (process);
      for (guint i = 0; i < result.snapshots->len; i++)
        msc_session_add_snapshot (session, g_ptr_array_index (result.snapshots, i));
      if (result.trace != NULL)
        msc_session_set_trace (session, result.trace);
    }
  g_clear_object (&result.process);
  g_clear_object (&result.trace);
  g_ptr_array_unref (result.snapshots);
  return session;
}

static void
msc_loader_input_clear (MscLoaderInput *input)
{
  if (input->file != NULL && input->file != stdin)
    fclose (input->file);
  g_clear_pointer (&input->file_buffer, g_free);
  g_clear_pointer (&input->display_name, g_free);
}

/* ---- opening ---- */

static gboolean
msc_loader_open_failed (const char *display_name,
                        int         saved,
                        GError    **error)
{
  g_set_error (error, MSC_LOADER_ERROR, MSC_LOADER_ERROR_OPEN, _("could not open %s: %s"),
               display_name, g_strerror (saved));
  return FALSE;
}

/* Opens path, or explains why not in the words of the OS. */
static gboolean
msc_loader_open (MscLoaderInput *input,
                 const char     *path,
                 GError        **error)
{
  GStatBuf st;

  if (strcmp (path, MSC_LOADER_STDIN) == 0)
    {
      input->display_name = g_strdup (_("standard input"));
      msc_backend_binary_stdin ();
      input->file = stdin;
      return TRUE;
    }
  input->display_name = g_filename_display_name (path);
  /* fopen() accepts a directory on some systems; say what it is. */
  if (g_stat (path, &st) != 0)
    return msc_loader_open_failed (input->display_name, errno, error);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return msc_loader_open_failed (input->display_name, EISDIR, error);
  /* An export records no time of its own: a regular file's modification
   * time stands in (a pipe has none worth the name). */
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && st.st_mtime >= 0)
    input->mtime = MSC_LOADER_UNIX_EPOCH_TICKS + (guint64) st.st_mtime * MSC_LOADER_TICKS_PER_SECOND;
  input->file = g_fopen (path, "rb");
  if (input->file == NULL)
    return msc_loader_open_failed (input->display_name, errno, error);
  input->file_buffer = g_malloc (MSC_LOADER_FILE_BUFFER);
  setvbuf (input->file, input->file_buffer, _IOFBF, MSC_LOADER_FILE_BUFFER);
  return TRUE;
}

/**
 * msc_loader_load:
 * @path: a capture file, or "-" for standard input; a pipe or FIFO is fine
 * @cancellable: (nullable): checked every few thousand lines or XML nodes
 *
 * Returns: (transfer full) (nullable): a session with every snapshot of the
 *   capture in time order, or NULL with @error set
 */
MscSession *
msc_loader_load (const char    *path,
                 GCancellable  *cancellable,
                 GError       **error)
{
  MscLoaderInput input = { 0 };
  MscSession *session = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  input.path = path;
  input.cancellable = cancellable;
  if (msc_loader_open (&input, path, error) && msc_loader_read_head (&input, error))
    session = msc_loader_run (&input, msc_loader_sniff (input.head, input.head_len, path), error);
  msc_loader_input_clear (&input);
  return session;
}

static MscSession *
msc_loader_memory (const char    *data,
                   gsize          length,
                   const char    *name,
                   MscFileFormat  format,
                   GError       **error)
{
  MscLoaderInput input = { .data = data, .length = length, .path = name };
  MscSession *session;

  session = msc_loader_run (&input, format, error);
  msc_loader_input_clear (&input);
  return session;
}

/* Returns: (transfer full) (nullable): as msc_loader_load() */
MscSession *
msc_loader_load_memory (const char  *data,
                        gsize        length,
                        const char  *name,
                        GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return msc_loader_memory (data, length, name, msc_loader_sniff (data, length, name), error);
}

/* Returns: (transfer full) (nullable): as msc_loader_load() */
MscSession *
msc_loader_load_memory_as (const char    *data,
                           gsize          length,
                           MscFileFormat  format,
                           GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return msc_loader_memory (data, length, NULL, format, error);
}
