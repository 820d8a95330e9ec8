package dashboard

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

func benchHandler(b *testing.B, target string) {
	h := newTestServer(newFake()).Handler()
	if w := do(b, h, "GET", target); w.Code != 200 {
		b.Fatalf("%s: %d", target, w.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
			if w.Code != 200 {
				b.Errorf("%d", w.Code)
				return
			}
		}
	})
}

func BenchmarkAPIServices(b *testing.B) { benchHandler(b, "/api/v1/services") }

// BenchmarkAPISeries: one day of minute points (1440) through aggregation and JSON.
func BenchmarkAPISeries(b *testing.B) { benchHandler(b, "/api/v1/services/chatgpt/series") }

func BenchmarkAPISeries7d(b *testing.B) {
	benchHandler(b, "/api/v1/services/chatgpt/series?from=2024-05-28T16:00:00Z&step=10m")
}

func BenchmarkPageOverview(b *testing.B) { benchHandler(b, "/") }

func BenchmarkMetricsScrape(b *testing.B) { benchHandler(b, "/metrics") }

// BenchmarkLoopback drives a real http.Server on 127.0.0.1 with 32 keep-alive clients
// alternating /api/v1/services and a 24 h series, and reports requests/s and latency
// percentiles. The backend is the in-memory fake, so this measures the HTTP layer.
func BenchmarkLoopback(b *testing.B) {
	srv := newTestServer(newFake())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	}()
	base := "http://" + ln.Addr().String()
	targets := []string{base + "/api/v1/services", base + "/api/v1/services/chatgpt/series"}
	const workers = 32
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}

	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	next := make(chan int, workers)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := range next {
				t := time.Now()
				resp, err := client.Get(targets[i%len(targets)])
				if err != nil {
					bad++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad++
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	for i := 0; i < b.N; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if errs > 0 {
		b.Errorf("%d errors", errs)
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
