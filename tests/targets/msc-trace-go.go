// msc-trace-go.go — a Go program for the tracer: statically linked, and its
// runtime and syscall package map memory with raw system calls (no libc),
// so only memscope's ptrace watcher sees them.  mapRegion maps 64 MiB with
// syscall.Mmap and keeps it; the program sleeps a little over one snapshot
// interval and exits with 6.
package main

import (
	"os"
	"syscall"
	"time"
)

var kept []byte

//go:noinline
func mapRegion() []byte {
	b, err := syscall.Mmap(-1, 0, 64<<20, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		os.Exit(3)
	}
	b[0] = 1
	return b
}

func main() {
	kept = mapRegion()
	time.Sleep(300 * time.Millisecond)
	os.Exit(6)
}
