// Command lexicongen compiles the stance lexicon that the classifier
// embeds, internal/lexicon/data/lexicon.tsv, from the CAMEO verb
// dictionary with Goldstein scores, the VADER and AFINN sentiment lexicons
// (all under the shared data folder) and the team's own cues
// (internal/lexicon/builder/team.tsv). Run it from the repository root:
//
//	go run ./cmd/lexicongen -shared ../shared -out internal/lexicon/data/lexicon.tsv
//
// Beside the table it writes lexicon.snapshot, the parsed table, which
// internal/lexicon's Default reads instead of parsing the table at every
// start, and (for the embedded table) internal/features/data/cues.snapshot,
// the lexicon's cue index, which features.NewCueIndex reads instead of
// indexing it.
//
// The output is deterministic: the same inputs give the same bytes, and
// tests check that the committed table and snapshots are up to date.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/lexicon"
	"github.com/stance/classifierd/internal/lexicon/builder"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Config is what the command does.
type Config struct {
	Shared string // the shared folder with data/lexicons
	Out    string // where to write the table; "-" for stdout
	// Snapshot and Cues are where to write the parsed table's snapshot
	// and its cue index's; "" for none.
	Snapshot, Cues string
	Quiet          bool // leave out the counts on stderr
}

// The embedded table, and where its cue index's snapshot goes.
const (
	defaultOut  = "internal/lexicon/data/lexicon.tsv"
	defaultCues = "internal/features/data/cues.snapshot"
)

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "lexicongen:", err)
		return 2
	}
	if err := generate(cfg, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "lexicongen:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("lexicongen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := os.Getenv("STANCE_SHARED")
	if shared == "" {
		shared = "../shared"
	}
	var cfg Config
	fs.StringVar(&cfg.Shared, "shared", shared, "shared folder holding data/lexicons (env STANCE_SHARED)")
	fs.StringVar(&cfg.Out, "out", defaultOut, `output file, "-" for stdout`)
	fs.StringVar(&cfg.Snapshot, "snapshot", "", "file for the parsed table's snapshot (default: -out with .snapshot for .tsv; none for stdout)")
	fs.StringVar(&cfg.Cues, "cues", "", "file for the cue index's snapshot (default: "+defaultCues+" for the default -out; none otherwise)")
	fs.BoolVar(&cfg.Quiet, "q", false, "do not print cue counts")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.Snapshot == "" && cfg.Out != "-" {
		cfg.Snapshot = strings.TrimSuffix(cfg.Out, ".tsv") + ".snapshot"
	}
	if cfg.Cues == "" && cfg.Out == defaultOut {
		cfg.Cues = defaultCues
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return cfg, nil
}

func generate(cfg Config, stdout, stderr io.Writer) error {
	cues, err := builder.Build(os.DirFS(cfg.Shared))
	if err != nil {
		return fmt.Errorf("build from %s: %w", cfg.Shared, err)
	}
	var buf bytes.Buffer
	if err := builder.WriteTable(&buf, cues); err != nil {
		return err
	}
	if cfg.Out == "-" {
		_, err = stdout.Write(buf.Bytes())
	} else {
		err = os.WriteFile(cfg.Out, buf.Bytes(), 0o644)
	}
	if err != nil {
		return err
	}
	l, err := lexicon.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return fmt.Errorf("read back: %w", err)
	}
	if err := writeSnapshots(cfg, l, buf.Bytes()); err != nil {
		return err
	}
	if !cfg.Quiet {
		fmt.Fprintf(stderr, "%d cues, %d bytes, version %s, longest phrase %d words\n", l.Len(), buf.Len(), l.Version(), l.MaxWords())
		builder.Count(cues).WriteTo(stderr)
	}
	return nil
}

// writeSnapshots writes the snapshots of l, parsed from table, that cfg
// asks for.
func writeSnapshots(cfg Config, l *lexicon.Lexicon, table []byte) error {
	if cfg.Snapshot != "" {
		var b bytes.Buffer
		if err := l.WriteSnapshot(&b, table); err != nil {
			return err
		}
		if err := os.WriteFile(cfg.Snapshot, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if cfg.Cues != "" {
		var b bytes.Buffer
		if err := features.BuildCueIndex(l).WriteSnapshot(&b, l); err != nil {
			return err
		}
		if err := os.WriteFile(cfg.Cues, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
