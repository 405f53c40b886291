package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/stance/classifierd/internal/batch"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/server"
	"google.golang.org/grpc"
)

// jobConfig is what classify and eval share: where documents are
// classified and how hard to push.
type jobConfig struct {
	Addr        string
	Local       bool
	ModelPath   string
	LexiconPath string
	Workers     int
	InFlight    int
	Streams     int
	Timeout     time.Duration
	Retries     int
	RetryFor    time.Duration
	Quiet       bool
	Security    securityConfig
	// retryForSet says -retry-for was given: then a server that does not
	// answer at the start is waited for that long too.
	retryForSet bool
}

func (c *jobConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:50051", "classifierd `HOST:PORT`; a comma-separated list, or a DNS name with several addresses, balances round_robin over all of them")
	fs.BoolVar(&c.Local, "local", false, "classify in-process with the embedded model (or -model) and no server, on all cores")
	fs.StringVar(&c.ModelPath, "model", "", "with -local: model `FILE` written by stancetrain (default: the embedded model)")
	fs.StringVar(&c.LexiconPath, "lexicon", "", "with -local: lexicon TSV `FILE` whose cues add to or override the built-in lexicon")
	fs.IntVar(&c.Workers, "workers", runtime.GOMAXPROCS(0), "with -local: documents classified at once")
	fs.IntVar(&c.InFlight, "inflight", batch.DefaultWindow, "most documents read but not yet written: in flight, or answered and waiting for an earlier one")
	fs.IntVar(&c.Streams, "streams", 8, "ClassifyStream calls open at once, spread over the servers")
	fs.DurationVar(&c.Timeout, "timeout", time.Minute, "how long one attempt at a document may take before it is sent again")
	fs.IntVar(&c.Retries, "retries", 10, "attempts per document before a transient error becomes its answer")
	fs.DurationVar(&c.RetryFor, "retry-for", 5*time.Minute, "how long to keep retrying while no server answers before stopping (resume later with -resume); at the start, only when given, how long to wait for a server to answer at all (else a wrong -addr is said at once)")
	fs.BoolVar(&c.Security.TLS, "tls", false, "connect with TLS, checking the server against the system's CAs (or -tls-ca)")
	fs.StringVar(&c.Security.CAFile, "tls-ca", "", "CA bundle `FILE` (PEM) to check the server certificate against; implies -tls")
	fs.StringVar(&c.Security.CertFile, "tls-cert", "", "client certificate `FILE` (PEM) for mutual TLS, with -tls-key; implies -tls")
	fs.StringVar(&c.Security.KeyFile, "tls-key", "", "client private key `FILE` (PEM)")
	fs.StringVar(&c.Security.ServerName, "tls-server-name", "", "`NAME` to check the server certificate for, when it is not the -addr host; implies -tls")
	fs.StringVar(&c.Security.TokenFile, "token-file", "", "`FILE` holding a bearer token to present (needs TLS)")
	fs.StringVar(&c.Security.Token, "token", "", "bearer `TOKEN` to present (needs TLS); better set as STANCECTL_TOKEN, since flags show in ps")
	fs.BoolVar(&c.Quiet, "quiet", false, "no progress on standard error, only problems and the summary")
}

// parseFlags parses args, then the environment (STANCECTL_ADDR, ...).
func parseFlags(fs *flag.FlagSet, args []string, help string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprint(stderr, help, "\nFlags:\n")
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	err := ff.Parse(fs, args, ff.WithEnvVarPrefix("STANCECTL"))
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return fmt.Errorf("%s: %w (see stancectl %s -h)", fs.Name(), err, fs.Name())
	}
	if err == nil && fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q (see stancectl %s -h)", fs.Name(), fs.Arg(0), fs.Name())
	}
	return err
}

// parsed records which flags were given, after parseFlags.
func (c *jobConfig) parsed(fs *flag.FlagSet) {
	c.retryForSet = isSet(fs, "retry-for")
}

// isSet says whether flag name was given, on the command line or in the
// environment.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

func (c *jobConfig) check() error {
	if !c.Local && (c.ModelPath != "" || c.LexiconPath != "") {
		return errors.New("-model and -lexicon need -local (a server loads its own model)")
	}
	if c.InFlight < 1 || c.Streams < 1 || c.Workers < 1 || c.Retries < 1 {
		return errors.New("-inflight, -streams, -workers and -retries must be at least 1")
	}
	return nil
}

// backend opens the classifier: a client of -addr, or the service
// in-process with -local. close releases it.
//
// A server is asked for its model first: when none answers at -addr, that
// is said at once (or, with -retry-for given, after trying that long),
// rather than after -retry-for of silent retries.
func (c *jobConfig) backend(ctx context.Context, stderr io.Writer) (b batch.Backend, close func() error, err error) {
	if !c.Local {
		opts := batch.RemoteOptions{Streams: c.Streams, Timeout: c.Timeout, MaxAttempts: c.Retries, RetryFor: c.RetryFor}
		creds, err := c.Security.transport()
		if err != nil {
			return nil, nil, err
		}
		if creds != nil {
			opts.DialOptions = append(opts.DialOptions, grpc.WithTransportCredentials(creds))
		}
		token, err := c.Security.bearer(creds != nil)
		if err != nil {
			return nil, nil, err
		}
		if token != nil {
			opts.DialOptions = append(opts.DialOptions, grpc.WithPerRPCCredentials(token))
		}
		r, err := batch.Dial(c.Addr, opts)
		if err != nil {
			return nil, nil, err
		}
		wait := time.Duration(0)
		if c.retryForSet {
			wait = c.RetryFor
		}
		if _, err := r.Check(ctx, wait); err != nil {
			r.Close()
			return nil, nil, err
		}
		return r, r.Close, nil
	}
	adviseHugeHeap()
	tok, err := features.NewTokenizer()
	if err != nil {
		return nil, nil, fmt.Errorf("load tokenizer: %w", err)
	}
	cl, err := classifier.Open(classifier.Sources{ModelPath: c.ModelPath, LexiconPath: c.LexiconPath}, tok)
	if err != nil {
		return nil, nil, fmt.Errorf("load classifier: %w", err)
	}
	// The server adapter logs only unexpected internal errors.
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	limits := server.DefaultLimits
	limits.MaxInFlight = max(limits.MaxInFlight, c.Workers) // never shed our own workers
	svc := server.New(cl, limits, log)
	return batch.NewLocal(svc, c.Workers, c.Timeout), func() error { return nil }, nil
}
