package builder

import "strings"

// irregular gives the past tense and past participle of irregular verbs
// that the CAMEO dictionary or the team's cues use without listing their
// forms. The participle is left empty when it equals the past tense.
var irregular = map[string][2]string{
	"arise": {"arose", "arisen"}, "be": {"was", "been"}, "bear": {"bore", "borne"},
	"beat": {"beat", "beaten"}, "begin": {"began", "begun"}, "bend": {"bent", ""},
	"bind": {"bound", ""}, "bite": {"bit", "bitten"}, "blow": {"blew", "blown"},
	"break": {"broke", "broken"}, "bring": {"brought", ""}, "build": {"built", ""},
	"burn": {"burned", ""}, "buy": {"bought", ""}, "cast": {"cast", ""},
	"catch": {"caught", ""}, "choose": {"chose", "chosen"}, "come": {"came", "come"},
	"cost": {"cost", ""}, "cut": {"cut", ""}, "deal": {"dealt", ""},
	"do": {"did", "done"}, "draw": {"drew", "drawn"}, "drive": {"drove", "driven"},
	"eat": {"ate", "eaten"}, "fall": {"fell", "fallen"}, "feed": {"fed", ""},
	"feel": {"felt", ""}, "fight": {"fought", ""}, "find": {"found", ""},
	"flee": {"fled", ""}, "fly": {"flew", "flown"}, "forbid": {"forbade", "forbidden"},
	"forecast": {"forecast", ""}, "foresee": {"foresaw", "foreseen"}, "forge": {"forged", ""},
	"forget": {"forgot", "forgotten"}, "forgive": {"forgave", "forgiven"}, "freeze": {"froze", "frozen"},
	"get": {"got", "gotten"}, "give": {"gave", "given"}, "go": {"went", "gone"},
	"grind": {"ground", ""}, "grow": {"grew", "grown"}, "hang": {"hanged", "hung"},
	"have": {"had", ""}, "hear": {"heard", ""}, "hide": {"hid", "hidden"},
	"hit": {"hit", ""}, "hold": {"held", ""}, "hurt": {"hurt", ""},
	"keep": {"kept", ""}, "know": {"knew", "known"}, "lay": {"laid", ""},
	"lead": {"led", ""}, "leave": {"left", ""}, "lend": {"lent", ""},
	"let": {"let", ""}, "lie": {"lay", "lain"}, "lose": {"lost", ""},
	"make": {"made", ""}, "mean": {"meant", ""}, "meet": {"met", ""},
	"mislead": {"misled", ""}, "outdo": {"outdid", "outdone"}, "overcome": {"overcame", "overcome"},
	"override": {"overrode", "overridden"}, "overrun": {"overran", "overrun"}, "oversee": {"oversaw", "overseen"},
	"overtake": {"overtook", "overtaken"}, "overthrow": {"overthrew", "overthrown"}, "pay": {"paid", ""},
	"put": {"put", ""}, "quit": {"quit", ""}, "read": {"read", ""},
	"rebuild": {"rebuilt", ""}, "rend": {"rent", ""}, "rid": {"rid", ""},
	"ride": {"rode", "ridden"}, "ring": {"rang", "rung"}, "rise": {"rose", "risen"},
	"run": {"ran", "run"}, "say": {"said", ""}, "see": {"saw", "seen"},
	"seek": {"sought", ""}, "sell": {"sold", ""}, "send": {"sent", ""},
	"set": {"set", ""}, "shake": {"shook", "shaken"}, "shed": {"shed", ""},
	"shoot": {"shot", ""}, "show": {"showed", "shown"}, "shut": {"shut", ""},
	"sink": {"sank", "sunk"}, "slay": {"slew", "slain"}, "speak": {"spoke", "spoken"},
	"spend": {"spent", ""}, "split": {"split", ""}, "spread": {"spread", ""},
	"stand": {"stood", ""}, "steal": {"stole", "stolen"}, "stick": {"stuck", ""},
	"sting": {"stung", ""}, "strike": {"struck", "stricken"}, "strive": {"strove", "striven"},
	"swear": {"swore", "sworn"}, "sweep": {"swept", ""}, "take": {"took", "taken"},
	"teach": {"taught", ""}, "tear": {"tore", "torn"}, "tell": {"told", ""},
	"think": {"thought", ""}, "throw": {"threw", "thrown"}, "undercut": {"undercut", ""},
	"undergo": {"underwent", "undergone"}, "undermine": {"undermined", ""}, "understand": {"understood", ""},
	"undertake": {"undertook", "undertaken"}, "uphold": {"upheld", ""}, "upset": {"upset", ""},
	"wage": {"waged", ""}, "wake": {"woke", "woken"}, "wear": {"wore", "worn"},
	"weave": {"wove", "woven"}, "win": {"won", ""}, "withdraw": {"withdrew", "withdrawn"},
	"withhold": {"withheld", ""}, "withstand": {"withstood", ""}, "write": {"wrote", "written"},
}

// thirdIrregular gives third person singular forms that the rules miss.
var thirdIrregular = map[string]string{"be": "is", "have": "has", "do": "does", "go": "goes"}

