package features

import (
	"math"

	"github.com/stance/classifierd/internal/lexicon"
)

// Feature is one hashed, weighted feature of a mention.
type Feature struct {
	// Index is the feature's hash bucket in [0, 2^bits).
	Index uint32
	// Value is the feature's value, usually in (0, 2].
	Value float32
	// Cue is the index of the CueMatch that produced the feature, or -1.
	Cue int32
	// Token is the index of the context token that produced the feature,
	// or -1.
	Token int32
}

// Target is a mention to extract features for, as token indices.
type Target struct {
	// First and End are token indices: Tokens[First:End] is the mention.
	First, End int
	// Type is the entity type (entities.Type), a feature of its own.
	Type uint8
}

// Role is how a mention relates to a cue in its sentence.
type Role uint8

const (
	// RoleNear is a cue near the mention with no grammatical link found.
	RoleNear Role = iota
	// RoleSubject: the mention acts through a verb cue ("NATO accused").
	RoleSubject
	// RoleObject: the mention undergoes a verb cue ("accused Iran", "Iran
	// was accused").
	RoleObject
	// RoleAttribute: a noun or adjective cue describes the mention
	// ("NATO's expansion poses a threat", "baseless claims by X").
	RoleAttribute
	numRoles
)

// Template ids: each feature family hashes with its own id.
const (
	tBias uint64 = iota + 1
	tPolarityRole
	tPolaritySide
	tCueRole
	tSentencePolarity
	tNeighbourPolarity
	tContextPiece
	tSentencePiece
	tShape
)

// Extractor builds the feature vector of one mention. It is stateless
// apart from the hash width and safe for concurrent use.
type Extractor struct {
	bits uint
}

// NewExtractor returns an extractor hashing into 2^bits buckets.
func NewExtractor(bits uint) *Extractor { return &Extractor{bits: bits} }

// Bits returns the hash width.
func (e *Extractor) Bits() uint { return e.bits }

const (
	contextWindow = 4  // tokens on each side whose pieces are features
	cueReach      = 25 // tokens: cues farther away in the sentence are ignored
)

// Context is a document prepared for feature extraction: its cues and the
// cue totals of each sentence, computed once for all its mentions. Reuse
// one per worker.
type Context struct {
	Doc  *Document
	Cues []CueMatch
	// firstCue[s] is the index of the first cue at or after sentence s;
	// len(Sentences)+1 entries.
	firstCue             []int32
	hostile, cooperative []float32 // per sentence
}

// Reset prepares c for document d with its cue matches (in token order).
func (c *Context) Reset(d *Document, cues []CueMatch) {
	c.Doc, c.Cues = d, cues
	c.firstCue = c.firstCue[:0]
	c.hostile, c.cooperative = c.hostile[:0], c.cooperative[:0]
	ci := 0
	for _, s := range d.Sentences {
		for ci < len(cues) && cues[ci].First < s.First {
			ci++
		}
		c.firstCue = append(c.firstCue, int32(ci))
		var h, k float32
		for j := ci; j < len(cues) && cues[j].First < s.End; j++ {
			if p := cues[j].Polarity; p < 0 {
				h -= p
			} else {
				k += p
			}
		}
		c.hostile = append(c.hostile, h)
		c.cooperative = append(c.cooperative, k)
	}
	c.firstCue = append(c.firstCue, int32(len(cues)))
}

