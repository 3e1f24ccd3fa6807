#!/usr/bin/env bash
# probe-wow64.sh — can this host run a 32-bit Windows program under Wine?
# Prints nothing and exits 0 when it can; otherwise prints one line saying
# why not and exits 1. Only host capabilities decide (never our code):
#   1. the kernel execs i386 code (a kernel built without IA32_EMULATION, or
#      booted with ia32_emulation=0, answers execve with ENOEXEC);
#   2. Wine's 32-bit loader (Debian package wine32:i386) is installed.
# Used by run-wine.sh --wow64 (the WOW64 test) and by build-aux/dev.sh (which
# installs wine32:i386 only where the kernel can run it).
#
# usage: probe-wow64.sh [kernel]   "kernel" checks step 1 only
set -u

# The smallest i386 ELF executable we can write by hand: one PT_LOAD segment
# at 0x08048000 whose code is `mov eax,1; mov ebx,42; int 0x80` (exit(42)).
# Exit status 42 proves the code ran as i386; anything else (126: ENOEXEC,
# or a shell reading the bytes as a script) means the kernel did not run it.
write_i386_elf() {
  local ident='\177ELF\001\001\001\000\000\000\000\000\000\000\000\000'
  local header='\002\000\003\000\001\000\000\000\124\200\004\010\064\000\000\000'
  header+='\000\000\000\000\000\000\000\000\064\000\040\000\001\000\000\000\000\000\000\000'
  local phdr='\001\000\000\000\000\000\000\000\000\200\004\010\000\200\004\010'
  phdr+='\140\000\000\000\140\000\000\000\005\000\000\000\000\020\000\000'
  local code='\270\001\000\000\000\273\052\000\000\000\315\200'
  printf "$ident$header$phdr$code" > "$1"
  chmod +x "$1"
}

kernel_runs_i386() {
  local dir status
  dir=$(mktemp -d "${TMPDIR:-/tmp}/msc-ia32.XXXXXX") || return 2
  write_i386_elf "$dir/exit42"
  "$dir/exit42" 2>/dev/null
  status=$?
  rm -rf "$dir"
  [ "$status" = 42 ]
}

if ! kernel_runs_i386; then
  echo "host kernel runs no 32-bit code: IA-32 emulation off (an i386 program cannot be executed)"
  exit 1
fi
[ "${1:-}" = kernel ] && exit 0
# Debian's wine32 installs the 32-bit loader next to wine64.
loader=/usr/lib/wine/wine
if [ ! -x "$loader" ]; then
  echo "Wine's 32-bit loader ($loader) is not installed: apt-get install wine32:i386"
  exit 1
fi
exit 0
