package detect

import (
	"slices"
	"testing"

	"github.com/outcry/outcry"
)

func TestZZStats(t *testing.T) {
	m := newTestMatcher(t)
	t.Logf("patterns %d states %d classes %d table %d KB", len(m.pats), m.auto.states(), m.auto.nc, len(m.auto.delta)*4/1024)
	sc := &matchScratch{svcs: make([]matchSvc, 100)}
	posts := benchPosts(t)
	hits, cands, items, bytes := 0, 0, 0, 0
	for _, p := range posts {
		m.scan(sc, p)
		hits += len(sc.hits)
		cands += len(sc.cands)
		items += len(sc.items)
		bytes += len(sc.text.b)
		for _, s := range sc.touched {
			sc.svcs[s] = matchSvc{}
		}
		sc.touched = sc.touched[:0]
	}
	n := len(posts)
	t.Logf("per post: bytes %d hits %.1f cands %.1f items %.1f", bytes/n, float64(hits)/float64(n), float64(cands)/float64(n), float64(items)/float64(n))
	_ = outcry.Post{}
}

func TestZZHits(t *testing.T) {
	m := newTestMatcher(t)
	sc := &matchScratch{svcs: make([]matchSvc, 100)}
	cnt := map[string]int{}
	for _, p := range benchPosts(t) {
		sc.text.normalize(p)
		sc.hits = m.auto.scanAll(sc.text.b, sc.hits[:0])
		for _, h := range sc.hits {
			cnt[string(sc.text.b[h.start:h.end])]++
		}
	}
	type kv struct {
		k string
		v int
	}
	var l []kv
	for k, v := range cnt {
		l = append(l, kv{k, v})
	}
	slices.SortFunc(l, func(a, b kv) int { return b.v - a.v })
	t.Log(l[:40])
}

func BenchmarkZZScan(b *testing.B) {
	m := newTestMatcher(b)
	posts := benchPosts(b)
	var ts []matchText
	for _, p := range posts {
		var t matchText
		t.normalize(p)
		ts = append(ts, t)
	}
	var hits []matchHit
	i := 0
	for b.Loop() {
		hits = m.auto.scanAll(ts[i].b, hits[:0])
		if i++; i == len(ts) {
			i = 0
		}
	}
}

func BenchmarkZZNormalize(b *testing.B) {
	posts := benchPosts(b)
	var t matchText
	i := 0
	for b.Loop() {
		t.normalize(posts[i])
		if i++; i == len(posts) {
			i = 0
		}
	}
}
