package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/outcry/outcry"
)

// Run e.g.:
//
//	go test -run '^$' -bench BenchmarkAddPosts -benchtime 100000x ./index
//	OUTCRY_BENCH_POSTS=1000000 go test -run '^$' -bench BenchmarkSearch -benchtime 200x ./index
//
// BenchmarkSearch builds its index once per size under the system temp dir and reuses
// it (delete outcry-index-bench-* there to rebuild).

const benchChunk = 500 // posts per AddPosts call, as an import reading a file would send

var benchEnd = time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC)

// BenchmarkAddPosts measures end-to-end indexing through AddPosts (dedupe, counts,
// stats, cursor, durable batches) with realistic matched posts. Generating the posts
// (about 3 µs each) is timed too, as a producer would be: flushes run in the
// background while the next batch is produced.
func BenchmarkAddPosts(b *testing.B) {
	ix, _ := openTest(b, DefaultConfig())
	g := newPostGen(1, benchEnd.Add(-24*time.Hour), 24*time.Hour, b.N)
	ctx := context.Background()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i += benchChunk {
		posts := g.batch(min(benchChunk, b.N-i))
		if _, err := ix.AddPosts(ctx, "bench", posts, strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/post")
	if got := ix.Indexed(); got != uint64(b.N) {
		b.Fatalf("indexed %d of %d", got, b.N)
	}
}

// BenchmarkBareBleve is the baseline: the same posts' text through a plain Bleve
// batch indexer with a minimal mapping (one text field, standard analyzer, no _all),
// 2000 docs per durable batch, no dedupe or counts.
func BenchmarkBareBleve(b *testing.B) {
	im := mapping.NewIndexMapping()
	dm := mapping.NewDocumentStaticMapping()
	tf := mapping.NewTextFieldMapping()
	tf.Store, tf.IncludeInAll, tf.IncludeTermVectors, tf.DocValues = false, false, false, false
	dm.AddFieldMappingsAt("text", tf)
	im.DefaultMapping = dm
	bl, err := bleve.New(filepath.Join(b.TempDir(), "bare"), im)
	if err != nil {
		b.Fatal(err)
	}
	defer bl.Close()
	g := newPostGen(1, benchEnd.Add(-24*time.Hour), 24*time.Hour, b.N)
	type doc struct {
		Text string `json:"text"`
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	batch := bl.NewBatch()
	for i := 0; i < b.N; i += benchChunk {
		posts := g.batch(min(benchChunk, b.N-i))
		for _, p := range posts {
			if err := batch.Index(p.ID, doc{p.Text}); err != nil {
				b.Fatal(err)
			}
		}
		if batch.Size() >= 2000 {
			if err := bl.Batch(batch); err != nil {
				b.Fatal(err)
			}
			batch.Reset()
		}
	}
	if err := bl.Batch(batch); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/post")
}

// benchIndex opens (building once) an index of n generated posts spread over the
// 24 h before benchEnd, cached under the temp dir.
func benchIndex(b *testing.B, n int) *Index {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("outcry-index-bench-%d-v6", n))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		ix, err := Open(dir, DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		g := newPostGen(7, benchEnd.Add(-24*time.Hour), 24*time.Hour, n)
		for i := 0; i < n; i += benchChunk {
			if _, err := ix.AddPosts(context.Background(), "bench", g.batch(min(benchChunk, n-i)), ""); err != nil {
				b.Fatal(err)
			}
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %d posts in %s", n, time.Since(start).Round(time.Millisecond))
	}
	ix, err := Open(dir, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ix.Close() })
	return ix
}

func benchPosts() int {
	if v, err := strconv.Atoi(os.Getenv("OUTCRY_BENCH_POSTS")); err == nil && v > 0 {
		return v
	}
	return 200_000
}

// BenchmarkSearch: "chatgpt down" over the last 24 h of the whole index (every post is
// in the window), with facets and an hourly histogram, as `outcry query --since 24h`.
func BenchmarkSearch(b *testing.B) {
	n := benchPosts()
	ix := benchIndex(b, n)
	// "now" is not aligned to a minute, as with --since 24h.
	now := benchEnd.Add(-37*time.Minute - 13*time.Second)
	for _, bc := range []struct {
		name string
		req  outcry.SearchRequest
	}{
		{"relevance", outcry.SearchRequest{Query: "chatgpt down"}},
		{"newest", outcry.SearchRequest{Query: "chatgpt down", Newest: true}},
		{"phrase", outcry.SearchRequest{Query: `"is down"`}},
		{"service-complaints", outcry.SearchRequest{Services: []string{"claude"}, ComplaintsOnly: true, Newest: true}},
		{"last-hour", outcry.SearchRequest{Query: "chatgpt down", From: now.Add(-time.Hour), Step: time.Minute}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := bc.req
			if req.From.IsZero() {
				req.From, req.Step = now.Add(-24*time.Hour), time.Hour
			}
			req.To = now
			lat := make([]time.Duration, 0, b.N)
			var total uint64
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				res, err := ix.Search(context.Background(), req)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				total = res.Total
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
			b.ReportMetric(float64(total), "hits")
			b.ReportMetric(ms(cpuTime()-cpu0)/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user+system CPU time. Generating posts is included in
// both indexing benchmarks alike; it is small next to indexing.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkCounts reads 30 days of one service's per-minute counts (43,200 buckets),
// from the cache (warm) and from the stored documents (cold).
func BenchmarkCounts(b *testing.B) {
	ix, _ := openTest(b, DefaultConfig())
	from := benchEnd.Add(-30 * 24 * time.Hour)
	g := newPostGen(3, from, 30*24*time.Hour, 60_000)
	for i := 0; i < 60_000; i += benchChunk {
		if _, err := ix.AddPosts(context.Background(), "bench", g.batch(benchChunk), ""); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, cold := range []bool{false, true} {
		b.Run(map[bool]string{false: "warm", true: "cold"}[cold], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if cold {
					b.StopTimer()
					ix.counts.mu.Lock()
					ix.counts.days = newLRU[dayKey, *dayCounts](dayCacheSize)
					ix.counts.mu.Unlock()
					b.StartTimer()
				}
				bs, err := ix.Counts(context.Background(), "chatgpt", from, benchEnd)
				if err != nil || len(bs) != 30*minutesPerDay {
					b.Fatal(len(bs), err)
				}
			}
		})
	}
}
