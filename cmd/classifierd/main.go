// Command classifierd serves stance classification over gRPC
// (stance.v1.StanceService), with grpc.health.v1 and server reflection.
//
// Every flag can also be set from the environment: -max-batch is
// CLASSIFIERD_MAX_BATCH, and so on. With no flags it serves the embedded
// model on 127.0.0.1:50051. SIGHUP reloads the model and lexicon files;
// SIGINT or SIGTERM drains and exits.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"syscall"
	"time"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/peterbourgon/ff/v3"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/connlimit"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/server"
	"github.com/stance/classifierd/internal/version"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"
)

// Config is everything main reads from flags and the environment.
type Config struct {
	Addr         string
	Sources      classifier.Sources
	Limits       server.Limits
	DrainTimeout time.Duration
	ReloadPoll   time.Duration
	// MaxMessageBytes bounds every received message (a batch in total).
	MaxMessageBytes int
	// MaxConnections bounds the open client connections; at the limit, a
	// new one takes the slot of the quietest idle one.
	MaxConnections int
	// HandshakeTimeout bounds a new connection's TLS and HTTP/2 set-up.
	HandshakeTimeout time.Duration
	// IdleTimeout closes connections with no call for that long.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the header list of a call.
	MaxHeaderBytes int
	LogFormat      string
	LogText        bool
	MetricsAddr    string
	Pprof          bool
	TLS            TLSConfig
	Auth           AuthConfig

	// HTTPAddr serves HTTP/JSON and the page (see http.go); empty: off.
	HTTPAddr string
}

// TLSConfig turns on TLS, and mutual TLS with ClientCA.
type TLSConfig struct {
	CertFile, KeyFile, ClientCAFile string
}

// AuthConfig turns on bearer-token authentication.
type AuthConfig struct {
	TokensFile string
	// Health and Reflection say whether those services need a token too.
	Health, Reflection bool
}

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		if errors.Is(err, errVersion) {
			fmt.Print(version.String("classifierd"))
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "classifierd:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	if err := run(ctx, cfg, hup, nil, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "classifierd:", err)
		stop()
		os.Exit(1)
	}
}

// errVersion is parseConfig's answer to -version.
var errVersion = errors.New("version asked")

