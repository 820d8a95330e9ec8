package dashboard

import (
	"regexp"
	"strings"
	"testing"
)

func TestMetrics(t *testing.T) {
	f := newFake()
	h := newTestServer(f).Handler()
	do(t, h, "GET", "/api/v1/services/chatgpt/series")
	do(t, h, "GET", "/api/v1/services/claude/series")
	do(t, h, "GET", "/api/v1/incidents/nope")
	do(t, h, "POST", "/api/v1/services")
	w := do(t, h, "GET", "/metrics")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		`outcry_service_status{service="chatgpt"} 2`,
		`outcry_service_status{service="perplexity"} 1`,
		`outcry_service_status{service="github"} 0`,
		`outcry_service_score{service="chatgpt"} 0.999`,
		`outcry_service_baseline{service="claude"} 0.8`,
		`outcry_service_complaints_per_minute{service="chatgpt"} 42`,
		`outcry_open_incidents{service="claude"} 1`,
		`outcry_open_incidents{service="github"} 0`,
		`outcry_complaints_total{service="chatgpt"} 5600`,
		`outcry_mentions_total{service="chatgpt"} 9000`,
		`outcry_source_up{source="openai-status",type="statuspage"} 0`,
		`outcry_source_consecutive_failures{source="openai-status"} 7`,
		`outcry_source_backoff_seconds{source="openai-status"} 300`,
		`outcry_source_posts_total{source="bluesky"} 0`,
		`outcry_posts_indexed_total 123456`,
		`outcry_webhook_deliveries_total{result="delivered"} 12`,
		`outcry_webhook_deliveries_total{result="failed"} 1`,
		`outcry_webhook_pending 2`,
		`outcry_build_info{version="test"} 1`,
		`outcry_scrape_errors{part="incidents"} 0`,
		`# TYPE outcry_complaints_total counter`,
		`# TYPE outcry_service_status gauge`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want+"\n") && !strings.Contains(body, want) {
			t.Errorf("missing %q", want)
		}
	}
	// Request histograms are labelled by route pattern, never by raw path.
	for _, want := range []string{
		`outcry_http_request_duration_seconds_count{code="200",method="GET",route="GET /api/v1/services/{id}/series"} 2`,
		`outcry_http_request_duration_seconds_count{code="404",method="GET",route="GET /api/v1/incidents/{id}"} 1`,
		`outcry_http_request_duration_seconds_count{code="405",method="other",route="GET /api/v1/services"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q", want)
		}
	}
	if regexp.MustCompile(`route="[^"]*(chatgpt|claude|nope)`).MatchString(body) {
		t.Error("raw path in a route label")
	}
	if strings.Contains(body, "disabled") && strings.Contains(body, `service="oldsvc"`) {
		t.Error("disabled service exported")
	}

	// A failing backend shows up as scrape errors, not as a failed scrape.
	f.mu.Lock()
	f.fail = errBackend
	f.mu.Unlock()
	w = do(t, h, "GET", "/metrics")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `outcry_scrape_errors{part="incidents"} 1`) {
		t.Errorf("scrape with failing backend: %d\n%s", w.Code, grep(w.Body.String(), "outcry_scrape"))
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestMetricsRegistryIsPrivate: two servers do not share collectors.
func TestMetricsRegistryIsPrivate(t *testing.T) {
	a, b := newTestServer(newFake()), newTestServer(newFake())
	if a.Registry() == b.Registry() {
		t.Fatal("shared registry")
	}
	do(t, a.Handler(), "GET", "/api/v1/services")
	if strings.Contains(do(t, b.Handler(), "GET", "/metrics").Body.String(), `route="GET /api/v1/services"`) {
		t.Error("b saw a's request")
	}
}
