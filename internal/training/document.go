package training

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/document"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/model"
)

// DocumentConfig holds the document model's data and settings.
type DocumentConfig struct {
	// Sources are document files: PerSenT's format (one main entity per
	// document: "entity", "label") or the team's (an "entities" list with
	// names, aliases and labels).
	Sources []Source
	FitConfig
	// Eval are labelled document files the model is scored on after it
	// is fitted, never trained on; the scores go into its metadata.
	Eval []Source
	// Holdout is the fraction of documents kept aside to fit the
	// temperature.
	Holdout float64
	// Folds is the number of cross-validation folds whose scores are
	// recorded (0: none).
	Folds int
	// Threshold, when set, is the decision threshold (document.Decide)
	// instead of the one cross-validation finds best; the scores are
	// recorded at it, and the best one is logged beside them.
	Threshold float32
	// Predictions, when set, is called with the out-of-fold labels of
	// every labelled entity, to save for a paired comparison with another
	// build (CompareDocs).
	Predictions func([]DocPrediction)
}

// DefaultDocumentConfig returns the settings of the embedded document
// model.
func DefaultDocumentConfig(shared, root string) DocumentConfig {
	persent := filepath.Join(shared, "data", "persent")
	wikinews := filepath.Join(shared, "data", "raw-news", "wikinews")
	return DocumentConfig{
		Sources: []Source{
			{Name: "persent/dev", Path: filepath.Join(persent, "dev.doc.jsonl"), Domain: "persent"},
			{Name: "persent/fixed_test", Path: filepath.Join(persent, "fixed_test.doc.jsonl"), Domain: "persent"},
			{Name: "team/geo_docs", Path: filepath.Join(root, "data", "docs", "geo_docs.jsonl"), Domain: "geo"},
			{Name: "team/geo_docs_b", Path: filepath.Join(root, "data", "docs", "geo_docs_b.jsonl"), Domain: "geo"},
			{Name: "team/geo_docs_c", Path: filepath.Join(root, "data", "docs", "geo_docs_c.jsonl"), Domain: "geo"},
			{Name: "team/geo_docs_d", Path: filepath.Join(root, "data", "docs", "geo_docs_d.jsonl"), Domain: "geo"},
		},
		// 50 epochs, not 10: at 10 the fit stopped far from its optimum,
		// and the seed of the example order alone moved the cross-
		// validated accuracy over all entities by +0.006 [+0.001, +0.012]
		// (fixed_test +0.022), as much as most changes tried; at 50 by
		// +0.003 [-0.001, +0.007], fixed_test 0.000.
		FitConfig: FitConfig{Bits: document.Bits, Epochs: 50, L2: 1e-3, LearningRate: 0.05, ClassBalance: 1, Runs: 5, Seed: 1},
		// Real everyday news (the Wikinews sample, labelled by the team
		// by reference: data/wikinews), scored and not trained on. Its
		// entities are 86% neutral (a neutral-point-of-view outlet, and
		// the background entities of each article), PerSenT's main
		// persons 37%: trained on beside them, at weight 1 it took
		// PerSenT dev macro-F1 from 0.462 to 0.390 (the class balance then
		// lifts the polar labels everywhere else), at 0.25 to 0.448,
		// while macro-F1 averaged over the three kinds of document stayed
		// flat (0.516 untrained, 0.519 at 0.25, 0.510 at 0.5, 0.494 at 1).
		Eval: []Source{
			{Name: "wikinews/docs_a", Path: filepath.Join(root, "data", "wikinews", "docs_a.jsonl"), Domain: "wikinews", Articles: wikinews},
			{Name: "wikinews/docs_b", Path: filepath.Join(root, "data", "wikinews", "docs_b.jsonl"), Domain: "wikinews", Articles: wikinews},
			{Name: "wikinews/docs_c", Path: filepath.Join(root, "data", "wikinews", "docs_c.jsonl"), Domain: "wikinews", Articles: wikinews},
			{Name: "wikinews/docs_d", Path: filepath.Join(root, "data", "wikinews", "docs_d.jsonl"), Domain: "wikinews", Articles: wikinews},
		},
		Holdout: 0.1,
		Folds:   5,
		// Out of fold, macro-F1 averaged over the two kinds of document
		// is flat here: 0.525 at 0.375, 0.532 at the best (0.45), where
		// each kind's interval is ±0.03-0.05. The seed articles' polar
		// labels, read by hand, sit just above 0.375 (Russia in 000 at
		// 0.403 cooperative), and 0.375 keeps them.
		Threshold: 0.375,
	}
}

