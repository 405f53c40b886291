package sharedtest

import (
	"math/rand/v2"
	"net"
	"strconv"
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
//
// The port is drawn from below Linux's ephemeral range (32768-60999 by
// default), not asked of the kernel with port 0: a port 0 gives is an
// ephemeral one, which any connection another test opens in the meantime
// may take as its local port before the process binds it ("address already
// in use", seen in CI once). Below the range, only another FreeAddr could
// take it, one chance in thousands.
func FreeAddr(t testing.TB) string {
	t.Helper()
	for range 100 {
		port := freeLow + rand.IntN(freeHigh-freeLow)
		lis, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			lis.Close()
			return lis.Addr().String()
		}
	}
	lis := Listen(t, "127.0.0.1:0")
	defer lis.Close()
	return lis.Addr().String()
}

// The ports FreeAddr draws from: registered ports few services use, below
// the ephemeral range.
const freeLow, freeHigh = 20000, 32000
