package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/model/embedded"
	"github.com/stance/classifierd/internal/training"
)

// RunRelationCV is `stancetrain relation-cv`: grouped k-fold
// cross-validation of the relation model over all relation training data
// (DefaultRelationConfig's Train), every sentence scored end to end by
// the model of the folds it was not trained on. It prints pooled
// out-of-fold recall (right holder and label) and precision with 95%
// bootstrap intervals over sentences, overall and per source; with
// -against, the paired deltas from a run saved by another build; with
// -grid, each hyperparameter setting's paired delta against the flags'
// setting. The pair stances come from the embedded mention model. It
// writes no model, and never reads the probe sets.
func RunRelationCV(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stancetrain relation-cv", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := fs.String("shared", "../shared", "the shared data folder")
	root := fs.String("root", ".", "repository root (for data/relations)")
	def := training.DefaultRelationConfig(*shared, *root)
	k := fs.Int("k", 5, "folds")
	fs.UintVar(&def.Bits, "bits", def.Bits, "feature hash width")
	fs.IntVar(&def.Epochs, "epochs", def.Epochs, "training epochs")
	fs.Float64Var(&def.L2, "l2", def.L2, "L2 regularisation")
	fs.Float64Var(&def.LearningRate, "lr", def.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&def.ClassBalance, "class-balance", def.ClassBalance, "exponent of the per-label loss reweighting (0 none, 1 balanced)")
	fs.IntVar(&def.Runs, "runs", def.Runs, "fits averaged per fold")
	fs.Float64Var(&def.Holdout, "holdout", def.Holdout, "share of training sentences that fit the temperature")
	fs.Float64Var(&def.UnmarkedWeight, "unmarked-weight", def.UnmarkedWeight, "loss weight of the pairs with a party the data does not mark (0: left out)")
	skip := fs.String("skip", "", "comma-separated sources (team/relations_e, ...) scored but not trained on")
	grid := fs.String("grid", "", "run the settings of the selection grid whose names start with this (\"all\": every one), each as a delta against the flags' setting")
	save := fs.String("save", "", "write each sentence's out-of-fold counts to this file")
	against := fs.String("against", "", "print paired deltas against the counts saved in this file (by another build or setting)")
	errs := fs.String("errors", "", "write the out-of-fold mistakes to this file, for error analysis")
	byTarget := fs.Bool("by-target", false, "send each gold target span alone, so that holders must be found (as for a wire sentence that marks only its target), instead of every marked actor")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "stancetrain relation-cv: unexpected arguments %q\n", fs.Args())
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "stancetrain relation-cv:", err)
		return 1
	}
	cfg := training.DefaultRelationConfig(*shared, *root)
	cfg.FitConfig, cfg.Holdout, cfg.UnmarkedWeight = def.FitConfig, def.Holdout, def.UnmarkedWeight
	var skipped []string
	if *skip != "" {
		skipped = strings.Split(*skip, ",")
	}
	for _, s := range skipped {
		if !hasSource(cfg.Train, s) {
			return fail(fmt.Errorf("-skip: no source %q", s))
		}
	}
	b, err := embedded.Model()
	if err != nil {
		return fail(err)
	}
	tok, err := features.NewTokenizer()
	if err != nil {
		return fail(err)
	}
	an := classifier.NewAnalyzer(tok, entities.Default(), lexicon.Default(), b.Mention.Bits())
	load := func(bits uint) (*training.RelationCVData, error) {
		start := time.Now()
		d, err := training.LoadRelationCV(an, b.Mention, bits, cfg.Train, stderr)
		if err == nil {
			fmt.Fprintf(stderr, "features extracted in %.1fs\n", time.Since(start).Seconds())
		}
		return d, err
	}
	data, err := load(cfg.Bits)
	if err != nil {
		return fail(err)
	}
	base := training.RelationCVOptions{FitConfig: cfg.FitConfig, Folds: *k, Holdout: cfg.Holdout, UnmarkedWeight: cfg.UnmarkedWeight, Skip: skipped, ByTarget: *byTarget}
	start := time.Now()
	ref, err := data.Run(base)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "%d-fold relation CV, bits=%d epochs=%d lr=%g l2=%g class-balance=%g runs=%d holdout=%g unmarked-weight=%g skip=%q by-target=%v (%.1fs)\n",
		ref.Folds, cfg.Bits, cfg.Epochs, cfg.LearningRate, cfg.L2, cfg.ClassBalance, cfg.Runs, cfg.Holdout, cfg.UnmarkedWeight, skipped, *byTarget, time.Since(start).Seconds())
	ref.WriteText(stdout, 0)
	if *save != "" {
		f, err := os.Create(*save)
		if err != nil {
			return fail(err)
		}
		err = ref.Save(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(err)
		}
	}
	if *errs != "" {
		f, err := os.Create(*errs)
		if err != nil {
			return fail(err)
		}
		ref.WriteErrors(f)
		if err := f.Close(); err != nil {
			return fail(err)
		}
	}
	if *against != "" {
		saved, err := os.ReadFile(*against)
		if err != nil {
			return fail(err)
		}
		old, err := training.ReadRelationCV(saved)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", *against, err))
		}
		fmt.Fprintf(stdout, "\nΔ against %s (paired by sentence)\n", *against)
		if err := printRelationDelta(stdout, "this run", old, ref); err != nil {
			return fail(err)
		}
		fmt.Fprintln(stdout)
	}
	if *grid == "" {
		return 0
	}
	fmt.Fprintf(stdout, "\n%-18s %-34s %-34s %s\n", "setting", "recall Δ [95% CI]", "precision Δ [95% CI]", "F1 Δ [95% CI]")
	for _, g := range relationGrid() {
		if *grid != "all" && !strings.HasPrefix(g.name, *grid) {
			continue
		}
		opt := base
		g.change(&opt)
		d := data
		if opt.Bits != cfg.Bits {
			if d, err = load(opt.Bits); err != nil {
				return fail(err)
			}
		}
		start := time.Now()
		r, err := d.Run(opt)
		if err != nil {
			return fail(err)
		}
		if err := printRelationDelta(stdout, g.name, ref, r); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "  (%.0fs)\n", time.Since(start).Seconds())
	}
	return 0
}

