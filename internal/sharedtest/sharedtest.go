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
	t.Skip(msg)
	return ""
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
