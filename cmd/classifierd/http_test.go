package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stance/classifierd/internal/sharedtest"
)

// TestHTTPSecurityMetricsAndLogs runs the daemon with HTTP on, mutual TLS
// and tokens: the HTTP side takes the same certificates and tokens as gRPC,
// and its calls show in the same metrics and log lines.
func TestHTTPSecurityMetricsAndLogs(t *testing.T) {
	p := newPKI(t)
	tokens := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(tokens, []byte("alpha-0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	httpAddr, metricsAddr := sharedtest.FreeAddr(t), sharedtest.FreeAddr(t)
	d := startDaemon(t, "-http-addr", httpAddr, "-metrics-addr", metricsAddr, "-log-format", "json",
		"-tls-cert", p.serverCert, "-tls-key", p.serverKey, "-tls-client-ca", p.caFile, "-auth-tokens", tokens)
	client := func(certs ...tls.Certificate) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.caPool, Certificates: certs}, ForceAttemptHTTP2: true}}
	}
	post := func(c *http.Client, token string) (int, string, error) {
		req, err := http.NewRequest("POST", "https://"+httpAddr+"/v1/classify", strings.NewReader(`{"text":"NATO accused Iran of destabilizing the region."}`))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, resp.Proto, err
	}

	if code, proto, err := post(client(p.client), "alpha-0123456789abcdef"); err != nil || code != 200 || proto != "HTTP/2.0" {
		t.Errorf("client certificate and token: %d over %s, %v", code, proto, err)
	}
	if code, _, err := post(client(p.client), ""); err != nil || code != 401 {
		t.Errorf("client certificate, no token: %d, %v; want 401", code, err)
	}
	if _, _, err := post(client(), "alpha-0123456789abcdef"); err == nil {
		t.Error("a client without a certificate was served")
	}
	plain := &http.Client{}
	if resp, err := plain.Get("http://" + httpAddr + "/"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("the page was served over plain HTTP with TLS on")
		}
	}

	body := get(t, "http://"+metricsAddr+"/metrics")
	for _, want := range []string{
		`grpc_server_handled_total{grpc_code="OK",grpc_method="Classify",grpc_service="stance.v1.StanceService",grpc_type="unary"} 1`,
		// Refused in the transport's tap, before the message is read.
		`stance_unauthenticated_total 1`,
		`stance_documents_classified_total{outcome="ok",rpc="Classify"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if out := d.logs.String(); !strings.Contains(out, `"msg":"http","addr":"https://`+httpAddr+`/"`) ||
		!strings.Contains(out, `"method":"/stance.v1.StanceService/Classify","code":"OK"`) {
		t.Errorf("no http start line or per-call log line in:\n%s", out)
	}
	if err := d.shutdown(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if _, _, err := post(client(p.client), "alpha-0123456789abcdef"); err == nil {
		t.Error("HTTP still served after shutdown")
	}
}

func TestHTTPAddrFromEnvironment(t *testing.T) {
	cfg, err := parseConfig(nil, io.Discard)
	if err != nil || cfg.HTTPAddr != "" {
		t.Errorf("HTTP should be off by default: %q %v", cfg.HTTPAddr, err)
	}
	t.Setenv("CLASSIFIERD_HTTP_ADDR", "127.0.0.1:8081")
	if cfg, err = parseConfig(nil, io.Discard); err != nil || cfg.HTTPAddr != "127.0.0.1:8081" {
		t.Errorf("-http-addr from the environment: %q %v", cfg.HTTPAddr, err)
	}
}

// TestHTTPDrain stops the daemon while an HTTP request is still to send
// its body: the listener closes, and the request is still answered.
func TestHTTPDrain(t *testing.T) {
	httpAddr := sharedtest.FreeAddr(t)
	d := startDaemon(t, "-http-addr", httpAddr)
	c, err := net.Dial("tcp", httpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	body := `{"text":"NATO accused Iran."}`
	// Go's server asks for the body once the handler reads it: after the
	// 100 Continue, the request is in flight.
	fmt.Fprintf(c, "POST /v1/classify HTTP/1.1\r\nHost: test\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", len(body))
	br := bufio.NewReader(c)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("waiting for 100 Continue: %v %v", resp, err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- d.shutdown() }()
	// Wait until the listener is closed (a bounded wait for an event, not
	// a timing assertion).
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", httpAddr)
		if err != nil {
			break
		}
		c.Close()
		if i == 500 {
			t.Fatal("the HTTP listener is still open after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := io.WriteString(c, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("request in flight at shutdown: %v %v, want 200", resp, err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}
