/* msc-mmp-writer.c — the .mmp XML capture, exactly as docs/file-formats.md
 * fixes it: one element per line, attributes in a fixed order, top-level
 * Regions at column 0 (MemoryAnalyzer9000 sums column-0 lines), sub-blocks
 * flat after their parent, indented by two spaces.
 */
#include "model/core/msc-capture.h"

#include "model/core/msc-format.h"
#include "model/core/msc-mmp-delta-encode.h"
#include "model/core/msc-mmp-writer.h"

/* name="value" for a number: name is a literal such as " Size=\"". */
#define MSC_PUT_ATTR_U64(p, name, value) \
  ((p) = msc_put_u64 (MSC_PUT_LIT ((p), name), (value)), *(p)++ = '"')

/* The document's few non-region attributes take the plain path; only
 * Region lines, a hundred thousand of them, are formatted in place. */
void
msc_mmp_number_attr (MscOutput *out, const char *name, uint64_t value)
{
  char digits[MSC_FORMAT_U64_LEN];

  msc_output_str (out, name);
  msc_output_write (out, digits, (size_t) (msc_put_u64 (digits, value) - digits));
  msc_output_write (out, "\"", 1);
}

static void
msc_mmp_text_attr (MscOutput *out, const char *name, const char *text)
{
  msc_output_str (out, name);
  msc_output_text (out, text, MSC_TEXT_XML);
  msc_output_write (out, "\"", 1);
}

static int
msc_known (const char *text)
{
  return text != NULL && text[0] != '\0';
}

static void
msc_mmp_process (MscOutput *out, const MscCaptureProcess *process)
{
  msc_output_str (out, "<Process");
  msc_mmp_number_attr (out, " Pid=\"", process->pid);
  msc_mmp_text_attr (out, " Name=\"", process->name != NULL ? process->name : "");
  msc_mmp_number_attr (out, " Bits=\"", process->bits);
  if (msc_known (process->os))
    msc_mmp_text_attr (out, " Os=\"", process->os);
  if (msc_known (process->user))
    msc_mmp_text_attr (out, " User=\"", process->user);
  if (msc_known (process->command_line))
    msc_mmp_text_attr (out, " CommandLine=\"", process->command_line);
  msc_output_str (out, "/>\n");
}

void
msc_mmp_snapshot_attrs (MscOutput *out, const char *element, const MscCaptureSnapshot *snapshot)
{
  msc_output_write (out, "<", 1);
  msc_output_str (out, element);
  msc_mmp_number_attr (out, " Timestamp=\"", snapshot->timestamp);
  msc_mmp_number_attr (out, " PageTableSize=\"", snapshot->page_table_size);
  if (snapshot->commit_charge != 0)
    msc_mmp_number_attr (out, " CommitCharge=\"", snapshot->commit_charge);
  if (snapshot->n_threads != 0)
    msc_mmp_number_attr (out, " Threads=\"", snapshot->n_threads);
  if (snapshot->process_ws != 0)
    msc_mmp_number_attr (out, " ProcessWorkingSet=\"", snapshot->process_ws);
  if (msc_known (snapshot->notes))
    msc_mmp_text_attr (out, " Notes=\"", snapshot->notes);
}

/* VMMap's attributes up to Type (Type strings need no escaping). */
static char *
msc_mmp_region_head (char *p, const MscRegion *region, int sub)
{
  if (sub)
    p = MSC_PUT_LIT (p, "  ");
  p = MSC_PUT_LIT (p, "<Region");
  MSC_PUT_ATTR_U64 (p, " Address=\"", region->address);
  MSC_PUT_ATTR_U64 (p, " Blocks=\"", sub ? 0 : region->blocks);
  MSC_PUT_ATTR_U64 (p, " ShareableWS=\"", region->shareable_ws);
  MSC_PUT_ATTR_U64 (p, " SharedWS=\"", region->shared_ws);
  MSC_PUT_ATTR_U64 (p, " Size=\"", region->size);
  MSC_PUT_ATTR_U64 (p, " Commit=\"", region->committed);
  MSC_PUT_ATTR_U64 (p, " PrivateBytes=\"", region->private_bytes);
  MSC_PUT_ATTR_U64 (p, " PrivateWS=\"", region->private_ws);
  MSC_PUT_ATTR_U64 (p, " Id=\"", region->heap_id);
  MSC_PUT_ATTR_U64 (p, " Protection=\"", region->protection);
  MSC_PUT_ATTR_U64 (p, " Storage=\"", region->storage);
  /* append() guarantees a valid type, so the code is never -1. */
  MSC_PUT_ATTR_U64 (p, " UseType=\"", (uint64_t) msc_use_type_to_vmmap_code ((MscUseType) region->type));
  p = MSC_PUT_LIT (p, " Type=\"");
  {
    const char *type = msc_region_type_string (region);

    p = msc_put_bytes (p, type, strlen (type));
  }
  *p++ = '"';
  return p;
}

/* Ours, after Details: always TotalWS and LockedWS, the rest when they say
 * something (docs/file-formats.md). */
