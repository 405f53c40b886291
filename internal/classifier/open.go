package classifier

import (
	"fmt"
	"os"

	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/model/embedded"
)

// Sources say where the serving pieces come from. Empty paths mean the
// embedded defaults.
type Sources struct {
	// ModelPath is a model file written by stancetrain.
	ModelPath string
	// LexiconPath is a lexicon file (lexicon TSV) whose cues add to or
	// override the built-in lexicon, without retraining.
	LexiconPath string
}

// Open loads the tokenizer, gazetteer, lexicon and model and joins them.
// It is called at start-up and on every reload, never per request.
func Open(src Sources, tok *features.Tokenizer) (*Classifier, error) {
	m, err := loadModel(src.ModelPath)
	if err != nil {
		return nil, err
	}
	lex := lexicon.Default()
	if src.LexiconPath != "" {
		f, err := os.Open(src.LexiconPath)
		if err != nil {
			return nil, fmt.Errorf("open lexicon: %w", err)
		}
		defer f.Close()
		user, err := lexicon.Load(f)
		if err != nil {
			return nil, fmt.Errorf("load lexicon %s: %w", src.LexiconPath, err)
		}
		lex = lex.Merge(user)
	}
	return New(NewAnalyzer(tok, entities.Default(), lex, m.Bits()), m)
}

func loadModel(path string) (*model.Bundle, error) {
	if path == "" {
		m, err := embedded.Model()
		if err != nil {
			return nil, fmt.Errorf("load embedded model: %w", err)
		}
		return m, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	defer f.Close()
	m, err := model.LoadBundle(f)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return m, nil
}
