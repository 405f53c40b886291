package wire

import (
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/entities"
	"google.golang.org/protobuf/encoding/protowire"
)

// AnswerBytes bounds from above the encoded size of the answer that
// Arena.Response builds from res for a request with id, without building it: the server refuses an
// answer over its limit before spending the memory on it. Offsets are
// counted as UTF-8 bytes, which no other encoding exceeds, and every field
// as present; otherwise the sizes are protobuf's, so the bound is tight.
// It costs a pass over the mentions and their evidence, a small fraction
// of classifying them.
func AnswerBytes(id string, res *classifier.Result, spanText bool, version string) int {
	n := str(len(id)) + str(len(version))
	for i := range res.Mentions {
		n += mentionBytes(&res.Mentions[i], true)
	}
	for i := range res.Targeted {
		n += mentionBytes(&res.Targeted[i], spanText)
	}
	for i := range res.Entities {
		e := &res.Entities[i]
		n += msg(refBytes(e.Entity) + enumBytes + probBytes + 1 + protowire.SizeVarint(uint64(e.Mentions)) + 5)
	}
	for i := range res.Relations {
		r := &res.Relations[i]
		body := partyBytes(r.Holder) + partyBytes(r.Target) + enumBytes + probBytes + spanBytes(r.Sentence) + enumBytes + str(len(r.CAMEO))
		for _, e := range r.Evidence {
			body += evidenceBytes(e)
		}
		n += msg(body)
	}
	for i := range res.Dyads {
		d := &res.Dyads[i]
		n += msg(refBytes(d.Holder) + refBytes(d.Target) + enumBytes + probBytes + 1 + protowire.SizeVarint(uint64(d.Support)))
	}
	return n
}

const (
	enumBytes = 1 + 2           // a key and an enum's varint
	probBytes = 1 + 1 + 3*(1+4) // Probabilities: three fixed32
)

// msg is the size of a nested message field whose body is n bytes.
func msg(n int) int { return 1 + protowire.SizeVarint(uint64(n)) + n }

// str is the size of a string field of n bytes (left out when empty).
func str(n int) int {
	if n == 0 {
		return 0
	}
	return msg(n)
}

func spanBytes(s classifier.Span) int {
	return msg(2 + protowire.SizeVarint(uint64(s.Start)) + protowire.SizeVarint(uint64(s.End)))
}

func mentionBytes(m *classifier.Mention, text bool) int {
	body := spanBytes(m.Span) + enumBytes + probBytes
	if text {
		body += str(m.Span.End-m.Span.Start) + refBytes(m.Entity)
	} else {
		// toProto leaves out an explicit span's text, and the name of an
		// entity made of it.
		e := m.Entity
		if e.ID == "" {
			e.Name = ""
		}
		body += refBytes(e)
	}
	if m.Holder.ID != "" {
		body += refBytes(m.Holder)
	}
	for _, e := range m.Evidence {
		body += evidenceBytes(e)
	}
	return msg(body)
}

func partyBytes(p classifier.Party) int {
	return msg(spanBytes(p.Span) + str(p.Span.End-p.Span.Start) + refBytes(p.Entity))
}

func evidenceBytes(e classifier.Evidence) int {
	return msg(spanBytes(e.Span) + str(e.Span.End-e.Span.Start) + 5 + enumBytes + str(len(e.Source)))
}

func refBytes(e entities.Entity) int {
	return msg(str(len(e.ID)) + str(len(e.Name)) + enumBytes + str(len(e.Country)))
}
