//go:build load

package main

// The load and soak harness (make load, make soak): runs `outcry serve --demo` as a real
// child process with ingest at several hundred posts/s, drives the JSON API from N
// concurrent clients on loopback for a bounded time, and samples the child's RSS,
// goroutines, indexed posts and the API's latency every interval. Figures go to the test
// log and to e2e-artifacts/load-*.csv.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

var metricRE = regexp.MustCompile(`(?m)^(go_goroutines|outcry_posts_indexed_total|process_resident_memory_bytes) ([0-9.e+]+)$`)

func scrape(base string) map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, m := range metricRE.FindAllStringSubmatch(string(b), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		out[m[1]] = v
	}
	return out
}

func rssOf(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func TestLoadAPI(t *testing.T) {
	duration := envDuration("OUTCRY_LOAD_DURATION", 30*time.Second)
	interval := envDuration("OUTCRY_LOAD_INTERVAL", 10*time.Second)
	clients := envInt("OUTCRY_LOAD_CLIENTS", 16)
	speed := os.Getenv("OUTCRY_LOAD_SPEED")
	if speed == "" {
		speed = "360"
	}
	out := os.Getenv("OUTCRY_E2E_OUT")
	if out == "" {
		out = filepath.Join("..", "..", "e2e-artifacts")
	}
	os.MkdirAll(out, 0o755)

	// The test binary is the program (TestMain's child mode).
	base, cmd := startServe(t, os.Args[0], []string{"OUTCRY_TEST_CHILD=1"},
		"--demo", "--demo-speed", speed, "--scale", "2", "--demo-from", "06:00")
	time.Sleep(3 * time.Second) // preload done, ingest running

	var svc []struct{ ID string }
	getJSON(t, context.Background(), base+"/api/v1/services", &svc)
	if len(svc) == 0 {
		t.Fatal("no services")
	}
	paths := []string{"/api/v1/services", "/api/v1/services/chatgpt/series", "/api/v1/services/claude/series?step=5m", "/api/v1/services"}

	type window struct {
		lat    []time.Duration
		errors int
	}
	var mu sync.Mutex
	cur := &window{}
	var total, errs atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	first := scrape(base) // before any client: the goroutine baseline
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := c; ctx.Err() == nil; i++ {
				start := time.Now()
				resp, err := client.Get(base + paths[i%len(paths)])
				ok := err == nil && resp.StatusCode == 200
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if ctx.Err() != nil {
					return
				}
				d := time.Since(start)
				total.Add(1)
				mu.Lock()
				cur.lat = append(cur.lat, d)
				if !ok {
					cur.errors++
					errs.Add(1)
				}
				mu.Unlock()
			}
		}(c)
	}
	csv := []string{"t_seconds,rss_mib,goroutines,indexed_posts,ingest_posts_per_s,requests_per_s,p50_ms,p99_ms,errors"}
	begin := time.Now()
	prevIndexed, prevAt := first["outcry_posts_indexed_total"], begin
	var rss []float64
	var all []time.Duration
	tick := time.NewTicker(interval)
	var lastG float64
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
		mu.Lock()
		w := cur
		cur = &window{}
		mu.Unlock()
		secs := time.Since(prevAt).Seconds()
		if secs < interval.Seconds()/2 {
			all = append(all, w.lat...)
			break // the tail after the last full window: too short to be a sample
		}
		prevAt = time.Now()
		m := scrape(base)
		slices.Sort(w.lat)
		all = append(all, w.lat...)
		p := func(q float64) float64 {
			if len(w.lat) == 0 {
				return 0
			}
			return float64(w.lat[min(len(w.lat)-1, int(q*float64(len(w.lat))))].Microseconds()) / 1000
		}
		r := float64(rssOf(cmd.Process.Pid)) / (1 << 20)
		rss = append(rss, r)
		line := fmt.Sprintf("%.0f,%.1f,%.0f,%.0f,%.0f,%.0f,%.2f,%.2f,%d", time.Since(begin).Seconds(),
			r, m["go_goroutines"], m["outcry_posts_indexed_total"],
			(m["outcry_posts_indexed_total"]-prevIndexed)/secs, float64(len(w.lat))/secs, p(0.5), p(0.99), w.errors)
		prevIndexed = m["outcry_posts_indexed_total"]
		lastG = m["go_goroutines"]
		csv = append(csv, line)
		t.Log(line)
	}
	tick.Stop()
	wg.Wait()
	elapsed := time.Since(begin)
	// Goroutines once the clients are gone and their connections closed: a leak shows
	// as a count that stays above the baseline taken before the load began.
	tr.CloseIdleConnections()
	var after map[string]float64
	for range 20 {
		time.Sleep(250 * time.Millisecond)
		if after = scrape(base); after["go_goroutines"] <= first["go_goroutines"]+2 {
			break
		}
	}
	slices.Sort(all)
	q := func(f float64) time.Duration { return all[min(len(all)-1, int(f*float64(len(all))))] }
	name := fmt.Sprintf("load-%s.csv", time.Now().UTC().Format("20060102-150405"))
	os.WriteFile(filepath.Join(out, name), []byte(strings.Join(csv, "\n")+"\n"), 0o644)
	t.Logf("%d clients, %s: %d requests, %.0f req/s, p50 %s, p99 %s, %d errors; goroutines %.0f before load, %.0f under load, %.0f after; csv %s",
		clients, elapsed.Round(time.Second), total.Load(), float64(total.Load())/elapsed.Seconds(), q(0.5), q(0.99), errs.Load(),
		first["go_goroutines"], lastG, after["go_goroutines"], name)
	if errs.Load() > 0 {
		t.Errorf("%d requests failed", errs.Load())
	}
	if after["go_goroutines"] > first["go_goroutines"]+2 {
		t.Errorf("goroutine leak: %.0f before the load, %.0f after it", first["go_goroutines"], after["go_goroutines"])
	}
	// RSS flat: over a soak (6 samples or more) the last third may not sit well above
	// the first third once the index has warmed up.
	if n := len(rss); n >= 6 {
		early, late := median(rss[:n/3]), median(rss[n-n/3:])
		t.Logf("RSS median %.1f MiB in the first third, %.1f MiB in the last third (max %.1f)", early, late, slices.Max(rss))
		if late > early*1.5 {
			t.Errorf("RSS grew from %.1f to %.1f MiB", early, late)
		}
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
