package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/sharedtest"
)

func TestRunCVFlags(t *testing.T) {
	var out, errs bytes.Buffer
	if rc := RunCV([]string{"-no-such-flag"}, &out, &errs); rc != 2 {
		t.Errorf("rc = %d for a bad flag, want 2", rc)
	}
	if rc := RunCV([]string{"-shared", t.TempDir(), "-root", t.TempDir()}, &out, &errs); rc != 1 || !strings.Contains(errs.String(), "newsmtsc/train") {
		t.Errorf("rc = %d without data, want 1 naming the missing set; stderr:\n%s", rc, errs.String())
	}
}

// TestRunCV cross-validates in 2 folds over the real data, saves the
// predictions and compares a run against them: the same build and
// settings differ by exactly 0. About 10 s.
func TestRunCV(t *testing.T) {
	shared := sharedtest.Dir(t)
	pred := filepath.Join(t.TempDir(), "cv.pred")
	args := []string{"-shared", shared, "-root", sharedtest.RepoRoot(t), "-k", "2"}
	var out, errs bytes.Buffer
	if rc := RunCV(append(args, "-save", pred), &out, &errs); rc != 0 {
		t.Fatalf("rc = %d; stderr:\n%s", rc, errs.String())
	}
	for _, want := range []string{"2-fold CV", "newsmtsc/single", "newsmtsc/multi", "team/geo_dev", "persent (weak)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(pred); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if rc := RunCV(append(args, "-against", pred), &out, &errs); rc != 0 {
		t.Fatalf("rc = %d; stderr:\n%s", rc, errs.String())
	}
	line := out.String()[strings.LastIndex(out.String(), "this build"):]
	if strings.Count(line, "+0.0000 [+0.0000,+0.0000]") != len(deltaSets) {
		t.Errorf("a run against its own predictions differs:\n%s", line)
	}
}

// TestRunRelationCV cross-validates the relation model in 2 folds over
// the real data and compares the run with its own saved counts: exactly
// 0. A few seconds.
func TestRunRelationCV(t *testing.T) {
	var out, errs bytes.Buffer
	if rc := RunRelationCV([]string{"-no-such-flag"}, &out, &errs); rc != 2 {
		t.Errorf("rc = %d for a bad flag, want 2", rc)
	}
	root := sharedtest.RepoRoot(t)
	args := []string{"-shared", sharedtest.Dir(t), "-root", root, "-k", "2", "-runs", "1"}
	if rc := RunRelationCV(append(args, "-skip", "no/such"), &out, &errs); rc != 1 || !strings.Contains(errs.String(), "no/such") {
		t.Errorf("rc = %d for an unknown -skip source, want 1; stderr:\n%s", rc, errs.String())
	}
	saved := filepath.Join(t.TempDir(), "relation.cv")
	out.Reset()
	if rc := RunRelationCV(append(args, "-save", saved), &out, &errs); rc != 0 {
		t.Fatalf("rc = %d; stderr:\n%s", rc, errs.String())
	}
	for _, want := range []string{"2-fold relation CV", "team/relations_a", "recall [95% CI]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if rc := RunRelationCV(append(args, "-against", saved), &out, &errs); rc != 0 {
		t.Fatalf("rc = %d; stderr:\n%s", rc, errs.String())
	}
	if line := out.String()[strings.LastIndex(out.String(), "this run"):]; strings.Count(line, "+0.0000 [+0.0000,+0.0000]") != 3 {
		t.Errorf("a run against its own counts differs:\n%s", line)
	}
}
