// Package training fits the stance model: it extracts features for every
// labelled target with the serving pipeline's own Analyzer (so training
// and serving cannot drift apart), trains a multinomial logistic
// regression with AdaGrad and L2, calibrates it by temperature scaling on
// a held-out slice, and records its scores on the dev sets.
//
// Training is deterministic: the same data and Config give the same model
// bytes.
package training

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/dataset"
	"github.com/stance/classifierd/internal/evaluation"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/model"
)

// Source is a named stance JSONL data set.
type Source struct {
	Name string
	Path string
	// Weight scales the loss of its examples (1 if zero).
	Weight float64
}

// Config holds the mention model's data and hyperparameters.
type Config struct {
	Train []Source
	Dev   []Source
	FitConfig
	// Holdout is the fraction of training targets kept aside to fit the
	// temperature.
	Holdout float64
	// DocThreshold is the document-level polar threshold, the mention
	// model's fallback rule where a bundle has no document model.
	DocThreshold float64
	// Description goes into the model metadata.
	Description string
}

// DefaultConfig returns the settings the embedded model is trained with,
// without data (see DefaultData). They were chosen with the grid of
// `stancetrain -tune` on the NewsMTSC dev sets and geo_dev.
func DefaultConfig() Config {
	return Config{FitConfig: FitConfig{Bits: 20, Epochs: 4, L2: 1e-4, LearningRate: 0.05, ClassBalance: 0.3, Runs: 5, Seed: 1},
		Holdout: 0.1, DocThreshold: 0.3,
		Description: "Multinomial logistic regression over hashed target-aware lexicon, role, clause and WordPiece context features; trained on NewsMTSC train and team-written geopolitical sentences."}
}

// DefaultGeoWeight is the loss weight of the team-written geopolitical
// examples: more than a NewsMTSC sentence, since they are what the service
// is for, but not so much that they drown out ten times as many others.
const DefaultGeoWeight = 1.5

// DefaultData returns the training and dev sets of the embedded model:
// shared is the shared data folder (../shared), root the repository root.
// The dev sets are never trained on.
func DefaultData(shared, root string, geoWeight float64) (train, dev []Source) {
	news := filepath.Join(shared, "data", "newsmtsc")
	geo := filepath.Join(root, "data", "geo")
	train = []Source{
		{Name: "newsmtsc/train", Path: filepath.Join(news, "train.stance.jsonl")},
		{Name: "team/geo_train_a", Path: filepath.Join(geo, "train_a.jsonl"), Weight: geoWeight},
		{Name: "team/geo_train_b", Path: filepath.Join(geo, "train_b.jsonl"), Weight: geoWeight},
		{Name: "team/geo_train_c", Path: filepath.Join(geo, "train_c.jsonl"), Weight: geoWeight},
	}
	dev = []Source{
		{Name: "newsmtsc/dev_rw", Path: filepath.Join(news, "dev_rw.stance.jsonl")},
		{Name: "newsmtsc/dev_mt", Path: filepath.Join(news, "dev_mt.stance.jsonl")},
		{Name: "team/geo_dev", Path: filepath.Join(geo, "dev_geo.jsonl")},
	}
	return train, dev
}