// DocEntity is one labelled entity of a document.
type DocEntity struct {
	Entity  string   `json:"entity"`
	Aliases []string `json:"aliases,omitempty"`
	Label   string   `json:"label"`
}

// Doc is a labelled document of either format.
type Doc struct {
	ID       string      `json:"id"`
	Title    string      `json:"title,omitempty"`
	Text     string      `json:"text"`
	Entity   string      `json:"entity,omitempty"`
	Label    string      `json:"label,omitempty"`
	Entities []DocEntity `json:"entities,omitempty"`
	// Article, in a file of a Source with Articles, names the article
	// (by URL) whose title and text the document is.
	Article string `json:"article,omitempty"`
}

// Labelled returns the document's labelled entities: its "entities", or
// its one main "entity" with its surname as an alias (news calls a person
// by surname after the first mention).
func (d *Doc) Labelled() []DocEntity {
	if len(d.Entities) > 0 {
		return d.Entities
	}
	if d.Entity == "" {
		return nil
	}
	e := DocEntity{Entity: d.Entity, Label: d.Label}
	if f := strings.Fields(d.Entity); len(f) > 1 {
		e.Aliases = []string{f[len(f)-1]}
	}
	return []DocEntity{e}
}

// docs reads the documents of src, with their title and text from its
// articles where it labels them by reference.
func (src Source) docs() ([]Doc, error) {
	docs, err := ReadDocs(src.Path)
	if err != nil || src.Articles == "" {
		return docs, err
	}
	arts, err := dataset.ReadArticles(src.Articles)
	if err != nil {
		return nil, err
	}
	for i := range docs {
		a, ok := arts[docs[i].Article]
		if !ok {
			return nil, fmt.Errorf("%s: %s: no article %q", src.Path, docs[i].ID, docs[i].Article)
		}
		docs[i].Title, docs[i].Text = a.Title, a.Text
	}
	return docs, nil
}

// ReadDocs reads a document JSONL file.
func ReadDocs(path string) ([]Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Doc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var d Doc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, n, err)
		}
		out = append(out, d)
	}
	return out, sc.Err()
}

// docItem is one labelled entity's document input.
type docItem struct {
	doc    string // document id, for folds and holdout
	entity string // the labelled entity's target id
	source int
	in     document.Input
	// served is the entity's type as the service finds it (servedTypes),
	// which cross-validation scores it with; in.Type is the type it is
	// trained with.
	served uint8
	label  model.Label
	weight float32
}

// fullText is the document as it is classified: its title first, as a
// headline, then its text.
func (d *Doc) fullText() string {
	if d.Title == "" {
		return d.Text
	}
	return d.Title + "\n" + d.Text
}

// DocRequest is the request a labelled document is scored with: its text
// (title first, as a headline), the built-in gazetteer, and its labelled
// entities as caller targets with ids "doc:NAME". The team's entities stay
// untyped (TypesAsGiven), as servedTypes says why.
func DocRequest(d *Doc) classifier.Request {
	req := classifier.Request{Text: d.fullText(), Builtin: true, TypesAsGiven: len(d.Entities) > 0}
	for _, e := range d.Labelled() {
		t := entities.Target{ID: "doc:" + e.Entity, Name: e.Entity, Aliases: e.Aliases}
		if len(d.Entities) == 0 {
			t.Type = entities.TypePerson // PerSenT is about people
		}
		req.Targets = append(req.Targets, t)
	}
	return req
}

// servedTypes returns the types the service gives the labelled entities
// of a team document when it finds them itself, as it does for its users
// (a country, an organisation, a person), by target id ("doc:NAME"); nil
// for PerSenT's, which are trained and served as the people they are.
//
// The team's entities are trained untyped (DocRequest), so the document
// model's per-type features (bias and mean) take up what sets these
// documents apart, their label balance and their writers' house rules,
// and the typed entities the service finds never read them. That is a
// regulariser, and cross-validation scores each entity as served, so that
// its figures are the service's: against scoring them as trained, +0.012
// [+0.004, +0.020] accuracy and +0.008 [-0.002, +0.017] macro-F1 over all
// labelled entities. Trained typed instead (every feature read by the
// served types), it scores -0.013 [-0.023, -0.004] accuracy, as served,
// and calls the targets of an article's villain hostile: Iran and Russia
// in seed 003, Russia in 000 and 004.
func servedTypes(d *Doc) map[string]entities.Type {
	if len(d.Entities) == 0 {
		return nil
	}
	text := d.fullText()
	found, _ := entities.Default().Find(text, entities.Options{Builtin: true})
	out := map[string]entities.Type{}
	for _, e := range d.Entities {
		out["doc:"+e.Entity] = servedType(text, found, e)
	}
	return out
}

