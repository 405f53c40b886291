package sharedtest

import (
	"net"
	"testing"
	"time"
)

// Listen listens on a loopback TCP address ("127.0.0.1:0" for any port).
// A test that restarts a server on the port it just closed retries for a
// moment, since the port can take that long to be free again.
func Listen(t testing.TB, addr string) net.Listener {
	t.Helper()
	var lis net.Listener
	var err error
	for range 50 {
		if lis, err = net.Listen("tcp", addr); err == nil {
			return lis
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal(err)
	return nil
}

// FreeAddr returns a loopback address with a port free right now, for a
// process that must be told its address before it starts.
func FreeAddr(t testing.TB) string {
	t.Helper()
	lis := Listen(t, "127.0.0.1:0")
	defer lis.Close()
	return lis.Addr().String()
}
