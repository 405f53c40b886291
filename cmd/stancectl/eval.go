package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/batch"
)

const evalHelp = `Usage: stancectl eval -in FILE.jsonl [-addr HOST:PORT | -local] [-output text|json] [-holders]

Classifies the explicit targets of stance JSONL
({"id":"...","text":"...","targets":[{"start":..,"end":..}],"labels":["hostile"]})
and scores the answers for them ("targeted", argmax of the probabilities)
against the labels: accuracy, macro-F1, expected calibration error,
per-class precision/recall/F1/support and the confusion matrix (rows gold,
columns predicted). Documents without labels are classified but not
scored. -output json prints one JSON object with the keys n, accuracy,
macro_f1, ece, per_class and confusion.

Targets that carry a "holder" (with "holder_start" and "holder_end") are
relations: each target span is sent as a span, the service finds the
holder, and the scores are the share of gold relations returned with the
right holder and label and the precision of the relations returned. With
-holders the holders' spans are sent too, which scores the relation stage
on the gold parties, apart from finding the actors. Lines with "entity"
and "label" (PerSenT's format) or "entities" are document labels: each
entity is sent as a caller target and its document-level label scored.

Exit status: 0 when every labelled document was scored, 1 when some could
not be (malformed lines, errors; listed on standard error and left out of
the scores), 2 on a usage error or when the run stopped early.
`

// evalConfig is the eval command line.
type evalConfig struct {
	job     jobConfig
	In      string
	Format  string
	Holders bool
}

func evalCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var cfg evalConfig
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.StringVar(&cfg.In, "in", "", "stance JSONL `FILE` with labels, or - for standard input (required)")
	fs.StringVar(&cfg.Format, "output", "text", "how to print the scores: text or json")
	fs.BoolVar(&cfg.Holders, "holders", false, "send the holders of labelled relations as spans too: score the relation stage on the gold parties")
	deprecatedFormat := fs.String("format", "", "deprecated: the old name of -output (in classify, -format is the input's format)")
	cfg.job.register(fs)
	if err := parseFlags(fs, args, evalHelp, stderr); err != nil {
		return exitError, err
	}
	cfg.job.parsed(fs)
	if *deprecatedFormat != "" {
		fmt.Fprintln(stderr, "stancectl: eval: -format is deprecated, use -output (in classify, -format names the input's format)")
		if !isSet(fs, "output") {
			cfg.Format = *deprecatedFormat
		}
	}
	if cfg.In == "" {
		return exitError, errors.New("eval: -in is required (see stancectl eval -h)")
	}
	if cfg.Format != "text" && cfg.Format != "json" {
		return exitError, fmt.Errorf("eval: -output %q: want text or json", cfg.Format)
	}
	if err := cfg.job.check(); err != nil {
		return exitError, fmt.Errorf("eval: %w", err)
	}
	in, err := batch.OpenWith(cfg.In, batch.FormatJSONL, stdin, batch.InputOptions{HolderSpans: cfg.Holders})
	if err != nil {
		return exitError, err
	}
	defer in.Close()
	backend, closeBackend, err := cfg.job.backend(ctx, stderr)
	if err != nil {
		return exitError, err
	}
	defer closeBackend()

	// Order does not matter to the scores.
	r := &batch.Runner{Backend: backend, Unordered: true, Window: cfg.job.InFlight}
	p := startProgress(stderr, r, in.Size(), cfg.job.Quiet)
	target, relation, document := &targetScore{}, &relationScore{}, &documentScore{}
	all := []score{target, relation, document}
	var unscored int
	err = r.Run(ctx, in, func(d *batch.Doc, resp *stancev1.ClassifyResponse) error {
		var errs []error
		for _, sc := range all {
			if err := sc.add(d, resp); err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) > 0 {
			unscored++
			if unscored <= maxReported {
				p.printf("stancectl: not scored: %v\n", errors.Join(errs...))
			}
		}
		return nil
	})
	p.finish("evaluated")
	if err != nil {
		return exitError, err
	}
	// The scores the input has labels for (the targets' when none has).
	var scores []score
	if target.sc.Documents > 0 || relation.Documents == 0 && document.Documents == 0 {
		scores = append(scores, target)
	}
	if relation.Documents > 0 {
		scores = append(scores, relation)
	}
	if document.Documents > 0 {
		scores = append(scores, document)
	}
	if err := writeScores(stdout, in.Name(), cfg.Format, scores); err != nil {
		return exitError, fmt.Errorf("write metrics: %w", err)
	}
	if unscored > 0 {
		p.printf("stancectl: left out of the scores: %s that could not be scored\n", plural(int64(unscored), "document"))
		return exitFailedDocs, nil
	}
	return exitOK, nil
}

// score is one kind of evaluation: it takes each answered document and
// reports its scores. eval runs every score of its list over the same
// answers; a new kind (relations, document labels) is a new score.
type score interface {
	// add scores one answered document; documents without the score's
	// labels are ignored. An error leaves the score unchanged.
	add(d *batch.Doc, resp *stancev1.ClassifyResponse) error
	// name is the score's key in -output json when there are several.
	name() string
	// value is the score's JSON form.
	value() any
	// writeText writes the score for people, after a heading line
	// naming the input.
	writeText(w io.Writer, input string) error
}

// writeScores prints the scores: one JSON object (the single score's own,
// or an object keyed by name when there are several), or text.
func writeScores(w io.Writer, input, format string, scores []score) error {
	if format == "json" {
		var v any
		if len(scores) == 1 {
			v = scores[0].value()
		} else {
			m := map[string]any{}
			for _, sc := range scores {
				m[sc.name()] = sc.value()
			}
			v = m
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	for i, sc := range scores {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := sc.writeText(w, input); err != nil {
			return err
		}
	}
	return nil
}

// targetScore scores the explicit targets of stance JSONL: the label of
// each span against the argmax of its targeted mention.
type targetScore struct{ sc batch.Scorer }

func (t *targetScore) add(d *batch.Doc, resp *stancev1.ClassifyResponse) error {
	return t.sc.Add(d, resp)
}

func (t *targetScore) name() string { return "targets" }

func (t *targetScore) value() any { return t.sc.Confusion.Metrics() }

func (t *targetScore) writeText(w io.Writer, input string) error {
	m := t.sc.Confusion.Metrics()
	fmt.Fprintf(w, "%s: %s, %s scored\n\n", input, plural(int64(t.sc.Documents), "document"), plural(int64(m.N), "target"))
	return m.WriteText(w)
}
