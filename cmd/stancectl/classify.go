package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/batch"
)

const classifyHelp = `Usage: stancectl classify -in FILE|DIR|- -out FILE|- [-addr HOST:PORT[,HOST:PORT...] | -local] [flags]

Classifies every input document and writes one line per document to -out:
the protobuf JSON form of stance.v1.ClassifyResponse, compact, with the
.proto field names (model_version, mention_count, country_id) and fields at
their default value left out. "id" is the document's id; "targeted" answers
the document's explicit spans, index-aligned.

Input (-in), gzip- or zstd-compressed or not (detected from the content):
  FILE.jsonl  stance JSONL (-format jsonl), one document per line:
              {"id":"a1","text":"...","targets":[{"start":0,"end":4,"entity":"NATO"}]}
              its targets are SPANS of the text to classify (UTF-8 byte
              offsets, end exclusive), answered in "targeted"; "labels"
              are ignored; a line without an id gets the id line:N. Blank
              lines are skipped.
  FILE        with -format requests: one stance.v1.ClassifyRequest per
              line, in protobuf JSON, with every request option:
              {"id":"a1","text":"...",
               "targets":[{"name":"Iran","aliases":["Tehran"],"type":"ENTITY_TYPE_COUNTRY"}],
               "spans":[{"start":0,"end":4}],"offset_encoding":"OFFSET_ENCODING_UTF16",
               "options":{"max_evidence":2,"builtin_entities":false}}
              here targets are the caller's own ENTITIES, found by name.
              A line of one format read as the other is an error line
              that says so. Unknown fields are errors.
  FILE.csv    with -format csv: a header row, then one document per row;
              -text-column (default text) and -id-column (default id, if
              the header has it) name the columns.
  FILE        another file is stance JSONL if it starts with '{' (or its
              name ends in .jsonl, .ndjson or .json), otherwise one text
              document with the file name as id (with a warning when it
              looks like CSV); -format says which instead.
  DIR         one text document per file, id = file name, in file-name
              order; dot files and subdirectories are skipped.
  -           standard input (JSONL, or one text document).

Output (-out): compressed when its name ends in .gz (gzip) or .zst
(Zstandard); -fields keeps only some parts of each answer, and -evidence
sets how many evidence items each mention carries (0: none), which makes
the output several times smaller.

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
	// Evidence is -evidence: nil when not given.
	Evidence *int
	// Fields is -fields.
	Fields batch.Field
	// Input are the CSV options.
	Input batch.InputOptions
}

func classifyCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	var cfg classifyConfig
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.StringVar(&cfg.In, "in", "", "input `FILE`, DIR or - for standard input (required)")
	fs.StringVar(&cfg.Out, "out", "", "output `FILE`, or - for standard output (required)")
	fs.StringVar(&cfg.Format, "format", "auto", "input format: auto, jsonl (stance JSONL), requests (ClassifyRequest JSON lines), csv, or text (one document per file)")
	fs.StringVar(&cfg.Input.TextColumn, "text-column", "text", "with -format csv: the column holding the text")
	fs.StringVar(&cfg.Input.IDColumn, "id-column", "", "with -format csv: the column holding the document id (default \"id\" when there is one, else line:N)")
	fs.BoolVar(&cfg.Resume, "resume", false, "continue an interrupted run: keep -out's complete lines and classify only the documents after them")
	fs.BoolVar(&cfg.Force, "force", false, "overwrite a non-empty -out")
	fs.BoolVar(&cfg.Unordered, "unordered", false, "write lines in completion order rather than input order (faster when some documents are slow)")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof reads it)")
	var evidence optionalInt
	fs.Var(&evidence, "evidence", "`N` evidence items per mention and relation, at most 20; 0 for none (smaller output, faster). Unset, each request's own options decide (the server's default: 5)")
	fields := fs.String("fields", "all", "which parts of each answer to write, comma-separated: mentions, entities, targeted, relations, dyads, or all (id, model_version and error always)")
	cfg.job.register(fs)
	if err := parseFlags(fs, args, classifyHelp, stderr); err != nil {
		return exitError, err
	}
	cfg.job.parsed(fs)
	if evidence.set {
		if evidence.n < 0 || evidence.n > batch.MaxEvidence {
			return exitError, fmt.Errorf("classify: -evidence %d: want 0 (none) to %d", evidence.n, batch.MaxEvidence)
		}
		cfg.Evidence = &evidence.n
	}
	var err error
	if cfg.Fields, err = batch.ParseFields(*fields); err != nil {
		return exitError, fmt.Errorf("classify: -fields: %w", err)
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
	in, err := batch.OpenWith(cfg.In, format, stdin, cfg.Input)
	if err != nil {
		return exitError, err
	}
	defer in.Close()
	if w := in.Warning(); w != "" {
		fmt.Fprintf(stderr, "stancectl: warning: %s\n", w)
	}

	// The output is checked, then the backend opened, and only then the
	// output file made: a wrong -addr leaves no empty file behind.
	if cfg.Out != "-" && !cfg.Resume && !cfg.Force {
		if fi, err := os.Stat(cfg.Out); err == nil && fi.Size() > 0 {
			return exitError, fmt.Errorf("output %s exists and is not empty: use -resume to continue it or -force to overwrite it", cfg.Out)
		}
	}
	backend, closeBackend, err := cfg.job.backend(ctx, stderr)
	if err != nil {
		return exitError, err
	}
	defer closeBackend()

	r := &batch.Runner{Backend: backend, Unordered: cfg.Unordered, Window: cfg.job.InFlight, Evidence: cfg.Evidence}
	wopts := batch.WriterOptions{Fields: cfg.Fields}
	var w *batch.Writer
	if cfg.Out == "-" {
		w, _ = batch.NewWriterOptions(stdout, wopts)
	} else {
		wopts.Compression = batch.CompressionFor(cfg.Out)
		// Not out, err :=: the deferred close must set the err that is
		// returned, or its failure exits 2 without a word.
		out, oerr := openOutput(cfg.Out, cfg.Resume, cfg.Force, !cfg.Unordered, wopts, stderr)
		if oerr != nil {
			return exitError, oerr
		}
		defer func() {
			if cerr := out.close(r.Progress().Done > 0); err == nil && cerr != nil {
				code, err = exitError, cerr
			}
		}()
		r.Resume = out.res
		w = out.w
	}
	defer func() {
		if ferr := w.Close(); err == nil && ferr != nil {
			code, err = exitError, ferr
		}
	}()

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
			if s.Skipped+s.Done > 0 {
				held := fmt.Sprintf("the answers of the first %s", plural(s.Skipped+s.Done, "document"))
				if cfg.Unordered {
					held = fmt.Sprintf("the answers of %s", plural(s.Skipped+s.Done, "document"))
				}
				err = fmt.Errorf("%w\nstancectl: %s holds %s; run the same command with -resume to continue", err, cfg.Out, held)
			}
		}
		return exitError, err
	}
	return rep.summary(r.Progress()), nil
}

// optionalInt is an int flag that knows whether it was given, and shows
// no default in the usage.
type optionalInt struct {
	n   int
	set bool
}

func (o *optionalInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(o.n)
}

func (o *optionalInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not an integer")
	}
	o.n, o.set = n, true
	return nil
}

// output is the output file being written.
type output struct {
	f    *os.File
	w    *batch.Writer
	res  *batch.Resume
	path string
	// fresh says the file was made (or emptied) by this run, so a run that
	// writes nothing to it removes it rather than leave an empty file.
	fresh bool
	// special is set for an output that is not a regular file (-out
	// /dev/null, a named pipe): it is neither synced (which fails there)
	// nor ever removed.
	special bool
}

// openOutput opens the output file: for -resume, keeping its complete
// lines and dropping a partial last one; otherwise new, or emptied when
// force. A compressed output (.gz, .zst) is resumed by writing its
// complete lines again into a new file that replaces it: a compressed
// stream cut by an interruption cannot be appended to.
func openOutput(path string, resume, force, ordered bool, wopts batch.WriterOptions, stderr io.Writer) (*output, error) {
	if !resume {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 && !force {
			return nil, fmt.Errorf("output %s exists and is not empty: use -resume to continue it or -force to overwrite it", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, fmt.Errorf("open output: %w", err)
		}
		w, err := batch.NewWriterOptions(f, wopts)
		if err != nil {
			f.Close()
			return nil, err
		}
		return &output{f: f, w: w, path: path, fresh: true, special: !isRegular(f)}, nil
	}
	if wopts.Compression != batch.NoCompression {
		return resumeCompressed(path, ordered, wopts, stderr)
	}
	fresh := false
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		fresh = true
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open output: %w", err)
	}
	res, err := batch.ScanOutput(f, ordered)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("resume %s: %w", path, err)
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
		return nil, fmt.Errorf("resume %s: %w", path, err)
	}
	fmt.Fprintf(stderr, "stancectl: resume: %s already answers %s\n", path, plural(res.Lines, "document"))
	w, _ := batch.NewWriterOptions(f, wopts)
	return &output{f: f, w: w, res: res, path: path, fresh: fresh, special: !isRegular(f)}, nil
}

func resumeCompressed(path string, ordered bool, wopts batch.WriterOptions, stderr io.Writer) (*output, error) {
	old, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		old, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("resume %s: %w", path, err)
	}
	tmp := path + ".resume"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		if old != nil {
			old.Close()
		}
		return nil, fmt.Errorf("resume %s: %w", path, err)
	}
	fail := func(err error) (*output, error) {
		f.Close()
		os.Remove(tmp)
		if old != nil {
			old.Close()
		}
		return nil, fmt.Errorf("resume %s: %w", path, err)
	}
	w, err := batch.NewWriterOptions(f, wopts)
	if err != nil {
		return fail(err)
	}
	var src io.Reader = strings.NewReader("")
	if old != nil {
		src = old
	}
	res, err := batch.ResumeCompressed(src, ordered, w)
	if err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if old != nil {
		old.Close()
	}
	// From here the file holds the earlier run's complete lines, and
	// decodes: it replaces the old one.
	if err := os.Rename(tmp, path); err != nil {
		return fail(err)
	}
	fmt.Fprintf(stderr, "stancectl: resume: %s already answers %s (rewritten up to its last complete line)\n", path, plural(res.Lines, "document"))
	return &output{f: f, w: w, res: res, path: path, fresh: old == nil}, nil
}

// close makes the output durable, or removes it when this run made it
// and wrote nothing to it (wrote says whether it did).
func (o *output) close(wrote bool) error {
	if o.special {
		if err := o.f.Close(); err != nil {
			return fmt.Errorf("close output: %w", err)
		}
		return nil
	}
	if o.fresh && !wrote && (o.res == nil || o.res.Lines == 0) {
		o.f.Close()
		os.Remove(o.path)
		return nil
	}
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close output: %w", err)
	}
	return nil
}

// isRegular says whether f is a regular file.
func isRegular(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular()
}

// plural writes n and noun, with an s unless n is 1.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.FormatInt(n, 10) + " " + noun + "s"
}
