package builder

import (
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/lexicon"
)

// Paths of the sources, relative to the shared folder (../shared).
const (
	VADERPath     = "data/lexicons/vader/vader_lexicon.txt"
	AFINNPath     = "data/lexicons/afinn/AFINN-en-165.txt"
	CAMEOPath     = "data/lexicons/cameo-petrarch2-dictionaries/CAMEO.2.0.txt"
	GoldsteinPath = "data/lexicons/cameo-codebook/cameo-goldstein.csv"
)

// Thresholds below which a generic cue is left out: a near-neutral cue
// adds noise, not signal.
const (
	minSentiment   = 0.05 // |weight| of a VADER/AFINN word
	minCAMEO       = 0.1  // |Goldstein/10| of a CAMEO verb
	minPatternGain = 0.3  // how far a verb-object pattern must move the verb's weight
)

// teamTSV is the team's own hand-written geopolitical cues.
//
//go:embed team.tsv
var teamTSV []byte

// Build compiles the lexicon from the sources under shared (a file system
// rooted at the shared folder) and the team's cues. Precedence, for a
// phrase that several sources give: the team's cues, then CAMEO verbs, then
// the sentiment lexicons (VADER and AFINN averaged where both have it). A
// team cue that replaces a CAMEO verb keeps its event code in the source
// ("team+cameo:112"). The result is sorted by phrase; the same sources give
// the same cues.
func Build(shared fs.FS) ([]lexicon.Cue, error) {
	sentiment, err := buildSentiment(shared)
	if err != nil {
		return nil, err
	}
	cameo, err := buildCAMEO(shared)
	if err != nil {
		return nil, err
	}
	team, err := buildTeam(teamTSV)
	if err != nil {
		return nil, err
	}
	all := map[string]lexicon.Cue{}
	for _, layer := range [][]lexicon.Cue{sentiment, cameo} {
		for _, c := range layer {
			all[c.Phrase] = c
		}
	}
	for _, c := range team {
		// The team's weight wins, but a CAMEO code stays in the source so
		// that the pipeline still sees the event class.
		if old, ok := all[c.Phrase]; ok && !c.Kind.IsModifier() && strings.HasPrefix(old.Source, "cameo:") {
			c.Source += "+" + old.Source
		}
		all[c.Phrase] = c
	}
	cues := slices.Collect(maps.Values(all))
	slices.SortFunc(cues, func(a, b lexicon.Cue) int { return cmp.Compare(a.Phrase, b.Phrase) })
	for _, c := range cues {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("built cue %q: %w", c.Phrase, err)
		}
	}
	return cues, nil
}

// round3 rounds to three decimals so that the table reads well and floats
// format the same everywhere.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// buildSentiment averages the VADER (-4..+4) and AFINN (-5..+5) valences,
// scaled to -1..+1.
func buildSentiment(shared fs.FS) ([]lexicon.Cue, error) {
	vader, err := readValence(shared, VADERPath, 4)
	if err != nil {
		return nil, err
	}
	afinn, err := readValence(shared, AFINNPath, 5)
	if err != nil {
		return nil, err
	}
	phrases := slices.Sorted(maps.Keys(vader))
	for p := range afinn {
		if _, ok := vader[p]; !ok {
			phrases = append(phrases, p)
		}
	}
	slices.Sort(phrases)
	var cues []lexicon.Cue
	for _, p := range phrases {
		if sentimentStop[p] {
			continue
		}
		v, inV := vader[p]
		a, inA := afinn[p]
		var w float64
		var src string
		switch {
		case inV && inA:
			w, src = (v+a)/2, "vader+afinn"
		case inV:
			w, src = v, "vader"
		default:
			w, src = a, "afinn"
		}
		w = round3(w)
		if math.Abs(w) < minSentiment {
			continue
		}
		cues = append(cues, lexicon.Cue{Phrase: p, Weight: w, Kind: guessKind(p), Source: src})
	}
	return cues, nil
}

