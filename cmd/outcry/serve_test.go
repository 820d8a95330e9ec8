package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/outcry/outcry"
)

// startServeInProcess runs serve in-process on 127.0.0.1:0 (logging at warn unless o
// says otherwise) and returns its base URL and a stop function that cancels it and
// reports how serve returned.
func startServeInProcess(t *testing.T, o serveOptions, getenv func(string) string) (string, func() error) {
	t.Helper()
	if o.logLevel == "" {
		o.logLevel = "warn"
	}
	s := serveForTest(t, o, getenv, 10*time.Second)
	return s.base, s.stop
}

// syncBuffer collects serve's log lines from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func get(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

func TestServeDemoLifecycle(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := t.TempDir()
	base, stop := startServeInProcess(t, serveOptions{
		dataDir: filepath.Join(dir, "demo"), demo: true, demoSpeed: 600, demoFrom: "06:30",
		scenario: "2024-06-04", seed: 1, scale: 0.5,
	}, nil)
	if code := get(t, base+"/healthz", nil); code != 200 {
		t.Fatalf("/healthz: %d", code)
	}
	// The morning ChatGPT outage starts at 06:49 simulated, about 2 s of real time in:
	// the service turns to outage and an incident opens.
	var incs []outcry.Incident
	deadline := time.Now().Add(45 * time.Second)
	for {
		var svcs []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		get(t, base+"/api/v1/services", &svcs)
		st := ""
		for _, s := range svcs {
			if s.ID == "chatgpt" {
				st = s.Status
			}
		}
		incs = nil
		get(t, base+"/api/v1/incidents?service=chatgpt", &incs)
		if st == "outage" && len(incs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo never showed ChatGPT's outage (status %q, %d incidents)", st, len(incs))
		}
		time.Sleep(300 * time.Millisecond)
	}
	if code := get(t, base+"/api/v1/incidents/"+incs[0].ID, nil); code != 200 {
		t.Errorf("incident detail: %d", code)
	}
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(strings.ToLower(string(body)), "simulated") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Error("the demo overview lacks the simulated-data banner or a CSP header")
	}
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	// Every goroutine serve started has ended (allow the HTTP client's idle conns).
	http.DefaultClient.CloseIdleConnections()
	deadline = time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before serve, %d after it returned:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
	// A restart on the same demo directory starts afresh (the demo owns it).
	_, stop = startServeInProcess(t, serveOptions{
		dataDir: filepath.Join(dir, "demo"), demo: true, demoSpeed: 60, demoFrom: "00:00",
		scenario: "2024-06-04", seed: 1, scale: 0.2,
	}, nil)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestServeDemoNeverWipesABusyDirectory: a second demo on the data directory of a
// running one is refused before it deletes anything, whether its port is free or
// taken (it used to wipe the directory first, and the running server crashed).
func TestServeDemoNeverWipesABusyDirectory(t *testing.T) {
	data := filepath.Join(t.TempDir(), "demo")
	base, stop := startServeInProcess(t, serveOptions{
		dataDir: data, demo: true, demoSpeed: 600, demoFrom: "06:30",
		scenario: "2024-06-04", seed: 1, scale: 0.2,
	}, nil)
	defer stop()
	marker := filepath.Join(data, "posts.bleve")
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the running demo has no index: %v", err)
	}
	busy := strings.TrimPrefix(base, "http://")
	for _, addr := range []string{"127.0.0.1:0", busy} {
		code, _, stderr := runCLI(t, "", "serve", "--demo", "--data", data, "--addr", addr)
		if code != 1 {
			t.Fatalf("second demo on %s: exit %d: %s", addr, code, stderr)
		}
		if addr != busy && !strings.Contains(stderr, "in use by another outcry process") {
			t.Errorf("second demo on a free port: %s", stderr)
		}
		if _, err := os.Stat(marker); err != nil {
			t.Fatalf("the second demo (%s) wiped the running one's directory: %v", addr, err)
		}
	}
	if code := get(t, base+"/api/v1/services", nil); code != 200 {
		t.Fatalf("the first demo stopped serving: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatalf("the first demo: %v", err)
	}
}

func TestServeBusyPortFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now()
	code, _, stderr := runCLI(t, "", "serve", "--demo", "--data", t.TempDir()+"/d", "--addr", ln.Addr().String())
	if code != 1 || !strings.Contains(stderr, "cannot listen on "+ln.Addr().String()) {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %s to fail", time.Since(start))
	}
}

