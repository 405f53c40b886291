package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseHugeHeap checks that memory the heap hands out after
// adviseHugeHeap lies in a mapping advised for huge pages ("hg" among its
// VmFlags in /proc/self/smaps).
func TestAdviseHugeHeap(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("no transparent huge pages in this kernel")
	}
	adviseHugeHeap()
	buf := make([]byte, 8<<20) // larger than any hole the heap had before
	addr := uint64(uintptr(unsafe.Pointer(&buf[len(buf)/2])))
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if r, _, ok := strings.Cut(line, " "); ok && strings.Contains(r, "-") && !strings.HasSuffix(r, ":") {
			lo, hi, _ := strings.Cut(r, "-")
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && l <= addr && addr < h
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			if !strings.Contains(line+" ", " hg ") {
				t.Fatalf("the heap's mapping at %#x is not advised for huge pages: %s", addr, line)
			}
			return
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
}
