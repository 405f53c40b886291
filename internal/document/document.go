// Package document is the document stage's feature extractor: how the
// whole article treats one entity, from what the earlier stages found
// about its mentions (their stance probabilities, where they stand, whether
// the entity speaks or acts, what is done to it). A linear model over these
// features (model.StageDocument) gives the entity's document-level stance.
//
// Its input is plain numbers, so the stage can be read, tested and trained
// apart from the text pipeline.
package document

import (
	"math"

	"github.com/stance/classifierd/internal/model"
)

// Bits is the document model's hash width: a few hundred features.
const Bits = 12

// Input is what the earlier stages found about one entity of a document.
type Input struct {
	// Type is the entity type (entities.Type).
	Type uint8
	// Mentions is the number of mentions; Salience the entity's share of
	// the document's attention, in [0, 1].
	Mentions int
	Salience float64
	// Mean is the mean of the mention probabilities; Weighted the mean with
	// mentions that only name one party of a pair ("the Ukraine-Russia
	// crisis") weighing less; Max the largest of each. In all three a
	// victim's hostility (what a blamed actor, acting on the entity, holds
	// toward it) counts only as far as the text does not blame the actor.
	Mean, Weighted, Max [model.NumLabels]float32
	// Share is the share of mentions labelled each stance.
	Share [model.NumLabels]float32
	// Lead is the mean probabilities of the mentions in the headline and
	// first sentences, LeadMentions their number.
	Lead         [model.NumLabels]float32
	LeadMentions int
	// First is where the first mention stands, from 0 (start) to 1 (end).
	First float32
	// Speaks is the share of mentions that are the speaker of their
	// sentence ("X said") or the holder of a relation.
	Speaks float32
	// Receives sums the probabilities of the relations others hold toward
	// the entity, per label: what is done or said to it. The relations it
	// holds count only through Speaks: their sums by label were features
	// until the relation model took in train_q, train_s and train_u, and
	// dropped (with the received ones weighed by blame) they gave +0.006
	// [+0.000, +0.012] accuracy in document CV, where each of those files
	// had cost PerSenT dev up to 0.012.
	Receives [model.NumLabels]float32

	// HeldHostile is the hostile probability of the mentions whose stance
	// another entity holds ("NATO threatened Russia": NATO holds it toward
	// Russia), per mention, split by how hostile the text is toward that
	// holder: [0] weighed by it, [1] by the rest. Hostility from the
	// article's villain makes a victim; from its hero, a villain.
	HeldHostile [2]float32
	// Mutual is the share of mentions that name it as one party of a pair.
	Mutual float32
	// Corefs is the number of pronouns that refer to the entity (a
	// person), which Mean, Share and Tone count with its mentions.
	Corefs int
	// Context and ContextMax are Mean and Max of the mentions'
	// probabilities without the prior of their own words (how news
	// mostly reports the party): what this text says of it.
	Context, ContextMax [model.NumLabels]float32
	// Tone is the mean hostile and cooperative cue weight of the
	// sentences that mention the entity; DocTone of every sentence the
	// earlier stages read. A polemic is hostile toward someone; the
	// sentences about an entity say more about whom.
	Tone, DocTone [2]float32
}

// Template ids.
const (
	tBias uint64 = iota + 1
	tMean
	tWeighted
	tMax
	tShare
	tLead
	tPosition
	tSpeaks
	_ // the relations held, retired (Input)
	tReceives
	tMutual
	tCount
	tSalience
	tDominant
	tTone
	tHeld
	tContext
)

// Features appends the features of in to dst.
func Features(dst []model.Feature, in *Input) []model.Feature {
	add := func(v float32, key uint64) {
		dst = append(dst, model.Feature{Index: hash(key), Value: v, Cue: -1, Token: -1})
	}
	typ := uint64(in.Type)
	add(1, tBias<<56)
	add(1, tBias<<56|1<<48|typ)
	for l := range model.NumLabels {
		k := uint64(l)
		add(in.Mean[l], tMean<<56|k)
		add(in.Mean[l], tMean<<56|1<<48|typ<<8|k)
		add(in.Weighted[l], tWeighted<<56|k)
		add(in.Max[l], tMax<<56|k)
		add(in.Share[l], tShare<<56|k)
		if in.LeadMentions > 0 {
			add(in.Lead[l], tLead<<56|k)
		}
		add(squash(in.Receives[l]), tReceives<<56|k)
		// The entity's own stance signal scaled by how much it speaks: a
		// speaker's sentences are hostile toward others, not toward it.
		add(in.Speaks*in.Mean[l], tSpeaks<<56|1<<48|k)
		add(in.Mutual*in.Mean[l], tMutual<<56|1<<48|k)
		add(in.Context[l], tContext<<56|k)
		add(in.Context[l], tContext<<56|1<<48|typ<<8|k)
		add(in.ContextMax[l], tContext<<56|2<<48|k)
	}
	if in.LeadMentions > 0 {
		add(1, tLead<<56|1<<48)
	}
	add(in.First, tPosition<<56)
	add(in.Speaks, tSpeaks<<56)
	add(in.Mutual, tMutual<<56)
	add(float32(math.Log1p(float64(in.Mentions))), tCount<<56)
	add(float32(math.Log1p(float64(in.Corefs))), tCount<<56|1<<48)
	add(float32(in.Salience), tSalience<<56)
	for k := range 2 {
		add(squash(in.Tone[k]), tTone<<56|uint64(k))
		add(squash(in.DocTone[k]), tTone<<56|1<<48|uint64(k))
		add(squash(in.Tone[k])*(1-in.Speaks), tTone<<56|2<<48|uint64(k))
		add(squash(in.Tone[k]-in.DocTone[k]+1), tTone<<56|3<<48|uint64(k))
	}
	add(in.HeldHostile[0], tHeld<<56)
	add(in.HeldHostile[1], tHeld<<56|1)
	// Which side the mentions lean to, by how many there are: one hostile
	// mention in passing is not a hostile article.
	dom := model.Neutral
	if in.Share[model.Hostile] > in.Share[dom] {
		dom = model.Hostile
	}
	if in.Share[model.Cooperative] > in.Share[dom] {
		dom = model.Cooperative
	}
	add(1, tDominant<<56|uint64(dom)<<8|uint64(min(in.Mentions, 4)))
	return dst
}

func squash(x float32) float32 { return x / (1 + x) }

// hash maps a feature key to a bucket with the splitmix64 finalizer.
func hash(key uint64) uint32 {
	key ^= key >> 30
	key *= 0xbf58476d1ce4e5b9
	key ^= key >> 27
	key *= 0x94d049bb133111eb
	key ^= key >> 31
	return uint32(key >> (64 - Bits))
}

// Decide returns the document label of an entity's calibrated
// probabilities: the more probable side when it reaches threshold, else
// neutral. Most of what news says about an entity is factual, so neutral is
// the most probable label for most entities even where the article takes a
// side; the threshold, chosen by cross-validation for macro-F1, says how
// much of a side makes a stance.
func Decide(p [model.NumLabels]float32, threshold float32) model.Label {
	return model.PolarLabel(p, threshold)
}