func readValence(shared fs.FS, path string, scale float64) (map[string]float64, error) {
	f, err := shared.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := parseValence(f, scale)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// cameoCandidate is one reading of a surface phrase in the CAMEO
// dictionary.
type cameoCandidate struct {
	weight float64
	code   string
}

// buildCAMEO turns the CAMEO verbs and simple verb-object patterns into
// verb cues weighted by the Goldstein score of their event code.
func buildCAMEO(shared fs.FS) ([]lexicon.Cue, error) {
	gf, err := shared.Open(GoldsteinPath)
	if err != nil {
		return nil, err
	}
	defer gf.Close()
	gold, err := parseGoldstein(gf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", GoldsteinPath, err)
	}
	cf, err := shared.Open(CAMEOPath)
	if err != nil {
		return nil, err
	}
	defer cf.Close()
	dict, err := parseCAMEO(cf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", CAMEOPath, err)
	}

	candidates := map[string][]cameoCandidate{}
	add := func(phrase string, w float64, code string) {
		if lexicon.CheckPhrase(phrase) == nil {
			candidates[phrase] = append(candidates[phrase], cameoCandidate{w, code})
		}
	}
	// verbWeight is the weight of a verb on its own, 0 when it is left out.
	verbWeight := func(v *cameoVerb) float64 {
		if v.code == "" || skipCAMEOVerb(v) {
			return 0
		}
		s, ok := gold.score(v.code)
		if !ok {
			return 0
		}
		if w := round3(s / 10); math.Abs(w) >= minCAMEO {
			return w
		}
		return 0
	}
	for i := range dict.verbs {
		v := &dict.verbs[i]
		if w := verbWeight(v); w != 0 {
			for _, f := range v.forms {
				if !cameoFormStop[f] {
					add(f, w, v.code)
				}
			}
		}
	}
	for _, p := range dict.patterns {
		v, ok := dict.lemmas[p.verb]
		if !ok {
			continue
		}
		s, ok := gold.score(p.code)
		if !ok {
			continue
		}
		w, vw := round3(s/10), verbWeight(v)
		// Keep a pattern only where it says more than its verb: the verb is
		// no cue alone ("struck a deal"), or the pattern turns its sign or
		// moves it far.
		if math.Abs(w) < minCAMEO || vw != 0 && w*vw > 0 && math.Abs(w-vw) < minPatternGain {
			continue
		}
		for _, obj := range objectPhrases(p.object) {
			for _, f := range v.forms {
				add(f+" "+obj, w, p.code)
			}
		}
	}

	var cues []lexicon.Cue
	for _, phrase := range slices.Sorted(maps.Keys(candidates)) {
		if c, ok := resolveCAMEO(candidates[phrase]); ok {
			cues = append(cues, lexicon.Cue{Phrase: phrase, Weight: c.weight, Kind: lexicon.KindVerb, Source: "cameo:" + c.code})
		}
	}
	return cues, nil
}

// resolveCAMEO picks one reading of a phrase the dictionary lists more than
// once: none when the readings disagree in sign (the phrase is ambiguous),
// else the weakest, then the lowest code.
func resolveCAMEO(cs []cameoCandidate) (cameoCandidate, bool) {
	best := cs[0]
	for _, c := range cs[1:] {
		if c.weight*best.weight < 0 {
			return cameoCandidate{}, false
		}
		if math.Abs(c.weight) < math.Abs(best.weight) || math.Abs(c.weight) == math.Abs(best.weight) && c.code < best.code {
			best = c
		}
	}
	return best, true
}

// objectPhrases returns the object as written and with the determiners a
// news sentence puts before it ("signed the agreement", "signed an
// agreement").
func objectPhrases(object []string) []string {
	obj := strings.Join(object, " ")
	if particles[object[0]] {
		return []string{obj} // "set free", "put forward"
	}
	out := []string{obj, "the " + obj}
	last := object[len(object)-1]
	if !strings.HasSuffix(last, "s") && guessKind(last) == lexicon.KindNoun {
		if strings.IndexByte("aeio", obj[0]) >= 0 {
			out = append(out, "an "+obj)
		} else {
			out = append(out, "a "+obj)
		}
	}
	return out
}

// particles are words after a verb that take no determiner.
var particles = setOf("off", "up", "out", "down", "forward", "away", "back", "over", "in", "on", "free",
	"positively", "uncertain", "aside", "ahead", "together", "apart", "through", "against", "into", "for")

// skipCAMEOVerb reports verbs that are too generic or ambiguous in news to
// be a cue on their own.
func skipCAMEOVerb(v *cameoVerb) bool {
	lemma := strings.ToLower(strings.ReplaceAll(v.lemma, "_", " "))
	if cameoStop[lemma] || strings.HasSuffix(lemma, " and") || strings.HasSuffix(lemma, " or") {
		return true
	}
	// Code 060 ("engage in material cooperation") is the default of a block
	// of generic verbs ("add", "increase", "escalate"); only a few of them
	// mean cooperation without a pattern.
	return v.code == "060" && !cameo060[lemma]
}

var cameo060 = setOf("aid", "assist", "bestow", "lend", "ameliorate", "facilitate")

// cameoStop lists CAMEO verbs that are generic, ambiguous with a common
// noun or name, or coded with an event that news rarely means by them.
var cameoStop = setOf(
	// Generic verbs of saying, moving, thinking and wanting.
	"say", "tell", "see", "go", "go to", "go away", "go forth", "come", "leave", "leave behind", "take", "give",
	"get", "make", "put", "set", "keep", "hold", "call", "ask", "ask for", "find out", "hear", "learn", "think",
	"mean", "want", "need", "expect", "plan", "prepare", "decide", "determine", "is determined", "aim", "seek", "ready",
	"train", "vote", "face", "gather", "journey", "travel", "tour", "touring", "arrive", "depart", "approach",
	"insert", "introduce", "innovate", "reason", "consider", "reconsider", "weigh", "mull", "ponder", "muse",
	"meditate", "ruminate", "speculate", "contemplate", "run into", "walk out", "pull out", "embark", "egress",
	"cluster", "conglomerate", "constellate", "converge", "flock", "huddle", "excogitate", "elicit", "apprise",
	"apprize", "acquaint", "amass", "brave", "cable", "send word", "give notice", "notify", "congregate",
	"conjoin", "get together", "unite", "confront", "encounter", "apply", "hint", "desire", "hope",
	"resurrect", "resuscitate", "revive", "groom", "gear up", "subscribe", "vouch", "volunteer", "proffer",
	"endeavor", "endeavour", "strive", "certify",
	// 05: verbs of revealing or dealing, not cooperating.
	"admit", "advertise", "advertize", "affect", "impact", "influence", "deal", "divulge", "expose", "confess",
	"confide", "conform", "correlate", "exuberate", "exult", "tempt", "triumph", "rejoice", "organise",
	"organize", "orchestrate", "reveal", "unveil", "profess", "associate", "concert", "haggle",
	// 051: praise verbs that are mostly nouns or other senses.
	"bless", "cheer", "clap", "toast", "prize", "value", "spur", "rouse", "sanctify", "enliven", "invigorate",
	"prefer", "reassert", "esteem", "exalt", "galvanize", "embolden", "inspire",
	// 06-08: buying, equipping, yielding in their everyday senses.
	"buy", "import", "pay", "pay for", "purchase", "arm", "furnish", "gear", "outfit", "render", "stock",
	"tender", "attire", "evacuate", "interfere", "intervene", "step in", "tend", "ward", "retire", "submit",
	"tease", "undo", "verify", "withdraw", "yield", "resign", "relax", "settle", "satify", "talk over",
	// 09: investigating in its everyday senses.
	"check", "comb", "dig", "mine", "rake", "scan", "skim", "sweep", "study", "research", "explore", "examine",
	"analyse", "audit", "ascertain", "glance over", "look over", "search", "unearth", "monitor", "inspect",
	"reexamine", "re-examine",
	// 10-14: nouns, weak or other senses.
	"bid", "campaign", "crusade", "decree", "order", "press", "push", "necessitate", "claim", "compete",
	"contend", "contrast", "counterbalance", "cry", "curse", "debase", "defile", "degrade", "despair",
	"differ", "grieve", "humble", "express", "mourn", "swear", "weep", "wail", "stun", "sadden", "slight",
	"brand", "savage", "rag", "charge", "fault", "compensate", "decline", "defer", "fail", "object", "table",
	"remit", "retard", "delay", "stall", "risk", "caution", "agitate", "agonise", "agonize", "annoy", "arouse",
	"badger", "bother", "bridle at", "discomfit", "disconcert", "disquiet", "disturb", "enkindle", "harry",
	"hassle", "irk", "irritate", "march", "pester", "plague", "torment", "upset", "vex", "demonstrate",
	"stupefy", "scandalise", "scandalize", "pique", "dismay", "dishearten", "disgust", "disappoint",
	// 15-17: nouns and generic verbs.
	"call up", "drum up", "garner", "marshal", "muster", "overfly", "parade", "pull together", "rally",
	"abort", "call off", "countermine", "disarray", "disorder", "disassociate", "disband", "block", "cage",
	"chain", "compel", "constrain", "contain", "enclose", "enforce", "force", "impel", "moderate", "reinforce",
	"appropriate", "catch", "extract", "pirate", "pluck", "pull", "revolutionise", "revolutionize", "overturn",
	"bar", "fine", "sentence", "tax", "confine", "remove", "nationalise", "nationalize",
	// 18-20: generic verbs, sports and weather senses.
	"crack", "corrupt", "kick", "lash", "rip", "spoil", "tear", "whip", "wrestle", "cane", "contaminate",
	"beat", "explode", "best", "blow", "break", "bust", "circle", "desolate", "die", "disarm", "dominate",
	"engage", "eradicate", "fight down", "fire", "flatten", "grapple", "hammer", "hang", "hit", "master",
	"match", "overcome", "overshadow", "overtake", "overwhelm", "pit", "pound", "ram", "ring", "stamp out",
	"stone", "storm", "struggle", "surmount", "surround", "infest", "inhabit", "reside", "defeat",
	"butcher", "string up",
	// Nouns and generic verbs frequent in news text.
	"bill", "clear", "allow", "pass", "fill", "counsel", "mar", "suspect", "contest", "guard", "debate",
	"phone", "contact", "step down",
)

// cameoFormStop lists single surface forms that are mostly something else
// in news: the noun "back", the adjective "armed".
var cameoFormStop = setOf("back", "armed", "sentenced", "charged", "united", "free", "fund", "funds", "finance")

// buildTeam expands the team's cues. A phrase written out on its own line
// wins over the same phrase made by expanding a "+verb" or "noun~" mark;
// two written-out lines, or two expansions that disagree, are an error.
func buildTeam(data []byte) ([]lexicon.Cue, error) {
	parsed, err := parseTeam(strings.NewReader(string(data)))
	if err != nil {
		return nil, err
	}
	byPhrase := map[string][]teamCue{}
	for _, c := range parsed {
		byPhrase[c.Phrase] = append(byPhrase[c.Phrase], c)
	}
	var (
		cues []lexicon.Cue
		errs []error
	)
	for _, phrase := range slices.Sorted(maps.Keys(byPhrase)) {
		group := byPhrase[phrase]
		var explicit, expanded []teamCue
		for _, c := range group {
			if c.expanded {
				expanded = append(expanded, c)
			} else {
				explicit = append(explicit, c)
			}
		}
		switch {
		case len(explicit) > 1:
			errs = append(errs, fmt.Errorf("team.tsv: %q on lines %d and %d", phrase, explicit[0].line, explicit[1].line))
		case len(explicit) == 1:
			cues = append(cues, explicit[0].Cue)
		default:
			for _, c := range expanded[1:] {
				if c.Weight != expanded[0].Weight || c.Kind != expanded[0].Kind {
					errs = append(errs, fmt.Errorf("team.tsv: %q expands from lines %d and %d with different cues", phrase, expanded[0].line, c.line))
				}
			}
			cues = append(cues, expanded[0].Cue)
		}
	}
	return cues, errors.Join(errs...)
}
