//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestClassifyToSpecialFile: an output that is not a regular file (a named
// pipe here; -out /dev/null is the common case) is written and closed, not
// synced (which fails there and used to exit 2 without a word) nor removed
// when the run writes nothing to it.
func TestClassifyToSpecialFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "out.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	for _, tc := range []struct{ name, input, want string }{
		{"documents", `{"id":"a","text":"NATO accused Iran."}` + "\n", `"id":"a"`},
		{"none", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := filepath.Join(dir, tc.name+".jsonl")
			if err := os.WriteFile(in, []byte(tc.input), 0o644); err != nil {
				t.Fatal(err)
			}
			read := make(chan string)
			go func() {
				f, err := os.Open(fifo) // blocks until stancectl opens it
				if err != nil {
					read <- err.Error()
					return
				}
				b, _ := io.ReadAll(f)
				f.Close()
				read <- string(b)
			}()
			code, _, stderr := stancectl(t, "classify", "-local", "-quiet", "-in", in, "-out", fifo)
			got := <-read
			if code != exitOK || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d, read %.80q; stderr:\n%s", code, got, stderr)
			}
			if fi, err := os.Stat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Fatalf("the pipe is gone: %v", err)
			}
		})
	}
}
