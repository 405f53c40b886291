# Everything runs through pinned Go tools (see the tool block in go.mod):
# nothing else needs installing.

GO ?= go
# The breaking-change check compares the API with main (on main itself, with
# the commit before).
BREAKING_AGAINST ?= .git\#branch=main
# A count of inputs, not a duration: with a duration, Go 1.26's fuzzing
# coordinator can fail a clean run with "context deadline exceeded" when a
# worker is still busy at the deadline (golang/go#75804, fixed in Go 1.27).
# 20,000 inputs take 2-17 s per target here.
FUZZTIME ?= 20000x

.PHONY: test lint generate check-generated fuzz bench bench-ctl load abuse run model train

## test: everything CI runs: lint, generated-code check, vet, unit and
## integration tests, and short fuzz runs. Tests that need ../shared and
## skipped without it are listed at the end.
test: lint check-generated
	$(GO) vet ./...
	@skips=$$(mktemp) && \
	{ STANCE_SKIP_LOG="$$skips" $(GO) test -count=1 ./... && STANCE_SKIP_LOG="$$skips" $(MAKE) fuzz; }; status=$$?; \
	if [ -s "$$skips" ]; then \
		echo; echo "======== WARNING: $$(sort -u "$$skips" | wc -l | tr -d ' ') tests SKIPPED: the shared data folder (../shared) was not found ========"; \
		sort -u "$$skips" | sed 's/^/    /'; \
		echo "Put it beside the checkout (or set STANCE_SHARED) to run them; STANCE_REQUIRE_DATA=1 (as CI sets) makes them fail instead."; \
	fi; rm -f "$$skips"; exit $$status

# GOFILES: the Go files to check with gofmt, from git when this is a
# checkout, else (a source archive) from the file tree.
GOFILES = $$(if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git ls-files '*.go'; else find . -name '*.go' -not -path './.git/*'; fi)

lint:
	$(GO) tool buf lint
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		$(GO) tool buf breaking --against '$(BREAKING_AGAINST)'; \
	else \
		echo "lint: not a git checkout (a source archive?): skipping buf breaking, which compares the API with main's history"; \
	fi
	@test -z "$$(gofmt -l $(GOFILES))" || { gofmt -l $(GOFILES); echo "gofmt needed"; exit 1; }

generate:
	$(GO) tool buf generate

## check-generated: regenerating the API code and the OpenAPI document must
## change nothing (without git, compared with a copy taken before
## regenerating).
GENERATED = api/gen internal/httpapi/openapi
check-generated:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		$(GO) tool buf generate && \
		{ git diff --exit-code -- $(GENERATED) || { echo "generated code is stale: run make generate and commit"; exit 1; }; } && \
		{ test -z "$$(git status --porcelain -- $(GENERATED))" || { git status --porcelain -- $(GENERATED); echo "generated files are uncommitted"; exit 1; }; }; \
	else \
		old=$$(mktemp -d) && for d in $(GENERATED); do mkdir -p "$$old/$$d" && cp -R "$$d/." "$$old/$$d"; done && $(GO) tool buf generate && \
		for d in $(GENERATED); do diff -r "$$old/$$d" "$$d" || { rm -rf "$$old"; echo "$$d is stale: run make generate"; exit 1; }; done && rm -rf "$$old"; \
	fi

## fuzz: every native fuzz test in the repository (each func Fuzz* in a
## tracked _test.go file), each for FUZZTIME inputs. A new fuzz test is
## picked up without editing this file.
fuzz:
	@set -e; for f in $$(if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git ls-files '*_test.go'; else find . -name '*_test.go' -not -path './.git/*'; fi | xargs grep -l '^func Fuzz'); do \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$f"); do \
			echo "fuzz $$name ./$$(dirname "$$f")"; \
			$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) "./$$(dirname "$$f")"; \
		done; \
	done

## bench: every benchmark, BENCHCOUNT times each, on BENCHCPU cores (the
## targets are per core; BENCHCPU=1,2 adds the two-core numbers). The output
## is what benchstat reads: make bench > new.txt; benchstat old.txt new.txt.
## BENCH picks benchmarks by regexp, BENCHPKGS packages.
BENCH ?= .
BENCHCOUNT ?= 6
BENCHCPU ?= 1
BENCHPKGS ?= ./...
bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem -count=$(BENCHCOUNT) -cpu=$(BENCHCPU) $(BENCHPKGS)

## load: build classifierd and cmd/stanceload, start classifierd on
## LOADADDR (loopback only) with LOADPROCS cores, load it with unary
## Classify at 25/50/75/100% of its measured peak and with ClassifyStream
## (a seed article of about 5 KB, read at run time), report latency,
## throughput, start-up and memory, and stop it. Every step is bounded in
## time and requests; LOADFLAGS passes more flags (stanceload -h). Where
## taskset exists and there are two CPUs or more, the generator runs on
## CPU 0 and the server on CPU 1 (LOADPIN=0 turns that off), so that
## neither steals the other's core.
SEEDS ?= ../shared/seeds
LOADADDR ?= 127.0.0.1:50061
LOADPROCS ?= 1
LOADPIN ?= 1
LOADFLAGS ?=
load:
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	$(GO) build -o "$$dir/classifierd" ./cmd/classifierd && \
	$(GO) build -o "$$dir/stanceload" ./cmd/stanceload && \
	pin="" && serverpin="" && \
	if [ "$(LOADPIN)" = 1 ] && command -v taskset >/dev/null && [ "$$(nproc)" -ge 2 ]; then \
		pin="taskset -c 0" && serverpin="-server-cpus 1"; \
	fi && \
	GOMAXPROCS=1 $$pin "$$dir/stanceload" -exec "$$dir/classifierd" -addr $(LOADADDR) -server-procs $(LOADPROCS) $$serverpin -seeds $(SEEDS) $(LOADFLAGS)

## abuse: the abuse suite (issue 21, cmd/classifierd/abuse_test.go): a
## fresh classifierd process per case on loopback, with the manifest's
## GOMEMLIMIT=230MiB and two cores, attacked by response amplification,
## dense documents, 1,100 silent connections, new long words, big
## unauthenticated calls, big headers, invalid UTF-8 in a stream, unary
## overload and a stream hogging the server. A case fails if the process
## dies, its peak RSS passes 400 MiB, or a fresh client waits more than
## 10 s. About two minutes; ABUSE_BIN=path attacks another build.
ABUSE_BIN ?=
abuse:
	STANCE_ABUSE=1 STANCE_ABUSE_BIN=$(ABUSE_BIN) $(GO) test -count=1 -run='^TestAbuse$$' -v -timeout=15m ./cmd/classifierd/

run:
	$(GO) run ./cmd/classifierd

## model: retrain every stage and rewrite the embedded bundle, byte for
## byte what TestRebuild rebuilds (train is its old name).
model train:
	$(GO) run ./cmd/stancetrain

## bench-ctl: whole-process throughput of stancectl (-local, and against a
## classifierd process on this machine) against in-process Classify, and
## the AFINN lexicon in Node when node is installed, on one core each, in
## one run (see BenchmarkWholeProcess in cmd/stancectl). BENCHCOUNT runs.
## STANCE_BENCH_BASE=DIR adds DIR/stancectl -local (another build, e.g.
## main's: go build -o DIR/ ./cmd/stancectl) to every run, for a ratio
## against a baseline measured in the same run.
bench-ctl:
	$(GO) test -run='^$$' -bench='^BenchmarkWholeProcess$$' -benchtime=1x -count=$(BENCHCOUNT) -cpu=1 ./cmd/stancectl
