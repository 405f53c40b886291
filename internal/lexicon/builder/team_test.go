package builder

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stance/classifierd/internal/lexicon"
)

func TestExpandTeamPhrase(t *testing.T) {
	tests := []struct {
		in       string
		want     []string
		expanded bool
	}{
		{"mutual respect", []string{"mutual respect"}, false},
		{"+sign a deal", []string{"sign a deal", "signs a deal", "signed a deal", "signing a deal"}, true},
		{"threat~", []string{"threat", "threats"}, true},
		{"bilateral tie~", []string{"bilateral tie", "bilateral ties"}, true},
		{"+impose tariff~", []string{"impose tariff", "impose tariffs", "imposes tariff", "imposes tariffs", "imposed tariff", "imposed tariffs", "imposing tariff", "imposing tariffs"}, true},
	}
	for _, tt := range tests {
		got, expanded, err := expandTeamPhrase(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) || expanded != tt.expanded {
			t.Errorf("expandTeamPhrase(%q) = %q, %v, %v, want %q, %v", tt.in, got, expanded, err, tt.want, tt.expanded)
		}
	}
	if _, _, err := expandTeamPhrase("+sign +deal"); err == nil {
		t.Error("two +verbs accepted")
	}
}

func TestBuildTeam(t *testing.T) {
	cues, err := buildTeam([]byte("# c\n+back\t0.4\tverb\nbacked\t0.5\tverb\nthreat~\t-0.7\tnoun\nobjection~\t-0.5\tnoun\trelation\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]lexicon.Cue{}
	for _, c := range cues {
		got[c.Phrase] = c
	}
	if c := got["backed"]; c.Weight != 0.5 {
		t.Errorf("written-out line should win over expansion: %+v", c)
	}
	if c := got["backs"]; c.Weight != 0.4 || c.Kind != lexicon.KindVerb || c.Source != "team" {
		t.Errorf("backs = %+v", c)
	}
	if c := got["threats"]; c.Weight != -0.7 || c.Kind != lexicon.KindNoun || lexicon.RelationOnlySource(c.Source) {
		t.Errorf("threats = %+v", c)
	}
	if c := got["objections"]; c.Source != "team+relation" || !lexicon.RelationOnlySource(c.Source) {
		t.Errorf("objections = %+v, want source team+relation", c)
	}

	for name, bad := range map[string]string{
		"fields":           "threat\t-0.7\n",
		"weight":           "threat\tbad\tnoun\n",
		"zero weight":      "threat\t0\tnoun\n",
		"kind":             "threat\t-0.7\tthing\n",
		"range":            "threat\t-7\tnoun\n",
		"phrase":           "Threat\t-0.7\tnoun\n",
		"repeat":           "threat\t-0.7\tnoun\nthreat\t-0.6\tnoun\n",
		"clashing expands": "+attack\t-0.9\tverb\nattack~\t-0.8\tnoun\n",
		"fourth field":     "threat\t-0.7\tnoun\tmention\n",
		"five fields":      "threat\t-0.7\tnoun\trelation\tx\n",
	} {
		if _, err := buildTeam([]byte(bad)); err == nil {
			t.Errorf("%s: buildTeam(%q) succeeded, want an error", name, bad)
		} else if !strings.Contains(err.Error(), "team.tsv") {
			t.Errorf("%s: error %q does not name team.tsv", name, err)
		}
	}
}

// TestTeamFile checks the committed team.tsv: it parses, and it has the
// cues the team relies on.
func TestTeamFile(t *testing.T) {
	cues, err := buildTeam(teamTSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(cues) < 300 {
		t.Errorf("team.tsv gives %d cues, want several hundred", len(cues))
	}
	got := map[string]lexicon.Cue{}
	for _, c := range cues {
		got[c.Phrase] = c
	}
	for phrase, sign := range map[string]float64{
		"expansionist": -1, "provocations": -1, "destabilizing": -1, "baseless": -1, "mutual respect": 1,
		"strategic partnership": 1, "signed a memorandum": 1, "interference": -1, "good neighborliness": 1,
	} {
		if c, ok := got[phrase]; !ok || c.Weight*sign <= 0 {
			t.Errorf("team cue %q = %+v, %v, want sign %v", phrase, c, ok, sign)
		}
	}
}
