package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// pki is a throwaway CA with a server and a client certificate.
type pki struct {
	caFile, serverCert, serverKey string
	caPool                        *x509.CertPool
	client                        tls.Certificate
}

func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, name string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	srvDER, srvKey := issue(2, "server", x509.ExtKeyUsageServerAuth)
	srvKeyDER, _ := x509.MarshalECPrivateKey(srvKey)
	cliDER, cliKey := issue(3, "client", x509.ExtKeyUsageClientAuth)
	p := pki{
		caFile:     write("ca.pem", "CERTIFICATE", caDER),
		serverCert: write("server.pem", "CERTIFICATE", srvDER),
		serverKey:  write("server-key.pem", "EC PRIVATE KEY", srvKeyDER),
		caPool:     x509.NewCertPool(),
		client:     tls.Certificate{Certificate: [][]byte{cliDER}, PrivateKey: cliKey},
	}
	p.caPool.AddCert(ca)
	return p
}

// serveWith starts the daemon with args and returns its address.
func serveWith(t *testing.T, args ...string) string {
	t.Helper()
	return startDaemon(t, args...).addr
}

func classifyOver(t *testing.T, addr string, creds credentials.TransportCredentials, ctx context.Context) error {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err = stancev1.NewStanceServiceClient(conn).Classify(ctx, &stancev1.ClassifyRequest{Text: "NATO warned Iran."})
	return err
}

func TestTLS(t *testing.T) {
	p := newPKI(t)
	addr := serveWith(t, "-tls-cert", p.serverCert, "-tls-key", p.serverKey)
	if err := classifyOver(t, addr, credentials.NewTLS(&tls.Config{RootCAs: p.caPool}), context.Background()); err != nil {
		t.Errorf("TLS client: %v", err)
	}
	if err := classifyOver(t, addr, insecure.NewCredentials(), context.Background()); status.Code(err) != codes.Unavailable {
		t.Errorf("plaintext client against TLS server: %v, want UNAVAILABLE", err)
	}
}

func TestMutualTLS(t *testing.T) {
	p := newPKI(t)
	addr := serveWith(t, "-tls-cert", p.serverCert, "-tls-key", p.serverKey, "-tls-client-ca", p.caFile)
	withCert := credentials.NewTLS(&tls.Config{RootCAs: p.caPool, Certificates: []tls.Certificate{p.client}})
	if err := classifyOver(t, addr, withCert, context.Background()); err != nil {
		t.Errorf("client with certificate: %v", err)
	}
	withoutCert := credentials.NewTLS(&tls.Config{RootCAs: p.caPool})
	if err := classifyOver(t, addr, withoutCert, context.Background()); err == nil {
		t.Error("client without certificate was accepted")
	}
}

func TestTokens(t *testing.T) {
	tokens := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(tokens, []byte("# callers\nalpha-0123456789abcdef\nbravo-0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := serveWith(t, "-auth-tokens", tokens)
	bearer := func(tok string) context.Context {
		return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
	}
	tests := []struct {
		name string
		ctx  context.Context
		want codes.Code
	}{
		{"first token", bearer("alpha-0123456789abcdef"), codes.OK},
		{"second token", bearer("bravo-0123456789abcdef"), codes.OK},
		{"wrong token", bearer("alpha-0123456789abcdeX"), codes.Unauthenticated},
		{"prefix of a token", bearer("alpha-0123"), codes.Unauthenticated},
		{"empty token", bearer(""), codes.Unauthenticated},
		{"no header", context.Background(), codes.Unauthenticated},
		{"not bearer", metadata.AppendToOutgoingContext(context.Background(), "authorization", "Basic alpha-0123456789abcdef"), codes.Unauthenticated},
	}
	var msgs []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classifyOver(t, addr, insecure.NewCredentials(), tt.ctx)
			if status.Code(err) != tt.want {
				t.Errorf("code %v (%v), want %v", status.Code(err), err, tt.want)
			}
			if err != nil {
				msgs = append(msgs, status.Convert(err).Message())
			}
		})
	}
	for _, m := range msgs {
		if m != msgs[0] {
			t.Errorf("failure messages differ (%q vs %q): they must not say which part failed", m, msgs[0])
		}
	}
	// Health stays open by default, for probes.
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Errorf("health without token: %v", err)
	}
}

func TestTokensCloseHealth(t *testing.T) {
	tokens := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(tokens, []byte("alpha-0123456789abcdef\n"), 0o600)
	addr := serveWith(t, "-auth-tokens", tokens, "-auth-health")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("health without token under -auth-health: %v, want UNAUTHENTICATED", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-tls-cert", "x.pem"},
		{"-tls-client-ca", "ca.pem"},
		{"-max-inflight", "0"},
	} {
		if _, err := parseConfig(args, io.Discard); err == nil {
			t.Errorf("parseConfig(%q) accepted", args)
		}
	}
}

// TestTokensCheckedBeforeDecoding sends, without a token, a message over
// the receive limit: it is refused with UNAUTHENTICATED, not
// RESOURCE_EXHAUSTED, so the token was checked before the message was read.
func TestTokensCheckedBeforeDecoding(t *testing.T) {
	tokens := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(tokens, []byte("alpha-0123456789abcdef\n"), 0o600)
	addr := serveWith(t, "-auth-tokens", tokens, "-max-document-bytes", "1000", "-max-message-bytes", "70000")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = stancev1.NewStanceServiceClient(conn).Classify(context.Background(), &stancev1.ClassifyRequest{Text: strings.Repeat("x", 1<<20)})
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("1 MB without a token: %v, want UNAUTHENTICATED", err)
	}
}

// TestHeaderLimit sends a call with more metadata than -max-header-bytes:
// it fails, and the connection still serves calls of normal size.
func TestHeaderLimit(t *testing.T) {
	addr := serveWith(t, "-max-header-bytes", "8192")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	big := metadata.AppendToOutgoingContext(context.Background(), "x-padding", strings.Repeat("p", 64<<10))
	if _, err := client.Check(big, &healthpb.HealthCheckRequest{}); err == nil {
		t.Error("a call with 64 KiB of metadata was accepted")
	}
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Errorf("health check after the refused one: %v", err)
	}
}

// TestSilentSocketsDoNotLockOut holds every connection slot with sockets
// that send the HTTP/2 preface and nothing more: a new client is served
// anyway. (The client's deadline only bounds a broken server.)
func TestSilentSocketsDoNotLockOut(t *testing.T) {
	addr := serveWith(t, "-max-connections", "8")
	for range 8 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := classifyOver(t, addr, insecure.NewCredentials(), ctx); err != nil {
		t.Errorf("classify with every slot held by a silent socket: %v", err)
	}
}
