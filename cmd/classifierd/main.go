// Command classifierd serves stance classification over gRPC
// (stance.v1.StanceService), with grpc.health.v1 and server reflection.
//
// Every flag can also be set from the environment: -max-batch is
// CLASSIFIERD_MAX_BATCH, and so on. With no flags it serves the embedded
// model on 127.0.0.1:50051.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/server"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
)

// Config is everything main reads from flags and the environment.
type Config struct {
	Addr         string
	Sources      classifier.Sources
	Limits       server.Limits
	DrainTimeout time.Duration
	LogFormat    string
}

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "classifierd:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, nil, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "classifierd:", err)
		stop()
		os.Exit(1)
	}
}

func parseConfig(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("classifierd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	l := server.DefaultLimits
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:50051", "address to listen on (host:port)")
	fs.StringVar(&cfg.Sources.ModelPath, "model", "", "model file written by stancetrain (default: the embedded model)")
	fs.StringVar(&cfg.Sources.LexiconPath, "lexicon", "", "lexicon TSV whose cues add to or override the built-in lexicon")
	fs.IntVar(&l.MaxDocumentBytes, "max-document-bytes", l.MaxDocumentBytes, "largest document text in bytes (RESOURCE_EXHAUSTED beyond)")
	fs.IntVar(&l.MaxBatchDocuments, "max-batch", l.MaxBatchDocuments, "most documents per ClassifyBatch call")
	fs.IntVar(&l.MaxSpans, "max-spans", l.MaxSpans, "most explicit spans per request")
	fs.IntVar(&l.MaxTargets, "max-targets", l.MaxTargets, "most caller targets per request")
	fs.IntVar(&l.MaxAliases, "max-aliases", l.MaxAliases, "most aliases per target")
	fs.IntVar(&l.MaxStreamInFlight, "max-stream-inflight", l.MaxStreamInFlight, "most documents of one stream classified at once")
	fs.DurationVar(&cfg.DrainTimeout, "drain-timeout", 20*time.Second, "on SIGTERM, how long accepted requests may take to finish")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	if err := ff.Parse(fs, args, ff.WithEnvVarPrefix("CLASSIFIERD")); err != nil {
		return Config{}, err
	}
	cfg.Limits = l
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return Config{}, fmt.Errorf("-log-format %q: want text or json", cfg.LogFormat)
	}
	return cfg, nil
}

// run serves until ctx ends, then drains. ready, if not nil, receives the
// listening address once the server accepts connections.
func run(ctx context.Context, cfg Config, ready chan<- net.Addr, stderr io.Writer) error {
	log := newLogger(cfg.LogFormat, stderr)
	start := time.Now()
	tok, err := features.NewTokenizer()
	if err != nil {
		return err
	}
	c, err := classifier.Open(cfg.Sources, tok)
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	g := grpc.NewServer(
		grpc.MaxRecvMsgSize(recvLimit(cfg.Limits)),
		grpc.ChainUnaryInterceptor(server.RecoverUnary(log)),
		grpc.ChainStreamInterceptor(server.RecoverStream(log)),
	)
	svc := server.New(c, cfg.Limits, log)
	svc.Register(g)
	hs := health.NewServer()
	healthpb.RegisterHealthServer(g, hs)
	reflection.Register(g)
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus("stance.v1.StanceService", healthpb.HealthCheckResponse_SERVING)

	serveErr := make(chan error, 1)
	go func() { serveErr <- g.Serve(lis) }()
	log.Info("serving", "addr", lis.Addr().String(), "model", c.Model().Version(), "startup", time.Since(start).Round(time.Millisecond))
	if ready != nil {
		ready <- lis.Addr()
	}

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "drain_timeout", cfg.DrainTimeout)
	hs.Shutdown() // NOT_SERVING, so balancers stop sending
	drained := make(chan struct{})
	go func() { g.GracefulStop(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(cfg.DrainTimeout):
		log.Warn("drain deadline passed; closing remaining connections")
		g.Stop()
	}
	return nil
}

// recvLimit is the largest message the server accepts: a full batch of
// documents at the size limit, with room for spans and targets.
func recvLimit(l server.Limits) int {
	const overhead = 64 << 10
	n := int64(l.MaxDocumentBytes+overhead) * int64(max(1, l.MaxBatchDocuments))
	return int(min(n, 1<<30))
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
