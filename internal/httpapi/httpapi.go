package httpapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"golang.org/x/net/netutil"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/encoding/protojson"
)

// Config is what the HTTP side needs beyond the gRPC server options.
type Config struct {
	// MaxBodyBytes bounds a request body; larger ones get 413 before they
	// are read. The decoded message is then held to the gRPC server's own
	// receive limit, as over gRPC.
	MaxBodyBytes int64
	// MaxInFlight bounds the API requests read and served at once; more
	// get 429 at once, before their body is read.
	MaxInFlight int
	// MaxConnections bounds the open HTTP connections; more wait to be
	// accepted.
	MaxConnections int
	// TLS, if not nil, serves HTTPS (with client certificates when it
	// requires them).
	TLS *tls.Config
	// Log receives the server's own errors; each call is logged by the
	// gRPC server's interceptors.
	Log *slog.Logger
}

// Server is the HTTP face of the service.
type Server struct {
	cfg     Config
	grpc    *grpc.Server
	conn    *grpc.ClientConn
	http    *http.Server
	handler http.Handler
}

// New builds the in-memory gRPC server from opts, lets register add the
// services to it, and connects the gateway to it. Serve starts the HTTP
// side; Shutdown stops both.
func New(cfg Config, register func(*grpc.Server), opts ...grpc.ServerOption) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	g := grpc.NewServer(opts...)
	register(g)
	lis := bufconn.Listen(256 << 10)
	go g.Serve(lis) // returns when Shutdown stops g
	conn, err := grpc.NewClient("passthrough:///classifierd",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		// The server bounds what it receives, and an answer's size follows
		// from the request's: the gateway takes what the server sends.
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(math.MaxInt32), grpc.MaxCallSendMsgSize(math.MaxInt32)))
	if err != nil {
		g.Stop()
		return nil, fmt.Errorf("connect gateway: %w", err)
	}
	mux := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			// As grpcurl and protojson write it: fields at their default
			// are left out, enums are names.
			MarshalOptions: protojson.MarshalOptions{},
			// A misspelt field is an error, not silently a default.
			UnmarshalOptions: protojson.UnmarshalOptions{},
		}),
		runtime.WithErrorHandler(writeError),
		runtime.WithRoutingErrorHandler(writeRoutingError),
		// The in-memory call's gRPC headers and trailers mean nothing to
		// an HTTP caller: its answer is the status code and the body.
		runtime.WithOutgoingHeaderMatcher(func(string) (string, bool) { return "", false }),
		runtime.WithOutgoingTrailerMatcher(func(string) (string, bool) { return "", false }),
	)
	if err := stancev1.RegisterStanceServiceHandler(context.Background(), mux, conn); err != nil {
		conn.Close()
		g.Stop()
		return nil, fmt.Errorf("register gateway: %w", err)
	}
	s := &Server{cfg: cfg, grpc: g, conn: conn}
	s.handler = s.routes(mux)
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		// A body has this long to arrive, so that a slow sender cannot
		// hold an in-flight slot for ever.
		ReadTimeout:    time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(cfg.Log.Handler(), slog.LevelWarn),
	}
	if cfg.TLS != nil {
		s.http.TLSConfig = cfg.TLS.Clone()
	}
	return s, nil
}

// Handler serves the page, the OpenAPI document and the API.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve accepts HTTP (or HTTPS) connections on lis until Shutdown.
func (s *Server) Serve(lis net.Listener) error {
	if s.cfg.MaxConnections > 0 {
		lis = netutil.LimitListener(lis, s.cfg.MaxConnections)
	}
	var err error
	if s.http.TLSConfig != nil {
		// ServeTLS, not Serve on a TLS listener: it offers HTTP/2 too.
		err = s.http.ServeTLS(lis, "", "")
	} else {
		err = s.http.Serve(lis)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting, lets the requests in flight finish until ctx
// ends, then stops the in-memory gRPC server.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	stopped := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-ctx.Done():
		s.grpc.Stop()
	}
	s.conn.Close()
	return err
}
