package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/stance/classifierd/internal/version"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailedDocs  = 1   // the run finished; some documents' lines carry an error
	exitError       = 2   // usage error, or the run stopped early
	exitInterrupted = 130 // SIGINT or SIGTERM
)

const usage = `stancectl scores documents with classifierd (stance.v1.StanceService).

Usage:
  stancectl classify -in FILE|DIR|- -out FILE [-addr HOST:PORT[,HOST:PORT...] | -local] [flags]
      Classify every document; write one JSON line per document.
  stancectl eval -in FILE.jsonl [-addr HOST:PORT | -local] [-output text|json]
      Score the labelled targets of stance JSONL: accuracy, macro-F1,
      per-class precision/recall/F1 and the confusion matrix.

  stancectl version
      Print the build's version and the embedded model's (also --version).

Run "stancectl classify -h" or "stancectl eval -h" for their flags. Every
flag can also be set in the environment: -addr as STANCECTL_ADDR, -inflight
as STANCECTL_INFLIGHT, and so on (a flag on the command line wins).

Exit status: 0 when every document was classified; 1 when the run finished
but some documents failed (their output lines carry the error, and standard
error says how many); 2 on a usage error or when the run stopped early (fix
the cause and re-run with -resume); 130 when interrupted (re-run with
-resume).
`

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	var code int
	var err error
	switch args[0] {
	case "classify":
		code, err = classifyCmd(ctx, args[1:], stdin, stdout, stderr)
	case "eval":
		code, err = evalCmd(ctx, args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "version", "-version", "--version":
		fmt.Fprint(stdout, version.String("stancectl"))
		return exitOK
	default:
		fmt.Fprintf(stderr, "stancectl: unknown command %q\n\n%s", args[0], usage)
		return exitError
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil && ctx.Err() != nil:
		fmt.Fprintf(stderr, "stancectl: interrupted: %v\n", err)
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "stancectl: %v\n", err)
		return exitError
	}
	return code
}
