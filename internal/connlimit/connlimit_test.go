package connlimit

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// serve starts a gRPC server with the health service behind a limiter of
// max connections on loopback; health Watch calls are the protected ones.
func serve(t *testing.T, max int) (*Limiter, *health.Server, string) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := New(max, 100*time.Millisecond, "/grpc.health.v1.Health/Watch")
	g := grpc.NewServer(grpc.StatsHandler(l))
	hs := health.NewServer()
	healthpb.RegisterHealthServer(g, hs)
	go g.Serve(l.Listen(lis))
	t.Cleanup(g.Stop)
	return l, hs, lis.Addr().String()
}

// silent opens a connection that sends the HTTP/2 preface and nothing more.
func silent(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func client(t *testing.T, addr string) healthpb.HealthClient {
	t.Helper()
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return healthpb.NewHealthClient(cc)
}

// check makes a health check. The deadline only keeps a broken limiter
// from hanging the test: without eviction the call would wait forever.
func check(t *testing.T, c healthpb.HealthClient) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.Check(ctx, &healthpb.HealthCheckRequest{})
	return err
}

// TestSilentConnectionsDoNotLockOut fills every slot with connections that
// never send a call: a new client is still served, by closing one of them.
func TestSilentConnectionsDoNotLockOut(t *testing.T) {
	l, _, addr := serve(t, 4)
	var socks []net.Conn
	for range 4 {
		socks = append(socks, silent(t, addr))
	}
	for l.Open() < 4 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := check(t, client(t, addr)); err != nil {
		t.Fatalf("health check with every slot held by a silent socket: %v", err)
	}
	if l.Evicted() < 1 || l.Open() > 4 {
		t.Errorf("evicted %d, open %d; want at least 1 evicted and at most 4 open", l.Evicted(), l.Open())
	}
	// The quietest socket, the first, was the one closed: reading it ends
	// (the deadline only bounds a broken limiter).
	socks[0].SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(socks[0]); err != nil {
		t.Errorf("the first silent socket was not closed: %v", err)
	}
}

// TestBusyConnectionsAreKept holds a protected call open on one connection
// of two while new clients come and go: they take each other's slot, never
// the busy connection's.
func TestBusyConnectionsAreKept(t *testing.T) {
	l, hs, addr := serve(t, 2)
	busy := client(t, addr)
	watch, err := busy.Watch(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := watch.Recv(); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		silent(t, addr)
		if err := check(t, client(t, addr)); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if l.Evicted() < 4 {
		t.Errorf("evicted %d connections, want at least 4", l.Evicted())
	}
	// The watch is still open: a health change reaches it.
	hs.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	resp, err := watch.Recv()
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("the busy connection's watch: %v, %v; want NOT_SERVING", resp, err)
	}
}