func parseConfig(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("classifierd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	l := server.DefaultLimits
	l.MaxInFlight = 4 * runtime.GOMAXPROCS(0)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:50051", "address to listen on (host:port)")
	fs.StringVar(&cfg.Sources.ModelPath, "model", "", "model file written by stancetrain (default: the embedded model)")
	fs.StringVar(&cfg.Sources.LexiconPath, "lexicon", "", "lexicon TSV whose cues add to or override the built-in lexicon")
	fs.IntVar(&l.MaxDocumentBytes, "max-document-bytes", l.MaxDocumentBytes, "largest document text in bytes (RESOURCE_EXHAUSTED beyond)")
	fs.IntVar(&l.MaxBatchDocuments, "max-batch", l.MaxBatchDocuments, "most documents per ClassifyBatch call")
	fs.IntVar(&l.MaxSpans, "max-spans", l.MaxSpans, "most explicit spans per request")
	fs.IntVar(&l.MaxTargets, "max-targets", l.MaxTargets, "most caller targets per request")
	fs.IntVar(&l.MaxAliases, "max-aliases", l.MaxAliases, "most aliases per target")
	fs.IntVar(&l.MaxStreamInFlight, "max-stream-inflight", l.MaxStreamInFlight, "most documents of one stream classified at once")
	fs.IntVar(&l.MaxInFlight, "max-inflight", l.MaxInFlight, "most documents classified at once server-wide, 4 x cores unless set; unary and batch calls beyond it get RESOURCE_EXHAUSTED")
	fs.IntVar(&l.MaxStreams, "max-streams", l.MaxStreams, "most ClassifyStream calls open at once")
	l.MaxInFlightBytes = defaultInFlightBytes()
	fs.Int64Var(&l.MaxInFlightBytes, "max-inflight-bytes", l.MaxInFlightBytes, "memory of the documents in flight, as estimated from their text, mentions and answers, until each answer is written: 40% of GOMEMLIMIT when that is set, else 256 MiB, unless set")
	fs.DurationVar(&l.MaxQueueWait, "max-queue-wait", l.MaxQueueWait, "longest a unary or batch call waits for admission, from its arrival; then RESOURCE_EXHAUSTED with RetryInfo")
	fs.IntVar(&l.MaxMentions, "max-mentions", l.MaxMentions, "most mentions (found and explicit) in one document's answer (RESOURCE_EXHAUSTED beyond)")
	fs.IntVar(&l.MaxResponseBytes, "max-response-bytes", l.MaxResponseBytes, "largest answer to one document in bytes, checked before it is built (RESOURCE_EXHAUSTED beyond)")
	fs.IntVar(&cfg.MaxMessageBytes, "max-message-bytes", 16<<20, "largest request message in bytes (a whole batch); larger ones get RESOURCE_EXHAUSTED from gRPC")
	fs.IntVar(&cfg.MaxConnections, "max-connections", 1024, "most client connections open at once; at the limit a new one closes the connection idle longest (1 s at least, no StanceService call in flight), or waits for one")
	fs.DurationVar(&cfg.HandshakeTimeout, "handshake-timeout", 5*time.Second, "time a new connection has to finish its TLS and HTTP/2 handshake")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", 5*time.Minute, "close connections that have had no call for this long")
	fs.IntVar(&cfg.MaxHeaderBytes, "max-header-bytes", 16<<10, "largest header list (metadata) of a call, in bytes")
	fs.DurationVar(&cfg.DrainTimeout, "drain-timeout", 20*time.Second, "on SIGTERM, how long accepted requests may take to finish")
	fs.DurationVar(&cfg.ReloadPoll, "reload-poll", 10*time.Second, "how often to check -model and -lexicon files for changes (0: only on SIGHUP)")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	fs.BoolVar(&cfg.LogText, "debug-log-text", false, "log document text with each Classify call (debugging only: documents may be confidential)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", "", "address for Prometheus /metrics over HTTP, e.g. :9090 (default: off)")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", "", "address for HTTP/JSON (/v1/...), its OpenAPI document and the web page, e.g. 127.0.0.1:8080 (default: off)")
	fs.BoolVar(&cfg.Pprof, "pprof", false, "serve /debug/pprof on the metrics address")
	fs.StringVar(&cfg.TLS.CertFile, "tls-cert", "", "TLS certificate file (PEM); with -tls-key turns TLS on")
	fs.StringVar(&cfg.TLS.KeyFile, "tls-key", "", "TLS private key file (PEM)")
	fs.StringVar(&cfg.TLS.ClientCAFile, "tls-client-ca", "", "CA bundle (PEM) for client certificates; turns on mutual TLS")
	fs.StringVar(&cfg.Auth.TokensFile, "auth-tokens", "", "file of bearer tokens, one per line; turns on token authentication")
	fs.BoolVar(&cfg.Auth.Health, "auth-health", false, "require a token for grpc.health.v1 too")
	fs.BoolVar(&cfg.Auth.Reflection, "auth-reflection", false, "require a token for server reflection too")
	showVersion := fs.Bool("version", false, "print the build's version and the embedded model's, and exit")
	if err := ff.Parse(fs, args, ff.WithEnvVarPrefix("CLASSIFIERD")); err != nil {
		return Config{}, err
	}
	if *showVersion {
		return Config{}, errVersion
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q: classifierd takes only flags (see classifierd -h)", fs.Arg(0))
	}
	cfg.Limits = l
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return Config{}, fmt.Errorf("-log-format %q: want text or json", cfg.LogFormat)
	}
	if (cfg.TLS.CertFile == "") != (cfg.TLS.KeyFile == "") {
		return Config{}, errors.New("-tls-cert and -tls-key go together")
	}
	if cfg.Pprof && cfg.MetricsAddr == "" {
		return Config{}, errors.New("-pprof needs -metrics-addr")
	}
	if cfg.TLS.ClientCAFile != "" && cfg.TLS.CertFile == "" {
		return Config{}, errors.New("-tls-client-ca needs -tls-cert and -tls-key")
	}
	for name, v := range map[string]int{"max-document-bytes": l.MaxDocumentBytes, "max-batch": l.MaxBatchDocuments,
		"max-stream-inflight": l.MaxStreamInFlight, "max-inflight": l.MaxInFlight, "max-streams": l.MaxStreams,
		"max-connections": cfg.MaxConnections, "max-header-bytes": cfg.MaxHeaderBytes, "max-mentions": l.MaxMentions, "max-response-bytes": l.MaxResponseBytes} {
		if v < 1 {
			return Config{}, fmt.Errorf("-%s must be at least 1", name)
		}
	}
	if l.MaxInFlightBytes < 1<<20 {
		return Config{}, errors.New("-max-inflight-bytes must be at least 1 MiB")
	}
	if l.MaxQueueWait <= 0 {
		return Config{}, errors.New("-max-queue-wait must be positive")
	}
	for name, v := range map[string]int{"max-spans": l.MaxSpans, "max-targets": l.MaxTargets, "max-aliases": l.MaxAliases} {
		if v < 0 {
			return Config{}, fmt.Errorf("-%s must not be negative", name)
		}
	}
	if cfg.MaxMessageBytes < l.MaxDocumentBytes+messageOverhead {
		return Config{}, fmt.Errorf("-max-message-bytes %d must exceed -max-document-bytes by at least %d", cfg.MaxMessageBytes, messageOverhead)
	}
	return cfg, nil
}

