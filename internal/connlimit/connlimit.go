// Package connlimit bounds the connections a gRPC server holds open
// without letting idle ones lock new clients out.
//
// A plain limit on connections (netutil.LimitListener) is a lockout waiting
// to happen: a thousand sockets that connect and say nothing hold every
// slot, and new clients, Kubernetes' probes among them, wait in the
// kernel's backlog for as long as the sockets are held. Here a connection
// that arrives when the limit is reached takes the slot of the connection
// that has been quiet longest, if that one has no call of a protected
// service in flight and has been quiet for at least the grace period; only
// when every connection is busy or fresh does the new one wait. An idle
// socket therefore holds a slot only until someone needs it, while a
// client in the middle of a call is never cut off.
package connlimit

import (
	"context"
	"net"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/stats"
)

// Limiter counts a server's connections and what they are doing. Its
// Listen wraps the listener, and it is also the stats.Handler that tells it
// when calls start and end (install it with grpc.StatsHandler). A Limiter
// is safe for concurrent use.
type Limiter struct {
	max   int
	grace time.Duration
	// protected are the method prefixes whose calls keep a connection from
	// being closed ("/stance.v1."); calls to other services (health,
	// reflection) count as activity but do not protect it, so that
	// long-lived health watches cannot hold slots either.
	protected []string

	mu    sync.Mutex
	conns map[string]*conn // by remote address
	freed chan struct{}    // a slot was freed (buffered, one token)
	// evicted counts the connections closed to make room.
	evicted int64
}

// New returns a limiter of max connections that closes, to make room, the
// quietest connection idle for at least grace with no protected call in
// flight.
func New(max int, grace time.Duration, protected ...string) *Limiter {
	return &Limiter{max: max, grace: grace, protected: protected, conns: map[string]*conn{}, freed: make(chan struct{}, 1)}
}

// Evicted returns how many connections were closed to make room.
func (l *Limiter) Evicted() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.evicted
}

// Open returns the number of connections open.
func (l *Limiter) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// Listen returns inner with the limit applied.
func (l *Limiter) Listen(inner net.Listener) net.Listener { return &listener{Listener: inner, l: l} }

type listener struct {
	net.Listener
	l *Limiter
}

// Accept accepts a connection and then waits for a slot for it, making one
// when it can.
func (ln *listener) Accept() (net.Conn, error) {
	c, err := ln.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return ln.l.admit(c), nil
}

// conn is an admitted connection.
type conn struct {
	net.Conn
	l    *Limiter
	key  string
	once sync.Once
	// Guarded by l.mu.
	busy       int       // protected calls in flight
	lastActive time.Time // accept, or the last call's start or end
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		if c.l.conns[c.key] == c {
			delete(c.l.conns, c.key)
		}
		c.l.mu.Unlock()
		select {
		case c.l.freed <- struct{}{}:
		default:
		}
	})
	return err
}

// admit registers nc once there is a slot, closing the quietest idle
// connection to make one if need be.
func (l *Limiter) admit(nc net.Conn) net.Conn {
	c := &conn{Conn: nc, l: l, key: nc.RemoteAddr().String()}
	for {
		l.mu.Lock()
		now := time.Now()
		if len(l.conns) < l.max {
			c.lastActive = now
			l.conns[c.key] = c
			l.mu.Unlock()
			return c
		}
		var victim *conn
		for _, o := range l.conns {
			if o.busy == 0 && now.Sub(o.lastActive) >= l.grace && (victim == nil || o.lastActive.Before(victim.lastActive)) {
				victim = o
			}
		}
		if victim != nil {
			delete(l.conns, victim.key)
			l.evicted++
		}
		l.mu.Unlock()
		if victim != nil {
			// Closed outside the lock: its Close takes it too.
			victim.Conn.Close()
			continue
		}
		// Every connection is busy or fresh: wait for one to close or to
		// pass its grace period.
		select {
		case <-l.freed:
		case <-time.After(max(l.grace/4, 10*time.Millisecond)):
		}
	}
}

type connKey struct{}

type rpcKey struct{}

// TagConn implements stats.Handler: it finds the connection of the
// transport being set up.
func (l *Limiter) TagConn(ctx context.Context, info *stats.ConnTagInfo) context.Context {
	if info.RemoteAddr == nil {
		return ctx
	}
	l.mu.Lock()
	c := l.conns[info.RemoteAddr.String()]
	l.mu.Unlock()
	if c == nil {
		return ctx
	}
	return context.WithValue(ctx, connKey{}, c)
}

// HandleConn implements stats.Handler.
func (l *Limiter) HandleConn(context.Context, stats.ConnStats) {}

// TagRPC implements stats.Handler: a call marks its connection active, and
// busy while a call of a protected service is in flight.
func (l *Limiter) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	c, ok := ctx.Value(connKey{}).(*conn)
	if !ok {
		return ctx
	}
	protected := false
	for _, p := range l.protected {
		if strings.HasPrefix(info.FullMethodName, p) {
			protected = true
		}
	}
	l.mu.Lock()
	c.lastActive = time.Now()
	if protected {
		c.busy++
	}
	l.mu.Unlock()
	return context.WithValue(ctx, rpcKey{}, protected)
}

// HandleRPC implements stats.Handler: the end of a call.
func (l *Limiter) HandleRPC(ctx context.Context, s stats.RPCStats) {
	if _, end := s.(*stats.End); !end {
		return
	}
	c, ok := ctx.Value(connKey{}).(*conn)
	if !ok {
		return
	}
	l.mu.Lock()
	c.lastActive = time.Now()
	if p, _ := ctx.Value(rpcKey{}).(bool); p {
		c.busy--
	}
	l.mu.Unlock()
}
