package batch

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// This file writes ClassifyResponse as protojson does (with the .proto
// field names, fields at their default left out, enums by name, floats in
// their shortest round-tripping form, no spaces), message by message, with
// no reflection.
//
// Why: protojson walks every field through protoreflect and was most of a
// batch run's time: an answer to a news article is thousands of small
// messages. No generator fits: the protoc-gen-go-json plugins call
// protojson (reflective), and the one table-driven alternative found
// (sudorandom/protojsonx) calls itself experimental. The tests prove the
// bytes: TestJSONMatchesProtojson over the news corpus,
// TestJSONEveryField over every field of every answer message (walking
// the descriptors, so a new proto field fails it until it is written
// here), and FuzzJSONMatchesProtojson.

// Field selects the parts of a ClassifyResponse that are written; id,
// model_version and error always are.
type Field uint8

// The selectable parts of an answer.
const (
	FieldMentions Field = 1 << iota
	FieldEntities
	FieldTargeted
	FieldRelations
	FieldDyads

	AllFields = FieldMentions | FieldEntities | FieldTargeted | FieldRelations | FieldDyads
)

var fieldNames = []struct {
	f    Field
	name string
}{
	{FieldMentions, "mentions"}, {FieldEntities, "entities"}, {FieldTargeted, "targeted"},
	{FieldRelations, "relations"}, {FieldDyads, "dyads"},
}

// ParseFields reads a comma-separated list of the names of the selectable
// fields ("mentions,entities"); "all" or "" selects all of them.
func ParseFields(s string) (Field, error) {
	if s == "" || s == "all" {
		return AllFields, nil
	}
	var f Field
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] != ',' {
			j++
		}
		name := s[i:j]
		i = j + 1
		if j == len(s)-1 {
			return 0, fmt.Errorf("-fields %q ends in a comma", s)
		}
		found := false
		for _, fn := range fieldNames {
			if fn.name == name {
				f |= fn.f
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown field %q (want a comma-separated list of mentions, entities, targeted, relations, dyads, or all)", name)
		}
	}
	return f, nil
}

// String returns f as ParseFields reads it.
func (f Field) String() string {
	if f == AllFields {
		return "all"
	}
	var s string
	for _, fn := range fieldNames {
		if f&fn.f != 0 {
			if s != "" {
				s += ","
			}
			s += fn.name
		}
	}
	return s
}

// errInvalidUTF8 is what protojson refuses too: a string that is not
// valid UTF-8 has no JSON form.
var errInvalidUTF8 = errors.New("invalid UTF-8")

// jsonEncoder appends JSON to b; err is the first string that could not be
// written.
type jsonEncoder struct {
	b   []byte
	err error
}

// key writes a member name, quoted and with its colon (`"text":`, as
// every caller passes it), after a comma unless it is the object's first.
// A key always follows '{' or a complete value, which never ends in '{'.
func (e *jsonEncoder) key(k string) {
	if e.b[len(e.b)-1] != '{' {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, k...)
}

func (e *jsonEncoder) str(k, v string) {
	if v == "" {
		return
	}
	e.key(k)
	e.string(v)
}

func (e *jsonEncoder) uint32(k string, v uint32) {
	if v == 0 {
		return
	}
	e.key(k)
	e.b = strconv.AppendUint(e.b, uint64(v), 10)
}

func (e *jsonEncoder) int32(k string, v int32) {
	if v == 0 {
		return
	}
	e.key(k)
	e.b = strconv.AppendInt(e.b, int64(v), 10)
}

// float32 writes v unless its bits are zero (-0 is set, as protobuf sees
// it), as protojson does: shortest round-tripping decimal, exponent form
// below 1e-6 and from 1e21 with a two-digit exponent kept short, and
// NaN/Infinity as strings.
func (e *jsonEncoder) float32(k string, v float32) {
	if math.Float32bits(v) == 0 {
		return
	}
	e.key(k)
	switch {
	case v != v:
		e.b = append(e.b, `"NaN"`...)
		return
	case math.IsInf(float64(v), 1):
		e.b = append(e.b, `"Infinity"`...)
		return
	case math.IsInf(float64(v), -1):
		e.b = append(e.b, `"-Infinity"`...)
		return
	}
	if abs := float32(math.Abs(float64(v))); abs == 0 || abs >= 1e-6 && abs < 1e21 {
		e.b = strconv.AppendFloat(e.b, float64(v), 'f', -1, 32)
		return
	}
	e.b = strconv.AppendFloat(e.b, float64(v), 'e', -1, 32)
	// 1e-07 -> 1e-7, as encoding/json and protojson write it.
	if n := len(e.b); n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
		e.b[n-2] = e.b[n-1]
		e.b = e.b[:n-1]
	}
}

