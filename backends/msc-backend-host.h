/* msc-backend-host.h — the few host primitives msc-backend-common.c builds
 * on, implemented once per host (posix/msc-posix-host.c,
 * windows/msc-windows-host.c).  Internal to backends/. */
#pragma once

/* Deletes the file at path (UTF-8); failures are ignored: callers only
 * clean up after an aborted save. */
void msc_host_remove_file (const char *path);