// run serves until ctx ends, then drains. A signal on hup reloads the
// model. ready, if not nil, receives the listening address once the server
// accepts connections.
func run(ctx context.Context, cfg Config, hup <-chan os.Signal, ready chan<- net.Addr, stderr io.Writer) error {
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
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	rpcMetrics := grpcprom.NewServerMetrics(grpcprom.WithServerHandlingTimeHistogram())
	reg.MustRegister(rpcMetrics)
	svc := server.New(c, cfg.Limits, log)
	opts, err := serverOptions(cfg, log, rpcMetrics, svc)
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	// Calls to the StanceService keep a connection from being closed to
	// make room; health checks and reflection do not, so that probes and
	// watches cannot hold the slots either.
	limiter := connlimit.New(cfg.MaxConnections, time.Second, "/stance.v1.")
	lis = limiter.Listen(lis)
	opts = append(opts, grpc.StatsHandler(limiter))
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stance_connections_open", Help: "Client connections open."},
			func() float64 { return float64(limiter.Open()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "stance_connections_evicted_total",
			Help: "Idle connections closed to make room for a new one at -max-connections."},
			func() float64 { return float64(limiter.Evicted()) }))
	svc.SetMetrics(server.NewMetrics(reg))
	g := grpc.NewServer(append(opts, svc.ServerOptions()...)...)
	svc.Register(g)
	hs := health.NewServer()
	healthpb.RegisterHealthServer(g, hs)
	reflection.Register(g)
	rpcMetrics.InitializeMetrics(g)
	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		if metricsSrv, err = serveMetrics(cfg, reg, log); err != nil {
			lis.Close()
			return err
		}
	}
	_, stopHTTP, err := serveHTTP(ctx, cfg, svc, log, rpcMetrics)
	if err != nil {
		lis.Close()
		return err
	}
	defer stopHTTP()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus("stance.v1.StanceService", healthpb.HealthCheckResponse_SERVING)

	reloadCtx, stopReload := context.WithCancel(ctx)
	defer stopReload()
	go newReloader(cfg.Sources, tok, svc, log).serve(reloadCtx, hup, cfg.ReloadPoll)

	serveErr := make(chan error, 1)
	go func() { serveErr <- g.Serve(lis) }()
	log.Info("serving", "addr", lis.Addr().String(), "model", c.Model().Version(),
		"tls", cfg.TLS.CertFile != "", "mtls", cfg.TLS.ClientCAFile != "", "auth", cfg.Auth.TokensFile != "",
		"startup", time.Since(start).Round(time.Millisecond))
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
	svc.Drain()   // streams answer what they started and end
	drained := make(chan struct{})
	go func() { g.GracefulStop(); close(drained) }()
	select {
	case <-drained:
		log.Info("drained")
	case <-time.After(cfg.DrainTimeout):
		log.Warn("drain deadline passed; closing remaining connections")
		g.Stop()
	}
	if metricsSrv != nil {
		shutCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		metricsSrv.Shutdown(shutCtx)
	}
	return nil
}

