package main

import (
	"runtime"
	"sync"
	"syscall"
	"unsafe"
)

// hugeHeapBytes is how much of the heap's growth adviseHugeHeap covers:
// more than a one-core -local run's heap reaches (about 80 MB on the
// benchmark corpus); a heap that grows past it gets ordinary pages there.
const hugeHeapBytes = 256 << 20

var hugeHeapOnce sync.Once

// adviseHugeHeap asks the kernel to back the heap that a -local run is
// about to grow with transparent huge pages (2 MB) rather than 4 KB pages.
//
// A -local process builds its tables and then answers documents in memory
// that is all new to it: about 19,000 page faults on the benchmark corpus,
// each of which costs this kind of paravirtualised VM about 15 µs, a fifth
// of the run's CPU time and most of its system time. Where the host's THP
// mode is "madvise" (the usual default) only advised memory gets huge
// pages, and the Go runtime advises none. So the heap is made to map the
// address range it will grow into, by allocating one block that large
// (untouched, it costs no memory), the range is advised, and the block is
// freed: the allocator hands out the lowest free addresses first, so the
// heap then grows into the advised range, a page fault per 2 MB. It costs
// some resident memory (a page in use holds 2 MB: 116 MB at the end of a
// -local run of the benchmark corpus against 109 MB).
// The advice changes no result; where it fails or the kernel ignores it,
// the heap gets ordinary pages, as before.
func adviseHugeHeap() {
	hugeHeapOnce.Do(func() {
		const huge = 2 << 20
		block := make([]byte, hugeHeapBytes)
		// From the huge page that the block starts in: the heap's mappings
		// are aligned to huge pages, so that page is the heap's too, and
		// the advice covers the rest of it, some in use already.
		start := uintptr(unsafe.Pointer(&block[0])) &^ (huge - 1)
		end := (uintptr(unsafe.Pointer(&block[0])) + hugeHeapBytes) &^ (huge - 1)
		// Advice only: without it, ordinary pages.
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_HUGEPAGE)
		runtime.KeepAlive(block) // unreachable from here on
		runtime.GC()             // free the block now, while the heap is small
	})
}
