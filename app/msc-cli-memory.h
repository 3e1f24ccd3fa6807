/* msc-cli-memory.h — memscope's commands that act on a live process's memory:
 *
 *   memscope --strings -p <pid|name> --address <hex> [--size <bytes>] [--min N]
 *       prints "address encoding text" for every ASCII and UTF-16LE string of
 *       at least N (3) printable characters in the resident pages of the
 *       region containing the address (or of [address, address + size)),
 *       then on stderr how many pages were skipped as not resident;
 *   memscope --empty-working-set -p <pid|name>
 *       trims the process's working set and prints what was and was not done.
 */
#pragma once

#include <glib.h>

/* TRUE when argv holds --strings or --empty-working-set. */
gboolean msc_cli_memory_wanted (int argc, char **argv);
int      msc_cli_memory_main   (int argc, char **argv);
