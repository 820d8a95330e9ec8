package dashboard

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcry/outcry"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// do runs one request through the full handler.
func do(t testing.TB, h http.Handler, method, target string, mod ...func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for _, m := range mod {
		m(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// golden compares a JSON body with testdata/name.golden.json (indented, so diffs read well).
func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", name, err, body)
	}
	got, _ := json.MarshalIndent(v, "", "  ")
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (rerun with -update if intended)\n--- got\n%s", name, path, got)
	}
}

// TestAPIShapes pins one golden file per response shape.
func TestAPIShapes(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	tests := []struct{ name, target string }{
		{"services", "/api/v1/services"},
		{"service", "/api/v1/services/chatgpt"},
		{"series", "/api/v1/services/chatgpt/series?from=2024-06-04T14:00:00Z&to=2024-06-04T15:00:00Z&step=15m"},
		{"series_minutes", "/api/v1/services/claude/series?from=2024-06-04T14:50:00Z&to=2024-06-04T14:55:00Z"},
		{"incidents", "/api/v1/incidents"},
		{"incidents_open_claude", "/api/v1/incidents?service=claude&state=open"},
		{"incidents_page", "/api/v1/incidents?limit=1&offset=1"},
		{"incident", "/api/v1/incidents/chatgpt-20240604-1414"},
		{"incident_resolved", "/api/v1/incidents/chatgpt-20240604-0649"},
		{"events", "/api/v1/events"},
		{"event", "/api/v1/events/ev-20240604-1414"},
		{"search", "/api/v1/search?q=chatgpt+down&from=2024-06-04T15:00:00Z&to=2024-06-04T16:00:00Z&step=30m"},
		{"search_empty", "/api/v1/search?q=nothingmatches&service=github"},
		{"sources", "/api/v1/sources"},
		{"healthz", "/healthz"},
		{"error_invalid", "/api/v1/services/chatgpt/series?step=30s"},
		{"error_not_found", "/api/v1/incidents/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, h, "GET", tt.target)
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if strings.Contains(w.Body.String(), "null") && !strings.HasPrefix(tt.name, "incident") && tt.name != "service" && tt.name != "services" {
				t.Errorf("body has null: %s", w.Body)
			}
			golden(t, tt.name, w.Body.Bytes())
		})
	}
}

// TestAPIEmptyListsAreArrays checks [] (never null) with a backend that returns nils.
func TestAPIEmptyListsAreArrays(t *testing.T) {
	f := newFake()
	f.incs, f.events, f.official, f.posts, f.health = nil, nil, nil, nil, nil
	f.current = nil
	h := newTestServer(f).Handler()
	for _, target := range []string{"/api/v1/incidents", "/api/v1/events", "/api/v1/sources",
		"/api/v1/services/chatgpt", "/api/v1/search?q=x"} {
		w := do(t, h, "GET", target)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
		body := w.Body.String()
		for _, bad := range []string{`"incidents":null`, `"official":null`, `"hits":null`, `"buckets":null`, `"aliases":null`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: %s in %s", target, bad, body)
			}
		}
		if (target == "/api/v1/incidents" || target == "/api/v1/events" || target == "/api/v1/sources") && strings.TrimSpace(body) != "[]" {
			t.Errorf("%s: want [], got %s", target, body)
		}
	}
}

