package model

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The stages a bundle holds, in file order.
const (
	StageMention  = "mention"
	StageRelation = "relation"
	StageDocument = "document"
)

// bundleFormat is the first line of a bundle file: gzip holding that JSON
// line, then each stage's model as Write writes it uncompressed (header
// line and weight records), in the order the line lists them.
const bundleFormat = "stance-model-bundle/1"

type bundleHeader struct {
	Format string   `json:"format"`
	Stages []string `json:"stages"`
}

// Bundle is the set of models that serve together: the mention stance
// model, the relation model and the document model. Relation and Document
// may be nil (a file from before bundles): those stages are then skipped.
// A Bundle is immutable and safe for concurrent use.
type Bundle struct {
	Mention, Relation, Document *Model
	version                     string
}

// NewBundle checks that the models are for their stages and joins them.
func NewBundle(mention, relation, document *Model) (*Bundle, error) {
	var errs []error
	check := func(m *Model, stage string, required bool) {
		switch {
		case m == nil && required:
			errs = append(errs, fmt.Errorf("no %s model", stage))
		case m != nil && m.meta.Stage != stage && !(stage == StageMention && m.meta.Stage == ""):
			errs = append(errs, fmt.Errorf("the %s model %s is for stage %q", stage, m.Version(), m.meta.Stage))
		}
	}
	check(mention, StageMention, true)
	check(relation, StageRelation, false)
	check(document, StageDocument, false)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalidModel, errors.Join(errs...))
	}
	b := &Bundle{Mention: mention, Relation: relation, Document: document}
	b.version = mention.Version()
	if relation != nil || document != nil {
		// One version names the combination, so that a response says
		// exactly which three models made it.
		h := sha256.New()
		for _, m := range b.models() {
			io.WriteString(h, m.meta.Stage+"="+m.Version()+"\n")
		}
		b.version = "stance-" + hex.EncodeToString(h.Sum(nil))[:12]
	}
	return b, nil
}

// models returns the bundle's models in file order.
func (b *Bundle) models() []*Model {
	var out []*Model
	for _, m := range []*Model{b.Mention, b.Relation, b.Document} {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// Version names the bundle: the mention model's version when it is alone,
// otherwise a hash of the three versions. Every response carries it.
func (b *Bundle) Version() string { return b.version }

// Bits returns the mention model's hash width.
func (b *Bundle) Bits() uint { return b.Mention.Bits() }

// NonZero returns the number of non-zero weights of all stages.
func (b *Bundle) NonZero() int {
	n := 0
	for _, m := range b.models() {
		n += m.NonZero()
	}
	return n
}

// Metadata describes the bundle: the mention model's metadata under the
// bundle's version, with the evaluations and training data of every stage
// (the other stages' data set names prefixed with the stage).
func (b *Bundle) Metadata() Metadata {
	meta := b.Mention.Metadata()
	meta.Version = b.version
	meta.Evaluations = append([]Evaluation(nil), meta.Evaluations...)
	meta.TrainingData = append([]Dataset(nil), meta.TrainingData...)
	var desc []string
	if meta.Description != "" {
		desc = append(desc, meta.Description)
	}
	for _, m := range []*Model{b.Relation, b.Document} {
		if m == nil {
			continue
		}
		mm := m.Metadata()
		for _, e := range mm.Evaluations {
			e.Dataset = mm.Stage + ":" + e.Dataset
			meta.Evaluations = append(meta.Evaluations, e)
		}
		for _, d := range mm.TrainingData {
			d.Name = mm.Stage + ":" + d.Name
			meta.TrainingData = append(meta.TrainingData, d)
		}
		if mm.Description != "" {
			desc = append(desc, mm.Description)
		}
	}
	meta.Description = strings.Join(desc, " ")
	return meta
}

// Write writes b in the bundle file format.
func (b *Bundle) Write(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	h := bundleHeader{Format: bundleFormat}
	for _, m := range b.models() {
		h.Stages = append(h.Stages, m.meta.Stage)
	}
	line, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw.Write(line)
	bw.WriteByte('\n')
	for _, m := range b.models() {
		if err := m.writeBody(bw); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// LoadBundle reads a bundle file, or a single mention model file (which
// becomes a bundle without relation and document stages). Every model is
// checked as Load checks it.
func LoadBundle(r io.Reader) (*Bundle, error) {
	br, line, err := openFile(r)
	if err != nil {
		return nil, err
	}
	var h bundleHeader
	if err := json.Unmarshal(line, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrInvalidModel, err)
	}
	models := map[string]*Model{}
	if h.Format != bundleFormat {
		m, err := readBody(br, line)
		if err != nil {
			return nil, err
		}
		models[StageMention] = m
	} else {
		if len(h.Stages) == 0 || len(h.Stages) > 3 {
			return nil, fmt.Errorf("%w: %d stages", ErrInvalidModel, len(h.Stages))
		}
		for _, stage := range h.Stages {
			line, err := readLine(br, maxHeaderBytes)
			if err != nil {
				return nil, fmt.Errorf("%w: %s model header: %w", ErrInvalidModel, stage, err)
			}
			m, err := readBody(br, line)
			if err != nil {
				return nil, fmt.Errorf("%s model: %w", stage, err)
			}
			if m.meta.Stage != stage || models[stage] != nil {
				return nil, fmt.Errorf("%w: model %d is for stage %q, listed as %q", ErrInvalidModel, len(models), m.meta.Stage, stage)
			}
			models[stage] = m
		}
	}
	var b [1]byte
	if n, _ := br.Read(b[:]); n != 0 {
		return nil, fmt.Errorf("%w: data after the last model", ErrInvalidModel)
	}
	return NewBundle(models[StageMention], models[StageRelation], models[StageDocument])
}