// servedType is the type of e that the built-in gazetteer gives where it
// finds e in text (found: its mentions): a country, an organisation, or a
// person where a title or full name makes one. Unspecified where the
// service would not find it either.
func servedType(text string, found []entities.Mention, e DocEntity) entities.Type {
	names := append([]string{e.Entity}, e.Aliases...)
	for _, m := range found {
		if slices.Contains(names, text[m.Start:m.End]) || slices.Contains(names, m.Entity.Name) {
			return m.Entity.Type
		}
	}
	// Named in the document only by a form the gazetteer does not
	// take from running text: the name alone.
	if ms, err := entities.Default().Find(e.Entity, entities.Options{Builtin: true}); err == nil && len(ms) == 1 && ms[0].Start == 0 && ms[0].End == len(e.Entity) {
		return ms[0].Entity.Type
	}
	return entities.TypeUnspecified
}

// PronounLinks counts what the classifier's pronoun rule (a sentence that
// names no person and opens with he/she/his/her refers to the person named
// last, within two sentences) links in labelled documents: every link, the
// links to a labelled entity (in PerSenT, the article's main person, whom
// most pronouns of a profile refer to), and the labelled entities'
// mentions by name, which the links add to.
type PronounLinks struct {
	Documents, Links, ToLabelled, LabelledMentions int
}

func (p PronounLinks) String() string {
	return fmt.Sprintf("pronoun links: %d in %d documents, %d (%.0f%%) to a labelled entity, adding %.0f%% to its %d mentions by name",
		p.Links, p.Documents, p.ToLabelled, 100*float64(p.ToLabelled)/float64(max(p.Links, 1)),
		100*float64(p.ToLabelled)/float64(max(p.LabelledMentions, 1)), p.LabelledMentions)
}

// docItems scores every labelled entity of docs with c, and counts the
// labelled entities not found and the pronoun links.
func docItems(c *classifier.Classifier, docs []Doc, source int, weight float32) ([]docItem, int, PronounLinks, error) {
	var out []docItem
	var links PronounLinks
	missing := 0
	for i := range docs {
		d := &docs[i]
		labels := map[string]model.Label{}
		for _, e := range d.Labelled() {
			l, err := model.ParseLabel(e.Label)
			if err != nil {
				return nil, 0, links, fmt.Errorf("%s: %w", d.ID, err)
			}
			labels["doc:"+e.Entity] = l
		}
		served := servedTypes(d)
		found := 0
		links.Documents++
		err := c.DocumentInputs(context.Background(), DocRequest(d), func(e classifier.EntityStance, in *document.Input) {
			links.Links += in.Corefs
			if l, ok := labels[e.Entity.ID]; ok {
				found++
				links.ToLabelled += in.Corefs
				links.LabelledMentions += in.Mentions
				st, ok := served[e.Entity.ID]
				if !ok {
					st = entities.Type(in.Type)
				}
				out = append(out, docItem{doc: d.ID, entity: e.Entity.ID, source: source, in: *in, served: uint8(st), label: l, weight: weight})
			}
		})
		if err != nil {
			return nil, 0, links, fmt.Errorf("%s: %w", d.ID, err)
		}
		missing += len(labels) - found
	}
	return out, missing, links, nil
}

func (it *docItem) example() example {
	return newExample(document.Features(nil, &it.in), it.label, it.weight)
}

// DocumentScores are the document model's cross-validated scores on one
// source: out-of-fold metrics, with a 95% bootstrap interval of macro-F1
// and accuracy over documents.
type DocumentScores struct {
	Source                  string
	Metrics                 evaluation.Metrics
	MacroF1Low, MacroF1Hi   float64
	AccuracyLow, AccuracyHi float64
	// Baseline is the accuracy of always answering the most frequent
	// label; Rule the metrics of the threshold rule that served before
	// the document model (model.Model.DocumentLabel at 0.3).
	Baseline float64
	Rule     evaluation.Metrics
	// Threshold is the decision threshold the scores are at
	// (document.Decide): DocumentConfig.Threshold where set, else the one
	// chosen on the out-of-fold probabilities.
	Threshold float32
	// Confusion counts the out-of-fold labels, gold (row) by predicted
	// (column), in model.Label order.
	Confusion [model.NumLabels][model.NumLabels]int
}