func hasSource(srcs []training.Source, name string) bool {
	for _, s := range srcs {
		if s.Name == name {
			return true
		}
	}
	return false
}

// relationGrid is the relation model's selection grid: one factor at a
// time around the flags' setting.
func relationGrid() []cvRelSetting {
	var g []cvRelSetting
	for _, e := range []int{3, 4, 8, 10} {
		g = append(g, cvRelSetting{fmt.Sprintf("epochs=%d", e), func(o *training.RelationCVOptions) { o.Epochs = e }})
	}
	for _, l2 := range []float64{0, 1e-5, 3e-4, 1e-3} {
		g = append(g, cvRelSetting{fmt.Sprintf("l2=%g", l2), func(o *training.RelationCVOptions) { o.L2 = l2 }})
	}
	for _, cb := range []float64{0, 0.3, 0.6} {
		g = append(g, cvRelSetting{fmt.Sprintf("class-balance=%g", cb), func(o *training.RelationCVOptions) { o.ClassBalance = cb }})
	}
	for _, w := range []float64{0, 0.3, 1} {
		g = append(g, cvRelSetting{fmt.Sprintf("unmarked-weight=%g", w), func(o *training.RelationCVOptions) { o.UnmarkedWeight = w }})
	}
	for _, lr := range []float64{0.02, 0.1} {
		g = append(g, cvRelSetting{fmt.Sprintf("lr=%g", lr), func(o *training.RelationCVOptions) { o.LearningRate = lr }})
	}
	for _, bits := range []uint{16, 20} {
		g = append(g, cvRelSetting{fmt.Sprintf("bits=%d", bits), func(o *training.RelationCVOptions) { o.Bits = bits }})
	}
	return g
}

// cvRelSetting is one point of the relation grid.
type cvRelSetting struct {
	name   string
	change func(*training.RelationCVOptions)
}

// printRelationDelta prints b's recall, precision and F1 deltas from a,
// paired by sentence, with their 95% intervals.
func printRelationDelta(w io.Writer, name string, a, b *training.RelationCVResult) error {
	d, err := training.CompareRelations(a, b, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-18s %+.4f [%+.4f,%+.4f]      %+.4f [%+.4f,%+.4f]      %+.4f [%+.4f,%+.4f]",
		name, d.Recall, d.RecallLo, d.RecallHi, d.Precision, d.PrecisionLo, d.PrecisionHi, d.F1, d.F1Lo, d.F1Hi)
	return nil
}
