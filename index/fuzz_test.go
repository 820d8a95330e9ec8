package index

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// FuzzSearch throws arbitrary query strings and parameters at Search over a small
// real index. Invariants: an error wraps outcry.ErrInvalid; a result is bounded (hits
// within the page and the 1000 cap, at most 10 terms per facet, at most 10,000
// histogram buckets) and its highlights are ordered spans inside the post text.
func FuzzSearch(f *testing.F) {
	ix, _ := openTest(f, testConfig())
	g := newPostGen(21, t0, 6*time.Hour, 400)
	add(f, ix, g.batch(400)...)
	flush(f, ix)

	for _, seed := range []string{
		"chatgpt down", "+chatgpt down -claude", `"is down"`, "lang:fr panne", "落ちてる", "service:claude complaint:true",
		`created_at:>"2024-06-04T15:00:00Z"`, "ch*", "*gpt", "/dow.+/", "/.*/", "down~2", "down~9", "a:b:c", "((", `"`,
		"+", "-", "text:>3", "502 bad gateway", "author:user1*", "^", "\\", "\x00", "\xff", "created_at:<\"x\"",
	} {
		f.Add(seed, 0, 0, int64(0), int64(0), int64(0), false, false, "", "")
	}
	f.Add("down", 5000, 9000, int64(3600), int64(-60), int64(500), true, true, "chatgpt", "en")
	f.Add("", -1, -1, int64(-5), int64(10), int64(5), false, true, "CLAUDE", "fr")

	f.Fuzz(func(t *testing.T, q string, limit, offset int, stepSec, fromMin, toMin int64, newest, complaints bool, svc, lang string) {
		req := outcry.SearchRequest{
			Query: q, Limit: limit, Offset: offset, Newest: newest, ComplaintsOnly: complaints,
			Step: time.Duration(stepSec) * time.Second,
		}
		if fromMin != 0 {
			req.From = t0.Add(time.Duration(fromMin%1_000_000) * time.Minute)
		}
		if toMin != 0 {
			req.To = t0.Add(time.Duration(toMin%1_000_000) * time.Minute)
		}
		if svc != "" {
			req.Services = []string{svc}
		}
		if lang != "" {
			req.Langs = []string{lang}
		}
		// A hang detector (termination, not speed): a search must end.
		wd := time.AfterFunc(30*time.Second, func() { panic(fmt.Sprintf("search did not end: %#v", req)) })
		res, err := ix.Search(t.Context(), req)
		wd.Stop()
		if err != nil {
			if !errors.Is(err, outcry.ErrInvalid) {
				t.Fatalf("Search(%+v): error not ErrInvalid: %v", req, err)
			}
			return
		}
		page := limit
		if page == 0 {
			page = defaultLimit
		}
		if len(res.Hits) > min(page, maxLimit) || uint64(len(res.Hits)) > res.Total {
			t.Fatalf("%d hits for limit %d, total %d", len(res.Hits), limit, res.Total)
		}
		if len(res.Histogram) > maxHistogramBuckets {
			t.Fatalf("%d histogram buckets", len(res.Histogram))
		}
		for name, fc := range res.Facets {
			if len(fc) > facetSize {
				t.Fatalf("facet %s has %d terms", name, len(fc))
			}
		}
		for _, h := range res.Hits {
			last := 0
			for _, s := range h.Highlights {
				if s.Start < last || s.End <= s.Start || s.End > len(h.Post.Text) {
					t.Fatalf("bad highlight %+v in %q", s, h.Post.Text)
				}
				last = s.End
			}
		}
	})
}