// Train fits a model. Progress goes to log.
func Train(cfg Config, an *classifier.Analyzer, log io.Writer) (*model.Model, error) {
	var train, holdout []example
	var datasets []model.Dataset
	for _, src := range cfg.Train {
		exs, err := dataset.ReadFile(src.Path)
		if err != nil {
			return nil, err
		}
		w := src.Weight
		if w == 0 {
			w = 1
		}
		n := 0
		err = extract(an, exs, float32(w), func(id string, e example) {
			n++
			if inHoldout(id, cfg.Holdout) {
				holdout = append(holdout, e)
			} else {
				train = append(train, e)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		datasets = append(datasets, model.Dataset{Name: src.Name, Targets: n})
		fmt.Fprintf(log, "train %s: %d targets\n", src.Name, n)
	}
	fmt.Fprintf(log, "fitting on %d targets, calibrating on %d\n", len(train), len(holdout))

	params := cfg.FitConfig.fit(train, holdout)
	fmt.Fprintf(log, "temperature %.3f\n", params.Temperature)
	params.DocThreshold = float32(cfg.DocThreshold)
	params.Meta = model.Metadata{
		Version:        version(params),
		Stage:          model.StageMention,
		Description:    cfg.Description,
		LexiconVersion: an.Lexicon().Version(),
		TrainingData:   datasets,
		Hyperparameters: map[string]float64{
			"hash_bits": float64(cfg.Bits), "epochs": float64(cfg.Epochs), "l2": cfg.L2,
			"learning_rate": cfg.LearningRate, "holdout": cfg.Holdout, "seed": float64(cfg.Seed),
			"class_balance": cfg.ClassBalance, "runs": float64(max(cfg.Runs, 1)),
		},
	}
	m, err := model.New(params)
	if err != nil {
		return nil, err
	}
	b, err := model.NewBundle(m, nil, nil)
	if err != nil {
		return nil, err
	}
	c, err := classifier.New(an, b)
	if err != nil {
		return nil, err
	}
	for _, src := range cfg.Dev {
		exs, err := dataset.ReadFile(src.Path)
		if err != nil {
			return nil, err
		}
		met, err := Evaluate(c, exs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		fmt.Fprintf(log, "dev %s: n=%d accuracy=%.4f macro-F1=%.4f ECE=%.4f\n", src.Name, met.N, met.Accuracy, met.MacroF1, met.ECE)
		params.Meta.Evaluations = append(params.Meta.Evaluations, met.Evaluation(src.Name))
	}
	return model.New(params)
}

// Evaluate classifies the targets of labelled examples and scores them.
func Evaluate(c *classifier.Classifier, exs []dataset.Example) (evaluation.Metrics, error) {
	var conf evaluation.Confusion
	for _, ex := range exs {
		golds := make([]model.Label, len(ex.Labels))
		for i, s := range ex.Labels {
			l, err := model.ParseLabel(s)
			if err != nil {
				return evaluation.Metrics{}, fmt.Errorf("%s: %w", ex.ID, err)
			}
			golds[i] = l
		}
		if len(golds) == 0 {
			continue
		}
		err := c.ScoreSpans(ex.Text, spansOf(ex), func(i int, probs [model.NumLabels]float32) {
			conf.Add(golds[i], probs)
		})
		if err != nil {
			return evaluation.Metrics{}, fmt.Errorf("%s: %w", ex.ID, err)
		}
	}
	return conf.Metrics(), nil
}

func spansOf(ex dataset.Example) []classifier.Span {
	spans := make([]classifier.Span, len(ex.Targets))
	for i, t := range ex.Targets {
		spans[i] = classifier.Span{Start: t.Start, End: t.End}
	}
	return spans
}

// extract computes the features of every labelled target.
func extract(an *classifier.Analyzer, exs []dataset.Example, weight float32, emit func(id string, e example)) error {
	for _, ex := range exs {
		if len(ex.Labels) == 0 {
			continue
		}
		labels := make([]model.Label, len(ex.Labels))
		for i, s := range ex.Labels {
			l, err := model.ParseLabel(s)
			if err != nil {
				return fmt.Errorf("%s: %w", ex.ID, err)
			}
			labels[i] = l
		}
		err := an.SpanFeatures(ex.Text, spansOf(ex), true, func(i int, fs []features.Feature) {
			e := example{label: labels[i], weight: weight, idx: make([]uint32, len(fs)), val: make([]float32, len(fs))}
			for j, f := range fs {
				e.idx[j], e.val[j] = f.Index, f.Value
			}
			emit(fmt.Sprintf("%s#%d", ex.ID, i), e)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", ex.ID, err)
		}
	}
	return nil
}
