/* msc-trace-clock.c — the event clock of the preload library.
 *
 * Every event carries a time, so the clock read is on the malloc path.
 * Under a hypervisor the vDSO's CLOCK_MONOTONIC (kvm-clock, Hyper-V's page)
 * costs 60-70 ns here, about a fifth of a traced malloc at stack depth 12;
 * the TSC read it wraps costs 25.  Where the CPU says its TSC is invariant
 * (constant rate, runs in every C-state, which is also what lets the kernel
 * use it across CPUs) the TSC is read directly and scaled with a rate
 * measured once at start-up against CLOCK_MONOTONIC; elsewhere the clock is
 * read as before.
 *
 * The rate is measured over MSC_TR_CALIBRATE_NS with reads bracketed by
 * TSC reads (the tightest bracket of a few wins, so a preemption between
 * two reads does not skew it): about 50 ns of error over 2 ms, so a
 * recorded time drifts from memscope's clock by some 2.5 ms per 100 s.
 * Times only order events and place them between snapshots; that is well
 * within what either needs.  A thread that moves to a CPU whose TSC is a
 * little behind must not see its own time go back (the replay sorts by
 * time, ties kept in arrival order): each thread's times are kept
 * non-decreasing.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-trace-preload.h"

#include <time.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#define MSC_TR_HAVE_TSC 1
#else
#define MSC_TR_HAVE_TSC 0
#endif

#define MSC_TR_CALIBRATE_NS 2000000u

static uint64_t
msc_tr_monotonic (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

#if MSC_TR_HAVE_TSC
/* Set once before tracing starts, read only after: no ordering needed. */
static int msc_tr_use_tsc;
static uint64_t msc_tr_tsc0, msc_tr_ns0;
static double msc_tr_ns_per_tick;
static __thread uint64_t msc_tr_last __attribute__ ((tls_model ("initial-exec")));

/* CLOCK_MONOTONIC and the TSC read as close together as a few tries allow. */
static void
msc_tr_clock_pair (uint64_t *ns, uint64_t *tsc)
{
  uint64_t best = UINT64_MAX;

  for (int i = 0; i < 5; i++)
    {
      uint64_t before = __rdtsc ();
      uint64_t t = msc_tr_monotonic ();
      uint64_t after = __rdtsc ();

      if (after - before < best)
        {
          best = after - before;
          *ns = t;
          *tsc = before + (after - before) / 2;
        }
    }
}

void
msc_tr_clock_init (void)
{
  unsigned a, b, c, d;
  uint64_t ns1, tsc1;

  /* CPUID 0x80000007 EDX bit 8: invariant TSC. */
  if (!__get_cpuid (0x80000007, &a, &b, &c, &d) || !(d & (1u << 8)))
    return;
  msc_tr_clock_pair (&msc_tr_ns0, &msc_tr_tsc0);
  do
    msc_tr_clock_pair (&ns1, &tsc1);
  while (ns1 - msc_tr_ns0 < MSC_TR_CALIBRATE_NS);
  if (tsc1 <= msc_tr_tsc0)
    return;
  msc_tr_ns_per_tick = (double) (ns1 - msc_tr_ns0) / (double) (tsc1 - msc_tr_tsc0);
  msc_tr_use_tsc = 1;
}

uint64_t
msc_tr_now (void)
{
  uint64_t now;

  if (!msc_tr_use_tsc)
    return msc_tr_monotonic ();
  now = msc_tr_ns0 + (uint64_t) ((double) (int64_t) (__rdtsc () - msc_tr_tsc0) * msc_tr_ns_per_tick);
  if (now < msc_tr_last)
    now = msc_tr_last;
  msc_tr_last = now;
  return now;
}
#else
void
msc_tr_clock_init (void)
{
}

uint64_t
msc_tr_now (void)
{
  return msc_tr_monotonic ();
}
#endif
