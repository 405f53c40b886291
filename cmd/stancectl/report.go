package main

import (
	"github.com/stance/classifierd/internal/batch"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
)

// maxReported is how many malformed lines, and how many failed documents,
// are listed on standard error; the rest are only counted (their output
// lines carry the errors).
const maxReported = 50

// reporter lists problems on standard error as documents are answered.
type reporter struct {
	p                   *progress
	malformed, rejected int
}

func newReporter(p *progress) *reporter { return &reporter{p: p} }

// report lists d's problem, if any.
func (r *reporter) report(d *batch.Doc, resp *stancev1.ClassifyResponse) {
	switch e := resp.GetError(); {
	case e == nil:
	case d.Err != nil:
		r.malformed++
		if r.malformed <= maxReported {
			r.p.printf("stancectl: %v\n", d.Err)
		} else if r.malformed == maxReported+1 {
			r.p.printf("stancectl: more malformed lines; only counting them now\n")
		}
	default:
		r.rejected++
		if r.rejected <= maxReported {
			r.p.printf("stancectl: document %q failed: %s\n", d.ID, e.GetMessage())
		} else if r.rejected == maxReported+1 {
			r.p.printf("stancectl: more failed documents; only counting them now\n")
		}
	}
}

// summary prints how many documents failed and returns the exit status.
func (r *reporter) summary(s batch.Stats) int {
	if s.Failed == 0 {
		return exitOK
	}
	r.p.printf("stancectl: %s failed (%s); their output lines carry the error\n", plural(s.Failed, "document"), plural(s.Malformed, "malformed input line"))
	return exitFailedDocs
}
