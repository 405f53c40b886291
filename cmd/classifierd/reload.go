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

// watch polls the source files every interval and reloads when one
// changes, until ctx ends. Polling needs no file-system notification
// support and sees a file replaced by rename, as deployments do.
func (r *reloader) watch(ctx context.Context, interval time.Duration) {
	if interval <= 0 || (r.src.ModelPath == "" && r.src.LexiconPath == "") {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s := r.stamps(); s != r.stamp {
				r.stamp = s
				r.reload("file changed")
			}
		}
	}
}
