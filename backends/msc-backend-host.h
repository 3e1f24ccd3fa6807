/* msc-backend-host.h — the few host primitives msc-backend-common.c builds
 * on, implemented once per host (posix/msc-posix-host.c,
 * windows/msc-windows-host.c).  Internal to backends/. */
#pragma once

/* Deletes the file at path (UTF-8); failures are ignored: callers only
 * clean up after an aborted save. */
void msc_host_remove_file (const char *path);

/* A transparent huge page where the system has them (Linux on x86-64, and
 * arm64 with 4 KiB pages): the large arrays of a scan and the region table
 * ask for them past this size (posix/msc-posix-host.c, linux/msc-linux-buffer.c). */
#define MSC_HOST_HUGE_PAGE ((size_t) 2 << 20)
