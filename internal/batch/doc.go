// Package batch scores large document collections through
// stance.v1.StanceService, remotely over ClassifyStream or in-process, for
// the stancectl command.
//
// A run reads documents from an [Input] (stance JSONL, ClassifyRequest JSON
// lines, CSV, plain text files, a directory of them, or standard input,
// gzip- or zstd-compressed or not), keeps a
// bounded number of them in flight, and hands every answer to an emit
// function: in input order, or in completion order when asked. Nothing is
// dropped on the way: a malformed input line and a document the server
// rejects both come back as a ClassifyResponse with its error set, and
// transient failures (UNAVAILABLE, RESOURCE_EXHAUSTED, a broken stream, a
// server restart) are retried with exponential backoff and jitter, the
// documents of a broken stream being resent on a new one. [ScanOutput]
// reads what an interrupted run wrote so that a second run continues after
// it without duplicating or skipping a document. A [Writer] writes the
// answers as protojson would, without reflection (json.go), compressed as
// the output's name asks.
//
// The package does not log; it returns errors and counts, and the command
// prints them.
package batch
