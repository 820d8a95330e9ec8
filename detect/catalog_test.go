package detect

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/outcry/outcry"
)

func TestDefaultCatalogParses(t *testing.T) {
	c, err := ParseCatalog("catalog.yaml", catalogYAML)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.IDs()); n < 40 {
		t.Errorf("built-in catalog has %d services, want >= 40", n)
	}
	// The ids DESIGN.md promises to the API, the CLI and user configs.
	for _, id := range []string{"chatgpt", "claude", "perplexity", "gemini", "copilot", "meta-ai", "mistral",
		"deepseek", "grok", "character-ai", "midjourney", "github", "discord", "slack", "zoom", "aws",
		"cloudflare", "google", "youtube", "x", "instagram", "whatsapp", "reddit", "netflix", "steam", "psn"} {
		if _, ok := c.Service(id); !ok {
			t.Errorf("built-in catalog lacks %q", id)
		}
	}
	if !slices.IsSorted(c.IDs()) {
		t.Error("IDs not sorted")
	}
	if a, b := DefaultCatalog(), DefaultCatalog(); a != b {
		t.Error("DefaultCatalog should return one shared immutable value")
	}
	for _, s := range c.Services() {
		if s.StatusURL != "" && s.StatusPage == "" {
			t.Errorf("%s: status_url without status_page", s.ID)
		}
	}
}

func TestCatalogAliases(t *testing.T) {
	c := DefaultCatalog()
	for _, tc := range []struct {
		id, alias string
		weak      bool
	}{
		{"chatgpt", "openai", false},
		{"chatgpt", "gpt-4o", false},
		{"chatgpt", "chat gpt", false},
		{"claude", "anthropic", false},
		{"claude", "@anthropicai", false},
		{"gemini", "bard", true},
		{"mistral", "le chat", true},
		{"meta-ai", "llama", true},
		{"x", "twitter", false},
		{"x", "x", true},
		{"facebook", "meta", true},
	} {
		s, ok := c.Service(tc.id)
		if !ok {
			t.Fatalf("no %s", tc.id)
		}
		list := s.Aliases
		if tc.weak {
			list = s.Weak
		}
		if !slices.Contains(list, tc.alias) {
			t.Errorf("%s: %q not among its %s aliases %v", tc.id, tc.alias, map[bool]string{true: "weak", false: "strong"}[tc.weak], list)
		}
	}
}

func TestCatalogAccessorsCopy(t *testing.T) {
	c := DefaultCatalog()
	s, _ := c.Service("chatgpt")
	s.Aliases[0] = "mutated"
	list := c.Services()
	list[0].Name = "mutated"
	list[0].Aliases[0] = "mutated"
	again, _ := c.Service("chatgpt")
	if again.Aliases[0] == "mutated" || c.Services()[0].Name == "mutated" || c.Services()[0].Aliases[0] == "mutated" {
		t.Error("accessors leak the catalog's internals")
	}
}

func TestParseCatalogErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"syntax", "services:\n  - id: a\n    name: b\n    aliases: [a\n", "x.yaml:"},
		{"tab", "services:\n\t- id: a\n", "x.yaml:2: found character that cannot start any token"},
		{"unknown top", "servicez: []\n", `x.yaml:1: servicez: unknown field`},
		{"unknown field", "services:\n  - id: a\n    name: A\n    aliases: [a]\n    colour: red\n",
			`x.yaml:5: services[0].colour: unknown field`},
		{"bad id", "services:\n  - id: Bad_Id\n    name: A\n    aliases: [a]\n", `x.yaml:2: services[0].id: "Bad_Id" is not a lowercase slug`},
		{"dup id", "services:\n  - id: a\n    name: A\n    aliases: [a]\n  - id: a\n    name: B\n    aliases: [b]\n",
			`x.yaml:5: services[1].id: "a" is used by two services`},
		{"no name", "services:\n  - id: a\n    aliases: [a]\n", `x.yaml:2: services[0].name: empty`},
		{"no alias", "services:\n  - id: a\n    name: A\n", `x.yaml:2: services[0].aliases: at least one alias`},
		{"aliases not list", "services:\n  - id: a\n    name: A\n    aliases: a\n", `x.yaml:4: services[0].aliases: want a list of strings`},
		{"alias of nothing", "services:\n  - id: a\n    name: A\n    aliases: [a, \"!!\"]\n", `x.yaml:4: services[0].aliases[1]: "!!" has no letters or digits`},
		{"shared alias", "services:\n  - id: a\n    name: A\n    aliases: [foo]\n  - id: b\n    name: B\n    aliases: [bar, Foo]\n",
			`x.yaml:7: services[1].aliases[1]: "Foo" is also a name of service "a"`},
		{"relative url", "services:\n  - id: a\n    name: A\n    aliases: [a]\n    status_url: /feed\n", `x.yaml:5: services[0].status_url: "/feed" is not an absolute http(s) URL`},
		{"ftp url", "services:\n  - id: a\n    name: A\n    aliases: [a]\n    status_page: ftp://x.org\n", `x.yaml:5: services[0].status_page`},
		{"bad bool", "services:\n  - id: a\n    name: A\n    aliases: [a]\n    disabled: maybe\n", `x.yaml:5: services[0].disabled: want true or false`},
		{"repeated key", "services:\n  - id: a\n    id: b\n    name: A\n    aliases: [a]\n", `x.yaml:3: services[0].id: given twice`},
		{"empty", "", "x.yaml: empty catalog"},
		{"none enabled", "services:\n  - id: a\n    name: A\n    aliases: [a]\n    disabled: true\n", "no enabled services"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCatalog("x.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, outcry.ErrInvalid) {
				t.Errorf("%v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestParseCatalogDropsDisabled(t *testing.T) {
	c, err := ParseCatalog("x.yaml", []byte(`services:
  - id: a
    name: A
    aliases: [a, "a-1", A 1]   # normalise alike: kept once
  - id: b
    name: B
    aliases: [b]
    disabled: true
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.IDs(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("IDs = %v", got)
	}
	if s, _ := c.Service("a"); len(s.Aliases) != 2 {
		t.Errorf("aliases %v: want duplicates after normalisation removed", s.Aliases)
	}
}

func TestCatalogMerge(t *testing.T) {
	base := DefaultCatalog()
	merged, err := base.Merge([]outcry.Service{
		{ID: "chatgpt", Aliases: []string{"chatgpt", "chat gpt"}}, // split OpenAI off
		{ID: "openai", Name: "OpenAI API", Category: "ai", Aliases: []string{"openai", "openai api"},
			StatusURL: "https://status.openai.com/history.atom"},
		{ID: "steam", Disabled: true},
		{ID: "claude", StatusPage: "https://status.anthropic.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := merged.Service("steam"); ok {
		t.Error("steam should be disabled")
	}
	if _, ok := base.Service("steam"); !ok {
		t.Error("Merge changed its receiver")
	}
	c, _ := merged.Service("chatgpt")
	if c.Name != "ChatGPT" || !slices.Equal(c.Aliases, []string{"chatgpt", "chat gpt"}) {
		t.Errorf("chatgpt override: %+v", c)
	}
	cl, _ := merged.Service("claude")
	if cl.StatusPage != "https://status.anthropic.com" || cl.StatusURL == "" || cl.Name != "Claude" {
		t.Errorf("claude override should replace only the page: %+v", cl)
	}
	if !slices.Contains(merged.IDs(), "openai") || !slices.IsSorted(merged.IDs()) {
		t.Errorf("ids %v", merged.IDs())
	}
	m, err := NewMatcher(merged)
	if err != nil {
		t.Fatal(err)
	}
	p := outcry.Post{Text: "OpenAI API is returning 503s"}
	m.Match(&p)
	if !slices.Equal(p.Affected, []string{"openai"}) {
		t.Errorf("after the split, %q affects %v, want [openai]", p.Text, p.Affected)
	}
}

func TestCatalogMergeErrors(t *testing.T) {
	base := DefaultCatalog()
	tests := []struct {
		name string
		in   []outcry.Service
		want string
	}{
		{"bad id", []outcry.Service{{ID: "My Corp", Name: "x", Aliases: []string{"x"}}}, `services[0].id: "My Corp" is not a lowercase slug`},
		{"twice", []outcry.Service{{ID: "chatgpt", Name: "A"}, {ID: "chatgpt", Name: "B"}}, `services[1].id: "chatgpt" is given twice`},
		{"disable unknown", []outcry.Service{{ID: "chatgtp", Disabled: true}}, `services[0].id: "chatgtp": no such service to disable`},
		{"new without alias", []outcry.Service{{ID: "mycorp", Name: "MyCorp"}}, `services[0] (id "mycorp").aliases: at least one alias`},
		{"new without name", []outcry.Service{{ID: "mycorp", Aliases: []string{"mycorp"}}}, `services[0] (id "mycorp").name: empty`},
		{"alias taken", []outcry.Service{{ID: "mycorp", Name: "M", Aliases: []string{"mycorp", "GitHub"}}}, `"GitHub" is also a name of service "github"`},
		{"bad url", []outcry.Service{{ID: "github", StatusURL: "githubstatus.com"}}, `services[0] (id "github").status_url`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := base.Merge(tc.in)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, outcry.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want ErrInvalid containing %q", err, tc.want)
			}
		})
	}
}

func TestCatalogConcurrentUse(t *testing.T) {
	c := DefaultCatalog()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				_ = c.Services()
				_, _ = c.Service("claude")
				if _, err := c.Merge([]outcry.Service{{ID: "svc-" + string(rune('a'+i)), Name: "S", Aliases: []string{"zz" + string(rune('a'+i))}}}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}
