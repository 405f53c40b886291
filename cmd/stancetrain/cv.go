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
	"github.com/stance/classifierd/internal/training"
)

// RunCV is `stancetrain cv`: k-fold cross-validation of the mention model
// over all labelled data (NewsMTSC train and dev, the team's geopolitical
// sentences, PerSenT as weak labels), grouped by sentence or document and
// stratified by source. It prints per-set scores with 95% intervals; with
// -grid it runs the selection that chose DefaultConfig, printing each
// setting's paired delta against the default, and with -curve the NewsMTSC
// learning curve. It writes no model.
func RunCV(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stancetrain cv", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := training.DefaultConfig()
	shared := fs.String("shared", "../shared", "folder with data/newsmtsc and data/persent")
	root := fs.String("root", ".", "repository root (for data/geo)")
	k := fs.Int("k", 5, "folds")
	geoWeight := fs.Float64("geo-weight", training.DefaultGeoWeight, "loss weight of the team-written geopolitical examples (0: left out of training)")
	perSenTWeight := fs.Float64("persent-weight", training.DefaultPerSenTWeight, "loss weight of the weakly labelled PerSenT mentions (0: left out)")
	domains := fs.String("domains", strings.Join(cfg.Domains, ","), "comma-separated domains (newsmtsc, geo, persent) whose examples get feature copies of their own in training")
	fs.BoolVar(&cfg.PerSenTPronouns, "pronouns", cfg.PerSenTPronouns, "sentence-initial He/She as PerSenT mentions")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "training epochs")
	fs.Float64Var(&cfg.L2, "l2", cfg.L2, "L2 regularisation")
	fs.Float64Var(&cfg.LearningRate, "lr", cfg.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&cfg.ClassBalance, "class-balance", cfg.ClassBalance, "exponent of the per-label loss reweighting (0 none, 1 balanced)")
	runs := fs.Int("runs", 1, "fits averaged per fold (the shipped model averages DefaultConfig().Runs; 1 is faster and ranks settings alike)")
	grid := fs.String("grid", "", "run the settings of the selection grid whose names start with this (\"all\": every one), each as a delta against the flags' setting")
	curve := fs.Bool("curve", false, "learning curve over 25/50/100% of NewsMTSC train")
	save := fs.String("save", "", "write the out-of-fold predictions to this file")
	against := fs.String("against", "", "print paired deltas against the predictions saved in this file (by another build)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg.Runs = *runs
	cfg.Domains = nil
	if *domains != "" {
		cfg.Domains = strings.Split(*domains, ",")
	}
	tok, err := features.NewTokenizer()
	if err != nil {
		fmt.Fprintln(stderr, "stancetrain cv:", err)
		return 1
	}
	an := classifier.NewAnalyzer(tok, entities.Default(), lexicon.Default(), cfg.Bits)
	start := time.Now()
	data, err := training.LoadCV(an, cfg.Bits, training.AllData(*shared, *root, *geoWeight, *perSenTWeight), cfg.PerSenTPronouns, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "stancetrain cv:", err)
		return 1
	}
	fmt.Fprintf(stderr, "features extracted in %.1fs\n", time.Since(start).Seconds())
	base := training.CVOptions{FitConfig: cfg.FitConfig, Folds: *k, Domains: cfg.Domains}
	start = time.Now()
	ref := data.Run(base)
	fmt.Fprintf(stdout, "%d-fold CV, runs=%d, epochs=%d lr=%g l2=%g class-balance=%g geo-weight=%g persent-weight=%g domains=%q pronouns=%v (%.1fs)\n",
		ref.Folds, cfg.Runs, cfg.Epochs, cfg.LearningRate, cfg.L2, cfg.ClassBalance, *geoWeight, *perSenTWeight, cfg.Domains, cfg.PerSenTPronouns, time.Since(start).Seconds())
	ref.WriteText(stdout)
	if *save != "" {
		if err := os.WriteFile(*save, ref.Predictions(), 0o644); err != nil {
			fmt.Fprintln(stderr, "stancetrain cv:", err)
			return 1
		}
	}
	if *against != "" {
		b, err := os.ReadFile(*against)
		if err == nil {
			var old *training.CVResult
			if old, err = data.Restore(b, ref.Folds); err == nil {
				fmt.Fprintf(stdout, "\nΔ pooled F1 against %s, on %s\n", *against, strings.Join(deltaSets, ", "))
				err = printDeltas(stdout, "this build", old, ref)
				fmt.Fprintln(stdout)
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "stancetrain cv:", err)
			return 1
		}
	}
	switch {
	case *grid != "":
		return runCVGrid(data, base, ref, *grid, stdout, stderr)
	case *curve:
		return runCurve(data, base, stdout)
	}
	return 0
}

