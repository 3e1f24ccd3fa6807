/* msc-cli-diff.h — memscope's review commands:
 *
 *   memscope --diff A.mmp B.mmp            latest snapshot of each
 *   memscope --diff A.mmp:I B.mmp:J        snapshot I of A, J of B (1 = oldest)
 *   memscope --diff F.mmp [--snapshots I,J]  two snapshots of one file
 *                                          (without --snapshots: the last two)
 *   memscope --text F.mmp                  a stable text view (git textconv)
 *
 * --diff exits 0 when the snapshots are identical, 1 when they differ, 2 on
 * trouble, as diff(1). It also takes git's seven external-diff arguments
 * (path old-file old-hex old-mode new-file new-hex new-mode). */
#pragma once

#include <glib.h>

/* TRUE when argv holds --diff or --text: msc_cli_diff_main() handles it. */
gboolean msc_cli_diff_wanted (int argc, char **argv);
int      msc_cli_diff_main   (int argc, char **argv);
