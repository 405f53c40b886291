// Command gazettegen compiles the entity gazetteer embedded by
// internal/entities from the Phoenix (PETRARCH2) actor and agent dictionaries
// plus the hand-written corrections in additions.txt.
//
// Run it from the repository root:
//
//	go run ./cmd/gazettegen -shared ../shared
//
// It writes internal/entities/data/gazetteer.tsv.gz, and beside it
// gazetteer.snapshot: the gazetteer that internal/entities loads from the
// table, which its Default then reads instead of loading the table at
// every start. The output depends only on its inputs, byte for byte; a test
// in this package checks that the committed table is what the command
// produces, and one in internal/entities that the committed snapshot is the
// table's.
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/stance/classifierd/internal/entities"
)

//go:embed additions.txt
var builtinAdditions string

// dictSubdir is where the Phoenix dictionaries live under the shared tree.
const dictSubdir = "data/lexicons/cameo-petrarch2-dictionaries"

// defaultOut is the embedded table, relative to the repository root.
const defaultOut = "internal/entities/data/gazetteer.tsv.gz"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses flags, compiles and writes the table; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("gazettegen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	shared := fl.String("shared", envOr("STANCE_SHARED", "../shared"), "shared data directory (env STANCE_SHARED)")
	addPath := fl.String("additions", "", "additions file (default: the embedded cmd/gazettegen/additions.txt)")
	out := fl.String("out", defaultOut, "output file; - for stdout")
	snapOut := fl.String("snapshot", "", "file for the loaded gazetteer's snapshot (default: -out with .snapshot for .tsv.gz; none for stdout)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	var add io.Reader = strings.NewReader(builtinAdditions)
	if *addPath != "" {
		f, err := os.Open(*addPath)
		if err != nil {
			fmt.Fprintln(stderr, "gazettegen:", err)
			return 1
		}
		defer f.Close()
		add = f
	}
	table, err := compile(os.DirFS(filepath.Join(*shared, dictSubdir)), add)
	if err != nil {
		fmt.Fprintln(stderr, "gazettegen:", err)
		return 1
	}
	if *out == "-" {
		_, err = stdout.Write(table)
	} else {
		err = os.WriteFile(*out, table, 0o644)
	}
	if err == nil {
		err = writeSnapshot(table, snapshotPath(*out, *snapOut))
	}
	if err != nil {
		fmt.Fprintln(stderr, "gazettegen:", err)
		return 1
	}
	return 0
}

// snapshotPath is where the snapshot goes: the -snapshot flag, else beside
// the table.
func snapshotPath(out, flagged string) string {
	switch {
	case flagged != "":
		return flagged
	case out == "-":
		return ""
	}
	return strings.TrimSuffix(strings.TrimSuffix(out, ".gz"), ".tsv") + ".snapshot"
}

// writeSnapshot loads table as internal/entities does and writes its
// snapshot to path (nothing for "").
func writeSnapshot(table []byte, path string) error {
	if path == "" {
		return nil
	}
	g, err := entities.Load(bytes.NewReader(table))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := g.WriteSnapshot(&b, table); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
