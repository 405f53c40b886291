package dataset

import (
	"errors"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a","text":"NATO warned Iran.","targets":[{"start":12,"end":16,"entity":"Iran"}],"labels":["hostile"]}`,
		``,
		`{"id":"b","text":"no targets"}`,
		`{not json`,
		`{"id":"c","text":"Iran","targets":[{"start":0,"end":9}]}`,
		`{"id":"d","text":"Zürich","targets":[{"start":0,"end":2}]}`,
		`{"id":"e","text":"Iran","targets":[{"start":0,"end":4}],"labels":["hostile","neutral"]}`,
	}, "\n")
	var ids []string
	var badLines []int
	err := Scan(strings.NewReader(in), func(line int, ex Example) error {
		ids = append(ids, ex.ID)
		return nil
	}, func(le *LineError) error {
		badLines = append(badLines, le.Line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "a,b" {
		t.Errorf("good examples = %v, want a,b", ids)
	}
	if want := []int{4, 5, 6, 7}; len(badLines) != len(want) || badLines[0] != 4 || badLines[3] != 7 {
		t.Errorf("bad lines = %v, want %v", badLines, want)
	}
}

func TestScanStops(t *testing.T) {
	stop := errors.New("stop")
	err := Scan(strings.NewReader("{bad\n"), func(int, Example) error { return nil }, func(*LineError) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want the callback's error", err)
	}
}

func TestCheck(t *testing.T) {
	ex := Example{Text: "Zürich", Targets: []Target{{Start: 0, End: 2}, {Start: 3, End: 1}}, Labels: []string{"neutral"}}
	err := ex.Check()
	for _, want := range []string{"1 labels for 2 targets", "target 0: span [0,2) not on character boundaries", "target 1: span [3,1) invalid"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check() = %v, lacks %q", err, want)
		}
	}
}
