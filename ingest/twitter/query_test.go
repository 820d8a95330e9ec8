package twitter

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

func TestBuildQuery(t *testing.T) {
	chatgpt := outcry.Service{ID: "chatgpt", Aliases: []string{"ChatGPT", "chat gpt", "OpenAI", "GPT-4o"}}
	claude := outcry.Service{ID: "claude", Aliases: []string{"Claude", "claude.ai", "Anthropic"}}
	x := outcry.Service{ID: "x", Aliases: []string{"twitter"}, Weak: []string{"x"}}
	meta := outcry.Service{ID: "meta-ai", Aliases: []string{"meta ai", "llama"}, Weak: []string{"meta"}, Disabled: true}
	tests := []struct {
		name     string
		services []outcry.Service
		terms    []string
		maxLen   int
		want     string
	}{
		{"one alias one term", []outcry.Service{{Aliases: []string{"ChatGPT"}}}, []string{"down"}, 0, "chatgpt down"},
		{"quoting and dedupe", []outcry.Service{chatgpt, claude, {Aliases: []string{"chatgpt"}}}, []string{"down", "Not Working", "DOWN", " "}, 0,
			`(chatgpt OR claude OR "chat gpt" OR "claude.ai" OR openai OR anthropic OR "gpt-4o") (down OR "not working")`},
		{"weak aliases and disabled services left out", []outcry.Service{x, meta}, []string{"down"}, 0, "twitter down"},
		{"no terms: any mention", []outcry.Service{claude}, nil, 0, `(claude OR "claude.ai" OR anthropic)`},
		{"non-latin terms stay bare; an alias too long is skipped, shorter ones still added", []outcry.Service{chatgpt}, []string{"落ちてる", "en panne"}, 40,
			`(chatgpt OR openai) (落ちてる OR "en panne")`},
		{"round robin under the limit: every service first", []outcry.Service{chatgpt, claude}, []string{"down"}, 40,
			`(chatgpt OR claude OR "chat gpt") down`},
		{"terms dropped from the end to fit", []outcry.Service{chatgpt}, []string{"down", "outage", "not working"}, 24,
			`chatgpt (down OR outage)`},
		{"nothing fits", []outcry.Service{chatgpt}, []string{"down"}, 5, ""},
		{"no services", nil, []string{"down"}, 0, ""},
		{"quotes inside aliases dropped", []outcry.Service{{Aliases: []string{`le "chat"`}}}, []string{"down"}, 0, `"le chat" down`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BuildQuery(tt.services, tt.terms, tt.maxLen)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			limit := tt.maxLen
			if limit <= 0 {
				limit = DefaultMaxQueryLen
			}
			if n := utf8.RuneCountInString(got); n > limit {
				t.Errorf("%d characters, over %d", n, limit)
			}
		})
	}
}

// TestBuildQueryLargeCatalog: a catalog far larger than the limit yields a query within
// it that names every service once before any second alias.
func TestBuildQueryLargeCatalog(t *testing.T) {
	var svcs []outcry.Service
	for _, name := range []string{"chatgpt", "claude", "perplexity", "gemini", "copilot", "mistral", "deepseek", "grok", "github", "discord", "slack", "zoom", "cloudflare", "youtube", "instagram", "whatsapp", "reddit", "netflix", "steam"} {
		svcs = append(svcs, outcry.Service{ID: name, Aliases: []string{name, name + " app", name + ".com"}})
	}
	q := BuildQuery(svcs, DefaultTerms(), 0)
	if n := utf8.RuneCountInString(q); n > DefaultMaxQueryLen || n < DefaultMaxQueryLen-60 {
		t.Errorf("query is %d characters; want it filled up to %d: %s", n, DefaultMaxQueryLen, q)
	}
	for _, s := range svcs {
		if !strings.Contains(q, "("+s.ID+" OR") && !strings.Contains(q, " "+s.ID+" OR") {
			t.Errorf("%s missing from %s", s.ID, q)
		}
	}
	if !strings.HasSuffix(q, `(down OR outage OR "not working" OR error OR "en panne" OR "ne marche pas" OR "no funciona" OR caído OR störung OR "geht nicht" OR "fora do ar" OR "non funziona" OR 落ちてる OR 障害)`) {
		t.Errorf("terms group changed: %s", q)
	}
}
