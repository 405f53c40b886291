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
	"path/filepath"

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
	geoWeight := fs.Float64("geo-weight", 2, "loss weight of the team-written geopolitical examples")
	fs.UintVar(&cfg.Bits, "bits", cfg.Bits, "feature hash width")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "training epochs")
	fs.Float64Var(&cfg.L2, "l2", cfg.L2, "L2 regularisation")
	fs.Float64Var(&cfg.LearningRate, "lr", cfg.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&cfg.DocThreshold, "doc-threshold", cfg.DocThreshold, "document-level polar threshold")
	tune := fs.Bool("tune", false, "run the hyperparameter grid on the dev sets instead of writing a model")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	news := filepath.Join(*shared, "data", "newsmtsc")
	cfg.Train = []training.Source{
		{Name: "newsmtsc/train", Path: filepath.Join(news, "train.stance.jsonl")},
		{Name: "team/geo_train_a", Path: "data/geo/train_a.jsonl", Weight: *geoWeight},
		{Name: "team/geo_train_b", Path: "data/geo/train_b.jsonl", Weight: *geoWeight},
	}
	cfg.Dev = []training.Source{
		{Name: "newsmtsc/dev_rw", Path: filepath.Join(news, "dev_rw.stance.jsonl")},
		{Name: "newsmtsc/dev_mt", Path: filepath.Join(news, "dev_mt.stance.jsonl")},
		{Name: "team/geo_dev", Path: "data/geo/dev_geo.jsonl"},
	}
	cfg.Description = "Multinomial logistic regression over hashed target-aware lexicon, role and WordPiece context features; trained on NewsMTSC train and team-written geopolitical sentences."
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

// runGrid trains one model per grid point and prints its dev scores.
func runGrid(base training.Config, tok *features.Tokenizer, stdout, stderr io.Writer) int {
	for _, l2 := range []float64{0, 1e-6, 1e-5} {
		for _, lr := range []float64{0.05, 0.1, 0.2} {
			for _, epochs := range []int{4, 8, 12} {
				cfg := base
				cfg.L2, cfg.LearningRate, cfg.Epochs = l2, lr, epochs
				an := classifier.NewAnalyzer(tok, entities.Default(), lexicon.Default(), cfg.Bits)
				m, err := training.Train(cfg, an, io.Discard)
				if err != nil {
					fmt.Fprintln(stderr, "stancetrain:", err)
					return 1
				}
				fmt.Fprintf(stdout, "l2=%g lr=%g epochs=%d", l2, lr, epochs)
				for _, e := range m.Metadata().Evaluations {
					fmt.Fprintf(stdout, "  %s F1=%.4f", e.Dataset, e.MacroF1)
				}
				fmt.Fprintln(stdout)
			}
		}
	}
	return 0
}
