package wire

import (
	"bytes"
	"math"
	"sync"

	"google.golang.org/grpc/encoding"
	encproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
)

// Codec is the server's gRPC codec: protobuf's, except that the answers of
// Classify, ClassifyBatch and ClassifyStream are encoded by
// appendClassifyResponse.
//
// Why: an answer to a 5 KB article is some 1,500 small messages (30 KB),
// and protobuf's reflective encoder, which sizes every message in one pass
// and writes it in another, was a fifth of a ClassifyStream server's CPU.
// appendClassifyResponse writes each message once, in field-number order
// as protobuf does, so the bytes are the same; TestMarshalMatchesProto
// checks that over the news corpus and FuzzClassify for any request. It
// writes the known fields only: the answers are built by the server and
// carry no unknown ones.
type Codec struct {
	proto encoding.CodecV2
}

// NewCodec returns the codec; install it with grpc.ForceServerCodecV2.
func NewCodec() Codec { return Codec{proto: encoding.GetCodecV2(encproto.Name)} }

// Name implements encoding.CodecV2.
func (c Codec) Name() string { return encproto.Name }

// Unmarshal implements encoding.CodecV2 with protobuf's decoder.
func (c Codec) Unmarshal(data mem.BufferSlice, v any) error { return c.proto.Unmarshal(data, v) }

// Marshal implements encoding.CodecV2.
func (c Codec) Marshal(v any) (mem.BufferSlice, error) {
	var b []byte
	switch m := v.(type) {
	case *stancev1.ClassifyResponse:
		b = appendClassifyResponse(c.buffer(), m)
	case *stancev1.ClassifyBatchResponse:
		b = c.buffer()
		for _, r := range m.GetResponses() {
			b = appendMessage(b, 1, r, appendClassifyResponse)
		}
	default:
		return c.proto.Marshal(v)
	}
	// The answer's size is known only now: it is copied from the scratch
	// buffer into one of that size, from gRPC's pool (which gRPC frees
	// once written) when large enough, as the protobuf codec does.
	defer c.putBuffer(b)
	if mem.IsBelowBufferPoolingThreshold(len(b)) {
		return mem.BufferSlice{mem.SliceBuffer(bytes.Clone(b))}, nil
	}
	pool := mem.DefaultBufferPool()
	buf := pool.Get(len(b))
	copy(*buf, b)
	return mem.BufferSlice{mem.NewBuffer(buf, pool)}, nil
}

// scratch holds the buffers that answers are encoded into.
var scratch sync.Pool

// buffer returns an empty scratch buffer to encode into; putBuffer takes
// it back once its bytes are copied out.
func (c Codec) buffer() []byte {
	if p, ok := scratch.Get().(*[]byte); ok {
		return (*p)[:0]
	}
	return make([]byte, 0, 32<<10)
}

func (c Codec) putBuffer(b []byte) {
	if cap(b) > 1<<20 {
		return // a huge answer: let it go rather than keep it
	}
	scratch.Put(&b)
}

// appendMessage appends field num holding message m, as append encodes it,
// to b. The length goes before the body but is known only after it: one
// byte is reserved, and the rare longer body is moved to make room.
func appendMessage[M any](b []byte, num protowire.Number, m M, appendFn func([]byte, M) []byte) []byte {
	b = appendTag(b, num, protowire.BytesType)
	at := len(b)
	b = append(b, 0)
	b = appendFn(b, m)
	n := len(b) - at - 1
	if n < 0x80 {
		b[at] = byte(n)
		return b
	}
	size := protowire.SizeVarint(uint64(n))
	b = append(b, make([]byte, size-1)...)
	copy(b[at+size:], b[at+1:at+1+n])
	protowire.AppendVarint(b[at:at], uint64(n))
	return b
}

// appendTag appends the key of field num. Every field number of these
// messages is below 16, so a key is one byte.
func appendTag(b []byte, num protowire.Number, typ protowire.Type) []byte {
	return append(b, byte(num)<<3|byte(typ))
}

// appendVarint is protowire.AppendVarint in a loop the compiler inlines:
// nearly every varint here is one or two bytes, and the call was a third
// of the encoding.
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = appendTag(b, num, protowire.BytesType)
	b = appendVarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendUint(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = appendTag(b, num, protowire.VarintType)
	return appendVarint(b, v)
}

// appendFloat appends a float field unless it is +0, which implicit
// presence leaves out (protobuf writes -0).
func appendFloat(b []byte, num protowire.Number, v float32) []byte {
	bits := math.Float32bits(v)
	if bits == 0 {
		return b
	}
	b = appendTag(b, num, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, bits)
}

