package training

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stance/classifierd/internal/dataset"
)

func TestPersonNames(t *testing.T) {
	for _, tc := range []struct {
		entity string
		want   []string
	}{
		{"Benjamin Koellmann", []string{"Benjamin Koellmann", "Koellmann"}},
		{"-- Donald Trump", []string{"Donald Trump", "Trump"}},
		{"Martin Luther King Jr.", []string{"Martin Luther King Jr.", "King"}},
		{"MORRIS", []string{"MORRIS", "Morris"}},
		{"Xi", nil},
	} {
		if diff := cmp.Diff(tc.want, personNames(tc.entity)); diff != "" {
			t.Errorf("personNames(%q) (-want +got):\n%s", tc.entity, diff)
		}
	}
}

func TestReadPerSenT(t *testing.T) {
	text := "Donald Trump spoke. Trumpet players cheered Trump.\nHe left. Nothing here.\nShe said he was late."
	line := `{"id":"persent:1","text":` + quote(text) + `,"entity":"Donald Trump","label":"neutral","paragraphs":[` +
		`{"start":0,"end":50,"label":"cooperative"},{"start":51,"end":73,"label":"hostile"},{"start":74,"end":95,"label":"neutral"}]}` + "\n" +
		`{"id":"persent:2","text":"No labels.","entity":"X Y","label":"neutral"}` + "\n"
	path := filepath.Join(t.TempDir(), "p.doc.jsonl")
	if err := os.WriteFile(path, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pronouns bool
		want     []dataset.Example
	}{
		{false, []dataset.Example{{ID: "persent:1", Text: text,
			Targets: []dataset.Target{{Start: 0, End: 12, Entity: "Donald Trump"}, {Start: 44, End: 49, Entity: "Donald Trump"}},
			Labels:  []string{"cooperative", "cooperative"}}}},
		{true, []dataset.Example{{ID: "persent:1", Text: text,
			Targets: []dataset.Target{{Start: 0, End: 12, Entity: "Donald Trump"}, {Start: 44, End: 49, Entity: "Donald Trump"}, {Start: 51, End: 53, Entity: "Donald Trump"}, {Start: 74, End: 77, Entity: "Donald Trump"}},
			Labels:  []string{"cooperative", "cooperative", "hostile", "neutral"}}}},
	} {
		got, err := readPerSenT(path, tc.pronouns)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("pronouns=%v (-want +got):\n%s", tc.pronouns, diff)
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
