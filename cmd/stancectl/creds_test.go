package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stance/classifierd/internal/server"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// selfSigned writes a certificate for 127.0.0.1 and returns it with the
// path of its PEM file.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "classifierd test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, p
}

func TestClassifyTLSAndToken(t *testing.T) {
	cert, caFile := selfSigned(t)
	const token = "0123456789abcdef-test-token"
	tokens, err := server.LoadTokens(strings.NewReader(token+"\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := startServer(t, "127.0.0.1:0",
		grpc.Creds(credentials.NewServerTLSFromCert(&cert)),
		grpc.StreamInterceptor(tokens.StreamInterceptor()))
	in := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(in, []byte("NATO accused Iran."), 0o644)
	out := filepath.Join(t.TempDir(), "out.jsonl")

	code, _, stderr := stancectl(t, "classify", "-addr", addr, "-in", in, "-out", out, "-tls-ca", caFile, "-token", token)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := readFile(t, out); !strings.HasPrefix(got, `{"id":"in.txt","mentions":`) {
		t.Errorf("output %s", got)
	}
	code, _, stderr = stancectl(t, "classify", "-addr", addr, "-in", in, "-out", out, "-force", "-tls-ca", caFile, "-token", "wrong-token-0123456789")
	if code != exitError || !strings.Contains(stderr, "Unauthenticated") {
		t.Errorf("wrong token: exit %d\n%s", code, stderr)
	}
	code, _, stderr = stancectl(t, "classify", "-addr", addr, "-in", in, "-out", out, "-force", "-token", token)
	if code != exitError || !strings.Contains(stderr, "only sent over TLS") {
		t.Errorf("token without TLS: exit %d\n%s", code, stderr)
	}
}
