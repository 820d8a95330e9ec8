package detect

import (
	"slices"
	"testing"

	"github.com/outcry/outcry"
)

// FuzzMatch checks the matcher's invariants on arbitrary text, including invalid UTF-8:
// Services are catalog ids, sorted and unique; Affected is a subset of Services;
// Complaint implies a non-empty Affected; Complaint and Recovery never both hold;
// Problems and Switching only come with a complaint; the result is deterministic.
// Seeds live in testdata/fuzz/FuzzMatch.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{
		"ChatGPT is down",
		"#ChatGPTdown #ClaudeDown @AnthropicAI",
		"ChatGPT, Claude, et Perplexity — sont tous en panne",
		"ChatGPTが落ちてる",
		"\xff\xfeChatGPT\xc3",
		"Claude is back up but ChatGPT is still down",
	} {
		f.Add(s)
	}
	m, err := NewMatcher(DefaultCatalog())
	if err != nil {
		f.Fatal(err)
	}
	ids := DefaultCatalog().IDs()
	f.Fuzz(func(t *testing.T, text string) {
		p := outcry.Post{Text: text}
		m.Match(&p)
		if !slices.IsSorted(p.Services) || len(slices.Compact(slices.Clone(p.Services))) != len(p.Services) {
			t.Fatalf("services not sorted and unique: %v", p.Services)
		}
		for _, s := range p.Services {
			if _, ok := slices.BinarySearch(ids, s); !ok {
				t.Fatalf("service %q is not a catalog id", s)
			}
		}
		for _, s := range p.Affected {
			if !slices.Contains(p.Services, s) {
				t.Fatalf("affected %q not among services %v", s, p.Services)
			}
		}
		if p.Complaint && len(p.Affected) == 0 {
			t.Fatal("complaint with no affected service")
		}
		if p.Recovery && len(p.Affected) == 0 {
			t.Fatal("recovery with no affected service")
		}
		if p.Complaint && p.Recovery {
			t.Fatal("both complaint and recovery")
		}
		if !p.Complaint && (len(p.Problems) > 0 || p.Switching || len(p.Affected) > 0 && !p.Recovery) {
			t.Fatalf("problems/switching/affected without a complaint: %+v", p)
		}
		for _, pr := range p.Problems {
			if !slices.Contains(matchProblemNames[:], pr) {
				t.Fatalf("unknown problem %q", pr)
			}
		}
		again := outcry.Post{Text: text}
		m.Match(&again)
		if !slices.Equal(again.Services, p.Services) || !slices.Equal(again.Affected, p.Affected) || again.Complaint != p.Complaint {
			t.Fatal("not deterministic")
		}
	})
}
