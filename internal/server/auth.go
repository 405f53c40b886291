package server

import (
	"bufio"
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Tokens is a set of bearer tokens that callers present as
// "authorization: Bearer TOKEN" metadata.
type Tokens struct {
	tokens [][]byte
	// open are full method names or service prefixes ("/grpc.health.v1.")
	// that need no token.
	open []string
}

// LoadTokens reads one token per line; blank lines and lines starting with
// '#' are skipped. open lists the method prefixes left open.
func LoadTokens(r io.Reader, open []string) (*Tokens, error) {
	t := &Tokens{open: open}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(line) < 16 {
			return nil, fmt.Errorf("token on line %d is shorter than 16 characters", n)
		}
		t.tokens = append(t.tokens, []byte(line))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(t.tokens) == 0 {
		return nil, fmt.Errorf("no tokens")
	}
	return t, nil
}

var errUnauthenticated = status.Error(codes.Unauthenticated, "missing or invalid credentials")

// check accepts a call with a valid token, or to an open method. Every
// token is compared in constant time, and all of them always, so timing
// tells nothing about which token or which byte was wrong; the error never
// says whether the header was missing or the token wrong.
func (t *Tokens) check(ctx context.Context, method string) error {
	md, _ := metadata.FromIncomingContext(ctx)
	return t.checkHeader(md, method)
}

// checkHeader is check on the call's header metadata: the tap calls it
// before the call's message is read (see Server.TapHandle).
func (t *Tokens) checkHeader(md metadata.MD, method string) error {
	for _, p := range t.open {
		if strings.HasPrefix(method, p) {
			return nil
		}
	}
	var presented []byte
	if vals := md.Get("authorization"); len(vals) == 1 {
		if v, ok := strings.CutPrefix(vals[0], "Bearer "); ok {
			presented = []byte(v)
		}
	}
	ok := 0
	for _, tok := range t.tokens {
		ok |= subtle.ConstantTimeCompare(presented, tok)
	}
	if ok != 1 || len(presented) == 0 {
		return errUnauthenticated
	}
	return nil
}

// UnaryInterceptor checks tokens on unary calls.
func (t *Tokens) UnaryInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if err := t.check(ctx, info.FullMethod); err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

// StreamInterceptor checks tokens on streaming calls.
func (t *Tokens) StreamInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if err := t.check(ss.Context(), info.FullMethod); err != nil {
			return err
		}
		return handler(srv, ss)
	}
}
