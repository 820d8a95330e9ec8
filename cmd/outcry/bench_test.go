package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/index"
	"github.com/outcry/outcry/ingest"
	"github.com/outcry/outcry/ingest/bluesky"
	"github.com/outcry/outcry/ingest/sim"
)

// jetstreamEvents turns simulated posts into Jetstream commit events. matchEvery > 1 makes
// only one event in matchEvery name a service (a firehose is mostly unrelated chatter).
func jetstreamEvents(b *testing.B, n, matchEvery int) [][]byte {
	b.Helper()
	var posts []outcry.Post
	err := sim.Generate(context.Background(), sim.Config{Scenario: "2024-06-04", Seed: 7, Scale: 2}, func(p outcry.Post) error {
		posts = append(posts, p)
		if len(posts) == n {
			return context.Canceled
		}
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		b.Fatal(err)
	}
	chatter := []string{"lovely morning walk by the river", "new episode tonight, who is watching",
		"just finished my sourdough, look at that crumb", "cannot believe that goal in the 90th minute",
		"reading a great book about the history of maps", "anyone else think mondays are too long"}
	out := make([][]byte, 0, n)
	t0 := int64(1717459200000000)
	for i, p := range posts {
		text := p.Text
		if matchEvery > 1 && i%matchEvery != 0 {
			text = fmt.Sprintf("%s #%d", chatter[i%len(chatter)], i)
		}
		rec, _ := json.Marshal(map[string]any{"$type": "app.bsky.feed.post", "createdAt": p.CreatedAt.Format(time.RFC3339Nano), "langs": []string{p.Lang}, "text": text})
		ev := fmt.Sprintf(`{"did":"did:plc:%s","time_us":%d,"kind":"commit","commit":{"rev":"r%d","operation":"create","collection":"app.bsky.feed.post","rkey":"k%08d","record":%s,"cid":"bafy%d"}}`,
			strings.ToLower(strings.ReplaceAll(p.Author, "_", "")), t0+int64(i), i, i, rec, i)
		out = append(out, []byte(ev))
	}
	return out
}

// BenchmarkJetstreamPipeline streams Jetstream-shaped events from a local websocket server
// through the real adapter, runner, matcher filter and index (durable batches), and
// reports sustained events/s and the peak heap. Two mixes: every event names a service
// (all stored: the worst case for the index) and a firehose-like 1 in 50.
func BenchmarkJetstreamPipeline(b *testing.B) {
	for _, mix := range []struct {
		name       string
		matchEvery int
	}{{"all-match", 1}, {"firehose-2pct", 50}} {
		b.Run(mix.name, func(b *testing.B) {
			const perRun = 40_000
			events := jetstreamEvents(b, perRun, mix.matchEvery)
			matcher, err := detect.NewMatcher(detect.DefaultCatalog())
			if err != nil {
				b.Fatal(err)
			}
			var offset atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := websocket.Accept(w, r, nil)
				if err != nil {
					return
				}
				defer c.CloseNow()
				ctx := c.CloseRead(r.Context())
				base := offset.Load()
				for i, ev := range events {
					// Shift ids per run so each run is new data.
					ev = []byte(strings.Replace(string(ev), `"rkey":"k`, fmt.Sprintf(`"rkey":"r%d-k`, base), 1))
					if c.Write(ctx, websocket.MessageText, ev) != nil {
						return
					}
					_ = i
				}
				<-ctx.Done()
			}))
			defer srv.Close()
			var total time.Duration
			var peak uint64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				offset.Store(int64(i))
				dir := b.TempDir()
				ix, err := openIndex(dir, false, nil)
				if err != nil {
					b.Fatal(err)
				}
				sink := &countingSink{inner: &matchSink{matcher: matcher, index: ix}}
				cfg := bluesky.DefaultConfig()
				cfg.Name, cfg.URL = "bluesky", "ws"+strings.TrimPrefix(srv.URL, "http")
				r := ingest.NewRunner(ingest.DefaultConfig(), sink, ix, ix, nil)
				if err := r.Add(ingest.SourceSpec{Name: "bluesky", Type: "bluesky", Stream: bluesky.New(cfg)}); err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { r.Run(ctx); close(done) }()
				stopPeak := make(chan struct{})
				go func() {
					var ms runtime.MemStats
					t := time.NewTicker(100 * time.Millisecond)
					defer t.Stop()
					for {
						select {
						case <-stopPeak:
							return
						case <-t.C:
							runtime.ReadMemStats(&ms)
							if ms.HeapInuse > peak {
								peak = ms.HeapInuse
							}
						}
					}
				}()
				b.StartTimer()
				start := time.Now()
				for sink.seen.Load() < perRun {
					time.Sleep(5 * time.Millisecond)
				}
				if err := ix.Flush(context.Background()); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				b.StopTimer()
				close(stopPeak)
				cancel()
				<-done
				ix.Close()
			}
			b.ReportMetric(float64(perRun*b.N)/total.Seconds(), "events/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

type countingSink struct {
	inner ingest.Sink
	seen  atomic.Int64
}

func (c *countingSink) AddPosts(ctx context.Context, source string, posts []outcry.Post, cursor string) (int, error) {
	n, err := c.inner.AddPosts(ctx, source, posts, cursor)
	c.seen.Add(int64(len(posts)))
	return n, err
}

// BenchmarkQuery measures `outcry query "chatgpt down"` with a 24 h window over an
// imported data directory (OUTCRY_BENCH_DATA, e.g. a million simulated posts from
// `outcry simulate --scale 16` and `outcry import`); skipped without it. Reports p50/p99.
func BenchmarkQuery(b *testing.B) {
	dir := os.Getenv("OUTCRY_BENCH_DATA")
	if dir == "" {
		b.Skip("set OUTCRY_BENCH_DATA to an imported data directory")
	}
	ix, err := index.Open(dir, index.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Stats(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	to := st.Last.Add(time.Minute)
	req := outcry.SearchRequest{Query: "chatgpt down", From: to.Add(-24 * time.Hour), To: to, Limit: 10, Step: time.Hour, Newest: true}
	lat := make([]time.Duration, 0, b.N)
	var hits uint64
	for b.Loop() {
		start := time.Now()
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		hits = res.Total
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(hits), "hits")
	b.ReportMetric(float64(st.Posts), "posts")
}
