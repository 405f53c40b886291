package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/batch"
)

const classifyHelp = `Usage: stancectl classify -in FILE|DIR|- -out FILE|- [-addr HOST:PORT[,HOST:PORT...] | -local] [flags]

Classifies every input document and writes one line per document to -out:
the protobuf JSON form of stance.v1.ClassifyResponse, compact, with the
.proto field names (model_version, mention_count, country_id) and fields at
their default value left out. "id" is the document's id; "targeted" answers
the document's explicit spans, index-aligned.

Input (-in), gzip-compressed or not (detected from the content):
  FILE.jsonl  stance JSONL, one document per line:
              {"id":"a1","text":"...","targets":[{"start":0,"end":4,"entity":"NATO"}]}
              targets become explicit spans (UTF-8 byte offsets, end
              exclusive); "labels" are ignored; a line without an id gets
              the id line:N. Blank lines are skipped.
  FILE        another file is JSONL if it starts with '{' (or its name ends
              in .jsonl, .ndjson or .json), otherwise one text document
              with the file name as id; -format says which instead.
  DIR         one text document per file, id = file name, in file-name
              order; dot files and subdirectories are skipped.
  -           standard input (JSONL, or one text document).

Order: by default line N of the output answers document N of the input.
With -unordered lines are written as documents are answered, so one slow
document does not hold the others back; match lines to documents by id.

Nothing is lost. A malformed input line is reported on standard error with
its line number and answered with a line carrying "error" (code 3,
INVALID_ARGUMENT); so is a document the server rejects. Transient failures
(UNAVAILABLE, RESOURCE_EXHAUSTED, a dropped connection, a server restart)
are retried with exponential backoff and jitter, the documents in flight on
a broken stream being resent. Interrupted (Ctrl-C, a crash, -retry-for
passing), the output holds every document answered so far, all but perhaps
a partial last line; run the same command with -resume to continue after
the last complete line, never repeating or skipping a document. Without
-resume an existing non-empty -out is refused unless -force.

Servers: a comma-separated -addr, or a DNS name with several addresses,
spreads -streams ClassifyStream calls over the servers (gRPC round_robin);
each stream takes documents as fast as its server answers them, and
streams are renewed every 15s so that new replicas get work. -local runs the
same job in-process, with -workers documents at once.

Exit status: 0 when every document was classified, 1 when some failed
(standard error says how many), 2 on a usage error or when the run stopped
early, 130 when interrupted.
`

// classifyConfig is the classify command line.
type classifyConfig struct {
	job       jobConfig
	In, Out   string
	Format    string
	Resume    bool
	Force     bool
	Unordered bool
	// CPUProfile is where to write a CPU profile of the run.
	CPUProfile string
}

func classifyCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var cfg classifyConfig
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.StringVar(&cfg.In, "in", "", "input `FILE`, DIR or - for standard input (required)")
	fs.StringVar(&cfg.Out, "out", "", "output `FILE`, or - for standard output (required)")
	fs.StringVar(&cfg.Format, "format", "auto", "input format: auto, jsonl or text (one document per file)")
	fs.BoolVar(&cfg.Resume, "resume", false, "continue an interrupted run: keep -out's complete lines and classify only the documents after them")
	fs.BoolVar(&cfg.Force, "force", false, "overwrite a non-empty -out")
	fs.BoolVar(&cfg.Unordered, "unordered", false, "write lines in completion order rather than input order (faster when some documents are slow)")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof reads it)")
	cfg.job.register(fs)
	if err := parseFlags(fs, args, classifyHelp, stderr); err != nil {
		return exitError, err
	}
	if cfg.In == "" || cfg.Out == "" {
		return exitError, errors.New("classify: -in and -out are required (see stancectl classify -h)")
	}
	if cfg.Out == "-" && cfg.Resume {
		return exitError, errors.New("classify: -resume needs an output file, not -")
	}
	if err := cfg.job.check(); err != nil {
		return exitError, fmt.Errorf("classify: %w", err)
	}
	format, err := batch.ParseFormat(cfg.Format)
	if err != nil {
		return exitError, fmt.Errorf("classify: -format: %w", err)
	}
	if cfg.CPUProfile != "" {
		stop, err := startCPUProfile(cfg.CPUProfile)
		if err != nil {
			return exitError, err
		}
		defer stop()
	}
	return classify(ctx, cfg, format, stdin, stdout, stderr)
}

// startCPUProfile profiles the process to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func classify(ctx context.Context, cfg classifyConfig, format batch.Format, stdin io.Reader, stdout, stderr io.Writer) (code int, err error) {
	in, err := batch.Open(cfg.In, format, stdin)
	if err != nil {
		return exitError, err
	}
	defer in.Close()

	r := &batch.Runner{Unordered: cfg.Unordered, Window: cfg.job.InFlight}
	var out io.Writer = stdout
	if cfg.Out != "-" {
		f, res, err := openOutput(cfg.Out, cfg.Resume, cfg.Force, !cfg.Unordered, stderr)
		if err != nil {
			return exitError, err
		}
		defer func() {
			if cerr := closeOutput(f); err == nil && cerr != nil {
				code, err = exitError, cerr
			}
		}()
		r.Resume = res
		out = f
	}
	w := batch.NewWriter(out)
	defer func() {
		if ferr := w.Flush(); err == nil && ferr != nil {
			code, err = exitError, ferr
		}
	}()

	backend, closeBackend, err := cfg.job.backend(stderr)
	if err != nil {
		return exitError, err
	}
	defer closeBackend()
	r.Backend = backend

	p := startProgress(stderr, r, in.Size(), cfg.job.Quiet)
	rep := newReporter(p)
	err = r.Run(ctx, in, func(d *batch.Doc, resp *stancev1.ClassifyResponse) error {
		rep.report(d, resp)
		return w.Write(resp)
	})
	p.finish("classified")
	if err != nil {
		if cfg.Out != "-" && !errors.Is(err, batch.ErrCannotResume) {
			s := r.Progress()
			held := fmt.Sprintf("the answers of the first %d documents", s.Skipped+s.Done)
			if cfg.Unordered {
				held = fmt.Sprintf("the answers of %d documents", s.Skipped+s.Done)
			}
			err = fmt.Errorf("%w\nstancectl: %s holds %s; run the same command with -resume to continue", err, cfg.Out, held)
		}
		return exitError, err
	}
	return rep.summary(r.Progress()), nil
}

// openOutput opens the output file: for -resume, keeping its complete
// lines and dropping a partial last one; otherwise new, or emptied when
// force.
func openOutput(path string, resume, force, ordered bool, stderr io.Writer) (*os.File, *batch.Resume, error) {
	if !resume {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 && !force {
			return nil, nil, fmt.Errorf("output %s exists and is not empty: use -resume to continue it or -force to overwrite it", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("open output: %w", err)
		}
		return f, nil, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open output: %w", err)
	}
	res, err := batch.ScanOutput(f, ordered)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("resume %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() > res.Size {
		fmt.Fprintf(stderr, "stancectl: resume: dropping a partial last line of %d bytes\n", fi.Size()-res.Size)
		err = f.Truncate(res.Size)
	}
	if err == nil {
		_, err = f.Seek(res.Size, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("resume %s: %w", path, err)
	}
	fmt.Fprintf(stderr, "stancectl: resume: %s already answers %d documents\n", path, res.Lines)
	return f, res, nil
}

// closeOutput makes the output durable.
func closeOutput(f *os.File) error {
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close output: %w", err)
	}
	return nil
}