func TestAPIErrors(t *testing.T) {
	f := newFake()
	srv := newTestServer(f)
	h := srv.Handler()
	long := strings.Repeat("a", 9000)
	tests := []struct {
		name, method, target string
		mod                  func(*http.Request)
		status               int
		code                 string
		msgHas               string
	}{
		{"bad from", "GET", "/api/v1/services/chatgpt/series?from=yesterday", nil, 400, "invalid", `"from"`},
		{"from after to", "GET", "/api/v1/services/chatgpt/series?from=2024-06-04T15:00:00Z&to=2024-06-04T14:00:00Z", nil, 400, "invalid", "before to"},
		{"range too long", "GET", "/api/v1/services/chatgpt/series?from=2024-01-01T00:00:00Z&to=2024-06-04T00:00:00Z", nil, 400, "invalid", "31d"},
		{"step not a duration", "GET", "/api/v1/services/chatgpt/series?step=often", nil, 400, "invalid", `"step"`},
		{"step below a minute", "GET", "/api/v1/services/chatgpt/series?step=30s", nil, 400, "invalid", "1m to 24h"},
		{"step above a day", "GET", "/api/v1/services/chatgpt/series?step=48h", nil, 400, "invalid", "1m to 24h"},
		{"step not whole minutes", "GET", "/api/v1/services/chatgpt/series?step=90s", nil, 400, "invalid", "whole number"},
		{"too many points", "GET", "/api/v1/services/chatgpt/series?from=2024-05-05T00:00:00Z&to=2024-06-04T00:00:00Z&step=1m", nil, 400, "invalid", "at most 10000"},
		{"unknown parameter", "GET", "/api/v1/services/chatgpt/series?stp=5m", nil, 400, "invalid", "unknown parameter"},
		{"repeated parameter", "GET", "/api/v1/incidents?state=open&state=resolved", nil, 400, "invalid", "more than once"},
		{"parameter on a list without any", "GET", "/api/v1/services?x=1", nil, 400, "invalid", "unknown parameter"},
		{"bad state", "GET", "/api/v1/incidents?state=closed", nil, 400, "invalid", "open or resolved"},
		{"bad service filter", "GET", "/api/v1/incidents?service=../etc", nil, 400, "invalid", "service"},
		{"unknown service filter", "GET", "/api/v1/incidents?service=nope", nil, 400, "invalid", `unknown service "nope"`},
		{"unknown search service", "GET", "/api/v1/search?q=x&service=chatgpt&service=nope", nil, 400, "invalid", `unknown service "nope"`},
		{"limit zero", "GET", "/api/v1/incidents?limit=0", nil, 400, "invalid", "1 to 1000"},
		{"limit negative", "GET", "/api/v1/incidents?limit=-5", nil, 400, "invalid", "1 to 1000"},
		{"limit huge", "GET", "/api/v1/incidents?limit=99999999999999999999", nil, 400, "invalid", "1 to 1000"},
		{"offset negative", "GET", "/api/v1/events?offset=-1", nil, 400, "invalid", "offset"},
		{"search without q", "GET", "/api/v1/search", nil, 400, "invalid", "required"},
		{"search q too long", "GET", "/api/v1/search?q=" + strings.Repeat("x", 1025), nil, 400, "invalid", "1024 bytes"},
		{"search bad sort", "GET", "/api/v1/search?q=a&sort=oldest", nil, 400, "invalid", "relevance or newest"},
		{"search deep page", "GET", "/api/v1/search?q=a&offset=9990&limit=50", nil, 400, "invalid", "offset+limit"},
		{"search bad complaints", "GET", "/api/v1/search?q=a&complaints=maybe", nil, 400, "invalid", "true or false"},
		{"search query rejected by index", "GET", "/api/v1/search?q=%28chatgpt", nil, 400, "invalid", "unbalanced"},
		{"invalid utf8 parameter", "GET", "/api/v1/search?q=%ff", nil, 400, "invalid", "UTF-8"},
		{"unknown service", "GET", "/api/v1/services/nope/series", nil, 404, "not_found", `"nope"`},
		{"disabled service", "GET", "/api/v1/services/oldsvc", nil, 404, "not_found", "oldsvc"},
		{"unknown incident", "GET", "/api/v1/incidents/nope", nil, 404, "not_found", "nope"},
		{"traversal incident id", "GET", "/api/v1/incidents/..%2f..%2fetc%2fpasswd", nil, 404, "not_found", ""},
		{"unknown event", "GET", "/api/v1/events/nope", nil, 404, "not_found", "nope"},
		{"unknown route", "GET", "/api/v1/nothing", nil, 404, "not_found", "no such route"},
		{"unknown version", "GET", "/api/v2/services", nil, 404, "not_found", "no such route"},
		{"POST", "POST", "/api/v1/services", nil, 405, "method_not_allowed", "use GET"},
		{"DELETE incident", "DELETE", "/api/v1/incidents/x", nil, 405, "method_not_allowed", "use GET"},
		{"body", "GET", "/api/v1/services", func(r *http.Request) {
			r.Body = httpBody("{}")
			r.ContentLength = 2
		}, 413, "too_large", "bodies"},
		{"chunked body", "POST", "/api/v1/services", func(r *http.Request) {
			r.Body = httpBody("{}")
			r.TransferEncoding = []string{"chunked"}
		}, 413, "too_large", "bodies"},
		{"long URL", "GET", "/api/v1/search?q=" + long, nil, 414, "uri_too_long", "8192"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, h, tt.method, tt.target, func(r *http.Request) {
				if tt.mod != nil {
					tt.mod(r)
				}
			})
			checkError(t, w, tt.status, tt.code, tt.msgHas)
			if tt.status == 405 && w.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", w.Header().Get("Allow"))
			}
		})
	}

	t.Run("internal error is logged, not leaked", func(t *testing.T) {
		f.mu.Lock()
		f.fail = errBackend
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.fail = nil; f.mu.Unlock() }()
		for _, target := range []string{"/api/v1/incidents", "/api/v1/services/chatgpt/series", "/api/v1/search?q=a", "/api/v1/events", "/api/v1/incidents/x"} {
			w := do(t, h, "GET", target)
			checkError(t, w, 500, "internal", "internal error")
			if strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "bolt") {
				t.Errorf("%s leaks details: %s", target, w.Body)
			}
		}
	})

	t.Run("search not wired is 503", func(t *testing.T) {
		d := fakeDeps(newFake())
		d.Search = nil
		w := do(t, New(testConfig(), d, nil).Handler(), "GET", "/api/v1/search?q=a")
		checkError(t, w, 503, "unavailable", "search")
	})

	t.Run("not found wraps ErrNotFound from the store", func(t *testing.T) {
		w := do(t, h, "GET", "/api/v1/events/ev-unknown")
		checkError(t, w, 404, "not_found", "ev-unknown")
	})
}

