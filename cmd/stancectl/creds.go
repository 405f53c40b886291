package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"google.golang.org/grpc/credentials"
)

// securityConfig is how stancectl proves who it is to a secured
// classifierd and checks who the server is.
type securityConfig struct {
	TLS        bool
	CAFile     string
	CertFile   string
	KeyFile    string
	ServerName string
	Token      string
	TokenFile  string
}

// transport returns TLS credentials, or nil for a plaintext connection.
func (c *securityConfig) transport() (credentials.TransportCredentials, error) {
	if !c.TLS && c.CAFile == "" && c.CertFile == "" && c.ServerName == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("-tls-ca: %w", err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-tls-ca %s: no PEM certificate", c.CAFile)
		}
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return nil, errors.New("-tls-cert and -tls-key go together")
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return credentials.NewTLS(cfg), nil
}

// bearer returns the token credentials, or nil when there is no token.
func (c *securityConfig) bearer(secure bool) (credentials.PerRPCCredentials, error) {
	token := c.Token
	if c.TokenFile != "" {
		b, err := os.ReadFile(c.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("-token-file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return nil, nil
	}
	if !secure {
		return nil, errors.New("a token is only sent over TLS: add -tls (and -tls-ca for a private CA)")
	}
	return bearerToken(token), nil
}

// bearerToken sends "authorization: Bearer TOKEN" with every call.
type bearerToken string

func (t bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(t)}, nil
}

func (bearerToken) RequireTransportSecurity() bool { return true }
