// Package sharedtest is what tests share: it locates the read-only data
// folder ../shared (seed articles, NewsMTSC, lexicons), reads the news
// corpus for benchmarks, and hands out loopback listeners. Tests that need
// ../shared skip with a clear message when it is absent, and fail instead
// when STANCE_REQUIRE_DATA=1 (as CI sets it).
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data folder: $STANCE_SHARED, or ../shared beside
// the repository root (the folder holding go.mod).
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("STANCE_SHARED")
	if dir == "" {
		root, err := repoRoot()
		if err == nil {
			dir = filepath.Join(root, "..", "shared")
		}
	}
	if dir != "" {
		if fi, err := os.Stat(filepath.Join(dir, "data")); err == nil && fi.IsDir() {
			return dir
		}
	}
	msg := "shared data folder not found (want ../shared beside the repository, or STANCE_SHARED)"
	if os.Getenv("STANCE_REQUIRE_DATA") == "1" {
		t.Fatal(msg + "; STANCE_REQUIRE_DATA=1 makes this a failure")
	}
	noteSkip(t)
	t.Skip(msg)
	return ""
}

// noteSkip appends the test's name to the file $STANCE_SKIP_LOG, when set:
// make test lists the tests that skipped for want of the data at its end,
// where they cannot scroll by unseen.
func noteSkip(t testing.TB) {
	path := os.Getenv("STANCE_SKIP_LOG")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return // the skip itself still says why
	}
	defer f.Close()
	// One short write per line: O_APPEND keeps lines from parallel test
	// binaries whole.
	f.WriteString(t.Name() + "\n")
}

// Path returns a path inside the shared data folder.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}

// RepoRoot returns the repository root (the folder holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
