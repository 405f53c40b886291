// Command stancectl scores document collections with classifierd: batch
// classification to JSONL that survives interruptions, server restarts and
// bad input without losing or repeating a document, and evaluation of
// labelled stance JSONL.
//
//	stancectl classify -addr HOST:PORT[,HOST:PORT...] -in FILE|DIR|- -out FILE [-resume] [-unordered]
//	stancectl classify -local -in FILE|DIR|- -out FILE
//	stancectl eval -in FILE.jsonl [-local | -addr HOST:PORT] [-output text|json]
//	stancectl version
//
// Run "stancectl help" for the details.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second interrupt kills at once
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
