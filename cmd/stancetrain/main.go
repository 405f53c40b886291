// Command stancetrain trains the models that classifierd serves and writes
// the bundle file it embeds. From the repository root, with ../shared
// beside it:
//
//	go run ./cmd/stancetrain            # all stages: rebuilds internal/model/embedded/stance-model.bin.gz byte for byte
//	go run ./cmd/stancetrain mention    # one stage, its scores printed, nothing written unless -out
//	go run ./cmd/stancetrain relation
//	go run ./cmd/stancetrain document   # -save FILE, -against FILE: paired deltas of its CV between builds
//	go run ./cmd/stancetrain cv         # k-fold cross-validation of the mention model
//	go run ./cmd/stancetrain relation-cv # grouped k-fold cross-validation of the relation model
//
// Training is deterministic: the same data and flags give the same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stance/classifierd/internal/training"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage: stancetrain [bundle|mention|relation|document|cv] [flags]

  bundle     train every stage and write the model bundle (the default)
  mention    train the mention stance model and print its scores
  relation   train the relation model (on a mention model trained first)
  document   train the document model (on mention and relation models trained first)
  cv         cross-validate the mention model over all labelled data
  relation-cv  cross-validate the relation model over all relation training data
`

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "bundle"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "bundle", "mention", "relation", "document":
		return train(cmd, args, stdout, stderr)
	case "cv":
		return RunCV(args, stdout, stderr)
	case "relation-cv":
		return RunRelationCV(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "stancetrain: unknown command %q\n%s", cmd, usage)
	return 2
}

// train trains the stages up to stage (all three for "bundle") and writes
// the bundle, or with a single stage, prints its scores and writes only
// when -out is given.
func train(stage string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stancetrain "+stage, flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := fs.String("shared", "../shared", "the shared data folder (data/newsmtsc, data/persent, ...)")
	defOut := ""
	if stage == "bundle" {
		defOut = "internal/model/embedded/stance-model.bin.gz"
	}
	out := fs.String("out", defOut, "bundle file to write (empty: none)")
	quiet := fs.Bool("q", false, "no progress on stderr")
	var save, against *string
	if stage == "document" {
		save = fs.String("save", "", "write the document model's out-of-fold labels to this file")
		against = fs.String("against", "", "print paired deltas of the document model's cross-validation against the labels saved in this file (by another build)")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "stancetrain: unexpected arguments %q\n", fs.Args())
		return 2
	}
	log := stderr
	if *quiet {
		log = io.Discard
	}
	var preds []training.DocPrediction
	b, err := training.TrainBundle(stage, *shared, ".", log, func(c *training.DocumentConfig) {
		c.Predictions = func(ps []training.DocPrediction) { preds = ps }
	})
	if err == nil && save != nil {
		err = compareDocs(stdout, preds, *save, *against)
	}
	if err != nil {
		fmt.Fprintln(stderr, "stancetrain:", err)
		return 1
	}
	for _, e := range b.Metadata().Evaluations {
		fmt.Fprintf(stdout, "%-28s n=%-5d accuracy=%.4f macro-F1=%.4f\n", e.Dataset, e.Targets, e.Accuracy, e.MacroF1)
	}
	if *out == "" {
		return 0
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		fmt.Fprintln(stderr, "stancetrain:", err)
		return 1
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "stancetrain:", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %d bytes, %d non-zero weights)\n", *out, b.Version(), buf.Len(), b.NonZero())
	return 0
}

// compareDocs writes the document model's out-of-fold labels to save and
// prints their paired deltas against those saved in against, where set.
func compareDocs(w io.Writer, preds []training.DocPrediction, save, against string) error {
	if save != "" {
		var buf bytes.Buffer
		if err := training.SaveDocPredictions(&buf, preds); err != nil {
			return err
		}
		if err := os.WriteFile(save, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if against == "" {
		return nil
	}
	b, err := os.ReadFile(against)
	if err != nil {
		return err
	}
	old, err := training.ReadDocPredictions(b)
	if err != nil {
		return fmt.Errorf("%s: %w", against, err)
	}
	ds, err := training.CompareDocs(old, preds, 0)
	if err != nil {
		return fmt.Errorf("against %s: %w", against, err)
	}
	fmt.Fprintf(w, "\nΔ against %s (paired by entity)\n%-22s %5s  %-30s %s\n", against, "set", "n", "accuracy Δ [95% CI]", "macro-F1 Δ [95% CI]")
	for _, d := range ds {
		fmt.Fprintf(w, "%-22s %5d  %+.4f [%+.4f, %+.4f]     %+.4f [%+.4f, %+.4f]\n", d.Source, d.N, d.Accuracy, d.AccuracyLo, d.AccuracyHi, d.MacroF1, d.MacroF1Lo, d.MacroF1Hi)
	}
	return nil
}