// Extract appends the features of mention targets[m] to dst. targets are
// all mentions of the document in token order.
func (e *Extractor) Extract(dst []Feature, c *Context, targets []Target, m int) []Feature {
	d, cues := c.Doc, c.Cues
	t := targets[m]
	si := d.SentenceOf(t.First)
	sent := d.Sentences[si]
	add := func(f Feature, key uint64) {
		f.Index = e.hash(key)
		dst = append(dst, f)
	}
	none := Feature{Value: 1, Cue: -1, Token: -1}

	add(none, tBias<<56|uint64(t.Type))

	// Shape of the mention: possessive, at sentence start, inside quotes.
	if t.End < len(d.Tokens) && isPossessiveToken(d.Surface(t.End)) {
		add(none, tShape<<56|1)
	}
	if t.First == sent.First {
		add(none, tShape<<56|2)
	}
	if insideQuotes(d, sent, t.First) {
		add(none, tShape<<56|3)
	}

	// Cues in the sentence, by role and side.
	for ci := int(c.firstCue[si]); ci < int(c.firstCue[si+1]); ci++ {
		cue := &cues[ci]
		if cue.First < t.End && cue.End > t.First {
			continue // the mention itself ("Cooperation Organization")
		}
		dist := distance(t, cue)
		if dist > cueReach {
			continue
		}
		decay := float32(1 / (1 + 0.25*float64(dist)))
		pol, mag := polaritySign(cue.Polarity)
		role := RoleOf(d, targets, m, cue)
		side := uint64(0)
		if cue.First >= t.End {
			side = 1
		}
		neg := uint64(0)
		if cue.Negated {
			neg = 1
		}
		cf := Feature{Value: mag * decay, Cue: int32(ci), Token: -1}
		add(cf, tPolarityRole<<56|pol<<40|uint64(role)<<32|uint64(cue.Quad)<<24|uint64(cue.Kind)<<16)
		add(cf, tPolarityRole<<56|pol<<40|uint64(role)<<32|0xff)
		add(cf, tPolaritySide<<56|pol<<40|side<<32|uint64(distBucket(dist)))
		add(Feature{Value: decay, Cue: int32(ci), Token: -1}, tCueRole<<56|neg<<48|uint64(role)<<32|uint64(cue.ID))
	}
	if h := c.hostile[si]; h > 0 {
		add(Feature{Value: squash(h), Cue: -1, Token: -1}, tSentencePolarity<<56|1)
	}
	if k := c.cooperative[si]; k > 0 {
		add(Feature{Value: squash(k), Cue: -1, Token: -1}, tSentencePolarity<<56|2)
	}

	// Cues in the neighbouring sentences: news paragraphs keep a tone.
	var nh, nc float32
	for _, s := range []int{si - 1, si + 1} {
		if s >= 0 && s < len(c.hostile) {
			nh += c.hostile[s]
			nc += c.cooperative[s]
		}
	}
	if nh > 0 {
		add(Feature{Value: squash(nh), Cue: -1, Token: -1}, tNeighbourPolarity<<56|1)
	}
	if nc > 0 {
		add(Feature{Value: squash(nc), Cue: -1, Token: -1}, tNeighbourPolarity<<56|2)
	}

	// Word pieces right around the mention, by side and distance band.
	for i := max(sent.First, t.First-contextWindow); i < min(sent.End, t.End+contextWindow); i++ {
		if i >= t.First && i < t.End {
			continue
		}
		band := uint64(0)
		if i >= t.End {
			band = 1
		}
		if i == t.First-1 || i == t.End {
			band |= 2 // adjacent
		}
		for _, p := range d.TokenPieces(i) {
			add(Feature{Value: 1, Cue: -1, Token: int32(i)}, tContextPiece<<56|band<<32|uint64(uint32(p.ID)))
		}
	}

	// Bag of pieces of the whole sentence, scaled by its length.
	n := sent.End - sent.First
	if n > 0 {
		v := float32(1 / math.Sqrt(float64(n)))
		for i := sent.First; i < sent.End; i++ {
			if i >= t.First && i < t.End {
				continue
			}
			for _, p := range d.TokenPieces(i) {
				add(Feature{Value: v, Cue: -1, Token: int32(i)}, tSentencePiece<<56|uint64(uint32(p.ID)))
			}
		}
	}
	return dst
}

// hash maps a feature key to a bucket with the splitmix64 finalizer: fast,
// well mixed and fixed forever (the trained weights depend on it).
func (e *Extractor) hash(key uint64) uint32 {
	key ^= key >> 30
	key *= 0xbf58476d1ce4e5b9
	key ^= key >> 27
	key *= 0x94d049bb133111eb
	key ^= key >> 31
	return uint32(key >> (64 - e.bits))
}

func polaritySign(p float32) (sign uint64, magnitude float32) {
	if p < 0 {
		return 1, -p
	}
	return 2, p
}

func squash(x float32) float32 { return x / (1 + x) * 2 }

// distance is the number of tokens between a mention and a cue.
func distance(t Target, c *CueMatch) int {
	if c.First >= t.End {
		return c.First - t.End
	}
	return t.First - c.End
}

func distBucket(d int) int {
	switch {
	case d <= 1:
		return 0
	case d <= 3:
		return 1
	case d <= 7:
		return 2
	case d <= 15:
		return 3
	}
	return 4
}

// RoleOf decides how mention m relates to cue c. For verbs the side of the
// verb decides subject or object, turned around by a passive ("Iran was
// accused by NATO": Iran is the object, NATO the subject); another mention
// standing between them takes the role instead ("NATO accused Iran and
// Russia" still makes Russia an object, but in "Iran said NATO threatened",
// Iran is not the subject of "threatened").
func RoleOf(d *Document, targets []Target, m int, c *CueMatch) Role {
	t := targets[m]
	if c.Kind == lexicon.KindVerb {
		passive := c.First > 0 && isBeForm(d.Surface(c.First-1))
		if t.End <= c.First {
			if blockedBefore(targets, m, c.First) {
				return RoleNear
			}
			if passive {
				return RoleObject
			}
			return RoleSubject
		}
		if passive && t.First > 0 && d.Surface(t.First-1) == "by" {
			return RoleSubject
		}
		return RoleObject
	}
	if t.End <= c.First && !blockedBefore(targets, m, c.First) {
		return RoleAttribute
	}
	if t.First >= c.End && t.First-c.End <= 2 {
		return RoleAttribute // "threat from NATO", "baseless NATO claims"
	}
	return RoleNear
}

// blockedBefore reports whether another mention stands between mention m
// and token cueFirst: the nearer mention is the verb's subject.
func blockedBefore(targets []Target, m, cueFirst int) bool {
	return m+1 < len(targets) && targets[m+1].First < cueFirst && targets[m+1].First >= targets[m].End
}

func isBeForm(w string) bool {
	switch w {
	case "is", "was", "were", "are", "been", "being", "be", "got", "get", "gets":
		return true
	}
	return false
}

func isPossessiveToken(w string) bool {
	return w == "'s" || w == "’s" || w == "'S" || w == "’S" || w == "'" || w == "’"
}

// insideQuotes reports whether token i follows an odd number of double
// quote marks in its sentence.
func insideQuotes(d *Document, sent Sentence, i int) bool {
	open := false
	for j := sent.First; j < i; j++ {
		switch d.Surface(j) {
		case "\"":
			open = !open
		case "“":
			open = true
		case "”":
			open = false
		}
	}
	return open
}