// TestServeLiveSources runs serve with a config that points one source of every type at
// local fixture servers, then checks that each ingested and that `outcry sources`
// reports their health from the running server.
func TestServeLiveSources(t *testing.T) {
	fixture := func(path string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", path))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /r/ChatGPT/new/.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(fixture("ingest/rss/testdata/reddit-chatgpt.atom"))
	})
	mux.HandleFunc("GET /history.atom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(fixture("ingest/statuspage/testdata/openai-history.atom"))
	})
	mux.HandleFunc("GET /api/v1/timelines/tag/{tag}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.PathValue("tag") {
		case "chatgpt":
			w.Write(fixture("ingest/mastodon/testdata/tag_chatgpt.json"))
		case "outage":
			w.Write(fixture("ingest/mastodon/testdata/tag_outage.json"))
		default:
			w.Write([]byte("[]"))
		}
	})
	mux.HandleFunc("GET /2/tweets/search/recent", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer test-token" {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(fixture("ingest/twitter/testdata/v2_search_recent.json"))
	})
	mux.HandleFunc("GET /subscribe", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		sc := bufio.NewScanner(bytes.NewReader(fixture("ingest/bluesky/testdata/jetstream.jsonl")))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if err := c.Write(r.Context(), websocket.MessageText, sc.Bytes()); err != nil {
				return
			}
		}
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ws := "ws" + strings.TrimPrefix(srv.URL, "http")

	dir := t.TempDir()
	replayFile := filepath.Join(dir, "replay.jsonl")
	os.WriteFile(replayFile, []byte(`{"id":"r1","text":"Discord is down for me, can't connect","created_at":"2024-06-04T14:20:00Z"}`+"\n"), 0o644)
	cfgPath := filepath.Join(dir, "outcry.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf(`sources:
  - type: rss
    name: reddit-chatgpt
    url: %[1]s/r/ChatGPT/new/.rss
  - type: statuspage
    name: openai-status
    service: chatgpt
    url: %[1]s/history.atom
  - type: mastodon
    name: mastodon-test
    url: %[1]s
    tags: [chatgpt, outage]
  - type: bluesky
    name: bluesky
    url: %[2]s/subscribe
  - type: twitter
    name: x
    api: v2
    url: %[1]s
  - type: replay
    name: replay
    files: [%[3]s]
`, srv.URL, ws, replayFile)), 0o644)
	if _, err := loadConfig(cfgPath); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == envTwitterToken {
			return "test-token"
		}
		return ""
	}
	base, stop := startServeInProcess(t, serveOptions{configPath: cfgPath, dataDir: filepath.Join(dir, "data")}, getenv)
	defer stop()

	var health []outcry.SourceHealth
	deadline := time.Now().Add(30 * time.Second)
	for {
		health = nil
		get(t, base+"/api/v1/sources", &health)
		ok := len(health) == 6
		for _, h := range health {
			ok = ok && h.PostsSeen > 0 && (h.State == outcry.HealthOK || h.Type == "replay")
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not every source ingested within 30s: %+v", health)
		}
		time.Sleep(200 * time.Millisecond)
	}
	stored := int64(0)
	for _, h := range health {
		stored += h.PostsStored
		t.Logf("%-15s %-10s %-8s seen %3d stored %3d %s", h.Name, h.Type, h.State, h.PostsSeen, h.PostsStored, h.Error)
	}
	if stored == 0 {
		t.Error("nothing was stored")
	}
	// The official incidents reached the store.
	var svc map[string]any
	if code := get(t, base+"/api/v1/services/chatgpt", &svc); code != 200 {
		t.Errorf("/api/v1/services/chatgpt: %d", code)
	}

	addr := strings.TrimPrefix(base, "http://")
	code, out, stderr := runCLI(t, "", "sources", "--config", cfgPath, "--addr", addr, "--json")
	if code != 0 {
		t.Fatalf("sources: %d %s", code, stderr)
	}
	var listed []outcry.SourceHealth
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 6 {
		t.Fatalf("outcry sources listed %d sources", len(listed))
	}
	for _, h := range listed {
		if h.State == "not running" {
			t.Errorf("%s: health not read from the server", h.Name)
		}
	}
	code, out, _ = runCLI(t, "", "sources", "--config", cfgPath, "--addr", addr)
	if code != 0 || !strings.Contains(out, "health from the server") || !strings.Contains(out, "reddit-chatgpt") {
		t.Errorf("sources table:\n%s", out)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	// Without the server, the configuration is still listed, honestly.
	code, out, _ = runCLI(t, "", "sources", "--config", cfgPath, "--addr", addr)
	if code != 0 || !strings.Contains(out, "no server answers") {
		t.Errorf("sources without a server:\n%s", out)
	}
}
