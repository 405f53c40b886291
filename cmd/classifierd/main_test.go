package main

import (
	"context"
	"io"
	"net"
	"os"
	"slices"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
)

// daemon is the real server, run in the background on a loopback port.
type daemon struct {
	addr string
	logs *syncBuffer
	hup  chan os.Signal
	done chan error
	stop context.CancelFunc
}

// startDaemon runs the server with args until the test ends.
func startDaemon(t *testing.T, args ...string) *daemon {
	t.Helper()
	cfg, err := parseConfig(append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &daemon{logs: &syncBuffer{}, hup: make(chan os.Signal, 1), done: make(chan error, 1), stop: cancel}
	ready := make(chan net.Addr, 1)
	go func() { d.done <- run(ctx, cfg, d.hup, ready, d.logs) }()
	select {
	case addr := <-ready:
		d.addr = addr.String()
	case err := <-d.done:
		cancel()
		t.Fatalf("server exited: %v", err)
	}
	t.Cleanup(func() { d.shutdown() })
	return d
}

// shutdown stops the server as SIGTERM does and returns run's error.
func (d *daemon) shutdown() error {
	d.stop()
	err, ok := <-d.done
	if ok {
		close(d.done)
	}
	return err
}

// dial returns a plaintext client connection to the server.
func (d *daemon) dial(t *testing.T) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(d.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestServeHealthReflectionAndShutdown(t *testing.T) {
	d := startDaemon(t)
	conn := d.dial(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	for _, service := range []string{"", "stance.v1.StanceService"} {
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: service})
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("health %q: %v %v, want SERVING", service, resp, err)
		}
	}

	// Reflection lists the service, as grpcurl list does.
	rs, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatal(err)
	}
	msg, err := rs.Recv()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range msg.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	for _, want := range []string{"stance.v1.StanceService", "grpc.health.v1.Health"} {
		if !slices.Contains(names, want) {
			t.Errorf("reflection lists %q, missing %q", names, want)
		}
	}
	rs.CloseSend()

	resp, err := stancev1.NewStanceServiceClient(conn).Classify(ctx, &stancev1.ClassifyRequest{Id: "x", Text: "NATO warned Iran."})
	if err != nil || len(resp.GetMentions()) != 2 {
		t.Fatalf("Classify: %v, %v", resp, err)
	}
	if err := d.shutdown(); err != nil {
		t.Errorf("run returned %v after shutdown, want nil", err)
	}
}

func TestParseConfigFromEnvironment(t *testing.T) {
	t.Setenv("CLASSIFIERD_MAX_BATCH", "7")
	t.Setenv("CLASSIFIERD_ADDR", "127.0.0.1:6000")
	cfg, err := parseConfig(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Limits.MaxBatchDocuments != 7 || cfg.Addr != "127.0.0.1:6000" {
		t.Errorf("config from environment = %+v", cfg)
	}
	cfg, err = parseConfig([]string{"-max-batch", "9"}, io.Discard)
	if err != nil || cfg.Limits.MaxBatchDocuments != 9 {
		t.Errorf("flag should win over environment: %+v %v", cfg, err)
	}
	if _, err := parseConfig([]string{"-log-format", "xml"}, io.Discard); err == nil {
		t.Error("bad -log-format accepted")
	}
}

func TestBadModelFails(t *testing.T) {
	cfg, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-model", "testdata/does-not-exist.gz"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), cfg, nil, nil, io.Discard); err == nil {
		t.Error("run with a missing model file succeeded")
	}
}
