package classifier

import (
	"context"
	"fmt"
	"slices"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// Classifier scores the stance of a text toward the entities it mentions.
// It is immutable and safe for concurrent use; a reload builds a new one.
type Classifier struct {
	an    *Analyzer
	model *model.Model
}

// New joins an analyzer and a model. The analyzer must hash features with
// the model's width.
func New(an *Analyzer, m *model.Model) (*Classifier, error) {
	if an.ext.Bits() != m.Bits() {
		return nil, fmt.Errorf("analyzer hashes %d bits, model %s has %d", an.ext.Bits(), m.Version(), m.Bits())
	}
	return &Classifier{an: an, model: m}, nil
}

// Model returns the classifier's model.
func (c *Classifier) Model() *model.Model { return c.model }

// Analyzer returns the classifier's analyzer.
func (c *Classifier) Analyzer() *Analyzer { return c.an }

// Span is a half-open range of UTF-8 byte offsets.
type Span struct{ Start, End int }

// Request is one document to classify. Offsets are UTF-8 bytes.
type Request struct {
	Text    string
	Targets []entities.Target
	// Spans are explicit spans to classify, answered in Result.Targeted.
	Spans []Span
	// Builtin enables the built-in gazetteer.
	Builtin bool
	// MaxEvidence is the most evidence items per mention; 0 means none.
	MaxEvidence int
}

// Evidence is one cue or context word that moved a decision.
type Evidence struct {
	Span Span
	// Contribution is the log-odds the item adds to the predicted label.
	Contribution float32
	// Label is the stance the item pushes toward on its own.
	Label model.Label
	// Source is the lexicon source, or "context" for a nearby word.
	Source string
}

// Mention is a scored mention.
type Mention struct {
	Span     Span
	Entity   entities.Entity
	Label    model.Label
	Probs    [model.NumLabels]float32
	Evidence []Evidence
	// Holder is who holds the stance, when the text says; ID is empty
	// otherwise.
	Holder entities.Entity
}

// EntityStance is the document's stance toward one entity.
type EntityStance struct {
	Entity   entities.Entity
	Label    model.Label
	Probs    [model.NumLabels]float32
	Mentions int
	Salience float64
}

// Result is the classification of one document.
type Result struct {
	Mentions []Mention
	Entities []EntityStance
	Targeted []Mention
}

// checkEvery is how many mentions are scored between context checks, so
// that a cancelled call on a huge document stops soon.
const checkEvery = 64

// Classify scores req. It returns a *FieldError for invalid spans or
// targets and the context's error when ctx ends first.
func (c *Classifier) Classify(ctx context.Context, req Request) (Result, error) {
	if err := ValidateSpans(req.Text, req.Spans); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	an := c.an
	w := an.get()
	defer an.put(w)
	if err := an.analyze(w, req.Text, entities.Options{Builtin: req.Builtin, Targets: req.Targets}); err != nil {
		return Result{}, targetError(err)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	var res Result
	res.Mentions = make([]Mention, len(w.mentions))
	for i, m := range w.mentions {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
		}
		w.feats = an.ext.Extract(w.feats[:0], &w.ctx, w.targets, i)
		res.Mentions[i] = c.score(w, w.targets, i, w.feats, req.MaxEvidence)
		res.Mentions[i].Span = Span{m.Start, m.End}
		res.Mentions[i].Entity = m.Entity
	}
	res.Entities = c.aggregate(req.Text, w.mentions, res.Mentions)

	if len(req.Spans) > 0 {
		res.Targeted = make([]Mention, len(req.Spans))
		var merged []features.Target
		for i, s := range req.Spans {
			if i%checkEvery == checkEvery-1 {
				if err := ctx.Err(); err != nil {
					return Result{}, err
				}
			}
			var at int
			merged, at = withSpan(merged, w.targets, an.tokenRange(&w.doc, s.Start, s.End, entities.TypeUnspecified))
			w.feats = an.ext.Extract(w.feats[:0], &w.ctx, merged, at)
			res.Targeted[i] = c.score(w, merged, at, w.feats, req.MaxEvidence)
			res.Targeted[i].Span = s
			res.Targeted[i].Entity = spanEntity(req.Text, s, w.mentions)
		}
	}
	return res, nil
}

// spanEntity names the entity of an explicit span: the mention with the
// same span if there is one, else the span's own text.
func spanEntity(text string, s Span, ms []entities.Mention) entities.Entity {
	i, found := slices.BinarySearchFunc(ms, s.Start, func(m entities.Mention, start int) int { return m.Start - start })
	if found && ms[i].End == s.End {
		return ms[i].Entity
	}
	return entities.Entity{Name: text[s.Start:s.End]}
}

// score runs the model on one mention's features and explains it.
func (c *Classifier) score(w *workspace, targets []features.Target, m int, fs []features.Feature, maxEvidence int) Mention {
	s := c.model.Score(fs)
	label := s.Label()
	out := Mention{Label: label, Probs: s.Probs}
	if maxEvidence > 0 {
		out.Evidence = c.explain(w, fs, label, maxEvidence)
	}
	out.Holder = holder(w, targets, m)
	return out
}

// explain sums feature contributions per text span (a cue, or a context
// word; a cue word that is also a context word is one item) and keeps the
// strongest.
func (c *Classifier) explain(w *workspace, fs []features.Feature, label model.Label, limit int) []Evidence {
	type item struct {
		span   Span
		per    [model.NumLabels]float32
		source string
	}
	var items []item
	index := make(map[Span]int, 16)
	for _, f := range fs {
		var sp Span
		source := "context"
		switch {
		case f.Cue >= 0:
			cm := w.cues[f.Cue]
			sp = Span{w.doc.Tokens[cm.First].Start, w.doc.Tokens[cm.End-1].End}
			source = cm.Source
		case f.Token >= 0:
			t := w.doc.Tokens[f.Token]
			sp = Span{t.Start, t.End}
		default:
			continue
		}
		j, ok := index[sp]
		if !ok {
			j = len(items)
			index[sp] = j
			items = append(items, item{span: sp, source: source})
		} else if f.Cue >= 0 {
			items[j].source = source // a lexicon cue names its source
		}
		for _, l := range model.Labels {
			items[j].per[l] += c.model.Contribution(f, l)
		}
	}
	const minContribution = 0.02
	ev := make([]Evidence, 0, min(limit, len(items)))
	for _, it := range items {
		if abs(it.per[label]) < minContribution {
			continue
		}
		toward := model.Hostile
		for _, l := range model.Labels {
			if it.per[l] > it.per[toward] {
				toward = l
			}
		}
		ev = append(ev, Evidence{Span: it.span, Contribution: it.per[label], Label: toward, Source: it.source})
	}
	slices.SortStableFunc(ev, func(a, b Evidence) int {
		switch {
		case abs(a.Contribution) > abs(b.Contribution):
			return -1
		case abs(a.Contribution) < abs(b.Contribution):
			return 1
		}
		return a.Span.Start - b.Span.Start
	})
	if len(ev) > limit {
		ev = ev[:limit]
	}
	return ev
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// holder finds who holds the stance toward targets[m]: the subject of a
// verb cue that m is the object of, in m's sentence. Only the cues and
// targets of that sentence are looked at, so the cost stays linear in the
// document however many mentions it has.
func holder(w *workspace, targets []features.Target, m int) entities.Entity {
	d := &w.doc
	sent := d.Sentences[d.SentenceOf(targets[m].First)]
	firstCue, _ := slices.BinarySearchFunc(w.cues, sent.First, func(c features.CueMatch, first int) int { return c.First - first })
	firstTarget, _ := slices.BinarySearchFunc(targets, sent.First, func(t features.Target, first int) int { return t.First - first })
	for ci := firstCue; ci < len(w.cues) && w.cues[ci].First < sent.End; ci++ {
		cue := &w.cues[ci]
		if features.RoleOf(d, targets, m, cue) != features.RoleObject {
			continue
		}
		for j := firstTarget; j < len(targets) && targets[j].First < sent.End; j++ {
			if j != m && features.RoleOf(d, targets, j, cue) == features.RoleSubject {
				if e, ok := mentionEntity(w, targets[j]); ok {
					return e
				}
			}
		}
	}
	return entities.Entity{}
}

// mentionEntity returns the entity of the found mention at target t.
func mentionEntity(w *workspace, t features.Target) (entities.Entity, bool) {
	i, found := slices.BinarySearchFunc(w.targets, t.First, func(tt features.Target, first int) int { return tt.First - first })
	if found && w.targets[i].End == t.End {
		return w.mentions[i].Entity, true
	}
	return entities.Entity{}, false
}

// ScoreSpans scores explicit byte spans of text with the built-in
// gazetteer on, as Classify does for ClassifyRequest.spans, but without
// evidence or aggregation: the evaluation path.
func (c *Classifier) ScoreSpans(text string, spans []Span, fn func(i int, probs [model.NumLabels]float32)) error {
	if err := ValidateSpans(text, spans); err != nil {
		return err
	}
	return c.an.SpanFeatures(text, spans, true, func(i int, fs []features.Feature) {
		fn(i, c.model.Score(fs).Probs)
	})
}