// enum writes an enum value by name, or by number when names does not
// know it (a newer server's value), as protojson does.
func (e *jsonEncoder) enum(k string, v int32, names []string) {
	if v == 0 {
		return
	}
	e.key(k)
	if v > 0 && int(v) < len(names) && names[v] != "" {
		e.b = append(e.b, names[v]...)
		return
	}
	e.b = strconv.AppendInt(e.b, int64(v), 10)
}

// safe[c] says whether byte c is an ASCII byte written as is inside a JSON
// string; other bytes are escaped, or start a multi-byte rune.
var safe = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// string writes s quoted, escaping as protojson does: '"', '\\' and
// control characters only (\b \f \n \r \t, others as \u00XX); no HTML
// escaping, and U+2028/U+2029 as they are.
func (e *jsonEncoder) string(s string) {
	e.b = append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if safe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			e.b = append(e.b, s[start:i]...)
			switch c {
			case '"', '\\':
				e.b = append(e.b, '\\', c)
			case '\b':
				e.b = append(e.b, '\\', 'b')
			case '\f':
				e.b = append(e.b, '\\', 'f')
			case '\n':
				e.b = append(e.b, '\\', 'n')
			case '\r':
				e.b = append(e.b, '\\', 'r')
			case '\t':
				e.b = append(e.b, '\\', 't')
			default:
				const hex = "0123456789abcdef"
				e.b = append(e.b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			if e.err == nil {
				e.err = errInvalidUTF8
			}
		}
		i += n
	}
	e.b = append(e.b, s[start:]...)
	e.b = append(e.b, '"')
}

// enumNames returns the quoted names of an enum's values, indexed by
// number, read once from its descriptor.
func enumNames(ed protoreflect.EnumDescriptor) []string {
	vals := ed.Values()
	var names []string
	for i := range vals.Len() {
		v := vals.Get(i)
		n := int(v.Number())
		if n < 0 || n > 1024 {
			continue
		}
		for len(names) <= n {
			names = append(names, "")
		}
		names[n] = strconv.Quote(string(v.Name()))
	}
	return names
}

var (
	stanceNames     = enumNames(stancev1.Stance(0).Descriptor())
	entityTypeNames = enumNames(stancev1.EntityType(0).Descriptor())
	cameoClassNames = enumNames(stancev1.CameoClass(0).Descriptor())
)

