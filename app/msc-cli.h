/* msc-cli.h — memscope's headless command line (VMMap's CLI). */
#pragma once

#include <glib.h>

/* Parses VMMap's options (-p, -o, outputfile, -64, --pss, --version, --help)
 * and runs them; returns the exit status. */
int msc_cli_main (int argc, char **argv);

/* Resolves -p's argument: a PID, or the first process whose name begins
 * with text (VMMap's rule; the others are listed on stderr). */
gboolean msc_cli_resolve_process (const char *text, guint *pid, GError **error);