static char *
msc_mmp_region_tail (char *p, const MscRegion *region, const char *details)
{
  MSC_PUT_ATTR_U64 (p, " TotalWS=\"", region->total_ws);
  MSC_PUT_ATTR_U64 (p, " LockedWS=\"", region->locked_ws);
  /* Without ThreadId a reader takes "Thread ID: n" from Details (VMMap's
   * way): say 0 when Details names a thread the region is not. */
  if (region->thread_id != 0 || msc_thread_id_from_details (details) != 0)
    MSC_PUT_ATTR_U64 (p, " ThreadId=\"", region->thread_id);
  if (region->perms & MSC_PERM_KNOWN)
    {
      char perms[5];

      p = MSC_PUT_LIT (p, " Perms=\"");
      p = msc_put_bytes (p, msc_perms_string (region->perms, perms), 4);
      *p++ = '"';
    }
  if (region->swap != 0)
    MSC_PUT_ATTR_U64 (p, " Swap=\"", region->swap);
  if (region->flags & MSC_REGION_PSS_KNOWN)
    MSC_PUT_ATTR_U64 (p, " Pss=\"", region->pss);
  if (region->flags & MSC_REGION_WS_UNKNOWN)
    p = MSC_PUT_LIT (p, " WSUnknown=\"1\"");
  if (region->flags & MSC_REGION_LOCKED_UNKNOWN)
    p = MSC_PUT_LIT (p, " LockedUnknown=\"1\"");
  if (region->flags & MSC_REGION_PRIVATE_UNKNOWN)
    p = MSC_PUT_LIT (p, " PrivateUnknown=\"1\"");
  if (region->flags & MSC_REGION_NORESERVE)
    p = MSC_PUT_LIT (p, " NoReserve=\"1\"");
  return MSC_PUT_LIT (p, "/>\n");
}

static void
msc_mmp_region (MscOutput *out, const MscRegion *region, const char *details)
{
  int sub = (region->flags & MSC_REGION_SUBBLOCK) != 0;
  char *p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX);

  if (p == NULL)
    return;
  p = MSC_PUT_LIT (msc_mmp_region_head (p, region, sub), " Details=\"");
  msc_output_commit (out, p);
  msc_output_text (out, details, MSC_TEXT_XML);
  p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX);
  if (p == NULL)
    return;
  *p++ = '"';
  msc_output_commit (out, msc_mmp_region_tail (p, region, details));
}

/* One region of a table in order, as the file has it: skip_subs carries
 * whether the last top-level region's sub-blocks are left out. */
void
msc_mmp_write_region (MscOutput *out, const MscRegion *region, const char *details, int *skip_subs)
{
  if (region->flags & MSC_REGION_SUBBLOCK)
    {
      if (*skip_subs)
        return;
    }
  else
    {
      /* Page tables are PageTableSize, never a Region; Free and Unusable
       * are written as VMMap does, but without sub-blocks. */
      if (region->type == MSC_TYPE_PAGE_TABLE)
        {
          *skip_subs = 1;
          return;
        }
      *skip_subs = region->type == MSC_TYPE_FREE || region->type == MSC_TYPE_UNUSABLE;
    }
  msc_mmp_region (out, region, details);
}

static void
msc_mmp_regions (MscOutput *out, const MscRegionTable *table)
{
  size_t n = table != NULL ? msc_region_table_length (table) : 0;
  int skip_subs = 0;

  for (size_t i = 0; i < n && !out->failed; i++)
    {
      MscRegion row = msc_region_table_row (table, i);

      msc_mmp_write_region (out, &row, msc_region_table_details (table, i), &skip_subs);
    }
}

void
msc_mmp_write_head (MscOutput *out, const MscCaptureProcess *process)
{
  msc_output_str (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<MemoryMap Generator=\"Memscope\" FormatVersion=\"1\">\n");
  msc_mmp_process (out, process);
}

void
msc_mmp_write_snapshot_start (MscOutput *out, const MscCaptureSnapshot *snapshot)
{
  msc_mmp_snapshot_attrs (out, "Snapshot", snapshot);
  msc_output_str (out, ">\n");
}

void
msc_mmp_write_snapshot_end (MscOutput *out)
{
  msc_output_str (out, "</Snapshot>\n");
}

void
msc_mmp_write_tail (MscOutput *out)
{
  msc_output_str (out, "</MemoryMap>\n");
}

MscStatusCode
msc_mmp_write (FILE *file, const MscCapture *capture, MscStatus *status)
{
  MscOutput out;
  const MscRegionTable *prev = NULL;

  if (msc_output_init (&out, file, status) != MSC_OK)
    return MSC_ERR_NO_MEMORY;
  msc_mmp_write_head (&out, &capture->process);
  for (size_t s = 0; s < capture->n_snapshots && !out.failed; s++)
    {
      const MscRegionTable *table = capture->regions_of != NULL ? capture->regions_of (capture->user, s)
                                                                : capture->snapshots[s].regions;

      /* The first and the last in full, what readers of VMMap's files see;
       * the others as what changed since the one before. */
      if (s == 0 || s + 1 == capture->n_snapshots
          || msc_mmp_delta_write (&out, &capture->snapshots[s], prev, table) != 0)
        {
          msc_mmp_write_snapshot_start (&out, &capture->snapshots[s]);
          msc_mmp_regions (&out, table);
          msc_mmp_write_snapshot_end (&out);
        }
      prev = table;
    }
  if (capture->trailer != NULL)
    msc_output_str (&out, capture->trailer);
  msc_mmp_write_tail (&out);
  return msc_output_finish (&out, status);
}