// appendResponse appends resp's JSON, writing only the parts in fields.
// Error details (google.protobuf.Any) are written by statusJSON.
func appendResponse(dst []byte, resp *stancev1.ClassifyResponse, fields Field) ([]byte, error) {
	e := jsonEncoder{b: append(dst, '{')}
	e.str(`"id":`, resp.Id)
	if fields&FieldMentions != 0 {
		e.mentions(`"mentions":`, resp.Mentions)
	}
	if fields&FieldEntities != 0 && len(resp.Entities) > 0 {
		e.key(`"entities":`)
		e.b = append(e.b, '[')
		for i, s := range resp.Entities {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.entityStance(s)
		}
		e.b = append(e.b, ']')
	}
	if fields&FieldTargeted != 0 {
		e.mentions(`"targeted":`, resp.Targeted)
	}
	e.str(`"model_version":`, resp.ModelVersion)
	if resp.Error != nil {
		e.key(`"error":`)
		e.status(resp.Error)
	}
	if fields&FieldRelations != 0 && len(resp.Relations) > 0 {
		e.key(`"relations":`)
		e.b = append(e.b, '[')
		for i, r := range resp.Relations {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.relation(r)
		}
		e.b = append(e.b, ']')
	}
	if fields&FieldDyads != 0 && len(resp.Dyads) > 0 {
		e.key(`"dyads":`)
		e.b = append(e.b, '[')
		for i, d := range resp.Dyads {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.dyad(d)
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
	if e.err != nil {
		return dst, e.err
	}
	return e.b, nil
}

func (e *jsonEncoder) mentions(k string, ms []*stancev1.Mention) {
	if len(ms) == 0 {
		return
	}
	e.key(k)
	e.b = append(e.b, '[')
	for i, m := range ms {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.mention(m)
	}
	e.b = append(e.b, ']')
}

func (e *jsonEncoder) mention(m *stancev1.Mention) {
	e.b = append(e.b, '{')
	if m.Span != nil {
		e.key(`"span":`)
		e.span(m.Span)
	}
	e.str(`"text":`, m.Text)
	if m.Entity != nil {
		e.key(`"entity":`)
		e.entityRef(m.Entity)
	}
	e.enum(`"label":`, int32(m.Label), stanceNames)
	if m.Probabilities != nil {
		e.key(`"probabilities":`)
		e.probabilities(m.Probabilities)
	}
	e.evidence(m.Evidence)
	if m.Holder != nil {
		e.key(`"holder":`)
		e.entityRef(m.Holder)
	}
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) span(s *stancev1.Span) {
	e.b = append(e.b, '{')
	e.uint32(`"start":`, s.Start)
	e.uint32(`"end":`, s.End)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) entityRef(r *stancev1.EntityRef) {
	e.b = append(e.b, '{')
	e.str(`"id":`, r.Id)
	e.str(`"name":`, r.Name)
	e.enum(`"type":`, int32(r.Type), entityTypeNames)
	e.str(`"country_id":`, r.CountryId)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) probabilities(p *stancev1.Probabilities) {
	e.b = append(e.b, '{')
	e.float32(`"hostile":`, p.Hostile)
	e.float32(`"cooperative":`, p.Cooperative)
	e.float32(`"neutral":`, p.Neutral)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) evidence(ev []*stancev1.Evidence) {
	if len(ev) == 0 {
		return
	}
	e.key(`"evidence":`)
	e.b = append(e.b, '[')
	for i, x := range ev {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = append(e.b, '{')
		if x.Span != nil {
			e.key(`"span":`)
			e.span(x.Span)
		}
		e.str(`"text":`, x.Text)
		e.float32(`"contribution":`, x.Contribution)
		e.enum(`"stance":`, int32(x.Stance), stanceNames)
		e.str(`"source":`, x.Source)
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, ']')
}

func (e *jsonEncoder) entityStance(s *stancev1.EntityStance) {
	e.b = append(e.b, '{')
	if s.Entity != nil {
		e.key(`"entity":`)
		e.entityRef(s.Entity)
	}
	e.enum(`"label":`, int32(s.Label), stanceNames)
	if s.Probabilities != nil {
		e.key(`"probabilities":`)
		e.probabilities(s.Probabilities)
	}
	e.uint32(`"mention_count":`, s.MentionCount)
	e.float32(`"salience":`, s.Salience)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) party(p *stancev1.Party) {
	e.b = append(e.b, '{')
	if p.Span != nil {
		e.key(`"span":`)
		e.span(p.Span)
	}
	e.str(`"text":`, p.Text)
	if p.Entity != nil {
		e.key(`"entity":`)
		e.entityRef(p.Entity)
	}
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) relation(r *stancev1.Relation) {
	e.b = append(e.b, '{')
	if r.Holder != nil {
		e.key(`"holder":`)
		e.party(r.Holder)
	}
	if r.Target != nil {
		e.key(`"target":`)
		e.party(r.Target)
	}
	e.enum(`"label":`, int32(r.Label), stanceNames)
	if r.Probabilities != nil {
		e.key(`"probabilities":`)
		e.probabilities(r.Probabilities)
	}
	e.evidence(r.Evidence)
	if r.Sentence != nil {
		e.key(`"sentence":`)
		e.span(r.Sentence)
	}
	e.enum(`"cameo_class":`, int32(r.CameoClass), cameoClassNames)
	e.str(`"cameo_code":`, r.CameoCode)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) dyad(d *stancev1.Dyad) {
	e.b = append(e.b, '{')
	if d.Holder != nil {
		e.key(`"holder":`)
		e.entityRef(d.Holder)
	}
	if d.Target != nil {
		e.key(`"target":`)
		e.entityRef(d.Target)
	}
	e.enum(`"label":`, int32(d.Label), stanceNames)
	if d.Probabilities != nil {
		e.key(`"probabilities":`)
		e.probabilities(d.Probabilities)
	}
	e.uint32(`"support":`, d.Support)
	e.b = append(e.b, '}')
}

// status writes a google.rpc.Status. Its details are Any messages, whose
// JSON form needs their type resolved: they are rare (a rejected
// document's field violations) and written by protojson.
func (e *jsonEncoder) status(st *statuspb.Status) {
	if len(st.Details) > 0 {
		b, err := statusJSON(e.b, st)
		if err != nil {
			if e.err == nil {
				e.err = err
			}
			return
		}
		e.b = b
		return
	}
	e.b = append(e.b, '{')
	e.int32(`"code":`, st.Code)
	e.str(`"message":`, st.Message)
	e.b = append(e.b, '}')
}
