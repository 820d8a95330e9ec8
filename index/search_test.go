package index

import (
	"errors"

	"fmt"
	"github.com/blevesearch/bleve/v2/analysis"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

func TestAnalyzersKeepStopWords(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	// Every analyzer keeps every word (stemmers may change a word's form, e.g.
	// English "pas" -> "pa", but drop none); "down" and "not" stay as they are.
	text := "ChatGPT is NOT down, no way. En panne, pas de réponse, the a an"
	words := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == ',' || r == '.' })
	for _, name := range ix.an.names {
		got := tokenTerms(ix.im.AnalyzerNamed(name).Analyze([]byte(text)))
		if len(got) != len(words) {
			t.Errorf("analyzer %s: %d tokens for %d words: %v", name, len(got), len(words), got)
		}
		for _, w := range []string{"down@4", "not@3", "no@5", "is@2", "en@7"} {
			if !slices.Contains(got, w) {
				t.Errorf("analyzer %s lost %q: %v", name, w, got)
			}
		}
	}
	// Posts in each language are indexed with their language's analyzer; ASCII text
	// skips the CJK filters but must yield the same tokens.
	for _, lang := range []string{"", "en", "fr", "es", "de", "pt", "it", "ja", "pt-BR"} {
		full, ascii := ix.an.forText(lang, "non-ASCII é"), ix.an.forText(lang, "ASCII")
		if full == ascii {
			t.Errorf("lang %q: same analyzer for ASCII and non-ASCII text", lang)
		}
		for _, text := range []string{"ChatGPT is down, WORKING works; it's l'API", "Claude's servers aren't responding"} {
			if f, a := tokenTerms(full.Analyze([]byte(text))), tokenTerms(ascii.Analyze([]byte(text))); fmt.Sprint(f) != fmt.Sprint(a) {
				t.Errorf("lang %q: ASCII analyzer gives %v, full one %v", lang, a, f)
			}
		}
	}
}

func tokenTerms(ts analysis.TokenStream) []string {
	var out []string
	for _, t := range ts {
		out = append(out, fmt.Sprintf("%s@%d", t.Term, t.Position))
	}
	return out
}

func searchIDs(t *testing.T, ix *Index, r outcry.SearchRequest) []string {
	t.Helper()
	res, err := ix.Search(t.Context(), r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.Post.ID)
	}
	if uint64(len(ids)) > res.Total {
		t.Fatalf("%d hits > total %d", len(ids), res.Total)
	}
	return ids
}

