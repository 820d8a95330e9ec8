package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

func TestConfigErrorsNameFileLineField(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // substring of the error
	}{
		{"unknown top-level key", "sourcs: []\n", "outcry.yaml:1: sourcs: unknown field"},
		{"unknown source key", "sources:\n  - type: rss\n    url: https://x.example/feed\n    intervl: 2m\n", "outcry.yaml:4: sources[0].intervl: unknown field"},
		{"bad type", "sources:\n  - type: gopher\n    url: https://x.example\n", "outcry.yaml:2: sources[0].type: \"gopher\" is not one of"},
		{"missing url", "sources:\n  - type: rss\n", "outcry.yaml:2: sources[0].url: required"},
		{"relative url", "sources:\n  - type: rss\n    url: /feed\n", "sources[0].url"},
		{"bad duration", "sources:\n  - type: rss\n    url: https://x.example\n    interval: soon\n", "outcry.yaml:4: sources[0].interval: cannot unmarshal"},
		{"duration without unit", "sources:\n  - type: rss\n    url: https://x.example\n    interval: 5\n", "want a duration such as 30s"},
		{"tags not a list", "sources:\n  - type: mastodon\n    url: https://m.example\n    tags: chatgpt\n", "outcry.yaml:4: sources[0].tags: cannot unmarshal !!str `chatgpt` into []string (want a list"},
		{"too short interval", "sources:\n  - type: rss\n    url: https://x.example\n    interval: 1s\n", "sources[0].interval: 1s is below"},
		{"duplicate names", "sources:\n  - type: rss\n    name: a\n    url: https://x.example\n  - type: rss\n    name: a\n    url: https://y.example\n", "outcry.yaml:5: sources[1].name: \"a\" is used twice"},
		{"statuspage without service", "sources:\n  - type: statuspage\n    url: https://status.example/history.atom\n", "sources[0].service: required"},
		{"mastodon without tags", "sources:\n  - type: mastodon\n    url: https://mastodon.example\n", "sources[0].tags"},
		{"bluesky http url", "sources:\n  - type: bluesky\n    url: https://jetstream.example/subscribe\n", "ws/wss"},
		{"twitter api", "sources:\n  - type: twitter\n    api: v3\n", "sources[0].api: \"v3\""},
		{"webhook format", "alerts:\n  webhooks:\n    - url: https://hooks.example/x\n      format: teams\n", "outcry.yaml:3: alerts.webhooks[0].format"},
		{"replay file missing", "sources:\n  - type: replay\n    files: [/nonexistent/posts.jsonl]\n", "outcry.yaml:2: sources[0].files[0]: cannot read /nonexistent/posts.jsonl"},
		{"alert max age too short", "alerts:\n  max_age: 10s\n", "outcry.yaml:2: alerts.max_age: 10s is below the 1m minimum"},
		{"alert max age not a duration", "alerts:\n  max_age: a while\n", "outcry.yaml:2"},
		{"service unknown key", "services:\n  - id: mycorp\n    alias: [x]\n", "outcry.yaml:3: services[0].alias: unknown field"},
		{"sources not a list", "sources:\n  type: rss\n", "outcry.yaml:2: sources: expected a list"},
		{"yaml syntax", "sources: [\n", "outcry.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("outcry.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !errors.Is(err, outcry.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestConfigDefaultsAndServices(t *testing.T) {
	cfg, err := parseConfig("c.yaml", []byte(`
sources:
  - type: rss
    url: https://www.reddit.com/r/ChatGPT/new/.rss
  - type: mastodon
    url: https://mastodon.social
    tags: ["#ChatGPT", claude]
services:
  - id: mycorp
    name: MyCorp
    aliases: [mycorp, "my corp"]
  - id: steam
    disabled: true
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Sources[0].Name != "rss:www.reddit.com" || cfg.Sources[1].Tags[0] != "ChatGPT" {
		t.Errorf("defaults not applied: %+v", cfg.Sources)
	}
	cat, err := loadCatalog(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cat.Service("mycorp"); !ok {
		t.Error("mycorp not added")
	}
	if _, ok := cat.Service("steam"); ok {
		t.Error("steam not disabled")
	}
	if _, ok := cat.Service("chatgpt"); !ok {
		t.Error("built-in services lost")
	}
	if _, err := parseConfig("empty.yaml", nil); err != nil {
		t.Errorf("an empty config is all defaults: %v", err)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"alerts:\n  mute: [githubb]\n", `alerts.mute[0]: "githubb" is not a catalog service id`},
		{"alerts:\n  webhooks:\n    - url: https://hooks.example/x\n      services: [chatgpt, nosuch]\n", `outcry.yaml:3: alerts.webhooks[0].services[1]: "nosuch" is not a catalog service id`},
	} {
		c, err := parseConfig("outcry.yaml", []byte(bad.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := loadCatalog(c); err == nil || !strings.Contains(err.Error(), bad.want) || !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("%q: %v, want %q", bad.yaml, err, bad.want)
		}
	}
	sample, err := parseConfig("outcry.yaml", []byte(sampleConfigForFuzz()))
	if err != nil || sample.Alerts.MaxAge != 6*time.Hour {
		t.Errorf("the sample config's alerts.max_age: %v %v", sample, err)
	}
}
