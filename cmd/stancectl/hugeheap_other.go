//go:build !linux

package main

// adviseHugeHeap does nothing: the huge-page advice is Linux's.
func adviseHugeHeap() {}
