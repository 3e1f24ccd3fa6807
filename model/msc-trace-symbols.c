/* msc-trace-symbols.c — see msc-trace-symbols.h. */
#include "config.h"

#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "model/msc-trace-symbols.h"

#ifdef MSC_HAVE_CXA_DEMANGLE
/* The C++ ABI's demangler (libstdc++), a C function: "_Znwm" → "operator new(unsigned long)". */
extern char *__cxa_demangle (const char *mangled, char *buffer, size_t *length, int *status);

static char *
msc_demangle (const char *name)
{
  int status = -1;
  char *demangled = g_str_has_prefix (name, "_Z") ? __cxa_demangle (name, NULL, NULL, &status) : NULL;
  char *copy = status == 0 && demangled != NULL ? g_strdup (demangled) : g_strdup (name);

  free (demangled); /* malloc'd by libstdc++ */
  return copy;
}
#else
static char *
msc_demangle (const char *name)
{
  return g_strdup (name);
}
#endif

typedef struct {
  guint64 bias;
  guint64 start;
  guint64 end;
  char   *path;
} MscModule;

typedef struct {
  GArray *modules;   /* MscModule */
  GArray *frames;    /* guint32 frame index */
} MscEpoch;

struct _MscTraceSymbols {
  GPtrArray *epochs; /* MscEpoch *; the last is current */
};

static void
msc_epoch_free (gpointer data)
{
  MscEpoch *epoch = data;

  for (guint i = 0; i < epoch->modules->len; i++)
    g_free (g_array_index (epoch->modules, MscModule, i).path);
  g_array_unref (epoch->modules);
  g_array_unref (epoch->frames);
  g_free (epoch);
}

static MscEpoch *
msc_epoch_new (void)
{
  MscEpoch *epoch = g_new0 (MscEpoch, 1);

  epoch->modules = g_array_new (FALSE, FALSE, sizeof (MscModule));
  epoch->frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  return epoch;
}

MscTraceSymbols *
msc_trace_symbols_new (void)
{
  MscTraceSymbols *symbols = g_new0 (MscTraceSymbols, 1);

  symbols->epochs = g_ptr_array_new_with_free_func (msc_epoch_free);
  g_ptr_array_add (symbols->epochs, msc_epoch_new ());
  return symbols;
}

void
msc_trace_symbols_free (MscTraceSymbols *symbols)
{
  if (symbols == NULL)
    return;
  g_ptr_array_unref (symbols->epochs);
  g_free (symbols);
}

void
msc_trace_symbols_modules (MscTraceSymbols *symbols, const MscTraceModule *modules, gsize n_modules)
{
  MscEpoch *epoch = g_ptr_array_index (symbols->epochs, symbols->epochs->len - 1);

  /* Stacks that arrived before the first list (another thread's buffer
   * came first) are named with that first list. */
  if (epoch->modules->len > 0)
    {
      epoch = msc_epoch_new ();
      g_ptr_array_add (symbols->epochs, epoch);
    }
  for (gsize i = 0; i < n_modules; i++)
    {
      MscModule m = { modules[i].bias, modules[i].start, modules[i].end, g_strdup (modules[i].path) };

      g_array_append_val (epoch->modules, m);
    }
}

void
msc_trace_symbols_add_frame (MscTraceSymbols *symbols, guint32 frame)
{
  MscEpoch *epoch = g_ptr_array_index (symbols->epochs, symbols->epochs->len - 1);

  g_array_append_val (epoch->frames, frame);
}

static const MscModule *
msc_epoch_module (const MscEpoch *epoch, guint64 ip)
{
  for (guint i = 0; i < epoch->modules->len; i++)
    {
      const MscModule *m = &g_array_index (epoch->modules, MscModule, i);

      if (ip >= m->start && ip < m->end)
        return m;
    }
  return NULL;
}

/* Every module is opened once for the whole trace (a program that dlopens
 * fifty extensions has fifty module lists; libpython would be read fifty
 * times).  A module goes into the first Dwfl where its range overlaps no
 * other; a library loaded where a dlclose'd one was gets a Dwfl of its own. */
typedef struct {
  Dwfl   *dwfl;
  GArray *ranges;  /* MscModule (path not owned) */
} MscLayer;

typedef struct {
  GPtrArray  *layers;  /* MscLayer * */
  GHashTable *loaded;  /* "bias:path" → Dwfl * */
} MscLoader;

