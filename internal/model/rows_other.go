//go:build !linux

package model

// makeRows returns n zeroed rows.
func makeRows(n int) []row { return make([]row, n) }
