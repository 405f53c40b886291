package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/lexicon/builder"
)

func TestRunFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-h"}, 0, "-shared"},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
		{[]string{"extra"}, 2, "unexpected arguments"},
		{[]string{"-shared", "/nonexistent", "-out", "-"}, 1, "build from /nonexistent"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.code, tt.msg)
		}
	}
}

func TestRunWritesTable(t *testing.T) {
	shared, err := builder.FindShared(".")
	if err != nil {
		if os.Getenv("STANCE_REQUIRE_DATA") == "1" {
			t.Fatalf("STANCE_REQUIRE_DATA=1 but the shared data is missing: %v", err)
		}
		t.Skipf("skipping: shared data not found (%v); set STANCE_SHARED to its folder", err)
	}
	out := filepath.Join(t.TempDir(), "lexicon.tsv")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-shared", shared, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("run = %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "source cameo") || !strings.Contains(stderr.String(), "kind   negator") {
		t.Errorf("stderr lacks the counts:\n%s", stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := lexicon.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if l.Version() != lexicon.Default().Version() {
		t.Errorf("written table has version %s, embedded %s; regenerate the committed table", l.Version(), lexicon.Default().Version())
	}
}
