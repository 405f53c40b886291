package training

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// RelationConfig holds the relation model's data and settings.
type RelationConfig struct {
	Train []Source
	// Eval are held-out relation sets, scored into the model's metadata.
	Eval []Source
	FitConfig
	// Holdout is the fraction of training sentences kept aside to fit the
	// temperature.
	Holdout float64
	// UnmarkedWeight is the loss weight of the pairs with a party the data
	// does not mark, labelled no relation (see relationExamples); 0 leaves
	// them out. Over train_a-k at a threshold of 0.25 (relations.Threshold
	// then), weight 2 gains precision (+0.017) for recall (-0.005) over 0.3;
	// over train_a-o at 0.3, weights 3 to 6 trade recall for precision at
	// no F1 gain. It was left out while the generic actor finder took
	// "military" in "military drills" for a party: most unmarked parties
	// were such, and the model learnt to doubt generic actors that serving
	// must find ("The Iranian president stated ... NATO is a serious
	// threat").
	UnmarkedWeight float64
}

// scaledBy returns copies of exs with each weight multiplied by w (a
// source's Weight, or the unmarked pairs' weight); exs themselves where w
// is 0 (unset) or 1.
func scaledBy(exs []example, w float64) []example {
	if w == 0 || w == 1 {
		return exs
	}
	out := make([]example, len(exs))
	for i, e := range exs {
		e.weight *= float32(w)
		out[i] = e
	}
	return out
}