// ruleLabel is the threshold rule over an entity's weighted mean.
func ruleLabel(in *document.Input) model.Label {
	side := model.Hostile
	if in.Weighted[model.Cooperative] > in.Weighted[model.Hostile] {
		side = model.Cooperative
	}
	if in.Weighted[side] >= 0.3 && in.Share[side] > 0 {
		return side
	}
	return model.Neutral
}

// TrainDocument fits the document model on the entities of the labelled
// documents, as the mention and relation models of c see them, and records
// cross-validated scores per source. Progress goes to log.
func TrainDocument(cfg DocumentConfig, c *classifier.Classifier, log io.Writer) (*model.Model, []DocumentScores, error) {
	var items []docItem
	var datasets []model.Dataset
	for si, src := range cfg.Sources {
		docs, err := src.docs()
		if err != nil {
			return nil, nil, err
		}
		w := float32(src.Weight)
		if w == 0 {
			w = 1
		}
		its, missing, links, err := docItems(c, docs, si, w)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		items = append(items, its...)
		datasets = append(datasets, model.Dataset{Name: src.Name, Targets: len(its)})
		fmt.Fprintf(log, "document %s: %d documents, %d entities (%d labelled entities not found); %s\n", src.Name, len(docs), len(its), missing, links)
	}
	var scores []DocumentScores
	if cfg.Folds > 1 {
		scores = crossValidateDocs(cfg, items, log)
		for _, s := range scores {
			s.logTo(log, "cv")
		}
	}
	params := fitDocs(cfg, items)
	// The decision threshold: the configured one, or the one the
	// cross-validation finds best, or, with neither, 0.5.
	params.DocThreshold = 0.5
	switch {
	case cfg.Threshold > 0:
		params.DocThreshold = cfg.Threshold
	case len(scores) > 0:
		params.DocThreshold = scores[0].Threshold
	}
	fmt.Fprintf(log, "document temperature %.3f, threshold %.3f\n", params.Temperature, params.DocThreshold)
	params.Meta = model.Metadata{
		Version:         "document-lr-" + version(params)[len("stance-lr-"):],
		Stage:           model.StageDocument,
		Description:     "Entities: multinomial logistic regression over each entity's mention stance statistics, lead mentions, speaking and relations held and received.",
		TrainingData:    datasets,
		Hyperparameters: cfg.FitConfig.hyperparameters(cfg.Holdout, map[string]float64{"folds": float64(cfg.Folds)}),
	}
	for _, s := range scores {
		params.Meta.Evaluations = append(params.Meta.Evaluations, s.evaluation("cv/"))
	}
	m, err := model.New(params)
	if err != nil || len(cfg.Eval) == 0 {
		return m, scores, err
	}
	evals, err := evaluateDocSources(cfg.Eval, c, m, log)
	if err != nil {
		return nil, nil, err
	}
	params.Meta.Evaluations = append(params.Meta.Evaluations, evals...)
	m, err = model.New(params)
	return m, scores, err
}