func sorted(ids []string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

// searchFixture is a small index of hand-written posts in several languages.
func searchFixture(t *testing.T) *Index {
	t.Helper()
	ix, _ := openTest(t, testConfig())
	add(t, ix,
		post("en-down", "ann", t0, "ChatGPT is down again, not working at all", []string{"chatgpt"}, complaint("chatgpt"), source("bsky"), problems("errors")),
		post("en-great", "bob", t0.Add(1*time.Minute), "ChatGPT is great for recipes", []string{"chatgpt"}, source("bsky")),
		post("en-feel", "cat", t0.Add(2*time.Minute), "feeling down today, nothing works", nil, source("mastodon")),
		post("en-dd", "dan", t0.Add(3*time.Minute), "downdetector says chatgpt is fine", []string{"chatgpt"}, source("reddit")),
		post("en-claude", "eve", t0.Add(4*time.Minute), "ChatGPT down, trying Claude instead", []string{"chatgpt", "claude"}, complaint("chatgpt"), switching(), source("bsky")),
		post("en-monet", "fay", t0.Add(5*time.Minute), "Claude Monet painted water lilies", nil, source("bsky")),
		post("fr-panne", "gil", t0.Add(6*time.Minute), "ChatGPT, Claude, et Perplexity sont tous en panne", []string{"chatgpt", "claude", "perplexity"},
			complaint("chatgpt", "claude", "perplexity"), lang("fr"), source("mastodon")),
		post("fr-back", "hal", t0.Add(7*time.Minute), "ChatGPT fonctionne à nouveau", []string{"chatgpt"}, recovery("chatgpt"), lang("fr")),
		post("ja-down", "ivy", t0.Add(8*time.Minute), "ChatGPT落ちてる？ログインできない", []string{"chatgpt"}, complaint("chatgpt"), lang("ja")),
		post("ja-calm", "jon", t0.Add(9*time.Minute), "落ち着いてください", nil, lang("ja")),
		post("es-caido", "kim", t0.Add(70*time.Minute), "Claude está caído otra vez", []string{"claude"}, complaint("claude"), lang("es")),
		post("de-stoer", "lou", t0.Add(71*time.Minute), "Gemini funktioniert nicht, Störungen überall", []string{"gemini"}, complaint("gemini"), lang("de-DE")),
	)
	flush(t, ix)
	return ix
}

func TestSearchQuerySemantics(t *testing.T) {
	ix := searchFixture(t)
	tests := []struct {
		q    string
		want []string // sorted ids
	}{
		// Bare words are all required: "down" is kept by the analyzer and the
		// word "downdetector" is not "down".
		{"chatgpt down", []string{"en-claude", "en-down"}},
		// The question people type: a '?' or ':' ending a word is punctuation, not
		// a wildcard or a field; inside a word '?' stays a wildcard.
		{"is chatgpt down?", []string{"en-down"}},
		{"chatgpt down?", []string{"en-claude", "en-down"}},
		{"chatgpt down ??", []string{"en-claude", "en-down"}},
		{"chatgpt:", []string{"en-claude", "en-dd", "en-down", "en-great", "fr-back", "fr-panne", "ja-down"}},
		{"do?n", []string{"en-claude", "en-down", "en-feel"}},
		{"down", []string{"en-claude", "en-down", "en-feel"}},
		{"not working", []string{"en-down"}},
		{`"not working"`, []string{"en-down"}},
		{`"working not"`, nil},
		{"claude -monet", []string{"en-claude", "es-caido", "fr-panne"}},
		// A "+" gives Bleve's semantics: + required, bare words optional.
		{"+chatgpt down", []string{"en-claude", "en-dd", "en-down", "en-great", "fr-back", "fr-panne", "ja-down"}},
		// Stemmed forms meet across languages; accents fold per Bleve's analyzers.
		{"pannes", []string{"fr-panne"}},
		{"works", []string{"en-down", "en-feel"}}, // working -> work <- works
		{"störung", []string{"de-stoer"}},
		// Japanese: the word is found, a post sharing one character pair is not.
		{"落ちてる", []string{"ja-down"}},
		{"ログイン", []string{"ja-down"}},
		// Fields.
		{"lang:fr panne", []string{"fr-panne"}},
		{"lang:FR", []string{"fr-back", "fr-panne"}},
		{"service:claude", []string{"en-claude", "es-caido", "fr-panne"}},
		{"services:claude complaint:false", []string{}},
		{"services:claude switching:true", []string{"en-claude"}},
		{"affected:claude", []string{"es-caido", "fr-panne"}},
		{"complaint:false chatgpt", []string{"en-dd", "en-great", "fr-back"}},
		{"recovery:true", []string{"fr-back"}},
		{"switching:yes", []string{"en-claude"}},
		{"source:reddit", []string{"en-dd"}},
		{"author:ivy", []string{"ja-down"}},
		{"problems:errors", []string{"en-down"}},
		{`created_at:>="2024-06-04T14:08:00Z" created_at:<"2024-06-04T15:10:30Z"`, []string{"es-caido", "ja-calm", "ja-down"}},
		{`created_at:>"2024-06-04T15:10:00Z"`, []string{"de-stoer"}},
		{`created_at:>="2024-06-04T15:10:00Z"`, []string{"de-stoer", "es-caido"}},
		{`created_at:<="2024-06-04T14:01:00Z"`, []string{"en-down", "en-great"}},
		// Patterns and fuzziness.
		{"chat*", []string{"en-claude", "en-dd", "en-down", "en-great", "fr-back", "fr-panne", "ja-down"}},
		{"/dow[n]+/", []string{"en-claude", "en-down", "en-feel"}},
		{"downn~1", []string{"en-claude", "en-down", "en-feel"}},
		// Empty and match-all queries; punctuation matches nothing.
		{"", []string{"de-stoer", "en-claude", "en-dd", "en-down", "en-feel", "en-great", "en-monet", "es-caido", "fr-back", "fr-panne", "ja-calm", "ja-down"}},
		{"*", []string{"de-stoer", "en-claude", "en-dd", "en-down", "en-feel", "en-great", "en-monet", "es-caido", "fr-back", "fr-panne", "ja-calm", "ja-down"}},
		{"!!!", nil},
		{"-chatgpt -claude", []string{"de-stoer", "en-feel", "ja-calm"}},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			got := sorted(searchIDs(t, ix, outcry.SearchRequest{Query: tc.q, Limit: 50}))
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestSearchRanking(t *testing.T) {
	ix := searchFixture(t)
	// With Bleve semantics the post naming both words ranks first.
	ids := searchIDs(t, ix, outcry.SearchRequest{Query: "+chatgpt down"})
	if len(ids) < 3 || (ids[0] != "en-down" && ids[0] != "en-claude") || (ids[1] != "en-down" && ids[1] != "en-claude") {
		t.Fatalf("ranking of +chatgpt down: %v", ids)
	}
	// Newest first.
	ids = searchIDs(t, ix, outcry.SearchRequest{Query: "chatgpt", Newest: true})
	want := []string{"ja-down", "fr-back", "fr-panne", "en-claude", "en-dd", "en-great", "en-down"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Fatalf("newest: %v, want %v", ids, want)
	}
	// Pages of 2.
	var paged []string
	for off := 0; off < 8; off += 2 {
		paged = append(paged, searchIDs(t, ix, outcry.SearchRequest{Query: "chatgpt", Newest: true, Limit: 2, Offset: off})...)
	}
	if strings.Join(paged, " ") != strings.Join(want, " ") {
		t.Fatalf("paged newest: %v", paged)
	}
}

func TestSearchFilters(t *testing.T) {
	ix := searchFixture(t)
	tests := []struct {
		name string
		req  outcry.SearchRequest
		want []string
	}{
		{"services", outcry.SearchRequest{Services: []string{"Claude", "gemini"}}, []string{"de-stoer", "en-claude", "es-caido", "fr-panne"}},
		{"complaints about claude", outcry.SearchRequest{Services: []string{"claude"}, ComplaintsOnly: true}, []string{"es-caido", "fr-panne"}},
		{"complaints only", outcry.SearchRequest{Query: "chatgpt", ComplaintsOnly: true}, []string{"en-claude", "en-down", "fr-panne", "ja-down"}},
		{"sources", outcry.SearchRequest{Sources: []string{"mastodon", "reddit"}}, []string{"en-dd", "en-feel", "fr-panne"}},
		{"langs", outcry.SearchRequest{Query: "chatgpt", Langs: []string{"fr", "ja"}}, []string{"fr-back", "fr-panne", "ja-down"}},
		{"window", outcry.SearchRequest{Query: "chatgpt", From: t0.Add(time.Minute), To: t0.Add(4 * time.Minute)}, []string{"en-dd", "en-great"}},
		{"open from", outcry.SearchRequest{From: t0.Add(9 * time.Minute)}, []string{"de-stoer", "es-caido", "ja-calm"}},
		{"open to", outcry.SearchRequest{To: t0.Add(time.Minute + time.Nanosecond)}, []string{"en-down", "en-great"}},
		{"all together", outcry.SearchRequest{Query: "down", Services: []string{"chatgpt"}, Sources: []string{"bsky"}, Langs: []string{"en"},
			From: t0, To: t0.Add(time.Hour), ComplaintsOnly: true}, []string{"en-claude", "en-down"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sorted(searchIDs(t, ix, tc.req))
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestSearchFacetsHistogramHighlights(t *testing.T) {
	ix := searchFixture(t)
	res, err := ix.Search(t.Context(), outcry.SearchRequest{
		Query: "chatgpt", From: t0, To: t0.Add(80 * time.Minute), Step: 20 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 7 {
		t.Fatalf("total %d", res.Total)
	}
	wantFacets := map[string]string{
		"services": "[{chatgpt 7} {claude 2} {perplexity 1}]",
		"sources":  "[{bsky 3} {test 2} {mastodon 1} {reddit 1}]",
		"langs":    "[{en 4} {fr 2} {ja 1}]",
	}
	for name, want := range wantFacets {
		if got := fmt.Sprint(res.Facets[name]); got != want {
			t.Errorf("facet %s = %s, want %s", name, got, want)
		}
	}
	var hist []string
	for _, b := range res.Histogram {
		hist = append(hist, fmt.Sprintf("%s=%d", b.T.Format("15:04"), b.Count))
	}
	if got := strings.Join(hist, " "); got != "14:00=7 14:20=0 14:40=0 15:00=0" {
		t.Errorf("histogram %s", got)
	}
	for _, h := range res.Hits {
		if len(h.Highlights) == 0 {
			t.Errorf("%s: no highlights", h.Post.ID)
		}
		for _, s := range h.Highlights {
			if w := strings.ToLower(h.Post.Text[s.Start:s.End]); !strings.HasPrefix(w, "chatgpt") {
				t.Errorf("%s: highlight %q", h.Post.ID, w)
			}
		}
	}
	// Phrase and multi-word highlights, on multi-byte text too.
	res, err = ix.Search(t.Context(), outcry.SearchRequest{Query: `"not working" again 落ちてる`, Langs: nil})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Fatalf("AND of words from two posts matched %d", res.Total)
	}
	for q, want := range map[string]string{
		`"not working" again`: "again|not|working",
		"落ちてる":                "落ちてる",
		"pannes":              "panne",
	} {
		res, err := ix.Search(t.Context(), outcry.SearchRequest{Query: q})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("%s: %v %v", q, res, err)
		}
		h := res.Hits[0]
		var words []string
		for _, s := range h.Highlights {
			words = append(words, h.Post.Text[s.Start:s.End])
		}
		slices.Sort(words)
		if got := strings.Join(words, "|"); got != want {
			t.Errorf("%s: highlights %q, want %q", q, got, want)
		}
	}
	// Facets list at most 10 terms.
	g := newPostGen(2, t0, time.Hour, 40)
	var many []outcry.Post
	for i := range 40 {
		p := g.next()
		p.Source = fmt.Sprintf("src%02d", i%13)
		many = append(many, p)
	}
	add(t, ix, many...)
	flush(t, ix)
	res, err = ix.Search(t.Context(), outcry.SearchRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Facets["sources"]); n != facetSize {
		t.Fatalf("sources facet has %d terms, want %d", n, facetSize)
	}
	if res.Histogram != nil {
		t.Fatal("histogram without a step")
	}
}

func TestSearchRejectsBadRequests(t *testing.T) {
	ix := searchFixture(t)
	long := strings.Repeat("a", maxQueryLen+1)
	tests := []struct {
		name string
		req  outcry.SearchRequest
	}{
		{"unbalanced quote", outcry.SearchRequest{Query: `"chatgpt down`}},
		{"dangling operator", outcry.SearchRequest{Query: "chatgpt +"}},
		{"bad range", outcry.SearchRequest{Query: `created_at:>"yesterday"`}},
		{"unknown field", outcry.SearchRequest{Query: "foo:bar"}},
		{"internal field", outcry.SearchRequest{Query: "kind:counts"}},
		{"leading wildcard", outcry.SearchRequest{Query: "*gpt"}},
		{"leading question mark", outcry.SearchRequest{Query: "?hatgpt"}},
		{"one literal", outcry.SearchRequest{Query: "c*"}},
		{"regexp without prefix", outcry.SearchRequest{Query: "/.*down/"}},
		{"long regexp", outcry.SearchRequest{Query: "/ab" + strings.Repeat("(a|b)", 20) + "/"}},
		{"bad regexp", outcry.SearchRequest{Query: "/ab[/"}},
		{"numeric range", outcry.SearchRequest{Query: "text:>5"}},
		{"time without range", outcry.SearchRequest{Query: "created_at:2024"}},
		{"bad bool", outcry.SearchRequest{Query: "complaint:maybe"}},
		{"pattern on flag", outcry.SearchRequest{Query: "complaint:tr*"}},
		{"too long", outcry.SearchRequest{Query: long}},
		{"invalid utf8", outcry.SearchRequest{Query: "down \xff"}},
		{"too many clauses", outcry.SearchRequest{Query: strings.Repeat("a ", maxQueryClauses+1)}},
		{"negative limit", outcry.SearchRequest{Limit: -1}},
		{"negative offset", outcry.SearchRequest{Offset: -5}},
		{"deep offset", outcry.SearchRequest{Offset: 9990, Limit: 20}},
		{"to before from", outcry.SearchRequest{From: t0, To: t0.Add(-time.Hour)}},
		{"step without window", outcry.SearchRequest{Step: time.Hour}},
		{"sub-second step", outcry.SearchRequest{From: t0, To: t0.Add(time.Minute), Step: time.Millisecond}},
		{"too many buckets", outcry.SearchRequest{From: t0, To: t0.Add(365 * 24 * time.Hour), Step: time.Minute}},
		{"negative step", outcry.SearchRequest{From: t0, To: t0.Add(time.Hour), Step: -time.Minute}},
		{"too many services", outcry.SearchRequest{Services: make([]string, maxFilterValues+1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ix.Search(t.Context(), tc.req)
			if !errors.Is(err, outcry.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line message: %q", err)
			}
		})
	}
	// Limits are capped, not refused.
	res, err := ix.Search(t.Context(), outcry.SearchRequest{Limit: 5000})
	if err != nil || len(res.Hits) != 12 {
		t.Fatalf("limit 5000: %d hits, %v", len(res.Hits), err)
	}
}

func TestSearchBoundsPatternExpansion(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	var posts []outcry.Post
	for i := range maxTermSearchers + 500 {
		posts = append(posts, post(fmt.Sprint("w", i), fmt.Sprint("user", i), t0, fmt.Sprintf("word%d xyz", i), nil))
	}
	add(t, ix, posts...)
	flush(t, ix)
	for _, q := range []string{"author:us*", "wo*", "/word[0-9]+/"} {
		start := time.Now()
		_, err := ix.Search(t.Context(), outcry.SearchRequest{Query: q})
		if !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid (too many terms)", q, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %s", q, d)
		}
	}
	// A narrow pattern is fine.
	if ids := searchIDs(t, ix, outcry.SearchRequest{Query: "word123*"}); len(ids) != 11 {
		t.Fatalf("word123*: %d hits", len(ids))
	}
}

// TestSearchInParts checks that a search run in parallel parts returns exactly what
// one part returns.
func TestSearchInParts(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	g := newPostGen(17, t0, 6*time.Hour, 3000)
	add(t, ix, g.batch(3000)...)
	flush(t, ix)
	reqs := []outcry.SearchRequest{
		{Query: "chatgpt down", Newest: true, Limit: 50},
		{Query: "down", Limit: 30, Offset: 7},
		{Query: "", Services: []string{"claude"}, ComplaintsOnly: true, Newest: true},
		{Query: "chatgpt", From: t0.Add(time.Hour + 17*time.Second), To: t0.Add(5 * time.Hour), Step: 10 * time.Minute, Newest: true, Limit: 100},
		{Query: `"is down"`, From: t0.Add(2 * time.Hour)},
	}
	for _, req := range reqs {
		ix.splitMin = 1 << 62
		one, err := ix.Search(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		ix.splitMin = 0
		if got := ix.partition(nil); len(got) != 2 {
			t.Fatalf("partition: %d parts", len(got))
		}
		two, err := ix.Search(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if one.Total == 0 {
			t.Fatalf("%+v: no hits", req)
		}
		view := func(r outcry.SearchResult) string {
			var ids []string
			for _, h := range r.Hits {
				ids = append(ids, fmt.Sprintf("%s:%.4f:%v", h.Post.ID, h.Score, h.Highlights))
			}
			return fmt.Sprint(r.Total, ids, r.Facets, r.Histogram)
		}
		if view(one) != view(two) {
			t.Fatalf("%+v:\none part  %s\ntwo parts %s", req, view(one), view(two))
		}
	}
}
