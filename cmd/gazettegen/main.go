// Command gazettegen compiles the entity gazetteer embedded by
// internal/entities from the Phoenix (PETRARCH2) actor and agent dictionaries
// plus the hand-written corrections in additions.txt.
//
// Run it from the repository root:
//
//	go run ./cmd/gazettegen -shared ../shared
//
// It writes internal/entities/data/gazetteer.tsv.gz. The output depends only on
// its inputs, byte for byte, and a test in this package checks that the
// committed table is what the command produces.
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	if err != nil {
		fmt.Fprintln(stderr, "gazettegen:", err)
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
