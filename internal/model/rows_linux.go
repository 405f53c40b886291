package model

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on linux/amd64 and arm64.
const hugePage = 2 << 20

// makeRows returns n zeroed rows. A table of a huge page or more (the
// mention model's is 16 MB) is aligned to huge pages and the kernel is
// asked to back it with them: otherwise loading it costs 4 KB page faults
// by the thousand (a third of a one-core stancectl start-up on a VM), and
// scoring a TLB miss on most weight rows. The table stays on the Go heap,
// so it is freed as any other.
func makeRows(n int) []row {
	const rowSize = int(unsafe.Sizeof(row{}))
	if n*rowSize < hugePage {
		return make([]row, n)
	}
	buf := make([]row, n+hugePage/rowSize)
	skip := 0
	if rem := int(uintptr(unsafe.Pointer(&buf[0])) % hugePage); rem != 0 {
		skip = (hugePage - rem) / rowSize
	}
	rows := buf[skip : skip+n : skip+n]
	// Only whole huge pages: the advice covers rows and nothing else.
	mem := unsafe.Slice((*byte)(unsafe.Pointer(&rows[0])), n*rowSize/hugePage*hugePage)
	_ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE) // advice: without it, rows work as well
	return rows
}
