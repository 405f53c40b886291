package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalRelationsAndDocuments scores a relation file and a document
// file: the relation answered right counts in recall and precision, one
// that is not answered does not, and a labelled document entity is found
// through the caller target the document is sent with.
func TestEvalRelationsAndDocuments(t *testing.T) {
	addr, _ := startServer(t, "127.0.0.1:0")
	dir := t.TempDir()
	rel := filepath.Join(dir, "rel.jsonl")
	text := "NATO accused Iran of destabilizing the region."
	line := map[string]any{"id": "r1", "text": text,
		"targets": []map[string]any{
			{"start": 13, "end": 17, "entity": "Iran", "holder": "NATO", "holder_start": 0, "holder_end": 4},
			{"start": 0, "end": 4, "entity": "NATO", "holder": "Iran", "holder_start": 13, "holder_end": 17},
		},
		"labels": []string{"hostile", "none"}}
	b, _ := json.Marshal(line)
	if err := os.WriteFile(rel, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := stancectl(t, "eval", "-addr", addr, "-in", rel, "-output", "json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var r struct {
		Gold, Right, Returned int
		Recall, Precision     float64
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if r.Gold != 1 || r.Right != 1 || r.Recall != 1 || r.Returned < 1 || r.Precision <= 0 {
		t.Errorf("relation scores %+v, want the one gold relation right\n%s", r, stdout)
	}

	doc := filepath.Join(dir, "doc.jsonl")
	d := map[string]any{"id": "d1", "title": "Minister praised", "text": "Jane Doerman won praise for her work. Doerman thanked her staff.",
		"entity": "Jane Doerman", "label": "cooperative"}
	b, _ = json.Marshal(d)
	if err := os.WriteFile(doc, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = stancectl(t, "eval", "-addr", addr, "-in", doc)
	if code != exitOK || !strings.Contains(stdout, "1 entity scored (0 not found") {
		t.Errorf("document eval: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// The entity's probabilities come back, so its calibration is scored.
	code, stdout, stderr = stancectl(t, "eval", "-addr", addr, "-in", doc, "-output", "json")
	var ds struct {
		NotFound int `json:"not_found"`
		Metrics  struct {
			N          int `json:"n"`
			Calibrated int `json:"calibrated"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(stdout), &ds); code != exitOK || err != nil || ds.Metrics.N != 1 || ds.Metrics.Calibrated != 1 {
		t.Errorf("document eval json: exit %d, %v, %+v\n%s\n%s", code, err, ds, stdout, stderr)
	}
}

// TestEvalHolders: a holder no gazetteer knows, named by common words
// ("the old rival"), is not found from the target span alone; with
// -holders its span is sent too, and the relation stage is scored on the
// gold parties.
func TestEvalHolders(t *testing.T) {
	addr, _ := startServer(t, "127.0.0.1:0")
	rel := filepath.Join(t.TempDir(), "rel.jsonl")
	line := map[string]any{"id": "g1", "text": "The old rival accused Iran of destabilizing the region.",
		"targets": []map[string]any{{"start": 22, "end": 26, "entity": "Iran", "holder": "old rival", "holder_start": 4, "holder_end": 13}},
		"labels":  []string{"hostile"}}
	b, _ := json.Marshal(line)
	if err := os.WriteFile(rel, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		flags []string
		right int
	}{
		{nil, 0},
		{[]string{"-holders"}, 1},
	} {
		args := append([]string{"eval", "-addr", addr, "-in", rel, "-output", "json"}, tc.flags...)
		code, stdout, stderr := stancectl(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d\n%s", tc.flags, code, stderr)
		}
		var r struct{ Gold, Right int }
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("%v\n%s", err, stdout)
		}
		if r.Gold != 1 || r.Right != tc.right {
			t.Errorf("%v: %d of %d gold relations right, want %d\n%s", tc.flags, r.Right, r.Gold, tc.right, stdout)
		}
	}
}