// cvSetting is one point of the selection grid: a name and how it changes
// the base options.
type cvSetting struct {
	name   string
	change func(*training.CVOptions)
}

// cvGrid is the selection grid: one factor at a time around the base, so
// that each line is that factor's paired delta (about 10 s each on a free
// core).
func cvGrid() []cvSetting {
	var g []cvSetting
	for _, w := range []float64{0, 0.5, 1, 1.5} {
		g = append(g, cvSetting{fmt.Sprintf("geo-weight=%g", w), func(o *training.CVOptions) { o.Weights = withWeight(o.Weights, "geo", w) }})
	}
	for _, w := range []float64{0, 0.1, 0.3, 0.5} {
		g = append(g, cvSetting{fmt.Sprintf("persent-weight=%g", w), func(o *training.CVOptions) { o.Weights = withWeight(o.Weights, "persent", w) }})
	}
	for _, ds := range [][]string{nil, {"geo"}, {"geo", "persent"}, {"newsmtsc", "geo", "persent"}} {
		g = append(g, cvSetting{"domains=" + strings.Join(ds, ","), func(o *training.CVOptions) { o.Domains = ds }})
	}
	for _, e := range []int{3, 4, 6} {
		g = append(g, cvSetting{fmt.Sprintf("epochs=%d", e), func(o *training.CVOptions) { o.Epochs = e }})
	}
	for _, lr := range []float64{0.03, 0.05, 0.1} {
		g = append(g, cvSetting{fmt.Sprintf("lr=%g", lr), func(o *training.CVOptions) { o.LearningRate = lr }})
	}
	for _, cb := range []float64{0, 0.3, 0.6, 1} {
		g = append(g, cvSetting{fmt.Sprintf("class-balance=%g", cb), func(o *training.CVOptions) { o.ClassBalance = cb }})
	}
	for _, l2 := range []float64{0, 1e-4, 1e-3} {
		g = append(g, cvSetting{fmt.Sprintf("l2=%g", l2), func(o *training.CVOptions) { o.L2 = l2 }})
	}
	return g
}

func withWeight(m map[string]float64, domain string, w float64) map[string]float64 {
	out := map[string]float64{domain: w}
	for k, v := range m {
		if k != domain {
			out[k] = v
		}
	}
	return out
}

// deltaSets are the sets a grid line reports deltas on.
var deltaSets = []string{"newsmtsc", "newsmtsc/single", "newsmtsc/multi", "geo"}

func runCVGrid(data *training.CVData, base training.CVOptions, ref *training.CVResult, prefix string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "\n%-20s", "setting (Δ pooled F1)")
	for _, s := range deltaSets {
		fmt.Fprintf(stdout, " %-28s", s)
	}
	fmt.Fprintln(stdout)
	for _, g := range cvGrid() {
		if prefix != "all" && !strings.HasPrefix(g.name, prefix) {
			continue
		}
		opt := base
		g.change(&opt)
		start := time.Now()
		r := data.Run(opt)
		if err := printDeltas(stdout, g.name, ref, r); err != nil {
			fmt.Fprintln(stderr, "stancetrain cv:", err)
			return 1
		}
		fmt.Fprintf(stdout, "  (%.0fs)\n", time.Since(start).Seconds())
	}
	return 0
}

// printDeltas prints b's pooled macro-F1 and its paired delta from a, with
// its 95% interval, on each of deltaSets.
func printDeltas(w io.Writer, name string, a, b *training.CVResult) error {
	fmt.Fprintf(w, "%-20s", name)
	for _, s := range deltaSets {
		d, err := training.Compare(a, b, s, 0)
		if err != nil {
			return err
		}
		sc, _ := b.Score(s)
		fmt.Fprintf(w, " %.4f %+.4f [%+.4f,%+.4f]", sc.PooledF1, d.Delta, d.Lo, d.Hi)
	}
	return nil
}

func runCurve(data *training.CVData, base training.CVOptions, stdout io.Writer) int {
	fmt.Fprintf(stdout, "\nlearning curve: share of newsmtsc/train trained on (the other data in full), pooled OOF macro-F1 [95%% CI]\n")
	for _, f := range []float64{0.25, 0.5, 1} {
		opt := base
		opt.Fraction = map[string]float64{"newsmtsc/train": f}
		r := data.Run(opt)
		fmt.Fprintf(stdout, "%3.0f%%", 100*f)
		for _, s := range []string{"newsmtsc", "newsmtsc/single", "newsmtsc/multi", "geo"} {
			sc, _ := r.Score(s)
			fmt.Fprintf(stdout, "  %s %.4f [%.4f, %.4f]", s, sc.PooledF1, sc.PooledLo, sc.PooledHi)
		}
		fmt.Fprintln(stdout)
	}
	return 0
}
