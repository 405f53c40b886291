package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/stance/classifierd/internal/httpapi"
	"github.com/stance/classifierd/internal/server"
)

// serveHTTP serves HTTP/JSON, the OpenAPI document and the page on
// cfg.HTTPAddr, if set, until ctx ends or stop is called; stop returns once
// the HTTP side has drained (within cfg.DrainTimeout). The gateway calls svc through a gRPC
// server in memory built with the public one's options, so every HTTP call
// passes the same interceptors (metrics, log, tokens, panics) and limits;
// TLS, when on, is the HTTP listener's, with the same certificates.
func serveHTTP(ctx context.Context, cfg Config, svc *server.Server, log *slog.Logger, rpcMetrics *grpcprom.ServerMetrics) (addr net.Addr, stop func(), err error) {
	if cfg.HTTPAddr == "" {
		return nil, func() {}, nil
	}
	inner := cfg
	inner.TLS = TLSConfig{} // the in-memory hop needs none
	opts, err := serverOptions(inner, log, rpcMetrics, svc)
	if err != nil {
		return nil, nil, err
	}
	var tc *tls.Config
	if cfg.TLS.CertFile != "" {
		if tc, err = tlsConfig(cfg.TLS); err != nil {
			return nil, nil, err
		}
	}
	h, err := httpapi.New(httpapi.Config{
		// JSON escapes make a text longer than its protobuf form; the
		// decoded message is held to -max-message-bytes by the gRPC server.
		MaxBodyBytes:   2 * int64(cfg.MaxMessageBytes),
		MaxInFlight:    cfg.Limits.MaxInFlight,
		MaxConnections: cfg.MaxConnections,
		TLS:            tc,
		Log:            log,
	}, svc.Register, append(opts, svc.ServerOptions()...)...)
	if err != nil {
		return nil, nil, err
	}
	lis, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		h.Shutdown(context.Background())
		return nil, nil, fmt.Errorf("http listener: %w", err)
	}
	scheme := "http"
	if tc != nil {
		scheme = "https"
	}
	log.Info("http", "addr", scheme+"://"+lis.Addr().String()+"/")
	served := make(chan error, 1)
	go func() { served <- h.Serve(lis) }()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case err := <-served:
			if err != nil {
				log.Error("http server stopped", "err", err)
			}
		case <-ctx.Done():
		}
		shutCtx, cancel := context.WithTimeout(context.Background(), cfg.DrainTimeout)
		defer cancel()
		if err := h.Shutdown(shutCtx); err != nil {
			log.Warn("http drain deadline passed; closing remaining connections", "err", err)
		}
	}()
	return lis.Addr(), func() { cancel(); <-done }, nil
}
