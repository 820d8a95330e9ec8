package index

import (
	"context"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// openTest opens an index in a fresh temporary directory, closed at cleanup.
func openTest(t testing.TB, cfg Config) (*Index, string) {
	t.Helper()
	dir := t.TempDir()
	ix, err := Open(dir, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix, dir
}

// testConfig keeps the background flusher out of the way: tests flush explicitly.
func testConfig() Config {
	cfg := DefaultConfig()
	cfg.FlushInterval = time.Hour
	return cfg
}

var t0 = time.Date(2024, 6, 4, 14, 0, 0, 0, time.UTC)

type postOpt func(*outcry.Post)

func complaint(svcs ...string) postOpt {
	return func(p *outcry.Post) { p.Complaint = true; p.Affected = svcs }
}

func recovery(svcs ...string) postOpt {
	return func(p *outcry.Post) { p.Recovery = true; p.Affected = svcs }
}

func lang(l string) postOpt         { return func(p *outcry.Post) { p.Lang = l } }
func source(s string) postOpt       { return func(p *outcry.Post) { p.Source = s } }
func problems(ps ...string) postOpt { return func(p *outcry.Post) { p.Problems = ps } }
func switching() postOpt            { return func(p *outcry.Post) { p.Switching = true } }

func post(id, author string, at time.Time, text string, services []string, opts ...postOpt) outcry.Post {
	p := outcry.Post{ID: id, Source: "test", Author: author, Text: text, Lang: "en", CreatedAt: at, Services: services}
	for _, o := range opts {
		o(&p)
	}
	return p
}

func add(t testing.TB, ix *Index, posts ...outcry.Post) int {
	t.Helper()
	n, err := ix.AddPosts(context.Background(), "test", posts, "")
	if err != nil {
		t.Fatalf("AddPosts: %v", err)
	}
	return n
}

func flush(t testing.TB, ix *Index) {
	t.Helper()
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}
