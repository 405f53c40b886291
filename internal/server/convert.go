package server

import (
	"fmt"
	"unicode/utf8"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/offsets"
	"github.com/stance/classifierd/internal/wire"
)

// Field limits that are not configurable: they only guard against abuse.
const (
	maxIDBytes    = 256
	maxNameBytes  = 256
	maxEvidence   = 20
	defaultMaxEvd = 5
)

// tooLargeError is a document over the size limit.
type tooLargeError struct{ size, limit int }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("text is %d bytes; the limit is %d bytes", e.size, e.limit)
}

// answerTooLargeError is a document whose answer would pass a limit on
// mentions or on the answer's size.
type answerTooLargeError struct {
	what        string // "mentions", "response bytes"
	size, limit int
}

func (e *answerTooLargeError) Error() string {
	return fmt.Sprintf("the answer would have %d %s; the limit is %d (send a shorter document, fewer spans, or less evidence)", e.size, e.what, e.limit)
}

// toDomain validates req and converts it to a classifier request with
// UTF-8 byte offsets, returning the converter for the response's offsets.
// Every field problem is reported at once.
func (s *Server) toDomain(req *stancev1.ClassifyRequest) (classifier.Request, *offsets.Converter, error) {
	text := req.GetText()
	if len(text) > s.limits.MaxDocumentBytes {
		return classifier.Request{}, nil, &tooLargeError{len(text), s.limits.MaxDocumentBytes}
	}
	var errs classifier.FieldErrors
	bad := func(field, format string, args ...any) {
		errs = append(errs, &classifier.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	checkString := func(field, v string, limit int) {
		switch {
		case len(v) > limit:
			bad(field, "is %d bytes; the limit is %d", len(v), limit)
		case !utf8.ValidString(v):
			bad(field, "is not valid UTF-8")
		}
	}
	checkString("id", req.GetId(), maxIDBytes)
	if !utf8.ValidString(text) {
		bad("text", "is not valid UTF-8")
	}
	enc, ok := encodings[req.GetOffsetEncoding()]
	if !ok {
		bad("offset_encoding", "unknown encoding %d", req.GetOffsetEncoding())
	}
	if n := len(req.GetSpans()); n > s.limits.MaxSpans {
		bad("spans", "has %d spans; the limit is %d", n, s.limits.MaxSpans)
	}
	if n := len(req.GetTargets()); n > s.limits.MaxTargets {
		bad("targets", "has %d targets; the limit is %d", n, s.limits.MaxTargets)
	}
	opts := req.GetOptions()
	if opts.GetMaxEvidence() > maxEvidence {
		bad("options.max_evidence", "is %d; the limit is %d", opts.GetMaxEvidence(), maxEvidence)
	}
	targets := make([]entities.Target, 0, len(req.GetTargets()))
	for i, t := range req.GetTargets() {
		field := fmt.Sprintf("targets[%d]", i)
		if t.GetName() == "" {
			bad(field+".name", "is required")
		} else {
			checkString(field+".name", t.GetName(), maxNameBytes)
		}
		checkString(field+".id", t.GetId(), maxIDBytes)
		if n := len(t.GetAliases()); n > s.limits.MaxAliases {
			bad(field+".aliases", "has %d aliases; the limit is %d", n, s.limits.MaxAliases)
		}
		for j, a := range t.GetAliases() {
			if a == "" {
				bad(fmt.Sprintf("%s.aliases[%d]", field, j), "is empty")
			} else {
				checkString(fmt.Sprintf("%s.aliases[%d]", field, j), a, maxNameBytes)
			}
		}
		if _, known := stancev1.EntityType_name[int32(t.GetType())]; !known {
			bad(field+".type", "unknown entity type %d", t.GetType())
		}
		targets = append(targets, entities.Target{ID: t.GetId(), Name: t.GetName(), Aliases: t.GetAliases(), Type: entities.Type(t.GetType())})
	}
	if len(errs) > 0 {
		return classifier.Request{}, nil, errs
	}

	// Spans are checked here, in the caller's units, so that every message
	// names the offsets the caller sent: the classifier checks them again
	// but would speak in UTF-8 bytes.
	conv := offsets.NewConverter(text, enc)
	spans := make([]classifier.Span, 0, len(req.GetSpans()))
	for i, sp := range req.GetSpans() {
		field := fmt.Sprintf("spans[%d]", i)
		switch {
		case sp.GetStart() > sp.GetEnd():
			bad(field, "start %d is after end %d", sp.GetStart(), sp.GetEnd())
			continue
		case sp.GetStart() == sp.GetEnd():
			bad(field, "empty span at %d in %s", sp.GetStart(), enc)
			continue
		}
		start, err1 := conv.ToBytes(sp.GetStart())
		end, err2 := conv.ToBytes(sp.GetEnd())
		if err := firstErr(err1, err2); err != nil {
			bad(field, "[%d, %d) in %s: %v", sp.GetStart(), sp.GetEnd(), enc, err)
			continue
		}
		spans = append(spans, classifier.Span{Start: start, End: end})
	}
	if len(errs) > 0 {
		return classifier.Request{}, nil, errs
	}

	evidence := 0
	if opts == nil || opts.IncludeEvidence == nil || opts.GetIncludeEvidence() {
		evidence = int(opts.GetMaxEvidence())
		if evidence == 0 {
			evidence = defaultMaxEvd
		}
	}
	return classifier.Request{
		Text:        text,
		Targets:     targets,
		Spans:       spans,
		Builtin:     opts == nil || opts.BuiltinEntities == nil || opts.GetBuiltinEntities(),
		MaxEvidence: evidence,
	}, conv, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

var encodings = map[stancev1.OffsetEncoding]offsets.Encoding{
	stancev1.OffsetEncoding_OFFSET_ENCODING_UNSPECIFIED: offsets.UTF8,
	stancev1.OffsetEncoding_OFFSET_ENCODING_UTF8:        offsets.UTF8,
	stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16:       offsets.UTF16,
	stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS: offsets.CodePoints,
}

// modelInfo describes the classifier for GetModelInfo.
func modelInfo(c *classifier.Classifier, l Limits) *stancev1.GetModelInfoResponse {
	m := c.Model()
	meta := m.Metadata()
	an := c.Analyzer()
	info := &stancev1.GetModelInfoResponse{
		ModelVersion:    m.Version(),
		Labels:          wire.Labels(),
		EntityCount:     uint32(an.Gazetteer().Entities()),
		AliasCount:      uint32(an.Gazetteer().Aliases()),
		LexiconCueCount: uint32(an.Lexicon().Len()),
		LexiconVersion:  an.Lexicon().Version(),
		FeatureCount:    uint32(m.NonZero()),
		Description:     meta.Description,
		Limits: &stancev1.Limits{
			MaxDocumentBytes:  uint32(l.MaxDocumentBytes),
			MaxBatchDocuments: uint32(l.MaxBatchDocuments),
			MaxSpans:          uint32(l.MaxSpans),
			MaxTargets:        uint32(l.MaxTargets),
			MaxAliases:        uint32(l.MaxAliases),
			MaxMentions:       uint32(l.MaxMentions),
			MaxResponseBytes:  uint32(l.MaxResponseBytes),
		},
	}
	for _, d := range meta.TrainingData {
		info.TrainingData = append(info.TrainingData, &stancev1.Dataset{Name: d.Name, Targets: uint32(d.Targets)})
	}
	for _, e := range meta.Evaluations {
		pe := &stancev1.Evaluation{Dataset: e.Dataset, Targets: uint32(e.Targets), Accuracy: float32(e.Accuracy),
			MacroF1: float32(e.MacroF1), ExpectedCalibrationError: float32(e.ECE),
			MacroF1Low: float32(e.MacroF1Low), MacroF1High: float32(e.MacroF1High)}
		for _, pc := range e.PerClass {
			l, err := model.ParseLabel(pc.Label)
			if err != nil {
				continue
			}
			pe.PerClass = append(pe.PerClass, &stancev1.ClassScores{Label: wire.Stance(l), Precision: float32(pc.Precision),
				Recall: float32(pc.Recall), F1: float32(pc.F1), Support: uint32(pc.Support)})
		}
		info.Evaluations = append(info.Evaluations, pe)
	}
	return info
}
