/* msc-linux-trace.h — private to backends/linux: one launched, traced
 * program, shared by msc-linux-trace.c (start) and msc-linux-trace-pump.c
 * (reading it, its end). */
#pragma once

#include "backends/backend.h"
#include "backends/linux/msc-trace-wire.h"

#include <sys/types.h>

#define MSC_MAX_MODULES 4096

/* msc-linux-trace-watch.c: a static program's mappings through ptrace. */
typedef struct MscTraceWatch MscTraceWatch;

/* Attaches to pid (a child waiting for one byte on go_fd before it execs),
 * then lets it go; sends on channel, which it owns from now on.  The
 * watcher alone waits for pid. */
MscTraceWatch *msc_trace_watch_start (pid_t pid, int channel, int go_fd);
/* 1 with its wait status once the program ended. */
int  msc_trace_watch_ended   (MscTraceWatch *watch, int *wait_status);
/* Lets the program run on, untraced. */
void msc_trace_watch_release (MscTraceWatch *watch);
/* Waits for the watcher to end (the program ended or was let go). */
void msc_trace_watch_free    (MscTraceWatch *watch);

struct MscTraceLaunch {
  pid_t pid;
  int fd;                 /* the channel: the tracer's records, or the watcher's */
  MscTraceWatch *watch;   /* a static program's watcher, else NULL */
  int running;
  int wait_status;
  /* --follow-children: the rendezvous socket (the launched program's
   * only); a followed process's pidfd (-1 without), and what it said of
   * its end. */
  int follow_fd;
  int followed;           /* not memscope's child: no waitpid() */
  int pidfd;
  int status_known;       /* wait_status is known */
  int exit_code;
  int exit_code_known;    /* it sent MSC_WIRE_STATUS */
  uint32_t exec_count;
  /* The module list being received, and whose it is. */
  uint32_t modules_tid;
  uint64_t modules_time;
  size_t n_modules;
  MscTraceModule modules[MSC_MAX_MODULES];
  char *module_names[MSC_MAX_MODULES];
  char message[MSC_WIRE_MESSAGE_MAX];
};


/* A launch with its descriptors -1; NULL when out of memory. */
MscTraceLaunch *msc_trace_launch_new (pid_t pid);
/* msc-linux-trace-pump.c: reads what is queued now; 0 when nothing was. */
int msc_trace_drain (MscTraceLaunch *launch, const MscTraceSink *sink);
/* msc-linux-trace-follow.c: 1 once a followed process ended (then
 * wait_status when status_known). */
int msc_trace_follow_reap (MscTraceLaunch *launch);