func appendClassifyResponse(b []byte, r *stancev1.ClassifyResponse) []byte {
	b = appendString(b, 1, r.GetId())
	for _, m := range r.GetMentions() {
		b = appendMessage(b, 2, m, appendMention)
	}
	for _, e := range r.GetEntities() {
		b = appendMessage(b, 3, e, appendEntityStance)
	}
	for _, m := range r.GetTargeted() {
		b = appendMessage(b, 4, m, appendMention)
	}
	b = appendString(b, 5, r.GetModelVersion())
	if st := r.GetError(); st != nil {
		b = appendMessage[proto.Message](b, 6, st, func(b []byte, st proto.Message) []byte {
			// Rare, and carries Any details: protobuf's encoder. Errors
			// surface in the tests' comparison with it.
			out, _ := proto.MarshalOptions{}.MarshalAppend(b, st)
			return out
		})
	}
	for _, r := range r.GetRelations() {
		b = appendMessage(b, 7, r, appendRelation)
	}
	for _, d := range r.GetDyads() {
		b = appendMessage(b, 8, d, appendDyad)
	}
	return b
}

func appendParty(b []byte, p *stancev1.Party) []byte {
	if s := p.GetSpan(); s != nil {
		b = appendMessage(b, 1, s, appendSpan)
	}
	b = appendString(b, 2, p.GetText())
	if e := p.GetEntity(); e != nil {
		b = appendMessage(b, 3, e, appendEntityRef)
	}
	return b
}

func appendRelation(b []byte, r *stancev1.Relation) []byte {
	if p := r.GetHolder(); p != nil {
		b = appendMessage(b, 1, p, appendParty)
	}
	if p := r.GetTarget(); p != nil {
		b = appendMessage(b, 2, p, appendParty)
	}
	b = appendUint(b, 3, uint64(r.GetLabel()))
	if p := r.GetProbabilities(); p != nil {
		b = appendMessage(b, 4, p, appendProbabilities)
	}
	for _, e := range r.GetEvidence() {
		b = appendMessage(b, 5, e, appendEvidence)
	}
	if s := r.GetSentence(); s != nil {
		b = appendMessage(b, 6, s, appendSpan)
	}
	b = appendUint(b, 7, uint64(r.GetCameoClass()))
	return appendString(b, 8, r.GetCameoCode())
}

func appendDyad(b []byte, d *stancev1.Dyad) []byte {
	if e := d.GetHolder(); e != nil {
		b = appendMessage(b, 1, e, appendEntityRef)
	}
	if e := d.GetTarget(); e != nil {
		b = appendMessage(b, 2, e, appendEntityRef)
	}
	b = appendUint(b, 3, uint64(d.GetLabel()))
	if p := d.GetProbabilities(); p != nil {
		b = appendMessage(b, 4, p, appendProbabilities)
	}
	return appendUint(b, 5, uint64(d.GetSupport()))
}

func appendMention(b []byte, m *stancev1.Mention) []byte {
	if s := m.GetSpan(); s != nil {
		b = appendMessage(b, 1, s, appendSpan)
	}
	b = appendString(b, 2, m.GetText())
	if e := m.GetEntity(); e != nil {
		b = appendMessage(b, 3, e, appendEntityRef)
	}
	b = appendUint(b, 4, uint64(m.GetLabel()))
	if p := m.GetProbabilities(); p != nil {
		b = appendMessage(b, 5, p, appendProbabilities)
	}
	for _, e := range m.GetEvidence() {
		b = appendMessage(b, 6, e, appendEvidence)
	}
	if h := m.GetHolder(); h != nil {
		b = appendMessage(b, 7, h, appendEntityRef)
	}
	return b
}

func appendSpan(b []byte, s *stancev1.Span) []byte {
	b = appendUint(b, 1, uint64(s.GetStart()))
	return appendUint(b, 2, uint64(s.GetEnd()))
}

func appendEntityRef(b []byte, e *stancev1.EntityRef) []byte {
	b = appendString(b, 1, e.GetId())
	b = appendString(b, 2, e.GetName())
	b = appendUint(b, 3, uint64(e.GetType()))
	return appendString(b, 4, e.GetCountryId())
}

func appendProbabilities(b []byte, p *stancev1.Probabilities) []byte {
	b = appendFloat(b, 1, p.GetHostile())
	b = appendFloat(b, 2, p.GetCooperative())
	return appendFloat(b, 3, p.GetNeutral())
}

func appendEvidence(b []byte, e *stancev1.Evidence) []byte {
	if s := e.GetSpan(); s != nil {
		b = appendMessage(b, 1, s, appendSpan)
	}
	b = appendString(b, 2, e.GetText())
	b = appendFloat(b, 3, e.GetContribution())
	b = appendUint(b, 4, uint64(e.GetStance()))
	return appendString(b, 5, e.GetSource())
}

func appendEntityStance(b []byte, e *stancev1.EntityStance) []byte {
	if r := e.GetEntity(); r != nil {
		b = appendMessage(b, 1, r, appendEntityRef)
	}
	b = appendUint(b, 2, uint64(e.GetLabel()))
	if p := e.GetProbabilities(); p != nil {
		b = appendMessage(b, 3, p, appendProbabilities)
	}
	b = appendUint(b, 4, uint64(e.GetMentionCount()))
	return appendFloat(b, 5, e.GetSalience())
}
