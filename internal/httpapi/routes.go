package httpapi

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// OpenAPI is the OpenAPI (Swagger 2.0) document of the HTTP routes,
// generated from the proto and its HTTP rules by protoc-gen-openapiv2
// (go tool buf generate).
//
//go:embed openapi/stance.swagger.json
var OpenAPI []byte

//go:embed web
var webFiles embed.FS

// routes puts the page, the OpenAPI document and the gateway on one mux.
func (s *Server) routes(gateway http.Handler) http.Handler {
	web, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", page(http.FileServerFS(web)))
	for _, name := range []string{"app.js", "style.css"} {
		mux.Handle("GET /"+name, page(http.FileServerFS(web)))
	}
	mux.HandleFunc("GET /v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(OpenAPI)))
		w.Write(OpenAPI)
	})
	mux.Handle("/v1/", s.limit(gateway))
	return mux
}

// page serves the embedded page with a policy that lets it load nothing
// but itself and talk to nothing but this server.
func page(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// limit sheds API requests beyond MaxInFlight before their body is read,
// and reads a body only up to MaxBodyBytes: a larger one gets 413 without
// the rest being read or decoded.
func (s *Server) limit(next http.Handler) http.Handler {
	slots := make(chan struct{}, max(1, s.cfg.MaxInFlight))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		default:
			st := status.New(codes.ResourceExhausted, fmt.Sprintf("server at capacity (%d HTTP requests in flight); retry with backoff", cap(slots)))
			if d, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(retryDelay)}); err == nil {
				st = d
			}
			writeStatus(w, r, st, http.StatusTooManyRequests)
			return
		}
		if s.cfg.MaxBodyBytes > 0 && r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > s.cfg.MaxBodyBytes {
				writeStatus(w, r, tooLarge(s.cfg.MaxBodyBytes), http.StatusRequestEntityTooLarge)
				return
			}
			// Read here rather than by the gateway, so that a body over
			// the limit (sent chunked, without a length) is told apart
			// from a malformed one.
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
			if err != nil {
				if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
					writeStatus(w, r, tooLarge(s.cfg.MaxBodyBytes), http.StatusRequestEntityTooLarge)
					return
				}
				writeStatus(w, r, status.New(codes.InvalidArgument, "reading the request body failed"), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge(limit int64) *status.Status {
	return status.New(codes.ResourceExhausted, fmt.Sprintf("request body over the limit of %d bytes", limit))
}