// Inflect returns the surface forms of an English verb given by its base
// form: the base, the third person singular, the past tense and participle
// and the -ing form, without repeats. Where both American and British
// spellings are common ("canceled", "cancelled"; "criticized",
// "criticised") both are returned.
func Inflect(base string) []string {
	forms := inflect(base)
	if n := len(base); n >= 6 && strings.HasSuffix(base, "ize") && !isVowel(base[n-4]) {
		forms = append(forms, inflect(base[:n-2]+"se")...)
	}
	return forms
}

func inflect(base string) []string {
	forms := []string{base, third(base)}
	if irr, ok := irregular[base]; ok {
		forms = append(forms, irr[0])
		if irr[1] != "" {
			forms = append(forms, irr[1])
		}
		forms = append(forms, ing(base, doubles(base)))
	} else {
		for _, double := range doublings(base) {
			forms = append(forms, past(base, double), ing(base, double))
		}
	}
	return dedupe(forms)
}

func dedupe(forms []string) []string {
	out := forms[:0]
	seen := map[string]bool{}
	for _, f := range forms {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// endsConsonantY reports "-y" after a consonant: "deny", "rally".
func endsConsonantY(w string) bool {
	return len(w) > 1 && w[len(w)-1] == 'y' && !isVowel(w[len(w)-2])
}

func third(w string) string {
	if t, ok := thirdIrregular[w]; ok {
		return t
	}
	switch {
	case endsConsonantY(w):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"), strings.HasSuffix(w, "o") && !strings.HasSuffix(w, "oo"):
		return w + "es"
	}
	return w + "s"
}

func past(w string, double bool) string {
	switch {
	case strings.HasSuffix(w, "e"):
		return w + "d"
	case endsConsonantY(w):
		return w[:len(w)-1] + "ied"
	case double:
		return w + w[len(w)-1:] + "ed"
	}
	return w + "ed"
}

func ing(w string, double bool) string {
	switch {
	case strings.HasSuffix(w, "ie"):
		return w[:len(w)-2] + "ying"
	case strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") && !strings.HasSuffix(w, "oe") && !strings.HasSuffix(w, "ye") && len(w) > 2:
		return w[:len(w)-1] + "ing"
	case double:
		return w + w[len(w)-1:] + "ing"
	}
	return w + "ing"
}

// doublings returns whether to double the final consonant before -ed and
// -ing; both answers where British and American spelling differ.
func doublings(w string) []bool {
	if doubles(w) {
		return []bool{true}
	}
	if britishL(w) {
		return []bool{false, true}
	}
	return []bool{false}
}

// stressedEndings are final syllables that are stressed, so that the
// consonant doubles even in a longer word: "admitted", "compelled",
// "occurred", "controlled", "regretted", "preferred".
var stressedEndings = []string{"mit", "pel", "cur", "trol", "gret", "bel", "fer", "quip"}

// noDouble and alwaysDouble are the exceptions to the rule in doubles.
var (
	noDouble     = map[string]bool{"limit": true, "vomit": true, "offer": true, "suffer": true, "differ": true, "proffer": true, "label": true, "libel": true}
	alwaysDouble = map[string]bool{"deter": true, "inter": true, "kidnap": true, "handicap": true, "worship": true, "program": true}
)

// doubles applies the consonant-vowel-consonant rule: a one-syllable word
// ("ban", "stop") or one with a stressed last syllable doubles its final
// consonant.
func doubles(w string) bool {
	n := len(w)
	if n < 3 || noDouble[w] {
		return false
	}
	last, vowel, before := w[n-1], w[n-2], w[n-3]
	if isVowel(last) || strings.IndexByte("wxy", last) >= 0 || !isVowel(vowel) {
		return false
	}
	// "quit", "equip": the u of "qu" is a consonant.
	if isVowel(before) && !(before == 'u' && n >= 4 && w[n-4] == 'q') {
		return false
	}
	if syllables(w) == 1 {
		return true
	}
	if alwaysDouble[w] {
		return true
	}
	for _, e := range stressedEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// britishL reports longer words ending in a single vowel and "l", whose
// "l" British spelling doubles and American does not: "cancelled",
// "signalled", "labelled", "fuelled".
func britishL(w string) bool {
	n := len(w)
	if n < 4 || w[n-1] != 'l' || !isVowel(w[n-2]) {
		return false
	}
	if isVowel(w[n-3]) && w[n-3] != 'u' {
		return false // "appeal", "reveal", "boil"
	}
	return syllables(w) > 1 || w[n-3] == 'u'
}

// syllables counts vowel groups, a rough syllable count.
func syllables(w string) int {
	n, in := 0, false
	for i := 0; i < len(w); i++ {
		v := isVowel(w[i]) || w[i] == 'y' && i > 0
		if v && !in {
			n++
		}
		in = v
	}
	// A final silent e: "hope", "rise".
	if n > 1 && strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && !isVowel(w[len(w)-2]) {
		n--
	}
	return max(n, 1)
}

// Plural returns the regular plural of a noun.
func Plural(w string) string {
	switch {
	case endsConsonantY(w):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return w + "es"
	}
	return w + "s"
}