// DefaultRelationConfig returns the settings of the embedded relation
// model: the team's relation sentences (data/relations) for training, the
// probe sets and the event coder's test pairs for evaluation. root is the
// repository root, shared the shared data folder.
func DefaultRelationConfig(shared, root string) RelationConfig {
	rel := filepath.Join(root, "data", "relations")
	// Real news, labelled by reference (data/wikinews/README.md).
	wn, wikinews := filepath.Join(root, "data", "wikinews"), filepath.Join(shared, "data", "raw-news", "wikinews")
	return RelationConfig{
		Train: []Source{
			{Name: "team/relations_a", Path: filepath.Join(rel, "train_a.jsonl")},
			{Name: "team/relations_b", Path: filepath.Join(rel, "train_b.jsonl")},
			{Name: "team/relations_c", Path: filepath.Join(rel, "train_c.jsonl")},
			{Name: "team/relations_d", Path: filepath.Join(rel, "train_d.jsonl")},
			{Name: "team/relations_e", Path: filepath.Join(rel, "train_e.jsonl")},
			{Name: "team/relations_f", Path: filepath.Join(rel, "train_f.jsonl")},
			{Name: "team/relations_g", Path: filepath.Join(rel, "train_g.jsonl")},
			{Name: "team/relations_h", Path: filepath.Join(rel, "train_h.jsonl")},
			{Name: "team/relations_i", Path: filepath.Join(rel, "train_i.jsonl")},
			{Name: "team/relations_j", Path: filepath.Join(rel, "train_j.jsonl")},
			{Name: "team/relations_k", Path: filepath.Join(rel, "train_k.jsonl")},
			{Name: "team/relations_l", Path: filepath.Join(rel, "train_l.jsonl")},
			{Name: "team/relations_m", Path: filepath.Join(rel, "train_m.jsonl")},
			{Name: "team/relations_n", Path: filepath.Join(rel, "train_n.jsonl")},
			{Name: "team/relations_o", Path: filepath.Join(rel, "train_o.jsonl")},
			{Name: "team/relations_p", Path: filepath.Join(rel, "train_p.jsonl")},
			{Name: "team/relations_t", Path: filepath.Join(rel, "train_t.jsonl")},
			{Name: "team/relations_v", Path: filepath.Join(rel, "train_v.jsonl")},
			{Name: "team/relations_w", Path: filepath.Join(rel, "train_w.jsonl")},
			{Name: "team/relations_x", Path: filepath.Join(rel, "train_x.jsonl")},
			{Name: "team/relations_y", Path: filepath.Join(rel, "train_y.jsonl")},
			{Name: "team/relations_s", Path: filepath.Join(rel, "train_s.jsonl")},
			{Name: "team/relations_q", Path: filepath.Join(rel, "train_q.jsonl")},
			{Name: "team/relations_u", Path: filepath.Join(rel, "train_u.jsonl")},
			// Joint action against a third party and siding with one party
			// against another, at half weight: at weight 1 (and with the
			// contrast sentences now in eval_ag) the Wikinews sentences lost
			// 18 relations with every actor given and 10 by target
			// (data/relations/README.md, train_ag).
			{Name: "team/relations_ag", Path: filepath.Join(rel, "train_ag.jsonl"), Weight: 0.5},
			// One subject doing two things to different parties ("thanked
			// Brazil but criticised Chile") and their look-alikes
			// (data/relations/README.md, train_ah).
			{Name: "team/relations_ah", Path: filepath.Join(rel, "train_ah.jsonl")},
			// Reactions, whose holder is named after the act it reacts to
			// ("drawing condemnation from Jordan", "despite objections
			// from Uruguay", "angering Japan"), and their contrasts
			// (data/relations/README.md, train_ai).
			{Name: "team/relations_ai", Path: filepath.Join(rel, "train_ai.jsonl")},
			// Modality: conditional threats, speculation, an actor's own
			// "could" and "may", plans, vows and schedules (data/relations/
			// README.md, train_aj).
			{Name: "team/relations_aj", Path: filepath.Join(rel, "train_aj.jsonl")},
		},
		Eval: []Source{
			{Name: "team/probe_a", Path: filepath.Join(rel, "probe_a.jsonl")},
			{Name: "team/probe_b", Path: filepath.Join(rel, "probe_b.jsonl")},
			// Long, cluttered sentences of many parties, most of them doing
			// nothing to each other (2,037 of 2,686 pairs none): scored,
			// not trained on. Trained on beside the rest, at weight 1 or
			// 0.5, it took Wikinews recall from 0.405 to 0.391 and 0.386
			// at the same precision (0.33-0.34), and the team's earlier
			// sentences -0.002 / -0.001: it teaches that a long sentence
			// asserts little, which real news does not bear out.
			{Name: "team/eval_r", Path: filepath.Join(rel, "eval_r.jsonl")},
			// Everyday news outside diplomacy (companies, clubs, unions,
			// regulators): scored, not trained on. Trained on, it read
			// +0.0004 [-0.0018, +0.0028] recall and +0.0018 [-0.0004,
			// +0.0043] precision on the earlier sentences, but Wikinews
			// 0.409 / 0.346 against 0.415 / 0.340 and the probes 2 and 3
			// relations fewer right.
			{Name: "team/eval_z", Path: filepath.Join(rel, "eval_z.jsonl")},
			// Verbal diplomacy (appeals, demands, rejections, investigations,
			// threats, protests, visits): scored, not trained on. Trained
			// on, the earlier sentences read +0.0006 [-0.0017, +0.0028]
			// recall and +0.0026 [+0.0002, +0.0048] precision, but
			// Wikinews 0.406 / 0.339 against 0.415 / 0.340 and probe_b four
			// relations fewer right.
			{Name: "team/eval_aa", Path: filepath.Join(rel, "eval_aa.jsonl")},
			// Acts in trailing clauses, appositions, relative clauses and
			// noun phrases of long sentences: scored, not trained on.
			// Trained on, the earlier sentences read +0.0013 [-0.0012,
			// +0.0038] recall and -0.0019 [-0.0043, +0.0005] precision, and
			// Wikinews recall fell by 0.014 [0.003, 0.027] paired by
			// sentence (0.415 -> 0.400), as with eval_r.
			{Name: "team/eval_ab", Path: filepath.Join(rel, "eval_ab.jsonl")},
			// Second files of speech acts and of material acts, written after
			// train_s and train_u: scored, not trained on. Trained on, each
			// lowered Wikinews recall paired by sentence (-0.014 [-0.024,
			// -0.005] and -0.010 [-0.020, +0.000]), where a new seed of the
			// fit alone moves it by -0.001 [-0.007, +0.005].
			{Name: "team/eval_sb", Path: filepath.Join(rel, "eval_sb.jsonl")},
			{Name: "team/eval_ub", Path: filepath.Join(rel, "eval_ub.jsonl")},
			// Two actors inside one hyphenated word ("the US-China trade
			// war", "the Turkish-Libyan agreement"), which the stage pairs
			// (features.Close): scored, not trained on. Untrained, these
			// sentences read 0.667 / 0.702; trained on, 0.699 / 0.729 out
			// of fold, and Wikinews recall paired by sentence moved by
			// -0.011, -0.012, -0.009 and -0.007 (each about ±0.009) under
			// the fit's seeds 1, 2, 3 and 7, where changing the seed alone
			// moved it by up to -0.008: Wikinews has 8 such gold pairs, and
			// the file costs more elsewhere than it gains there.
			{Name: "team/eval_ac", Path: filepath.Join(rel, "eval_ac.jsonl")},
			// A speaker's evaluation of another actor carried by a noun or
			// an adjective ("called X a great leader", "said X was a true
			// friend"), condolences and endorsements, and the other senses
			// of "call": scored, not trained on. Untrained, 0.682 / 0.670;
			// trained on, 0.722 / 0.675 out of fold, the team's other
			// sentences flat (+0.001 [-0.001, +0.003] recall, by target
			// +0.000), but Wikinews precision fell by -0.016 [-0.031,
			// -0.002] and -0.014 [-0.030, -0.000] under the fit's seeds 1
			// and 2 for +0.007 and +0.005 recall, F1 lower.
			{Name: "team/eval_ad", Path: filepath.Join(rel, "eval_ad.jsonl")},
			// Coordinated actors: parallel acts that are not joint ("Japan
			// and Australia accused China": none between the two), joint
			// acts, coordinated objects. Scored, not trained on: trained
			// on, its own sentences read +0.025 precision out of fold and
			// the team's others were flat, but Wikinews lost 20 relations
			// with every actor given and 12 by target, and the probes one
			// or two each (data/relations/README.md).
			{Name: "team/eval_af", Path: filepath.Join(rel, "eval_af.jsonl")},
			// The contrasts written with train_ag (the same verbs with no
			// adversary, "against" governing no actor or a hostile act,
			// "warned X against", mediation, protection, parallel acts) and
			// its long mixed sentences: scored, not trained on.
			{Name: "team/eval_ag", Path: filepath.Join(rel, "eval_ag.jsonl")},
			// Written apart from train_ah, by another writer, on the same
			// constructions: scored, not trained on.
			{Name: "team/eval_ah", Path: filepath.Join(rel, "eval_ah.jsonl")},
			// The last third of the reaction sentences written with
			// train_ai: scored, not trained on.
			{Name: "team/eval_ai", Path: filepath.Join(rel, "eval_ai.jsonl")},
			// The last third of the modality sentences written with
			// train_aj: scored, not trained on.
			{Name: "team/eval_aj", Path: filepath.Join(rel, "eval_aj.jsonl")},
			// Negation, refusal and withholding: refusing or not doing a
			// hostile act asserts none, blocking or halting what benefits a
			// party is hostile toward it, lifting a veto is cooperative.
			// Written as training data (its first 162 sentences); trained
			// on, they read +0.0015 [-0.0003, +0.0034] recall and -0.0015
			// [-0.0032, +0.0002] precision on the earlier sentences, took
			// the last 81 from 51 to 53 of 104 relations by target, and cost
			// the Wikinews sentences 3 relations by target, the probes 4 and
			// the other evaluation sets 18: scored, not trained on.
			{Name: "team/eval_am", Path: filepath.Join(rel, "eval_am.jsonl")},
			// Verb forms and transfers: "gave Pakistan two submarines"
			// against ultimatums ("gave the envoy 48 hours to leave"), the
			// present of headlines ("Germany trains Ukrainian pilots"),
			// "will", perfects and passives. Written as training data (its
			// first 162 sentences); trained on, they read +0.0008 recall and
			// -0.0024 [-0.0041, -0.0005] precision on the earlier sentences,
			// took the last 81 from 73 to 79 of 118 relations by target, and
			// cost the Wikinews sentences 1, the probes 1 and the other
			// evaluation sets 16: scored, not trained on.
			{Name: "team/eval_an", Path: filepath.Join(rel, "eval_an.jsonl")},
			// Events told as noun phrases ("aid from Japan to Ukraine",
			// "India's support for Russia"), verbs of two objects
			// ("denied Turkey an export licence") and their contrasts:
			// scored, not trained on. Its first 170 sentences, trained on,
			// read +0.0027 [+0.0009, +0.0045] recall and -0.0032 [-0.0049,
			// -0.0014] precision on the earlier sentences, learnt little of
			// their own (0.695 / 0.645 out of fold, 0.696 / 0.649 unseen)
			// and cost the Wikinews sentences 4 relations by target, the
			// probes 3 and the other evaluation sets 14.
			{Name: "team/eval_ak", Path: filepath.Join(rel, "eval_ak.jsonl")},
			// Speakers, quotes and reported speech with several actors
			// (judging, reporting, nested speech, denials), two files by
			// two writers: scored, not trained on. The second (rel-al-*),
			// written as training data and trained on, read +0.0033
			// [+0.0013, +0.0054] recall and -0.0046 [-0.0064, -0.0027]
			// precision on the earlier sentences, learnt nothing of its own
			// (0.654 / 0.576 out of fold, 0.654 / 0.563 unseen), left the
			// first at 0.752 / 0.606 against 0.756 / 0.594, and cost the
			// Wikinews sentences 12 relations by target.
			{Name: "team/eval_al", Path: filepath.Join(rel, "eval_al.jsonl")},
			// Long sentences in the register of real news (attributions,
			// appositions, background clauses, two events in one
			// sentence), international (eval_ao) and domestic: courts,
			// legislatures, companies, parties (eval_ap). Written as
			// training data; trained on, eval_ao read +0.0036 [+0.0017,
			// +0.0057] recall and -0.0023 [-0.0043, -0.0002] precision on
			// the earlier sentences and cost the Wikinews sentences 3
			// relations by target (the other evaluation sets gained 21),
			// eval_ap +0.0010 / -0.0016 and cost Wikinews 8, the probes 2
			// and the other sets 19, both together Wikinews 5 and the
			// probes 4 (a change of the fit's seed moves Wikinews by 1 and
			// the probes by none): scored, not trained on.
			{Name: "team/eval_ao", Path: filepath.Join(rel, "eval_ao.jsonl")},
			{Name: "team/eval_ap", Path: filepath.Join(rel, "eval_ap.jsonl")},
			// Two parties in one hyphenated or dashed compound ("the
			// Russia-Ukraine war", "Thailand–Cambodia talks", "the
			// India-Pakistan border"). Written as training data; trained
			// on, its own sentences read 0.779 / 0.657 out of fold (0.654 /
			// 0.617 unseen, every actor given), but the Wikinews sentences
			// lost 7 relations by target, the probes 4 and the other sets
			// 11 (joint acts of "X and Y" read as none), 5, 4 and 18 with a
			// pair feature that tells a compound from "X and Y": scored, not
			// trained on.
			{Name: "team/eval_aq", Path: filepath.Join(rel, "eval_aq.jsonl")},
			// Ordinary wire sentences over every CAMEO root, written
			// after 924bb84 to check the service on the kind of sentence
			// event coders code: never trained on.
			// The probe kinds (passives, speakers, stance nouns,
			// joint and parallel acts, generic actors, negation,
			// restraint and mediation, officials), written after
			// 924bb84: never trained on.
			{Name: "team/eval_ar", Path: filepath.Join(rel, "eval_ar.jsonl")},
			{Name: "team/eval_as", Path: filepath.Join(rel, "eval_as.jsonl")},
			{Name: "petrarch/unittest", Path: filepath.Join(shared, "data", "petrarch-unittest", "records.dyad.jsonl")},
			// Real news, labelled by reference (data/wikinews/README.md),
			// scored and not trained on. Trained on beside the team's
			// sentences (relation CV grouped by article), all three files
			// read 0.37 / 0.34, 0.35 / 0.38 and 0.44 / 0.30 recall and
			// precision out of fold, against 0.36 / 0.32, 0.39 / 0.36 and
			// 0.44 / 0.25 untrained, and cost the team's sentences -0.005
			// [-0.008, -0.002] precision (a and c alone, at weight 1, 3 or
			// 6, moved nothing); as text nobody wrote for the model they
			// say what the team's sentences do not.
			{Name: "wikinews/relations_a", Path: filepath.Join(wn, "relations_a.jsonl"), Articles: wikinews},
			{Name: "wikinews/relations_b", Path: filepath.Join(wn, "relations_b.jsonl"), Articles: wikinews},
			{Name: "wikinews/relations_c", Path: filepath.Join(wn, "relations_c.jsonl"), Articles: wikinews},
		},
		FitConfig:      FitConfig{Bits: 18, Epochs: 6, L2: 1e-4, LearningRate: 0.1, ClassBalance: 0.6, Runs: 5, Seed: 1},
		Holdout:        0.1,
		UnmarkedWeight: 2,
	}
}