// evaluateDocSources scores the document model m on each source, its
// entities as c's mention and relation models see them and typed as the
// service finds them, and over all of them together: held-out
// figures, with 95% bootstrap intervals, for the log and the metadata.
func evaluateDocSources(srcs []Source, c *classifier.Classifier, m *model.Model, log io.Writer) ([]model.Evaluation, error) {
	var items []docItem
	for si, src := range srcs {
		docs, err := src.docs()
		if err != nil {
			return nil, err
		}
		its, missing, _, err := docItems(c, docs, si, 1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		if missing > 0 {
			fmt.Fprintf(log, "document eval %s: %d labelled entities not found\n", src.Name, missing)
		}
		items = append(items, its...)
	}
	preds := make([]model.Label, len(items))
	names := make([]string, len(srcs))
	for i := range items {
		in := items[i].in
		in.Type = items[i].served
		preds[i] = document.Decide(m.Score(document.Features(nil, &in)).Probs, m.DocThreshold())
	}
	// The pooled set is named for the kind of document the sources share
	// ("wikinews"), else "all"; one source is not pooled.
	pooled := srcs[0].Domain
	for i, src := range srcs {
		names[i] = src.Name
		if src.Domain != pooled || src.Domain == "" {
			pooled = "all"
		}
	}
	if len(srcs) == 1 {
		pooled = ""
	}
	var out []model.Evaluation
	for _, s := range docSetScores(names, pooled, items, preds) {
		s.Threshold = m.DocThreshold()
		s.logTo(log, "eval")
		out = append(out, s.evaluation("eval/"))
	}
	return out, nil
}

// fitDocs fits a document model on items.
func fitDocs(cfg DocumentConfig, items []docItem) model.Params {
	var train, holdout []example
	for i := range items {
		e := items[i].example()
		if inHoldout(items[i].doc, cfg.Holdout) {
			holdout = append(holdout, e)
		} else {
			train = append(train, e)
		}
	}
	return cfg.FitConfig.fit(train, holdout)
}

// crossValidateDocs scores items out of fold, documents split by a hash
// of their id, and returns the scores per source and over all.
func crossValidateDocs(cfg DocumentConfig, items []docItem, log io.Writer) []DocumentScores {
	k := cfg.Folds
	fold := func(it *docItem) int { return int(hashID(it.doc) % uint64(k)) }
	preds := make([]model.Label, len(items))
	probs := make([][model.NumLabels]float32, len(items))
	for f := range k {
		var tr []docItem
		for i := range items {
			if fold(&items[i]) != f {
				tr = append(tr, items[i])
			}
		}
		// As many runs as the served model averages: one run's example
		// order alone moved fixed_test by 0.03 when six documents more
		// were found, and it was the served model's scores that users get.
		p := fitDocs(cfg, tr)
		p.Meta.Version = "cv"
		m, err := model.New(p)
		if err != nil {
			continue
		}
		for i := range items {
			if fold(&items[i]) == f {
				in := items[i].in
				in.Type = items[i].served
				s := m.Score(document.Features(nil, &in))
				probs[i] = s.Probs
			}
		}
	}
	// The decision threshold that maximises out-of-fold macro-F1, averaged
	// over the kinds of document (Source.Domain: articles about one person,
	// geopolitical articles), so that the kind with more labelled entities
	// does not choose it alone.
	domains := map[string]int{}
	for _, src := range cfg.Sources {
		if _, ok := domains[src.Domain]; !ok {
			domains[src.Domain] = len(domains)
		}
	}
	best, bestF1 := float32(0.5), -1.0
	for th := float32(0.25); th <= 0.6001; th += 0.025 {
		if f1 := domainMacroF1(cfg, items, probs, domains, th); f1 > bestF1 {
			best, bestF1 = th, f1
		}
	}
	best = float32(math.Round(float64(best)*1000) / 1000)
	if cfg.Threshold > 0 {
		fmt.Fprintf(log, "document cv: threshold %.3f gives macro-F1 %.4f averaged over the kinds of document; the best, %.3f, %.4f\n",
			cfg.Threshold, domainMacroF1(cfg, items, probs, domains, cfg.Threshold), best, bestF1)
		best = cfg.Threshold
	}
	for i := range items {
		preds[i] = document.Decide(probs[i], best)
	}
	if cfg.Predictions != nil {
		ps := make([]DocPrediction, len(items))
		for i := range items {
			ps[i] = DocPrediction{Source: cfg.Sources[items[i].source].Name, Doc: items[i].doc, Entity: items[i].entity, Gold: items[i].label, Pred: preds[i]}
		}
		cfg.Predictions(ps)
	}
	names := make([]string, len(cfg.Sources))
	for i, src := range cfg.Sources {
		names[i] = src.Name
	}
	out := docSetScores(names, "all", items, preds)
	for i := range out {
		out[i].Threshold = best
	}
	return out
}

// docSetScores scores the labels preds given to items, per source
// (names[i] names the items of source i) and, where pooled names it, over
// all of them; a set without items is left out.
func docSetScores(names []string, pooled string, items []docItem, preds []model.Label) []DocumentScores {
	var out []DocumentScores
	for si, name := range append(slices.Clip(names), pooled) {
		var idx []int
		for i := range items {
			if si == len(names) || items[i].source == si {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 || name == "" {
			continue
		}
		s := DocumentScores{Source: name}
		var conf, rule evaluation.Confusion
		var counts [model.NumLabels]int
		for _, i := range idx {
			conf.AddLabel(items[i].label, preds[i])
			rule.AddLabel(items[i].label, ruleLabel(&items[i].in))
			counts[items[i].label]++
		}
		s.Metrics, s.Rule = conf.Metrics(), rule.Metrics()
		s.Confusion = conf.Counts
		s.Baseline = float64(slices.Max(counts[:])) / float64(len(idx))
		s.AccuracyLow, s.AccuracyHi, s.MacroF1Low, s.MacroF1Hi = bootstrapDocs(idx, items, preds)
		out = append(out, s)
	}
	return out
}

// logTo writes s to log, its lines headed "document KIND SOURCE" (cv,
// eval).
func (s DocumentScores) logTo(log io.Writer, kind string) {
	fmt.Fprintf(log, "document %s %s: n=%d accuracy=%.4f [%.4f, %.4f] macro-F1=%.4f [%.4f, %.4f] (majority %.4f; old rule accuracy %.4f macro-F1 %.4f)\n", kind, s.Source,
		s.Metrics.N, s.Metrics.Accuracy, s.AccuracyLow, s.AccuracyHi, s.Metrics.MacroF1, s.MacroF1Low, s.MacroF1Hi, s.Baseline, s.Rule.Accuracy, s.Rule.MacroF1)
	fmt.Fprintf(log, "document %s %s: gold (rows) by predicted (columns), hostile/cooperative/neutral: %v\n", kind, s.Source, s.Confusion)
}

// evaluation returns s as the model metadata's evaluation of the set
// prefix+s.Source, with its macro-F1 interval.
func (s DocumentScores) evaluation(prefix string) model.Evaluation {
	e := s.Metrics.Evaluation(prefix + s.Source)
	e.MacroF1Low, e.MacroF1High = s.MacroF1Low, s.MacroF1Hi
	return e
}

// domainMacroF1 returns the out-of-fold macro-F1 at threshold th,
// averaged over the kinds of document (domains: Source.Domain's index).
func domainMacroF1(cfg DocumentConfig, items []docItem, probs [][model.NumLabels]float32, domains map[string]int, th float32) float64 {
	conf := make([]evaluation.Confusion, len(domains))
	for i := range items {
		conf[domains[cfg.Sources[items[i].source].Domain]].AddLabel(items[i].label, document.Decide(probs[i], th))
	}
	var f1 float64
	for d := range conf {
		f1 += conf[d].Metrics().MacroF1 / float64(len(conf))
	}
	return f1
}

// bootstrapDocs resamples the items (1,000 times, fixed seed) and returns 95%
// intervals of accuracy and macro-F1.
func bootstrapDocs(idx []int, items []docItem, preds []model.Label) (accLo, accHi, f1Lo, f1Hi float64) {
	const n = 1000
	accs, f1s := make([]float64, n), make([]float64, n)
	state := uint64(12345)
	for b := range n {
		var conf evaluation.Confusion
		for range idx {
			state = state*6364136223846793005 + 1442695040888963407
			i := idx[(state>>33)%uint64(len(idx))]
			conf.AddLabel(items[i].label, preds[i])
		}
		m := conf.Metrics()
		accs[b], f1s[b] = m.Accuracy, m.MacroF1
	}
	slices.Sort(accs)
	slices.Sort(f1s)
	lo, hi := int(math.Floor(0.025*n)), int(math.Floor(0.975*n))
	return accs[lo], accs[hi], f1s[lo], f1s[hi]
}

// hashID is FNV-1a of an id.
func hashID(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// EvaluateDocuments scores the document-level labels of labelled
// documents (PerSenT's format or the team's): each labelled entity is
// passed as a caller target, as DocRequest does, and its entity's label in
// the answer is compared with the gold one; an entity the answer lacks
// counts as neutral.
func EvaluateDocuments(c *classifier.Classifier, docs []Doc) (evaluation.Metrics, error) {
	var conf evaluation.Confusion
	for i := range docs {
		d := &docs[i]
		res, err := c.Classify(context.Background(), DocRequest(d))
		if err != nil {
			return evaluation.Metrics{}, fmt.Errorf("%s: %w", d.ID, err)
		}
		for _, e := range d.Labelled() {
			gold, err := model.ParseLabel(e.Label)
			if err != nil {
				return evaluation.Metrics{}, fmt.Errorf("%s: %w", d.ID, err)
			}
			pred := model.Neutral
			for _, es := range res.Entities {
				if es.Entity.ID == "doc:"+e.Entity {
					pred = es.Label
				}
			}
			conf.AddLabel(gold, pred)
		}
	}
	return conf.Metrics(), nil
}