static void
msc_layer_free (gpointer data)
{
  MscLayer *layer = data;

  dwfl_end (layer->dwfl);
  g_array_unref (layer->ranges);
  g_free (layer);
}

static gboolean
msc_layer_fits (const MscLayer *layer, const MscModule *m)
{
  for (guint i = 0; i < layer->ranges->len; i++)
    {
      const MscModule *r = &g_array_index (layer->ranges, MscModule, i);

      if (m->start < r->end && r->start < m->end)
        return FALSE;
    }
  return TRUE;
}

static MscLayer *
msc_layer_new (void)
{
  static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
  };
  Dwfl *dwfl = dwfl_begin (&callbacks);
  MscLayer *layer;

  if (dwfl == NULL)
    return NULL;
  layer = g_new0 (MscLayer, 1);
  layer->dwfl = dwfl;
  layer->ranges = g_array_new (FALSE, FALSE, sizeof (MscModule));
  return layer;
}

/* The Dwfl that holds module m, opening it there first; NULL when it is no
 * file or cannot be read. */
static Dwfl *
msc_loader_dwfl (MscLoader *loader, const MscModule *m)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%s", m->bias, m->path);
  MscLayer *layer = NULL;
  gpointer found;

  if (g_hash_table_lookup_extended (loader->loaded, key, NULL, &found))
    return found;
  /* Only files: [vdso] and the like have nothing to open. */
  if (m->path[0] == '/')
    {
      for (guint i = 0; i < loader->layers->len && layer == NULL; i++)
        if (msc_layer_fits (g_ptr_array_index (loader->layers, i), m))
          layer = g_ptr_array_index (loader->layers, i);
      if (layer == NULL && (layer = msc_layer_new ()) != NULL)
        g_ptr_array_add (loader->layers, layer);
    }
  if (layer != NULL)
    {
      gboolean opened;

      dwfl_report_begin_add (layer->dwfl);
      opened = dwfl_report_elf (layer->dwfl, m->path, m->path, -1, m->bias, false) != NULL;
      dwfl_report_end (layer->dwfl, NULL, NULL);
      if (opened)
        g_array_append_val (layer->ranges, *m);
      else
        layer = NULL;
    }
  g_hash_table_insert (loader->loaded, g_steal_pointer (&key), layer != NULL ? layer->dwfl : NULL);
  return layer != NULL ? layer->dwfl : NULL;
}

/* ip is a return address: the call lies just before it. */
static void
msc_symbolize (MscLoader *loader, const MscEpoch *epoch, MscTrace *trace, guint32 index)
{
  const MscTraceFrame *frame = msc_trace_get_frame (trace, index);
  guint64 pc = frame->ip > 0 ? frame->ip - 1 : 0;
  const MscModule *module = msc_epoch_module (epoch, frame->ip);
  Dwfl *dwfl = module != NULL ? msc_loader_dwfl (loader, module) : NULL;
  Dwfl_Module *dm = dwfl != NULL ? dwfl_addrmodule (dwfl, pc) : NULL;
  const char *function = dm != NULL ? dwfl_module_addrname (dm, pc) : NULL;
  Dwfl_Line *line = dm != NULL ? dwfl_module_getsrc (dm, pc) : NULL;
  const char *file = NULL;
  int lineno = 0;
  g_autofree char *name = NULL;

  if (line != NULL)
    file = dwfl_lineinfo (line, NULL, &lineno, NULL, NULL, NULL);
  /* "__libc_start_main@@GLIBC_2.34": the version is no part of the name a
   * reader looks for. */
  if (function != NULL)
    {
      g_autofree char *bare = g_strndup (function, strcspn (function, "@"));

      name = msc_demangle (bare);
    }
  msc_trace_set_frame_symbol (trace, index, name, file, lineno > 0 ? (guint32) lineno : 0,
                              module != NULL ? module->path : NULL,
                              module != NULL ? frame->ip - module->bias : 0);
}

void
msc_trace_symbols_resolve (MscTraceSymbols *symbols, MscTrace *trace)
{
  MscLoader loader = {
    g_ptr_array_new_with_free_func (msc_layer_free),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };

  for (guint e = 0; e < symbols->epochs->len; e++)
    {
      const MscEpoch *epoch = g_ptr_array_index (symbols->epochs, e);

      for (guint i = 0; i < epoch->frames->len; i++)
        msc_symbolize (&loader, epoch, trace, g_array_index (epoch->frames, guint32, i));
    }
  g_hash_table_unref (loader.loaded);
  g_ptr_array_unref (loader.layers);
}
