package lexicon

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzLoad checks that Load never panics, that Lookup agrees with Cues
// (misses included) and that any lexicon it accepts survives Write and
// Load unchanged.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"",
		"# comment\naccused\t-0.6\tverb\tcameo:112\n",
		"mutual respect\t0.8\tphrase\tteam\r\nnot\t-1\tnegator\n",
		"don't\t-1\tnegator\tteam\nwell-known\t0.1\tadjective\tteam+vader\n",
		"strongly\t1.5\tintensifier\tteam\nreportedly\t0.6\thedge\tteam\n",
		"x\t-0\tnoun\tuser\ny\t1e-7\tnoun\tuser\nz\t0x1p-2\tnoun\tuser\n",
		"détente\t0.5\tnoun\tteam\n",
		"threa\t0.1\tnoun\tuser\nthreat\t-0.7\tnoun\tteam\nthreats\t-0.7\tnoun\tteam\nthreat x\t-1\tphrase\n",
		"Bad\tx\tkind\t\n\xff\n",
		"a\t1\tnoun\ta\na\t1\tnoun\ta\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		byPhrase := map[string]Cue{}
		for _, c := range l.Cues() {
			byPhrase[c.Phrase] = c
		}
		for _, c := range l.Cues() {
			// Near misses, cues or not: Lookup finds what is there and only that.
			for _, p := range []string{c.Phrase[:len(c.Phrase)-1], c.Phrase + "s", c.Phrase + " x"} {
				want, wantOK := byPhrase[p]
				if got, ok := l.Lookup(p); ok != wantOK || got != want {
					t.Fatalf("Lookup(%q) = %+v, %v, want %+v, %v", p, got, ok, want, wantOK)
				}
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("Load accepted an invalid cue %+v: %v", c, err)
			}
			if got, ok := l.Lookup(c.Phrase); !ok || got != c {
				t.Fatalf("Lookup(%q) = %+v, %v, want %+v", c.Phrase, got, ok, c)
			}
			if c.Words() > l.MaxWords() {
				t.Fatalf("cue %q has %d words, MaxWords %d", c.Phrase, c.Words(), l.MaxWords())
			}
		}
		var buf bytes.Buffer
		if err := Write(&buf, l.Cues()); err != nil {
			t.Fatalf("Write of a loaded lexicon: %v", err)
		}
		canonical := buf.String()
		back, err := Load(&buf)
		if err != nil {
			t.Fatalf("Load of written lexicon: %v\n%s", err, canonical)
		}
		if !reflect.DeepEqual(back.Cues(), l.Cues()) {
			t.Fatalf("round trip changed the cues:\n%v\n%v", l.Cues(), back.Cues())
		}
		if back.Version() != l.Version() {
			t.Fatalf("round trip changed the version %s -> %s", l.Version(), back.Version())
		}
		var again bytes.Buffer
		if err := Write(&again, back.Cues()); err != nil || again.String() != canonical {
			t.Fatalf("Write is not stable: %v", err)
		}
	})
}
