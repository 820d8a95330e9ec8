package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/outcry/outcry"
)

// FuzzParseConfig feeds arbitrary bytes to the config loader (parseConfig, then the
// catalog merge and the source construction that serve does next). Invariants:
//   - nothing panics;
//   - every error wraps outcry.ErrInvalid (exit code 2) and starts with the file name;
//   - a config that parses is a fixed point: serialised back to YAML it parses again,
//     to a config that serialises to the same bytes (validation normalises once);
//   - a config that parses builds its catalog and sources, or fails with ErrInvalid
//     naming the file, never with an internal error.
//
// Seeds: every config under testdata/ plus the built-in sample, and
// testdata/fuzz/FuzzParseConfig.
func FuzzParseConfig(f *testing.F) {
	seeds := []string{
		"",
		"sources: []\n",
		"sources:\n  - type: rss\n    url: https://x.example/feed\n    interval: 2m\n",
		"sources:\n  - type: RSS\n    url: https://x.example/feed\n  - type: rss\n    url: https://x.example/other\n",
		"sources:\n  - type: mastodon\n    url: https://m.example\n    tags: ['#ChatGPT', ' claude ']\n",
		"sources:\n  - type: twitter\n    enabled: false\n",
		"sources:\n  - type: bluesky\n    url: wss://jetstream.example/subscribe\n    max_body: 1024\n",
		"sources:\n  - type: statuspage\n    service: chatgpt\n    url: https://status.example/history.atom\n",
		"services:\n  - id: mycorp\n    name: MyCorp\n    aliases: [mycorp, \"my corp\"]\n  - id: steam\n    disabled: true\n",
		"alerts:\n  webhooks:\n    - url: https://hooks.example/x\n      format: slack\n      secret_env: S\n  mute: [chatgpt]\n",
		"server:\n  addr: 0.0.0.0:8080\n  token_env: OUTCRY_API_TOKEN\n",
		"sources: [\n",
		"sources:\n  type: rss\n",
		"&a [*a]",
		"a: &a {b: *a}\n",
		"? [a, b]\n: c\n",
		"sources:\n  - !!binary aGVsbG8=\n",
		"sources:\n  - type: rss\n    url: \"https://x.example/\\xff\"\n    name: \"\\0\"\n",
		"services:\n  - id: \"<script>\"\n",
		"sources:\n  - {type: rss, url: 'https://a.example', interval: -5s}\n",
		"sources:\n  - {type: rss, url: 'https://a.example', interval: 9999999999h}\n",
		"alerts: {webhooks: [{url: 'https://u:p@h.example/%zz'}]}\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if names, err := filepath.Glob("testdata/*.yaml"); err == nil {
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(sampleConfigForFuzz()))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	noenv := func(string) string { return "" }
	const file = "fuzz.yaml"

	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang detector (termination, not speed): one config must load in far less.
		wd := time.AfterFunc(30*time.Second, func() { panic(fmt.Sprintf("config load did not end: %q", data)) })
		defer wd.Stop()
		cfg, err := parseConfig(file, data)
		if err != nil {
			configFuzzCheckErr(t, "parse", err)
			return
		}
		if cfg.path != file {
			t.Fatalf("path %q", cfg.path)
		}
		out, err := yaml.Marshal(cfg)
		if err != nil {
			t.Fatalf("a parsed config does not serialise: %v", err)
		}
		again, err := parseConfig(file, out)
		if err != nil {
			t.Fatalf("re-serialised config is refused: %v\ninput:\n%q\nserialised:\n%s", err, data, out)
		}
		out2, err := yaml.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("not a fixed point:\nfirst:\n%s\nsecond:\n%s", out, out2)
		}
		for i, s := range cfg.Sources {
			if s.Name == "" || s.Type != strings.ToLower(s.Type) {
				t.Fatalf("sources[%d] not normalised: %+v", i, s)
			}
		}
		for i, w := range cfg.Alerts.Webhooks {
			if w.Format != "json" && w.Format != "slack" {
				t.Fatalf("alerts.webhooks[%d].format %q", i, w.Format)
			}
		}
		cat, err := loadCatalog(cfg)
		if err != nil {
			configFuzzCheckErr(t, "catalog", err)
			return
		}
		if _, err := buildSources(cfg, cat, noenv, log); err != nil {
			configFuzzCheckErr(t, "sources", err)
		}
		if cfg.Server.Addr != "" {
			_, _ = isLoopback(cfg.Server.Addr) // must not panic on any address
		}
	})
}

// configFuzzCheckErr asserts a config error is bad input naming the file.
func configFuzzCheckErr(t *testing.T, stage string, err error) {
	t.Helper()
	if !errors.Is(err, outcry.ErrInvalid) {
		t.Fatalf("%s: error does not wrap ErrInvalid: %v", stage, err)
	}
	if !strings.HasPrefix(err.Error(), "fuzz.yaml:") {
		t.Fatalf("%s: error does not start with the file name: %v", stage, err)
	}
}

// sampleConfigForFuzz is what `outcry init` writes: the largest realistic config.
func sampleConfigForFuzz() string {
	cat, err := loadCatalog(nil)
	if err != nil {
		return ""
	}
	return sampleConfig(cat.Services())
}