// relationLabel parses a relation label: "none" is no relation, which the
// model's neutral label stands for.
func relationLabel(s string) (model.Label, error) {
	if s == "none" {
		return model.Neutral, nil
	}
	return model.ParseLabel(s)
}

// goldPair is a labelled holder -> target pair of relation data.
type goldPair struct {
	span                   classifier.PairSpan
	label                  model.Label
	holderName, targetName string
}

// relationPairs returns the spans of an example's parties (each once, in
// order) and its labelled pairs.
func relationPairs(ex dataset.Example) ([]classifier.Span, []goldPair, error) {
	var spans []classifier.Span
	add := func(s classifier.Span) {
		if !slices.Contains(spans, s) {
			spans = append(spans, s)
		}
	}
	var pairs []goldPair
	for i, t := range ex.Targets {
		if !t.HasHolder() {
			continue
		}
		l, err := relationLabel(ex.Labels[i])
		if err != nil {
			return nil, nil, err
		}
		p := classifier.PairSpan{Holder: classifier.Span{Start: t.HolderStart, End: t.HolderEnd}, Target: classifier.Span{Start: t.Start, End: t.End}}
		add(p.Holder)
		add(p.Target)
		pairs = append(pairs, goldPair{p, l, t.Holder, t.Entity})
	}
	return spans, pairs, nil
}

