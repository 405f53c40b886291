package main

import (
	"fmt"
	"io"
)

// runCV is the cv subcommand.
func runCV(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stancetrain cv: not built yet")
	return 1
}
