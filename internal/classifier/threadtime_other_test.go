//go:build !linux

package classifier

import "time"

var clockStart = time.Now()

// threadTime returns the time since the tests started: where there is no
// per-thread CPU clock, wall time stands in for it.
func threadTime() time.Duration { return time.Since(clockStart) }
