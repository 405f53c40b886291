# Everything runs through pinned Go tools (see the tool block in go.mod):
# nothing else needs installing.

GO ?= go
# The breaking-change check compares the API with main (on main itself, with
# the commit before).
BREAKING_AGAINST ?= .git\#branch=main
FUZZTIME ?= 10s

.PHONY: test lint generate check-generated fuzz bench run train

## test: everything CI runs: lint, generated-code check, vet, unit and
## integration tests, and short fuzz runs.
test: lint check-generated
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(MAKE) fuzz

lint:
	$(GO) tool buf lint
	$(GO) tool buf breaking --against '$(BREAKING_AGAINST)'
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

generate:
	$(GO) tool buf generate

## check-generated: regenerating the API code must change nothing.
check-generated: generate
	@git diff --exit-code -- api/gen || { echo "api/gen is stale: run make generate and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- api/gen)" || { git status --porcelain -- api/gen; echo "api/gen has uncommitted files"; exit 1; }

## fuzz: the native fuzz tests of outside input, each for FUZZTIME.
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzTokenize$$' -fuzztime=$(FUZZTIME) ./internal/features
	$(GO) test -run='^$$' -fuzz='^FuzzClassify$$' -fuzztime=$(FUZZTIME) ./internal/server
	$(GO) test -run='^$$' -fuzz='^FuzzFind$$' -fuzztime=$(FUZZTIME) ./internal/entities

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

run:
	$(GO) run ./cmd/classifierd

train:
	$(GO) run ./cmd/stancetrain
