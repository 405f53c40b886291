package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot walks up from the test's directory to go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("go.mod not found above " + wd)
		}
	}
}

// sharedDir is ../shared next to the repository root, or $STANCE_SHARED. It
// skips the test when absent, and fails when STANCE_REQUIRE_DATA=1.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("STANCE_SHARED")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, dictSubdir)); err != nil {
		if os.Getenv("STANCE_REQUIRE_DATA") == "1" {
			t.Fatalf("shared data required (STANCE_REQUIRE_DATA=1) but %s is missing: %v", filepath.Join(dir, dictSubdir), err)
		}
		t.Skipf("Phoenix dictionaries not found under %s (set STANCE_SHARED or check out ../shared); skipping", dir)
	}
	return dir
}

// TestCommittedTableIsReproducible recompiles the gazetteer and requires the
// committed, embedded table to match byte for byte.
func TestCommittedTableIsReproducible(t *testing.T) {
	shared := sharedDir(t)
	got, err := compile(os.DirFS(filepath.Join(shared, dictSubdir)), strings.NewReader(builtinAdditions))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(repoRoot(t), defaultOut))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale or was edited by hand (%d bytes committed, %d compiled); regenerate from the repository root with:\n\tgo run ./cmd/gazettegen -shared ../shared", defaultOut, len(want), len(got))
	}
}

func TestRun(t *testing.T) {
	shared := sharedDir(t)
	out := filepath.Join(t.TempDir(), "g.tsv.gz")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-shared", shared, "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("run = %d, stderr %s", code, stderr.String())
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Fatalf("no output: %v", err)
	}
	if code := run([]string{"-shared", t.TempDir(), "-out", out}, &stdout, &stderr); code != 1 {
		t.Errorf("missing dictionaries: run = %d, want 1", code)
	}
	if code := run([]string{"-nope"}, &stdout, &stderr); code != 2 {
		t.Errorf("bad flag: run = %d, want 2", code)
	}
}

func TestParseAdditionsReportsEveryProblem(t *testing.T) {
	_, err := parseAdditions(strings.NewReader("entity\tX\tTHING\t-\tX\nalias\tX\nbogus\tx\nentity\tY\tPERSON\t-\tY\nentity\tY\tPERSON\t-\tY\n"))
	if err == nil {
		t.Fatal("accepted broken additions")
	}
	for _, want := range []string{"line 1: unknown type THING", "line 2: alias needs", "line 3: unknown directive", "line 5: duplicate entity Y"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestDisplayCaseAndSlug(t *testing.T) {
	tests := []struct{ in, display, slug string }{
		{"NORTH ATLANTIC TREATY ORGANIZATION", "North Atlantic Treaty Organization", "north-atlantic-treaty-organization"},
		{"ISLAMIC REPUBLIC OF IRAN", "Islamic Republic of Iran", "islamic-republic-of-iran"},
		{"UN", "UN", "un"},
		{"U.S.", "U.S.", "u-s"},
		{"BAN KI-MOON", "Ban Ki-Moon", "ban-ki-moon"},
		{"NASSER KAN'ANI", "Nasser Kan'Ani", "nasser-kanani"},
	}
	for _, tt := range tests {
		if got := displayCase(tt.in); got != tt.display {
			t.Errorf("displayCase(%q) = %q, want %q", tt.in, got, tt.display)
		}
		if got := slug(tt.display); got != tt.slug {
			t.Errorf("slug(%q) = %q, want %q", tt.display, got, tt.slug)
		}
	}
}

func TestParseActors(t *testing.T) {
	in := "# c\nIRAN_  [IRN]\n+IRANIAN\n+TEHRAN_ # capital\n\nJOHN_DOE_  # CountryInfo.txt\n\t[IRNGOV 900101-001231]\n\t[IRNELI >010101]\n"
	bs, err := parseActors(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].primary != "IRAN" || bs[0].current() != "IRN" || len(bs[0].synonyms) != 2 {
		t.Fatalf("blocks = %+v", bs)
	}
	if bs[1].current() != "IRNELI" || !strings.Contains(bs[1].comment, "CountryInfo") {
		t.Errorf("person block = %+v", bs[1])
	}
}
