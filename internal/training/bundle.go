package training

import (
	"io"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
)

// mentionFolds is k of the mention model's cross-validation, whose pooled
// out-of-fold scores the bundle records.
const mentionFolds = 5

// newClassifier joins an analyzer with a mention model and, when not
// nil, a relation model, as the next stage's trainer or an evaluation
// reads them.
func newClassifier(an *classifier.Analyzer, mention, relation *model.Model) (*classifier.Classifier, error) {
	b, err := model.NewBundle(mention, relation, nil)
	if err != nil {
		return nil, err
	}
	return classifier.New(an, b)
}

// Stages of TrainBundle: "mention", "relation", or all three for "bundle"
// or "document".

// TrainBundle trains the mention model (recording its cross-validated
// scores), then, unless stage stops there,
// the relation model and the document model, each on top of the ones
// before, as they serve together. docOpts change the document model's
// default settings (DefaultDocumentConfig), as stancetrain's -save does.
func TrainBundle(stage, shared, root string, log io.Writer, docOpts ...func(*DocumentConfig)) (*model.Bundle, error) {
	tok, err := features.NewTokenizer()
	if err != nil {
		return nil, err
	}
	cfg := DefaultConfig()
	// The dev sets are training data now: the mention model's recorded
	// scores are cross-validated.
	cfg.Train, _ = DefaultData(shared, root, DefaultGeoWeight)
	an := classifier.NewAnalyzer(tok, entities.Default(), lexicon.Default(), cfg.Bits)
	mention, err := Train(cfg, an, log)
	if err != nil {
		return nil, err
	}
	cv, err := CrossValidate(cfg, an, mentionFolds, log)
	if err != nil {
		return nil, err
	}
	mention = mention.WithEvaluations(cv.Evaluations())
	if stage == "mention" {
		return model.NewBundle(mention, nil, nil)
	}
	relation, err := TrainRelation(DefaultRelationConfig(shared, root), an, mention, log)
	if err != nil {
		return nil, err
	}
	if stage == "relation" {
		return model.NewBundle(mention, relation, nil)
	}
	c, err := newClassifier(an, mention, relation)
	if err != nil {
		return nil, err
	}
	dcfg := DefaultDocumentConfig(shared, root)
	for _, o := range docOpts {
		o(&dcfg)
	}
	document, _, err := TrainDocument(dcfg, c, log)
	if err != nil {
		return nil, err
	}
	return model.NewBundle(mention, relation, document)
}