func checkError(t *testing.T, w *httptest.ResponseRecorder, status int, code, msgHas string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	var e errorBody
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body is not {\"error\":{...}}: %v", err)
	}
	if e.Error.Code != code {
		t.Errorf("code %q, want %q", e.Error.Code, code)
	}
	if e.Error.Message == "" || !strings.Contains(e.Error.Message, msgHas) {
		t.Errorf("message %q does not contain %q", e.Error.Message, msgHas)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
}

// TestParamErrorsWrapErrInvalid keeps the 400 mapping honest.
func TestParamErrorsWrapErrInvalid(t *testing.T) {
	var err error = &paramError{Param: "from", Msg: "bad"}
	if !isInvalid(err) {
		t.Fatal("paramError does not wrap outcry.ErrInvalid")
	}
}

func isInvalid(err error) bool { return errorsIs(err, outcry.ErrInvalid) }

func TestIncidentOrderAndFilters(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	var list []outcry.Incident
	w := do(t, h, "GET", "/api/v1/incidents?from=2024-06-04T12:00:00Z&to=2024-06-04T16:00:00Z")
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
		t.Fatal(err, w.Body)
	}
	var ids []string
	for _, inc := range list {
		ids = append(ids, inc.ID)
	}
	want := "claude-20240604-1453 perplexity-20240604-1430 chatgpt-20240604-1414"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("got %s, want %s (newest first, morning incident excluded)", got, want)
	}
}
