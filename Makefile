# Outcry: `make run` starts the dashboard (demo data when there is no outcry.yaml),
# `make test` runs everything CI runs. See README.md.

GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
BIN      := bin/outcry
PKGS     := ./...
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME ?= 20s
DATA     ?= ./outcry-data
ADDR     ?= 127.0.0.1:8080

.PHONY: build run test race bench fuzz lint fmt fmtcheck vet layers e2e load soak check clean reliability

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/outcry

# run: with an outcry.yaml beside the Makefile, live sources from it; without one, the
# simulated 4 June 2024 demo through the real pipeline.
run: build
	@if [ -f outcry.yaml ]; then \
		$(BIN) serve --config outcry.yaml --data $(DATA) --addr $(ADDR); \
	else \
		echo "no outcry.yaml: starting the demo (simulated data). 'outcry init' writes a config."; \
		$(BIN) serve --demo --data $(DATA)-demo --addr $(ADDR); \
	fi

fmtcheck:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet $(PKGS)

layers:
	@bash scripts/layers.sh

# test: what CI runs.
test: fmtcheck vet layers
	$(GO) test -race -count=1 $(PKGS)

race: test

lint: fmtcheck vet layers
	$(GO) run $(STATICCHECK) $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 3 $(PKGS)

# fuzz runs every fuzz target for FUZZTIME each.
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

e2e: build
	@bash scripts/e2e.sh

# load: the JSON API under concurrent clients while the demo ingests (30 s); soak: the same
# for 10 minutes, sampling RSS, goroutines and p99 (CSV in e2e-artifacts/).
load:
	$(GO) test -tags load -run TestLoadAPI -count=1 -v -timeout 30m ./cmd/outcry

soak:
	OUTCRY_LOAD_DURATION=$${OUTCRY_LOAD_DURATION:-10m} OUTCRY_LOAD_INTERVAL=30s $(GO) test -tags load -run TestLoadAPI -count=1 -v -timeout 40m ./cmd/outcry

# reliability: SIGKILL serve repeatedly (OUTCRY_KILLS, default 20) and the disk-trouble
# tests (root: tmpfs); results in docs/RELIABILITY.md.
reliability: build
	$(GO) test -count=1 -v -timeout 30m -run 'Crash|Reliability' -tags reliability ./cmd/outcry

check: lint test e2e

clean:
	rm -rf bin outcry-data outcry-data-demo e2e-artifacts
