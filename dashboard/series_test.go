package dashboard

import (
	"bytes"
	"encoding/json"
	"html"
	"math"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

func TestAggregate(t *testing.T) {
	t0 := at("14:00")
	pt := func(min, count int, base, score float64, st outcry.Status) outcry.Point {
		return outcry.Point{T: t0.Add(time.Duration(min) * time.Minute), Count: count, Authors: count, Baseline: base, Score: score, Status: st}
	}
	type proj struct {
		count int
		base  float64
		score float64
		st    outcry.Status
	}
	tests := []struct {
		name   string
		points []outcry.Point
		step   time.Duration
		n      int
		want   []proj
	}{
		{"empty window fills zeros", nil, 5 * time.Minute, 2, []proj{{0, 0, 0, "ok"}, {0, 0, 0, "ok"}}},
		{"minutes pass through", []outcry.Point{pt(0, 3, 1, 0.1, "ok"), pt(1, 9, 1, 0.9, "outage")}, time.Minute, 2,
			[]proj{{3, 1, 0.1, "ok"}, {9, 1, 0.9, "outage"}}},
		{"sum counts and baselines, max score, worst status", []outcry.Point{pt(0, 1, 0.5, 0.2, "ok"), pt(2, 4, 0.5, 0.7, "degraded"), pt(4, 2, 0.5, 0.4, "ok"), pt(5, 1, 1, 0, "ok")},
			5 * time.Minute, 2, []proj{{7, 1.5, 0.7, "degraded"}, {1, 1, 0, "ok"}}},
		{"outside the window ignored", []outcry.Point{pt(-1, 100, 1, 1, "outage"), pt(10, 100, 1, 1, "outage")}, 5 * time.Minute, 2,
			[]proj{{0, 0, 0, "ok"}, {0, 0, 0, "ok"}}},
		{"garbage sanitised", []outcry.Point{{T: t0, Count: -5, Baseline: nan(), Score: 7, Status: "weird"}}, time.Minute, 1,
			[]proj{{0, 0, 1, "ok"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := aggregate(tt.points, t0, t0.Add(time.Duration(tt.n)*tt.step), tt.step)
			if len(got) != len(tt.want) {
				t.Fatalf("%d points, want %d", len(got), len(tt.want))
			}
			for i, g := range got {
				if p := (proj{g.Count, g.Baseline, g.Score, g.Status}); p != tt.want[i] {
					t.Errorf("[%d] = %+v, want %+v", i, p, tt.want[i])
				}
				if !g.T.Equal(t0.Add(time.Duration(i) * tt.step)) {
					t.Errorf("[%d].T = %s", i, g.T)
				}
			}
		})
	}
}

func nan() float64 { var z float64; return z / z }

func TestStepAndWindow(t *testing.T) {
	now := fakeNow
	q := func(s string) params {
		v, _ := url.ParseQuery(s)
		return params{q: v}
	}
	tests := []struct {
		query    string
		wantStep time.Duration
		wantErr  string
	}{
		{"", time.Minute, ""},
		{"from=2024-06-01T00:00:00Z", 5 * time.Minute, ""},
		{"from=2024-05-10T00:00:00Z", 30 * time.Minute, ""},
		{"step=1h", time.Hour, ""},
		{"step=24h&from=2024-05-05T00:00:00Z", 24 * time.Hour, ""},
		{"step=0", 0, "1m to 24h"},
		{"step=-5m", 0, "1m to 24h"},
		{"step=1m30s", 0, "whole number"},
		{"step=1m&from=2024-05-20T00:00:00Z", 0, "at most"},
	}
	for _, tt := range tests {
		p := q(tt.query)
		from, to, err := p.window(now, 24*time.Hour, 31*24*time.Hour)
		if err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		step, err := p.step(from, to, 10000)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !isInvalid(err) {
				t.Errorf("%s: err %v, want %q wrapping ErrInvalid", tt.query, err, tt.wantErr)
			}
			continue
		}
		if err != nil || step != tt.wantStep {
			t.Errorf("%s: step %v err %v, want %v", tt.query, step, err, tt.wantStep)
		}
		if n := pointCount(from, to, step); n > 10000 {
			t.Errorf("%s: %d points", tt.query, n)
		}
	}
}

func TestAlignWindow(t *testing.T) {
	from, to := alignWindow(at("14:07").Add(13*time.Second), at("15:02"), 15*time.Minute)
	if !from.Equal(at("14:00")) || !to.Equal(at("15:15")) {
		t.Errorf("got %s..%s", from, to)
	}
	from, to = alignWindow(at("14:00"), at("15:00"), 15*time.Minute)
	if !from.Equal(at("14:00")) || !to.Equal(at("15:00")) {
		t.Errorf("aligned window moved: %s..%s", from, to)
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 90 * time.Minute: "1h 30m", 31 * 24 * time.Hour: "31d",
		4*time.Hour + 21*time.Minute: "4h 21m", -10 * time.Minute: "-10m", 26 * time.Hour: "1d 2h", time.Hour: "1h",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestLeadText(t *testing.T) {
	for _, tt := range []struct {
		lead *float64
		want string
	}{
		{nil, "no official incident linked"},
		{fp(960), "the crowd was 16m ahead of the status page"},
		{fp(-300), "the status page was 5m ahead of the crowd"},
		{fp(20), "the crowd and the status page agreed within a minute"},
	} {
		if got := leadText(tt.lead); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestSafeLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/a?b=1":   "https://example.com/a?b=1",
		"http://example.com":          "http://example.com",
		"javascript:alert(1)":         "",
		"JaVaScRiPt:alert(1)":         "",
		" javascript:alert(1)":        "",
		"data:text/html,<script>":     "",
		"//evil.example/x":            "",
		"/relative":                   "",
		"https://user:pw@example.com": "",
		"vbscript:msgbox":             "",
		"":                            "",
	} {
		if got := safeLink(in); got != want {
			t.Errorf("safeLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		text  string
		spans []outcry.Span
		want  string
	}{
		{"chatgpt down", spans(0, 7, 8, 12), "<mark>chatgpt</mark> <mark>down</mark>"},
		{"<b>down</b>", spans(3, 7), "&lt;b&gt;<mark>down</mark>&lt;/b&gt;"},
		{"a & b", nil, "a &amp; b"},
		{"overlap", spans(0, 4, 2, 7), "<mark>over</mark><mark>lap</mark>"},
		{"out of range", spans(-3, 3, 10, 99, 5, 2), "<mark>out</mark> of ran<mark>ge</mark>"},
		{"héllo", spans(2, 3), "h<mark>é</mark>llo"},
		{"落ちてる", spans(3, 6), "落<mark>ち</mark>てる"},
		{"落ちてる", spans(1, 4), "<mark>落ち</mark>てる"},
		{"bad \xff utf8", spans(0, 3), "<mark>bad</mark> \uFFFD utf8"},
	}
	for _, tt := range tests {
		if got := string(highlight(tt.text, tt.spans)); got != tt.want {
			t.Errorf("highlight(%q, %v) = %q, want %q", tt.text, tt.spans, got, tt.want)
		}
	}
}

// FuzzHighlight: whatever the spans, the output is the escaped text with <mark> tags
// and nothing else.
func FuzzHighlight(f *testing.F) {
	f.Add("chatgpt <script>down</script>", 0, 7, 8, 16)
	f.Add("落ちてる & <img onerror=x>", 1, 5, -2, 100)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		out := string(highlight(text, spans(a, b, c, d)))
		stripped := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(out)
		if strings.ContainsAny(stripped, "<>\"") {
			t.Fatalf("unescaped markup in %q", out)
		}
		if got, want := html.UnescapeString(stripped), strings.ToValidUTF8(text, "\uFFFD"); got != want {
			t.Fatalf("text changed: %q != %q", got, want)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out")
		}
		if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
			t.Fatalf("unbalanced marks: %q", out)
		}
	})
}

// FuzzAPIParams: any path and query string gives 200, a redirect on this host (the mux
// cleaning the path) or a 4xx; API paths answer JSON, errors in the error shape with the
// code matching the status; an unknown or non-UTF-8 parameter is never a 200; pages
// carry nothing executable (apiFuzzProblem in hostile_test.go). Never a 500 or a panic.
func FuzzAPIParams(f *testing.F) {
	for _, s := range []string{"from=2024-06-04T14:00:00Z&step=5m", "limit=-1", "q=(x", "step=9999999h", "from=0001-01-01T00:00:00Z", "to=9999-12-31T23:59:59Z",
		"q=chatgpt&offset=9999&limit=1", "q=ch*&lang=fr,en&service=chatgpt&service=claude", "from=2024-06-04T14:00:00%2B99:99", "stp=5m", "q=%ff", "range=30d"} {
		for _, p := range []string{"/api/v1/services/chatgpt/series", "/api/v1/search", "/api/v1/incidents", "/api/v1/events", "/search", "/", "/ui/charts/services/chatgpt"} {
			f.Add(p, s)
		}
	}
	h := newTestServer(newFake()).Handler()
	f.Fuzz(func(t *testing.T, path, query string) {
		if !strings.HasPrefix(path, "/") || !utf8.ValidString(path) {
			return
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.URL = &url.URL{Path: path, RawQuery: query}
		r.RequestURI = r.URL.RequestURI()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if p := apiFuzzProblem(path, query, w); p != "" {
			t.Fatal(p)
		}
	})
}

func spans(v ...int) []outcry.Span {
	var out []outcry.Span
	for i := 0; i+1 < len(v); i += 2 {
		out = append(out, outcry.Span{Start: v[i], End: v[i+1]})
	}
	return out
}

// TestAppendSeriesJSONMatchesEncodingJSON: the hand-written encoder is byte-identical.
func TestAppendSeriesJSONMatchesEncodingJSON(t *testing.T) {
	pts := []seriesPoint{
		{T: at("14:00"), Count: 3, Authors: 2, Baseline: 1.25, Score: 0.5, Status: "ok"},
		{T: at("14:01").In(time.FixedZone("x", 3600)), Count: 0, Baseline: 0, Score: 0, Status: "outage"},
		{T: at("14:02").Add(1500 * time.Millisecond), Count: 1 << 40, Authors: -1, Baseline: 1e-7, Score: 1e22, Status: "degraded"},
		{T: at("14:03"), Baseline: 123456.789, Score: 0.001, Status: "weird"},
	}
	for i := range pts {
		want, err := json.Marshal([]seriesPoint{pts[i]})
		if err != nil {
			t.Fatal(err)
		}
		if pts[i].Status == "weird" {
			want = bytes.Replace(want, []byte(`"weird"`), []byte(`"ok"`), 1)
		}
		if i == 1 {
			want = bytes.Replace(want, []byte("15:01:00+01:00"), []byte("14:01:00Z"), 1)
		}
		got := appendSeriesJSON(nil, pts[i:i+1])
		if string(got) != string(want)+"\n" {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
	if got := string(appendSeriesJSON(nil, nil)); got != "[]\n" {
		t.Errorf("empty: %q", got)
	}
}

// TestAppendFloatMatchesEncodingJSON covers the fast path against encoding/json.
func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	vals := []float64{0, 1, -1, 0.5, 0.001, 0.999, 1.25, 123.456, 1e11 + 0.125, 999999999999.999, 1e12, 1e15, 3.14159, 1e-7, 2.5e21, -0.001, 7.1, 0.1 + 0.2}
	for i := 0; i < 20000; i++ {
		v := float64(i*7919%1000003) / 1000
		vals = append(vals, v, v*1e6, -v, math.Round(v*3.7*1000)/1000)
	}
	for _, v := range vals {
		want, _ := json.Marshal(v)
		if got := appendFloat(nil, v); string(got) != string(want) {
			t.Fatalf("appendFloat(%v) = %s, want %s", v, got, want)
		}
	}
}
