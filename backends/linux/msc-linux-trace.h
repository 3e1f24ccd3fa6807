/* msc-linux-trace.h — private to backends/linux: one launched, traced
 * program, shared by msc-linux-trace.c (start) and msc-linux-trace-pump.c
 * (reading it, its end). */
#pragma once

#include "backends/backend.h"
#include "backends/linux/msc-trace-wire.h"

#include <sys/types.h>

#define MSC_MAX_MODULES 4096

struct MscTraceLaunch {
  pid_t pid;
  int fd;                 /* -1 for a static program: nothing to read */
  int running;
  int wait_status;
  uint32_t exec_count;
  /* The module list being received, and whose it is. */
  uint32_t modules_tid;
  uint64_t modules_time;
  size_t n_modules;
  MscTraceModule modules[MSC_MAX_MODULES];
  char *module_names[MSC_MAX_MODULES];
  char message[MSC_WIRE_MESSAGE_MAX];
};

