package classifier

import (
	"syscall"
	"time"
	"unsafe"
)

// clockThreadCPUTime is Linux's CLOCK_THREAD_CPUTIME_ID, which package
// syscall lacks.
const clockThreadCPUTime = 3

// threadTime returns the CPU time the calling thread has used, to the
// nanosecond (getrusage lags by up to a scheduler tick); the caller locks
// its goroutine to the thread.
func threadTime() time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		panic(errno)
	}
	return time.Duration(ts.Nano())
}
