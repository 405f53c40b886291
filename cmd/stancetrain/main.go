// Command stancetrain trains the stance model and writes the model file
// that classifierd embeds. From the repository root, with ../shared beside
// it:
//
//	go run ./cmd/stancetrain
//
// rebuilds internal/model/embedded/stance-model.bin.gz byte for byte.
// -tune runs the documented hyperparameter grid and prints dev scores
// without writing a model.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/entities"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/training"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stancetrain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := training.DefaultConfig()
	shared := fs.String("shared", "../shared", "folder with data/newsmtsc")
	out := fs.String("out", "internal/model/embedded/stance-model.bin.gz", "model file to write")
	geoWeight := fs.Float64("geo-weight", training.DefaultGeoWeight, "loss weight of the team-written geopolitical examples")
	fs.UintVar(&cfg.Bits, "bits", cfg.Bits, "feature hash width")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "training epochs")
	fs.Float64Var(&cfg.L2, "l2", cfg.L2, "L2 regularisation")
	fs.Float64Var(&cfg.LearningRate, "lr", cfg.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&cfg.ClassBalance, "class-balance", cfg.ClassBalance, "exponent of the per-label loss reweighting (0 none, 1 balanced)")
	fs.IntVar(&cfg.Runs, "runs", cfg.Runs, "fits with successive seeds averaged into the model")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the example order")
	fs.Float64Var(&cfg.DocThreshold, "doc-threshold", cfg.DocThreshold, "document-level polar threshold")
	tune := fs.Bool("tune", false, "run the hyperparameter grid on the dev sets instead of writing a model")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg.Train, cfg.Dev = training.DefaultData(*shared, ".", *geoWeight)
	tok, err := features.NewTokenizer()
	if err != nil {
		fmt.Fprintln(stderr, "stancetrain:", err)
		return 1
	}
	if *tune {
		return runGrid(cfg, tok, stdout, stderr)
	}
	an := classifier.NewAnalyzer(tok, entities.Default(), lexicon.Default(), cfg.Bits)
	m, err := training.Train(cfg, an, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "stancetrain:", err)
		return 1
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		fmt.Fprintln(stderr, "stancetrain:", err)
		return 1
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "stancetrain:", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %d bytes, %d non-zero weights)\n", *out, m.Version(), buf.Len(), m.NonZero())
	return 0
}

// runGrid trains one model per grid point and prints its dev scores, one
// line each. The grid is the one DefaultConfig was chosen from; each point
// is a full training run (about 10 s with 5 averaged fits).
func runGrid(base training.Config, tok *features.Tokenizer, stdout, stderr io.Writer) int {
	an := classifier.NewAnalyzer(tok, entities.Default(), lexicon.Default(), base.Bits)
	fmt.Fprintln(stdout, "epochs  lr     l2      balance  rw_F1   mt_F1   geo_F1")
	for _, epochs := range []int{3, 4, 6} {
		for _, lr := range []float64{0.03, 0.05, 0.1} {
			for _, balance := range []float64{0, 0.3, 1} {
				cfg := base
				cfg.Epochs, cfg.LearningRate, cfg.ClassBalance = epochs, lr, balance
				m, err := training.Train(cfg, an, io.Discard)
				if err != nil {
					fmt.Fprintln(stderr, "stancetrain:", err)
					return 1
				}
				fmt.Fprintf(stdout, "%-7d %-6g %-7g %-8g", epochs, lr, cfg.L2, balance)
				for _, e := range m.Metadata().Evaluations {
					fmt.Fprintf(stdout, " %.4f", e.MacroF1)
				}
				fmt.Fprintln(stdout)
			}
		}
	}
	return 0
}
