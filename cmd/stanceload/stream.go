package main

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// streamLoad sends req down streams ClassifyStream calls as fast as the
// server takes them for d (at most max documents in all) and counts the
// answers.
func streamLoad(ctx context.Context, c *caller, streams int, d time.Duration, max int) (step, error) {
	var sent, answered, failed atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, streams)
	start := time.Now()
	deadline := start.Add(d)
	for range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := c.stream(ctx)
			if err != nil {
				errc <- err
				return
			}
			go func() {
				for time.Now().Before(deadline) && sent.Add(1) <= int64(max) {
					if s.SendMsg(&frame{wire: c.req}) != nil {
						return
					}
				}
				s.CloseSend()
			}()
			for {
				var resp frame
				err := s.RecvMsg(&resp)
				if errors.Is(err, io.EOF) {
					return
				}
				if err != nil {
					errc <- err
					return
				}
				if resp.failed {
					failed.Add(1)
				}
				answered.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errc)
	out := step{requests: int(answered.Load()), errors: int(failed.Load()), elapsed: time.Since(start)}
	return out, <-errc
}
