package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// step is the outcome of one load step.
type step struct {
	offered   float64 // requests per second offered; 0 for closed loop
	requests  int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration // of the successful requests
	// late is, for open-loop steps, how long after its scheduled start
	// each request was sent: the generator's own delay, which the
	// latencies include. A late p99 near the latency p99 means the tail is
	// the generator's (or the machine's), not the server's.
	late []time.Duration
	// start and all are, for open-loop steps, when the step began and
	// every request's latency in schedule order (0 for a failed one).
	start time.Time
	all   []time.Duration
	// firstErr is the first failure, reported under the table so that an
	// error count is never left unexplained.
	firstErr error
}

func (s step) throughput() float64 { return float64(s.requests-s.errors) / s.elapsed.Seconds() }

// closedLoop runs callers that each send the next request as soon as the
// last is answered, for d or max requests: the peak throughput.
func closedLoop(ctx context.Context, c *caller, callers int, d time.Duration, max int) step {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var issued atomic.Int64
	var mu sync.Mutex
	var out step
	var wg sync.WaitGroup
	start := time.Now()
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			var first error
			for ctx.Err() == nil && issued.Add(1) <= int64(max) {
				t := time.Now()
				if err := c.classify(ctx); err != nil {
					if ctx.Err() == nil {
						errs++
						if first == nil {
							first = err
						}
						// A shed call fails at once: back off rather
						// than spin.
						time.Sleep(time.Millisecond)
					}
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			out.latencies = append(out.latencies, lat...)
			out.errors += errs
			if out.firstErr == nil {
				out.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	out.requests = len(out.latencies) + out.errors
	return out
}

// openLoop offers rate requests per second for d (at most max requests),
// whatever the latency: each request starts at its scheduled time, and its
// latency counts from then, so a slow server cannot hide queueing by
// slowing the generator down (no coordinated omission).
func openLoop(ctx context.Context, c *caller, rate float64, d time.Duration, max int) step {
	n := min(max, int(rate*d.Seconds()))
	interval := time.Duration(float64(time.Second) / rate)
	lat := make([]time.Duration, n)
	late := make([]time.Duration, n)
	failed := make([]error, n)
	// A request that takes more than 10s is counted as failed.
	ctx, cancel := context.WithTimeout(ctx, d+10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		at := start.Add(time.Duration(i) * interval)
		if w := time.Until(at); w > 0 {
			select {
			case <-time.After(w):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			n = i
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			late[i] = time.Since(at)
			if err := c.classify(ctx); err != nil {
				failed[i] = err
				return
			}
			lat[i] = time.Since(at)
		}()
	}
	wg.Wait()
	out := step{offered: rate, requests: n, elapsed: time.Since(start), late: late[:n], start: start, all: lat[:n]}
	for i := range n {
		if failed[i] != nil {
			out.errors++
			if out.firstErr == nil {
				out.firstErr = failed[i]
			}
			continue
		}
		out.latencies = append(out.latencies, lat[i])
	}
	return out
}
