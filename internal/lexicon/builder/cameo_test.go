package builder

import (
	"reflect"
	"strings"
	"testing"
)

// A made-up dictionary in the PETRARCH-2 verb format.
const testDict = `# header comment
&SYNSET_
+IGNORED

####### VERB PATTERNS #######

---  PRAISE   [051]  ---
PRAISE
LAUD  # comment
+SING_PRAISES {+SANG_PRAISES +SUNG_PRAISES}
- * {PEACE PLAN}                    [027]         # LAUD

---  MEET   [---]  ---
MEET {MEETS MET MEETING}
TRAP  ;old style comment
+SHAKE_HANDS [0]
- * (WITH)                          [040]         # MEET
- * DEAL                            [057]         # MEET
- &SYNSET * DEAL                    [057]         # MEET
- * TALKS [:040]

---  WIRE   [1712]---  ---
WIRE_+TAP [171:172]
`

func TestParseCAMEO(t *testing.T) {
	d, err := parseCAMEO(strings.NewReader(testDict))
	if err != nil {
		t.Fatal(err)
	}
	wantVerbs := []cameoVerb{
		{"PRAISE", []string{"praise", "praises", "praised", "praising"}, "051"},
		{"LAUD", []string{"laud", "lauds", "lauded", "lauding"}, "051"},
		{"SING_PRAISES", []string{"sing praises", "sang praises", "sung praises"}, "051"},
		{"MEET", []string{"meet", "meets", "met", "meeting"}, ""},
		{"TRAP", []string{"trap", "traps", "trapped", "trapping"}, ""},
		{"SHAKE_HANDS", []string{"shake hands", "shakes hands", "shook hands", "shaken hands", "shaking hands"}, ""},
		{"WIRE_TAP", []string{"wire tap", "wire taps", "wire tapped", "wire tapping"}, "171"},
	}
	if !reflect.DeepEqual(d.verbs, wantVerbs) {
		t.Errorf("verbs =\n%v\nwant\n%v", d.verbs, wantVerbs)
	}
	wantPatterns := []cameoPattern{
		{"LAUD", []string{"peace", "plan"}, "027"},
		{"MEET", []string{"deal"}, "057"},
	}
	if !reflect.DeepEqual(d.patterns, wantPatterns) {
		t.Errorf("patterns = %v, want %v", d.patterns, wantPatterns)
	}
	if v := d.lemmas["MEET"]; v == nil || v.forms[2] != "met" {
		t.Errorf("lemmas[MEET] = %v", v)
	}
}

func TestParseCAMEOErrors(t *testing.T) {
	for name, in := range map[string]string{
		"no section": "---  X  [010]  ---\nX\n",
		"verb first": "VERB PATTERNS\nX\n",
		"bad header": "VERB PATTERNS\n--- [010]\n",
		"two verbs":  "VERB PATTERNS\n---  X  [010]  ---\nX Y\n",
	} {
		if _, err := parseCAMEO(strings.NewReader(in)); err == nil {
			t.Errorf("%s: parseCAMEO succeeded, want an error", name)
		}
	}
}

func TestParseCode(t *testing.T) {
	for in, want := range map[string]string{
		"051": "051", "042:043": "042", ":173": "173", "---": "", "0": "", "1712]---": "1712", "--- ": "",
	} {
		if got := parseCode(in); got != want {
			t.Errorf("parseCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGoldstein(t *testing.T) {
	g, err := parseGoldstein(strings.NewReader("code,name,goldstein,root_code\n03,\"INTEND, broadly\",4,03\n034,x,7,03\n"))
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]float64{"034": 7, "0344": 7, "03": 4, "035": 4} {
		if got, ok := g.score(code); !ok || got != want {
			t.Errorf("score(%q) = %v, %v, want %v", code, got, ok, want)
		}
	}
	if _, ok := g.score("19"); ok {
		t.Error(`score("19") found a score in a table without it`)
	}
	for _, bad := range []string{"", "a,b\n", "code,name,goldstein\n01,x,eleven\n", "code,name,goldstein\n01,x,11\n"} {
		if _, err := parseGoldstein(strings.NewReader(bad)); err == nil {
			t.Errorf("parseGoldstein(%q) succeeded, want an error", bad)
		}
	}
}

func TestResolveCAMEO(t *testing.T) {
	if c, ok := resolveCAMEO([]cameoCandidate{{-0.9, "190"}, {-0.5, "173"}, {-0.5, "172"}}); !ok || c != (cameoCandidate{-0.5, "172"}) {
		t.Errorf("resolveCAMEO = %v, %v, want the weakest, lowest code", c, ok)
	}
	if _, ok := resolveCAMEO([]cameoCandidate{{0.6, "060"}, {-0.5, "174"}}); ok {
		t.Error("resolveCAMEO kept a phrase whose readings disagree in sign")
	}
}

func TestObjectPhrases(t *testing.T) {
	for _, tt := range []struct {
		object []string
		want   []string
	}{
		{[]string{"agreement"}, []string{"agreement", "the agreement", "an agreement"}},
		{[]string{"peace", "plan"}, []string{"peace plan", "the peace plan", "a peace plan"}},
		{[]string{"sanctions"}, []string{"sanctions", "the sanctions"}},
		{[]string{"free"}, []string{"free"}},
	} {
		if got := objectPhrases(tt.object); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("objectPhrases(%q) = %q, want %q", tt.object, got, tt.want)
		}
	}
}
