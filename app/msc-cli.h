/* msc-cli.h — memscope's command line (VMMap's CLI): its options, and the
 * headless forms that write a capture or print its summary. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char    *process;   /* -p: a PID or a name prefix */
  char    *input;     /* -o: a saved capture */
  gboolean force_64;
  gboolean pss;
  gboolean summary;   /* --summary: print the summary table, open no window */
  gboolean version;
  char   **rest;      /* [OUTPUTFILE] after -p/-o; captures to open otherwise */
} MscCliOptions;

void     msc_cli_options_clear    (MscCliOptions  *options);

/* Parses VMMap's options (-p, -o, outputfile, -64, --pss, --summary,
 * --version, --help); argv keeps what is left. */
gboolean msc_cli_parse            (MscCliOptions  *options,
                                   int            *argc,
                                   char         ***argv,
                                   GError        **error);

/* The forms that never need a window: an output file (scan or convert, then
 * exit, as VMMap), --summary, --pss, --version. */
gboolean msc_cli_is_headless      (const MscCliOptions *options);

/* Runs a headless form (or, with no display, -p/-o alone: the summary) and
 * returns the exit status; errors go to stderr. */
int      msc_cli_run              (const MscCliOptions *options);

/* The review commands (--diff, --text, --strings, --empty-working-set), which
 * have their own options: their exit status, or -1 when argv is none of them. */
int      msc_cli_run_review       (int             argc,
                                   char          **argv);

/* Resolves -p's argument: a PID, or the first process whose name begins
 * with text (VMMap's rule; the others are listed on stderr). */
gboolean msc_cli_resolve_process  (const char     *text,
                                   guint          *pid,
                                   GError        **error);

G_END_DECLS
