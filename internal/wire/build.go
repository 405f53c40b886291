package wire

import (
	"slices"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/offsets"
)

// Stance returns the API's stance for label l.
func Stance(l model.Label) stancev1.Stance { return stances[l] }

// Labels returns the API's stances of the model's labels, in label order.
func Labels() []stancev1.Stance { return slices.Clone(stances[:]) }

var stances = [model.NumLabels]stancev1.Stance{
	model.Hostile:     stancev1.Stance_STANCE_HOSTILE,
	model.Cooperative: stancev1.Stance_STANCE_COOPERATIVE,
	model.Neutral:     stancev1.Stance_STANCE_NEUTRAL,
}

// Response builds the answer to req from a.Result in a, converting offsets
// back to the request's encoding with conv; version is the model's. The messages of one response come from one slice per
// message type rather than one by one: a response of a few hundred mentions
// is then a dozen allocations instead of thousands, and none once a pooled
// arena has grown to size (see Arena).
func (a *Arena) Response(req *stancev1.ClassifyRequest, version string, conv *offsets.Converter) *stancev1.ClassifyResponse {
	res := &a.Result
	text := req.GetText()
	spanText := req.GetOptions().GetIncludeSpanText()
	nm := len(res.Mentions) + len(res.Targeted)
	ne := 0
	for _, m := range res.Mentions {
		ne += len(m.Evidence)
	}
	for _, m := range res.Targeted {
		ne += len(m.Evidence)
	}
	for _, r := range res.Relations {
		ne += len(r.Evidence)
	}
	a.size(nm, len(res.Entities), len(res.Relations), len(res.Dyads), ne)
	out := &a.resp
	out.Id = req.GetId()
	out.ModelVersion = version
	out.Mentions = a.mentionPtrs(len(res.Mentions))
	for i, m := range res.Mentions {
		out.Mentions[i] = a.mention(text, m, conv)
	}
	out.Entities = a.stancePtrs(len(res.Entities))
	for i, e := range res.Entities {
		es := a.stance()
		es.Entity = a.entityRef(e.Entity)
		es.Label = stances[e.Label]
		es.Probabilities = a.probs(e.Probs)
		es.MentionCount = uint32(e.Mentions)
		es.Salience = float32(e.Salience)
		out.Entities[i] = es
	}
	if len(res.Targeted) > 0 {
		out.Targeted = a.mentionPtrs(len(res.Targeted))
		for i, m := range res.Targeted {
			pm := a.mention(text, m, conv)
			if !spanText {
				// The caller has the span's text: not repeating it keeps
				// the answer to many long spans small.
				pm.Text = ""
				if m.Entity.ID == "" {
					pm.Entity.Name = ""
				}
			}
			out.Targeted[i] = pm
		}
	}
	if len(res.Relations) > 0 {
		out.Relations = take(&a.relationPtrBuf, len(res.Relations))
		for i, r := range res.Relations {
			out.Relations[i] = a.relation(text, r, conv)
		}
	}
	if len(res.Dyads) > 0 {
		out.Dyads = take(&a.dyadPtrBuf, len(res.Dyads))
		for i, d := range res.Dyads {
			pd := next(&a.dyadBuf)
			pd.Holder, pd.Target = a.entityRef(d.Holder), a.entityRef(d.Target)
			pd.Label, pd.Probabilities, pd.Support = stances[d.Label], a.probs(d.Probs), uint32(d.Support)
			out.Dyads[i] = pd
		}
	}
	return out
}

// quads maps lexicon quad classes to the API's.
var quads = [...]stancev1.CameoClass{
	lexicon.QuadNone:             stancev1.CameoClass_CAMEO_CLASS_UNSPECIFIED,
	lexicon.QuadVerbalCoop:       stancev1.CameoClass_CAMEO_CLASS_VERBAL_COOPERATION,
	lexicon.QuadMaterialCoop:     stancev1.CameoClass_CAMEO_CLASS_MATERIAL_COOPERATION,
	lexicon.QuadVerbalConflict:   stancev1.CameoClass_CAMEO_CLASS_VERBAL_CONFLICT,
	lexicon.QuadMaterialConflict: stancev1.CameoClass_CAMEO_CLASS_MATERIAL_CONFLICT,
}

// relation converts one relation.
func (a *Arena) relation(text string, r classifier.Relation, conv *offsets.Converter) *stancev1.Relation {
	pr := next(&a.relationBuf)
	pr.Holder = a.party(text, r.Holder, conv)
	pr.Target = a.party(text, r.Target, conv)
	pr.Label = stances[r.Label]
	pr.Probabilities = a.probs(r.Probs)
	pr.Sentence = a.span(r.Sentence, conv)
	pr.CameoCode = r.CAMEO
	if int(r.Quad) < len(quads) {
		pr.CameoClass = quads[r.Quad]
	}
	if len(r.Evidence) > 0 {
		pr.Evidence = a.evidence(text, r.Evidence, conv)
	}
	return pr
}

func (a *Arena) party(text string, p classifier.Party, conv *offsets.Converter) *stancev1.Party {
	pp := next(&a.partyBuf)
	pp.Span = a.span(p.Span, conv)
	pp.Text = text[p.Span.Start:p.Span.End]
	pp.Entity = a.entityRef(p.Entity)
	return pp
}

// evidence converts the evidence of a mention or a relation.
func (a *Arena) evidence(text string, es []classifier.Evidence, conv *offsets.Converter) []*stancev1.Evidence {
	out := take(&a.evidencePtrBuf, len(es))
	for i, e := range es {
		pe := next(&a.evidenceBuf)
		pe.Span = a.span(e.Span, conv)
		pe.Text = text[e.Span.Start:e.Span.End]
		pe.Contribution = e.Contribution
		pe.Stance = stances[e.Label]
		pe.Source = e.Source
		out[i] = pe
	}
	return out
}

func (a *Arena) mention(text string, m classifier.Mention, conv *offsets.Converter) *stancev1.Mention {
	pm := next(&a.mentionBuf)
	pm.Span = a.span(m.Span, conv)
	pm.Text = text[m.Span.Start:m.Span.End]
	pm.Entity = a.entityRef(m.Entity)
	pm.Label = stances[m.Label]
	pm.Probabilities = a.probs(m.Probs)
	if m.Holder.ID != "" {
		pm.Holder = a.entityRef(m.Holder)
	}
	if len(m.Evidence) > 0 {
		pm.Evidence = a.evidence(text, m.Evidence, conv)
	}
	return pm
}

func (a *Arena) span(s classifier.Span, conv *offsets.Converter) *stancev1.Span {
	sp := next(&a.spanBuf)
	sp.Start, sp.End = conv.FromBytes(s.Start), conv.FromBytes(s.End)
	return sp
}

func (a *Arena) probs(p [model.NumLabels]float32) *stancev1.Probabilities {
	pp := next(&a.probBuf)
	pp.Hostile, pp.Cooperative, pp.Neutral = p[model.Hostile], p[model.Cooperative], p[model.Neutral]
	return pp
}

func (a *Arena) entityRef(e entities.Entity) *stancev1.EntityRef {
	r := next(&a.refBuf)
	r.Id, r.Name, r.Type, r.CountryId = e.ID, e.Name, stancev1.EntityType(e.Type), e.Country
	return r
}
