package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/stance/classifierd/internal/classifier"
	"github.com/stance/classifierd/internal/features"
	"github.com/stance/classifierd/internal/server"
)

// reloader rebuilds the classifier from its sources and swaps it in. A
// source that fails to load or validate leaves the serving classifier in
// place; calls in flight finish on the classifier they started with.
type reloader struct {
	src   classifier.Sources
	tok   *features.Tokenizer
	svc   *server.Server
	log   *slog.Logger
	stamp string
}

func newReloader(src classifier.Sources, tok *features.Tokenizer, svc *server.Server, log *slog.Logger) *reloader {
	r := &reloader{src: src, tok: tok, svc: svc, log: log}
	r.stamp = r.stamps()
	return r
}

// reload loads the sources and swaps the classifier if they are good.
func (r *reloader) reload(reason string) bool {
	old := r.svc.Classifier().Model().Version()
	c, err := classifier.Open(r.src, r.tok)
	if err != nil {
		r.log.Error("reload rejected; still serving the previous model", "reason", reason, "model", old, "err", err)
		return false
	}
	r.svc.Swap(c)
	r.log.Info("reloaded", "reason", reason, "model", c.Model().Version(), "previous", old)
	return true
}

// stamps summarises the size and modification time of the source files,
// to notice when one is replaced.
func (r *reloader) stamps() string {
	var s string
	for _, p := range []string{r.src.ModelPath, r.src.LexiconPath} {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil {
			s += fmt.Sprintf("%d/%d;", fi.ModTime().UnixNano(), fi.Size())
		} else {
			s += "missing;"
		}
	}
	return s
}

// serve reloads on every signal from hup and, every interval (if positive
// and there are files to watch), when a source file has changed, until ctx
// ends. One goroutine does both, so reloads never overlap and the last file
// read is the one that serves. A file that fails to load is not retried
// until it changes again.
func (r *reloader) serve(ctx context.Context, hup <-chan os.Signal, interval time.Duration) {
	var tick <-chan time.Time
	if interval > 0 && (r.src.ModelPath != "" || r.src.LexiconPath != "") {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.stamp = r.stamps()
			r.reload("SIGHUP")
		case <-tick:
			// Polling needs no file-system notification support and sees a
			// file replaced by rename, as deployments do.
			if s := r.stamps(); s != r.stamp {
				r.stamp = s
				r.reload("file changed")
			}
		}
	}
}