// serveMetrics serves Prometheus metrics, and pprof if asked, on their own
// port so that they are never exposed on the gRPC port.
func serveMetrics(cfg Config, reg *prometheus.Registry, log *slog.Logger) (*http.Server, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	if cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	lis, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("metrics listener: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(lis)
	log.Info("metrics", "addr", "http://"+lis.Addr().String()+"/metrics", "pprof", cfg.Pprof)
	return srv, nil
}

// serverOptions builds the gRPC server options: message and stream limits,
// panic recovery, TLS and authentication.
func serverOptions(cfg Config, log *slog.Logger, rpcMetrics *grpcprom.ServerMetrics, svc *server.Server) ([]grpc.ServerOption, error) {
	// Outermost first: metrics and the log line see every call, including
	// refused and panicking ones.
	unary := []grpc.UnaryServerInterceptor{rpcMetrics.UnaryServerInterceptor(), server.LogUnary(log, cfg.LogText), server.RecoverUnary(log)}
	stream := []grpc.StreamServerInterceptor{rpcMetrics.StreamServerInterceptor(), server.LogStream(log), server.RecoverStream(log)}
	if cfg.Auth.TokensFile != "" {
		f, err := os.Open(cfg.Auth.TokensFile)
		if err != nil {
			return nil, fmt.Errorf("open tokens: %w", err)
		}
		var open []string
		if !cfg.Auth.Health {
			open = append(open, "/grpc.health.v1.Health/")
		}
		if !cfg.Auth.Reflection {
			open = append(open, "/grpc.reflection.")
		}
		tokens, err := server.LoadTokens(f, open)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("load tokens %s: %w", cfg.Auth.TokensFile, err)
		}
		// The service's tap checks tokens before a call's message is read;
		// the interceptors check them again after metrics and logging,
		// before anything else, for a grpc.Server without the tap.
		svc.SetTokens(tokens)
		unary = slices.Insert(unary, 2, tokens.UnaryInterceptor())
		stream = slices.Insert(stream, 2, tokens.StreamInterceptor())
	}
	opts := []grpc.ServerOption{
		// Together with the connection limit and the streams per
		// connection, this bounds what decoding can hold in memory.
		grpc.MaxRecvMsgSize(cfg.MaxMessageBytes),
		// HTTP/2 streams per connection: enough for stream-heavy clients,
		// bounded so one connection cannot open unlimited calls.
		grpc.MaxConcurrentStreams(uint32(max(100, 2*cfg.Limits.MaxInFlight))),
		grpc.ChainUnaryInterceptor(unary...),
		grpc.ChainStreamInterceptor(stream...),
		// Connection hygiene: a socket that does not finish its handshake
		// in time is closed (the default, 120 s, let silent sockets hold
		// slots), idle connections are closed, dead peers are found by
		// pings, and clients that ping too often are told to stop.
		grpc.ConnectionTimeout(cfg.HandshakeTimeout),
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionIdle: cfg.IdleTimeout, Time: time.Minute, Timeout: 20 * time.Second}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
		grpc.MaxHeaderListSize(uint32(cfg.MaxHeaderBytes)),
	}
	if cfg.TLS.CertFile != "" {
		tc, err := tlsConfig(cfg.TLS)
		if err != nil {
			return nil, err
		}
		opts = append(opts, grpc.Creds(credentials.NewTLS(tc)))
	}
	return opts, nil
}

func tlsConfig(c TLSConfig) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS key pair: %w", err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if c.ClientCAFile != "" {
		pem, err := os.ReadFile(c.ClientCAFile)
		if err != nil {
			return nil, fmt.Errorf("read client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("client CA %s holds no PEM certificates", c.ClientCAFile)
		}
		tc.ClientCAs = pool
		tc.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return tc, nil
}

// defaultInFlightBytes is the memory budget for documents in flight: 40%
// of the soft memory limit when one is set (GOMEMLIMIT; the shipped pod
// has 230 MiB, so 92 MiB), which leaves the rest for the tables (some 80
// MiB), requests waiting to be admitted and the collector's headroom; 256
// MiB otherwise.
func defaultInFlightBytes() int64 {
	if limit := debug.SetMemoryLimit(-1); limit > 0 && limit < math.MaxInt64 {
		return max(16<<20, limit*2/5)
	}
	return 256 << 20
}

// messageOverhead is the room a request needs beyond its text: id,
// targets, spans and framing.
const messageOverhead = 64 << 10

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
