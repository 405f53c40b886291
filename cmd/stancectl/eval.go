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

const evalHelp = `Usage: stancectl eval -in FILE.jsonl [-addr HOST:PORT | -local] [-output text|json]

Classifies the explicit targets of stance JSONL
({"id":"...","text":"...","targets":[{"start":..,"end":..}],"labels":["hostile"]})
and scores the answers for them ("targeted", argmax of the probabilities)
against the labels: accuracy, macro-F1, expected calibration error,
per-class precision/recall/F1/support and the confusion matrix (rows gold,
columns predicted). Documents without labels are classified but not
scored. -output json prints one JSON object with the keys n, accuracy,
macro_f1, ece, per_class and confusion.

Exit status: 0 when every labelled document was scored, 1 when some could
not be (malformed lines, errors; listed on standard error and left out of
the scores), 2 on a usage error or when the run stopped early.
`

// evalConfig is the eval command line.
type evalConfig struct {
	job    jobConfig
	In     string
	Format string
}

func evalCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var cfg evalConfig
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.StringVar(&cfg.In, "in", "", "stance JSONL `FILE` with labels, or - for standard input (required)")
	fs.StringVar(&cfg.Format, "output", "text", "how to print the scores: text or json")
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
	in, err := batch.Open(cfg.In, batch.FormatJSONL, stdin)
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
	var sc batch.Scorer
	var unscored int
	err = r.Run(ctx, in, func(d *batch.Doc, resp *stancev1.ClassifyResponse) error {
		if err := sc.Add(d, resp); err != nil {
			unscored++
			if unscored <= maxReported {
				p.printf("stancectl: not scored: %v\n", err)
			}
		}
		return nil
	})
	p.finish("evaluated")
	if err != nil {
		return exitError, err
	}
	m := sc.Confusion.Metrics()
	if cfg.Format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(m); err != nil {
			return exitError, fmt.Errorf("write metrics: %w", err)
		}
	} else {
		fmt.Fprintf(stdout, "%s: %s, %s scored\n\n", in.Name(), plural(int64(sc.Documents), "document"), plural(int64(m.N), "target"))
		if err := m.WriteText(stdout); err != nil {
			return exitError, fmt.Errorf("write metrics: %w", err)
		}
	}
	if unscored > 0 {
		p.printf("stancectl: left out of the scores: %s that could not be scored\n", plural(int64(unscored), "document"))
		return exitFailedDocs, nil
	}
	return exitOK, nil
}