// relationExamples returns the training examples of an example's
// labelled pairs: the features the relation stage extracts for each pair
// it would score, labelled hostile, cooperative or neutral (no relation).
// unmarked are the pairs the stage would score with a party the data does
// not mark (a generic "military" in "military drills", a place), each
// labelled neutral: every actor of a relation sentence is marked, and a
// pair whose party is not one is no relation. A party that bears the name
// of a marked actor (a second mention, "Moscow" after "Russia") is left
// out of them, as the relation scores count it as that actor.
func relationExamples(an *classifier.Analyzer, ext *features.Extractor, mention *model.Model, ex dataset.Example) (marked, unmarked []example, err error) {
	spans, golds, err := relationPairs(ex)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", ex.ID, err)
	}
	pairs := make([]classifier.PairSpan, len(golds))
	for i, g := range golds {
		pairs[i] = g.span
	}
	err = an.PairFeatures(ext, mention, ex.Text, spans, pairs, func(i int, fs []features.Feature) {
		if fs != nil {
			marked = append(marked, newExample(fs, golds[i].label, 1))
		}
	})
	if err != nil || len(spans) == 0 {
		return marked, nil, err
	}
	named := func(p classifier.PairParty) bool {
		if p.Caller {
			return true
		}
		for _, g := range golds {
			if strings.EqualFold(p.Entity.Name, g.holderName) || strings.EqualFold(p.Entity.Name, g.targetName) {
				return true
			}
		}
		return false
	}
	err = an.UnmarkedPairFeatures(ext, mention, ex.Text, spans, func(h, t classifier.PairParty, fs []features.Feature) {
		if !named(h) || !named(t) {
			unmarked = append(unmarked, newExample(fs, model.Neutral, 1))
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", ex.ID, err)
	}
	return marked, unmarked, nil
}

// TrainRelation fits the relation model: for every labelled holder-target
// pair, the features the relation stage extracts for it, labelled
// hostile, cooperative or neutral (no relation). The mention bundle's
// classifier scores the evaluation sets end to end. Progress goes to log.
func TrainRelation(cfg RelationConfig, an *classifier.Analyzer, mention *model.Model, log io.Writer) (*model.Model, error) {
	ext := features.NewExtractor(cfg.Bits)
	var train, holdout []example
	var datasets []model.Dataset
	for _, src := range cfg.Train {
		exs, err := src.examples()
		if err != nil {
			return nil, err
		}
		n := 0
		for _, ex := range exs {
			es, un, err := relationExamples(an, ext, mention, ex)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
			n += len(es)
			if cfg.UnmarkedWeight > 0 {
				es = append(es, scaledBy(un, cfg.UnmarkedWeight)...)
			}
			es = scaledBy(es, src.Weight)
			if inHoldout(ex.ID, cfg.Holdout) {
				holdout = append(holdout, es...)
			} else {
				train = append(train, es...)
			}
		}
		datasets = append(datasets, model.Dataset{Name: src.Name, Targets: n})
		fmt.Fprintf(log, "relation train %s: %d pairs\n", src.Name, n)
	}
	params := cfg.FitConfig.fit(train, holdout)
	fmt.Fprintf(log, "relation temperature %.3f\n", params.Temperature)
	params.Meta = model.Metadata{
		Version:         "relation-lr-" + version(params)[len("stance-lr-"):],
		Stage:           model.StageRelation,
		Description:     "Relations: multinomial logistic regression over hashed holder-target pair features (cue roles of both parties, CAMEO class, speaker, joint action, possessor, words between).",
		TrainingData:    datasets,
		Hyperparameters: cfg.FitConfig.hyperparameters(cfg.Holdout, map[string]float64{"unmarked_weight": cfg.UnmarkedWeight}),
	}
	m, err := model.New(params)
	if err != nil {
		return nil, err
	}
	c, err := newClassifier(an, mention, m)
	if err != nil {
		return nil, err
	}
	for _, src := range cfg.Eval {
		exs, err := src.examples()
		if err != nil {
			return nil, err
		}
		met, err := EvaluateRelations(c, exs, false)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		fmt.Fprintf(log, "relation eval %s: %s\n", src.Name, met)
		params.Meta.Evaluations = append(params.Meta.Evaluations, met.Evaluation(src.Name))
		if met, err = EvaluateRelationsByTarget(c, exs); err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		fmt.Fprintf(log, "relation eval by target %s: %s\n", src.Name, met)
		params.Meta.Evaluations = append(params.Meta.Evaluations, met.Evaluation("by-target/"+src.Name))
	}
	return model.New(params)
}
