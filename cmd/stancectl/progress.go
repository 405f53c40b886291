package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/stance/classifierd/internal/batch"
	"golang.org/x/term"
)

// plainEvery is how often progress lines are printed when standard error
// is not a terminal.
const plainEvery = 10 * time.Second

// progress reports a run's progress on standard error: a progress bar
// (documents, MB read, docs/s, ETA) when it is a terminal, a line every
// plainEvery otherwise. Messages go through printf so that they do not
// garble the bar.
type progress struct {
	w     io.Writer
	r     *batch.Runner
	total int64 // input bytes, -1 when unknown
	bar   bool

	mu        sync.Mutex
	pb        *progressbar.ProgressBar
	stop      chan struct{}
	done      chan struct{}
	startTime time.Time
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// startProgress starts reporting r's progress through an input of total
// bytes (-1: unknown); quiet reports nothing until the summary.
func startProgress(w io.Writer, r *batch.Runner, total int64, quiet bool) *progress {
	p := &progress{w: w, r: r, total: total, bar: isTerminal(w), stop: make(chan struct{}), done: make(chan struct{}), startTime: time.Now()}
	if quiet {
		close(p.done)
		return p
	}
	every := plainEvery
	if p.bar {
		every = 200 * time.Millisecond
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.update()
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

// update redraws the bar or prints a line. Rates count this run's own
// work: a resumed run's skipped part does not inflate them.
func (p *progress) update() {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.r.Progress()
	if s.Done == 0 {
		return // starting, or skipping what an earlier run did
	}
	elapsed := max(time.Since(p.startTime).Seconds(), 1e-3)
	rate := float64(s.Done) / elapsed
	if p.bar {
		if p.pb == nil {
			max := int64(-1)
			if p.total > 0 {
				max = p.total - s.SkippedOffset
			}
			p.pb = progressbar.NewOptions64(max,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionShowBytes(true),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionSetElapsedTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetWidth(20),
				progressbar.OptionUseANSICodes(true),
			)
		}
		p.pb.Describe(fmt.Sprintf("%s (%d failed) %.0f docs/s", plural(s.Skipped+s.Done, "doc"), s.Failed, rate))
		p.pb.Set64(s.Offset - s.SkippedOffset)
		return
	}
	line := fmt.Sprintf("stancectl: %s done (%d failed), %.0f docs/s, %s read", plural(s.Skipped+s.Done, "document"), s.Failed, rate, mb(s.Offset))
	if p.total > 0 {
		line += fmt.Sprintf(" of %s (%.0f%%)", mb(p.total), 100*float64(s.Offset)/float64(p.total))
		if bps := float64(s.Offset-s.SkippedOffset) / elapsed; bps > 0 {
			line += ", ETA " + time.Duration(float64(p.total-s.Offset)/bps*float64(time.Second)).Round(time.Second).String()
		}
	}
	fmt.Fprintln(p.w, line)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// printf prints a message line.
func (p *progress) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pb != nil {
		p.pb.Clear()
	}
	fmt.Fprintf(p.w, format, args...)
}

// finish stops reporting and prints the summary.
func (p *progress) finish(what string) {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pb != nil {
		p.pb.Clear()
	}
	s := p.r.Progress()
	elapsed := time.Since(p.startTime)
	line := fmt.Sprintf("stancectl: %s %s in %v (%.0f docs/s)", what, plural(s.Done, "document"), elapsed.Round(time.Millisecond), float64(s.Done)/max(elapsed.Seconds(), 1e-3))
	if s.Skipped > 0 {
		line += fmt.Sprintf("; %d done by the earlier run", s.Skipped)
	}
	if s.Retries > 0 {
		line += fmt.Sprintf("; %s after transient failures", plural(s.Retries, "resend"))
	}
	fmt.Fprintln(p.w, line)
}
