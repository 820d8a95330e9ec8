package statuspage

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// fixtures maps each fixture to the URL it would be polled at and the service it feeds.
var fixtures = map[string]struct{ url, service string }{
	"openai-history.atom":          {"https://status.openai.com/history.atom", "chatgpt"},
	"anthropic-history.rss":        {"https://status.anthropic.com/history.rss", "claude"},
	"statuspage-incidents.json":    {"https://status.anthropic.com/api/v2/incidents.json", "claude"},
	"statuspage-maintenances.json": {"https://www.githubstatus.com/api/v2/scheduled-maintenances.json", "github"},
	"incidentio-feed.rss":          {"https://status.openai.com/feed.rss", "chatgpt"},
	"incidentio-feed.atom":         {"https://status.openai.com/feed.atom", "chatgpt"},
	"incidentio-proxy.json":        {"https://status.openai.com/proxy/status.openai.com", "chatgpt"},
	"instatus-history.atom":        {"https://status.perplexity.com/history.atom", "perplexity"},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sourceName(fixture string) string {
	return strings.TrimSuffix(fixture, filepath.Ext(fixture))
}

func parseFixture(t *testing.T, name string) []outcry.OfficialIncident {
	t.Helper()
	fx := fixtures[name]
	incs, err := Parse(sourceName(name), fx.service, fx.url, readFixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, in := range incs {
		checkIncident(t, sourceName(name), in)
	}
	return incs
}

func byID(t *testing.T, incs []outcry.OfficialIncident, id string) outcry.OfficialIncident {
	t.Helper()
	for _, in := range incs {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("no incident %q in %d incidents", id, len(incs))
	return outcry.OfficialIncident{}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func statuses(in outcry.OfficialIncident) string {
	var s []string
	for _, u := range in.Updates {
		s = append(s, u.Status)
	}
	return strings.Join(s, ",")
}

func endOf(in outcry.OfficialIncident) time.Time {
	if in.End == nil {
		return time.Time{}
	}
	return *in.End
}

// checkIncident asserts the invariants of every parsed incident.
func checkIncident(t *testing.T, name string, in outcry.OfficialIncident) {
	t.Helper()
	if !strings.HasPrefix(in.ID, name+":") || len(in.ID) == len(name)+1 || in.Source != name {
		t.Fatalf("bad id/source: %q %q", in.ID, in.Source)
	}
	if in.Start.Location() != time.UTC {
		t.Fatalf("%s: start not UTC", in.ID)
	}
	if in.Resolved != (in.End != nil) {
		t.Fatalf("%s: resolved=%v but end=%v", in.ID, in.Resolved, in.End)
	}
	if in.End != nil && in.End.Before(in.Start) {
		t.Fatalf("%s: end %v before start %v", in.ID, in.End, in.Start)
	}
	if in.Updates == nil {
		t.Fatalf("%s: nil updates", in.ID)
	}
	for i, u := range in.Updates {
		if i > 0 && u.At.Before(in.Updates[i-1].At) {
			t.Fatalf("%s: updates out of order", in.ID)
		}
		if !u.At.IsZero() && u.At.Before(in.Start) && in.Impact != "maintenance" {
			t.Fatalf("%s: update at %v before start %v", in.ID, u.At, in.Start)
		}
		if !utf8.ValidString(u.Body) || u.Status != strings.ToLower(u.Status) || strings.Contains(u.Status, " ") {
			t.Fatalf("%s: bad update %+v", in.ID, u)
		}
	}
	if in.URL != "" && !strings.HasPrefix(in.URL, "http") {
		t.Fatalf("%s: url %q", in.ID, in.URL)
	}
}

func TestGolden(t *testing.T) {
	for name := range fixtures {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(parseFixture(t, name), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("incidents differ from %s (run with -update to accept):\n%s", golden, got)
			}
		})
	}
}

func TestStatuspageAtom(t *testing.T) {
	incs := parseFixture(t, "openai-history.atom")
	if len(incs) != 4 {
		t.Fatalf("%d incidents", len(incs))
	}
	night := byID(t, incs, "openai-history:rs49lmsh6xxw")
	if !night.Start.Equal(utc("2024-06-04T07:21:00Z")) || !endOf(night).Equal(utc("2024-06-04T11:45:00Z")) || !night.Resolved ||
		statuses(night) != "investigating,identified,monitoring,resolved" || night.Service != "chatgpt" ||
		night.URL != "https://status.openai.com/incidents/rs49lmsh6xxw" || night.Title != "ChatGPT is unavailable for some users." {
		t.Errorf("night incident = %+v", night)
	}
	if night.Updates[1].Body != "Identified the issue and mitigating." {
		t.Errorf("update body = %q", night.Updates[1].Body)
	}
	day := byID(t, incs, "openai-history:qvp3rhvc3vwk")
	// The postmortem a week later neither reopens the incident nor moves its end.
	if statuses(day) != "investigating,resolved,postmortem" || !endOf(day).Equal(utc("2024-06-04T17:17:00Z")) ||
		!day.Updates[2].At.Equal(utc("2024-06-11T19:57:00Z")) {
		t.Errorf("day incident = %s end %v", statuses(day), endOf(day))
	}
	if !strings.Contains(day.Updates[1].Body, "This incident started June 4th at 2:15p GMT") || strings.Contains(day.Updates[1].Body, "<br") {
		t.Errorf("resolved body = %q", day.Updates[1].Body)
	}
	if incs[0].ID != "openai-history:rw6cy1k95c57" {
		t.Errorf("not sorted by start: first is %s", incs[0].ID)
	}
}

func TestStatuspageRSS(t *testing.T) {
	incs := parseFixture(t, "anthropic-history.rss")
	claude := byID(t, incs, "anthropic-history:gm6vlw4gc377")
	if !claude.Start.Equal(utc("2024-06-04T14:53:00Z")) || !endOf(claude).Equal(utc("2024-06-04T16:45:00Z")) || statuses(claude) != "investigating,resolved" {
		t.Errorf("claude incident = %+v", claude)
	}
	vertex := byID(t, incs, "anthropic-history:ysbg73gy3ctm")
	if !vertex.Start.Equal(utc("2024-06-04T21:00:00Z")) || !endOf(vertex).Equal(vertex.Start) {
		t.Errorf("retroactive one-post incident = %+v", vertex)
	}
	opus := byID(t, incs, "anthropic-history:95hjzp5m60n8")
	if !strings.Contains(opus.Updates[0].Body, "Claude 3 Opus & are working") {
		t.Errorf("entities not decoded: %q", opus.Updates[0].Body)
	}
}

func TestStatuspageJSON(t *testing.T) {
	incs := parseFixture(t, "statuspage-incidents.json")
	open := byID(t, incs, "statuspage-incidents:xk8h2m4r9c1p")
	if open.Resolved || open.End != nil || open.Impact != "minor" || statuses(open) != "investigating,identified" ||
		!open.Start.Equal(utc("2024-06-05T09:12:44.073Z")) || open.URL != "https://status.anthropic.com/incidents/xk8h2m4r9c1p" {
		t.Errorf("open incident = %+v", open)
	}
	claude := byID(t, incs, "statuspage-incidents:gm6vlw4gc377")
	if !claude.Resolved || claude.Impact != "major" || !endOf(claude).Equal(utc("2024-06-04T16:45:19.884Z")) {
		t.Errorf("resolved incident = %+v", claude)
	}
	m := parseFixture(t, "statuspage-maintenances.json")
	if len(m) != 1 || m[0].Impact != "maintenance" || !m[0].Resolved || statuses(m[0]) != "scheduled,in_progress,completed" ||
		!m[0].Start.Equal(utc("2024-06-04T04:00:00Z")) || !endOf(m[0]).Equal(utc("2024-06-04T06:00:11Z")) {
		t.Errorf("maintenance = %+v", m)
	}
}

func TestIncidentIO(t *testing.T) {
	rssIncs := parseFixture(t, "incidentio-feed.rss")
	open := byID(t, rssIncs, "incidentio-feed:01KHY00XYAFYH5K0JKCTVJVWAE")
	// Start comes from the ULID: the feed only dates the latest update.
	if open.Resolved || open.Impact != "major" || !open.Start.Equal(utc("2026-02-20T17:02:11.402Z")) ||
		statuses(open) != "identified" || !open.Updates[0].At.Equal(utc("2026-02-20T17:24:48Z")) ||
		open.URL != "https://status.openai.com/incidents/01KHY00XYAFYH5K0JKCTVJVWAE" ||
		open.Updates[0].Body != "We have identified the cause of elevated error rates for ChatGPT conversations and are working on a mitigation." {
		t.Errorf("open incident.io incident = %+v", open)
	}
	sora := byID(t, rssIncs, "incidentio-feed:01KHRP7P1JFK6SY9541SJ3EQHB")
	if !sora.Resolved || !sora.Start.Equal(utc("2026-02-18T15:34:54.770Z")) || !endOf(sora).Equal(utc("2026-02-18T16:40:22Z")) || sora.Impact != "" {
		t.Errorf("resolved incident.io incident = %+v", sora)
	}
	atomIncs := parseFixture(t, "incidentio-feed.atom")
	codex := byID(t, atomIncs, "incidentio-feed:01KHTFG42PKG252XHYN9C4TCWH")
	if !codex.Start.Equal(utc("2026-02-19T08:15:40Z")) || !endOf(codex).Equal(utc("2026-02-19T10:02:37Z")) {
		t.Errorf("atom incident.io incident = %+v", codex)
	}
	if voice := byID(t, atomIncs, "incidentio-feed:01KHXYRD6ZBPVMCM63EHF7NBJX"); voice.Impact != "critical" || voice.Resolved {
		t.Errorf("full outage = %+v", voice)
	}
	proxy := parseFixture(t, "incidentio-proxy.json")
	if len(proxy) != 1 || statuses(proxy[0]) != "investigating,identified" || proxy[0].Impact != "major" ||
		!proxy[0].Start.Equal(utc("2026-02-20T17:02:11.402Z")) || proxy[0].Resolved ||
		proxy[0].URL != "https://status.openai.com/incidents/01KHY00XYAFYH5K0JKCTVJVWAE" {
		t.Errorf("proxy incident = %+v", proxy)
	}
}

func TestInstatus(t *testing.T) {
	incs := parseFixture(t, "instatus-history.atom")
	conn := byID(t, incs, "instatus-history:cmq08wkuw02waqmn6yt1kdgej")
	if statuses(conn) != "investigating,monitoring,resolved" || !conn.Start.Equal(utc("2026-06-04T21:10:00Z")) ||
		!conn.Updates[1].At.Equal(utc("2026-06-04T23:42:00Z")) || !endOf(conn).Equal(utc("2026-06-05T01:00:00Z")) ||
		conn.Updates[0].Body != "Some connectors fail to reach third-party services. We are investigating." {
		t.Errorf("instatus incident = %+v", conn)
	}
}

// TestAgainstGroundTruth checks the real incidents in the fixtures against the shared
// ground truth (first update and resolved update, as scraped from the status pages).
func TestAgainstGroundTruth(t *testing.T) {
	f, err := os.Open("../../../shared/data/real/incidents_detailed.csv")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared data not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string][2]time.Time{}
	for _, r := range rows[1:] {
		start, err1 := time.Parse(time.RFC3339, r[1])
		end, err2 := time.Parse(time.RFC3339, r[2])
		if err1 == nil && err2 == nil {
			truth[r[4]] = [2]time.Time{start, end}
		}
	}
	checked := 0
	for _, name := range []string{"openai-history.atom", "anthropic-history.rss", "statuspage-incidents.json"} {
		for _, in := range parseFixture(t, name) {
			id := in.ID[strings.Index(in.ID, ":")+1:]
			want, ok := truth[id]
			if !ok {
				continue
			}
			checked++
			start, end := in.Start.Truncate(time.Minute), endOf(in).Truncate(time.Minute)
			if !start.Equal(want[0]) || !end.Equal(want[1]) {
				t.Errorf("%s: %v–%v, ground truth %v–%v", in.ID, start, end, want[0], want[1])
			}
		}
	}
	if checked < 9 {
		t.Errorf("only %d fixture incidents found in the ground truth", checked)
	}
}

func TestYearBoundary(t *testing.T) {
	p := func(mon, day, hhmm, status string) string {
		return "&lt;p&gt;&lt;small&gt;" + mon + " &lt;var data-var='date'&gt;" + day + "&lt;/var&gt;, &lt;var data-var='time'&gt;" + hhmm + "&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;" + status + "&lt;/strong&gt; - x&lt;/p&gt;"
	}
	feed := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>tag:x,2005:Incident/1</id>` +
		`<published>2025-01-01T00:31:00Z</published><updated>2025-01-01T00:31:00Z</updated><link rel="alternate" href="https://s.test/incidents/abc"/><title>t</title>` +
		`<content type="html">` + p("Jan", "1", "00:30", "Resolved") + p("Dec", "31", "23:50", "Investigating") + `</content></entry></feed>`
	incs, err := Parse("s", "svc", "", []byte(feed))
	if err != nil {
		t.Fatal(err)
	}
	if !incs[0].Start.Equal(utc("2024-12-31T23:50:00Z")) || !endOf(incs[0]).Equal(utc("2025-01-01T00:30:00Z")) {
		t.Errorf("across New Year: %v – %v", incs[0].Start, endOf(incs[0]))
	}
}

func TestGenericPerUpdateFeed(t *testing.T) {
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>Example status</title>
<item><title>[Resolved] Database Connection Issues</title><description>The database connection issue has been resolved.</description>
<link>https://status.example.com/incidents/98765</link><pubDate>Mon, 15 Jan 2024 11:45:00 +0000</pubDate><guid>https://status.example.com/incidents/98765#update-2</guid></item>
<item><title>[Investigating] Database Connection Issues</title><description>We're investigating connection issues.</description>
<link>https://status.example.com/incidents/98765</link><pubDate>Mon, 15 Jan 2024 10:30:00 +0000</pubDate><guid>https://status.example.com/incidents/98765#update-1</guid></item>
</channel></rss>`
	incs, err := Parse("ex", "svc", "", []byte(feed))
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || incs[0].ID != "ex:98765" || incs[0].Title != "Database Connection Issues" || statuses(incs[0]) != "investigating,resolved" ||
		!incs[0].Start.Equal(utc("2024-01-15T10:30:00Z")) || !endOf(incs[0]).Equal(utc("2024-01-15T11:45:00Z")) {
		t.Errorf("merged = %+v", incs)
	}
}

func TestParseWhen(t *testing.T) {
	ref := utc("2024-06-04T12:00:00Z")
	tests := []struct {
		in   string
		want string
	}{
		{"Jun 4, 14:53 UTC", "2024-06-04T14:53:00Z"},
		{"Jun  4 , 07:21 UTC", "2024-06-04T07:21:00Z"},
		{"Jun 4, 07:21 PDT", "2024-06-04T14:21:00Z"},
		{"June 4, 2024 at 2:53 PM UTC", "2024-06-04T14:53:00Z"},
		{"Jun 4th 2024 - 12:05 am GMT", "2024-06-04T00:05:00Z"},
		{"Tue, Jun 4, 2024, 16:45 CEST", "2024-06-04T14:45:00Z"},
		{"4 Jun 2024, 14:53 UTC", "2024-06-04T14:53:00Z"},
		{"04 June 09:00 +02:00", "2024-06-04T07:00:00Z"},
		{"Jun 4, 14:53 UTC+2", "2024-06-04T12:53:00Z"},
		{"Jun 4, 14:53", "2024-06-04T14:53:00Z"},
		{"June 4th at 2:15p GMT", "2024-06-04T14:15:00Z"},
		{"Jun 4, 2024 10:07 a.m. PDT", "2024-06-04T17:07:00Z"},
		{"Jun 4, 2024 12:30 AM", "2024-06-04T00:30:00Z"},
		{"2024-06-04T14:53:00-07:00", "2024-06-04T21:53:00Z"},
		{"Dec 31, 23:00 UTC", "2023-12-31T23:00:00Z"}, // nearest to the June reference
	}
	for _, tt := range tests {
		got, ok := parseWhen(tt.in, ref)
		if !ok || !got.Equal(utc(tt.want)) {
			t.Errorf("parseWhen(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "Jun 40, 14:53 UTC", "Foo 4, 14:53 UTC", "Jun 4, 25:00 UTC"} {
		if got, ok := parseWhen(bad, ref); ok {
			t.Errorf("parseWhen(%q) = %v, want failure", bad, got)
		}
	}
}

func TestULIDTime(t *testing.T) {
	if got, ok := ulidTime("01KHRP7P1JFK6SY9541SJ3EQHB"); !ok || !got.Equal(utc("2026-02-18T15:34:54.770Z")) {
		t.Errorf("ulidTime = %v %v", got, ok)
	}
	for _, bad := range []string{"rs49lmsh6xxw", "01KHRP7P1JFK6SY9541SJ3EQHU", "zzzzzzzzzzzzzzzzzzzzzzzzzz", ""} {
		if _, ok := ulidTime(bad); ok {
			t.Errorf("ulidTime(%q) accepted", bad)
		}
	}
}

type pageServer struct {
	body     []byte
	etag     string
	notMod   atomic.Int32
	requests atomic.Int32
}

func (s *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if s.etag != "" {
		if r.Header.Get("If-None-Match") == s.etag {
			s.notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", s.etag)
	}
	w.Write(s.body)
}

func TestFetchOfficialConditional(t *testing.T) {
	ps := &pageServer{body: readFixture(t, "openai-history.atom"), etag: `W/"e1"`}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	p := New(Config{Name: "openai-status", Service: "chatgpt", URL: srv.URL + "/history.atom"})
	incs, cur, err := p.FetchOfficial(t.Context(), "")
	if err != nil || len(incs) != 4 {
		t.Fatalf("first fetch: %d incidents, %v", len(incs), err)
	}
	if incs[0].Source != "openai-status" || !strings.HasPrefix(incs[0].ID, "openai-status:") {
		t.Errorf("incident = %+v", incs[0])
	}
	incs, cur2, err := p.FetchOfficial(t.Context(), cur)
	if err != nil || incs != nil || cur2 != cur || ps.notMod.Load() != 1 {
		t.Errorf("304: %d incidents, cursor %q -> %q, err %v", len(incs), cur, cur2, err)
	}
	// Without validators, an identical body is no work either.
	ps2 := &pageServer{body: readFixture(t, "incidentio-feed.rss")}
	srv2 := httptest.NewServer(ps2)
	defer srv2.Close()
	p2 := New(Config{Name: "openai-status", URL: srv2.URL + "/feed.rss"})
	_, cur, err = p2.FetchOfficial(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if incs, _, err := p2.FetchOfficial(t.Context(), cur); err != nil || incs != nil {
		t.Errorf("unchanged body: %d incidents, %v", len(incs), err)
	}
}

func TestFetchOfficialFaults(t *testing.T) {
	atom := readFixture(t, "openai-history.atom")
	js := readFixture(t, "statuspage-incidents.json")
	mux := http.NewServeMux()
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/503", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	mux.HandleFunc("/truncated.atom", func(w http.ResponseWriter, r *http.Request) { w.Write(atom[:len(atom)*2/3]) })
	mux.HandleFunc("/truncated.json", func(w http.ResponseWriter, r *http.Request) { w.Write(js[:len(js)/2]) })
	mux.HandleFunc("/malformed.json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"incidents": [{"id": 1}]}`)) })
	mux.HandleFunc("/other.json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"status": {"indicator": "none"}}`)) })
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(atom) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct {
		path  string
		check func(error) bool
	}{
		{"/429", func(err error) bool { return ingest.RetryAfter(err) == time.Minute }},
		{"/503", func(err error) bool { return ingest.RetryAfter(err) == 2*time.Minute }},
		{"/500", func(err error) bool { var se *ingest.StatusError; return errors.As(err, &se) && se.Code == 500 }},
		{"/truncated.atom", func(err error) bool { return strings.Contains(err.Error(), "parse") }},
		{"/truncated.json", func(err error) bool { return strings.Contains(err.Error(), "parse json") }},
		{"/malformed.json", func(err error) bool { return strings.Contains(err.Error(), "parse json") }},
		{"/other.json", func(err error) bool { return strings.Contains(err.Error(), "no incidents") }},
		{"/empty", func(err error) bool { return strings.Contains(err.Error(), "empty document") }},
		{"/big", func(err error) bool { return errors.Is(err, ingest.ErrTooLarge) }},
		{"/hang", func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := New(Config{Name: "s", URL: srv.URL + tt.path, Client: &ingest.Client{MaxBody: int64(len(atom) - 1)}})
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			incs, cur, err := p.FetchOfficial(ctx, `{"etag":"x"}`)
			if err == nil || !tt.check(err) || !strings.HasPrefix(err.Error(), "statuspage: s: ") {
				t.Fatalf("err = %v", err)
			}
			if incs != nil || cur != `{"etag":"x"}` {
				t.Errorf("failed fetch returned %d incidents or moved the cursor to %q", len(incs), cur)
			}
		})
	}
}

func TestInvalidUTF8(t *testing.T) {
	body := bytes.Replace(readFixture(t, "anthropic-history.rss"), []byte("page loads failing"), []byte("page loads \xff\xfe failing"), 1)
	incs, err := Parse("a", "claude", "", body)
	if err != nil {
		t.Fatal(err)
	}
	in := byID(t, incs, "a:gm6vlw4gc377")
	if !utf8.ValidString(in.Updates[0].Body) || !strings.Contains(in.Updates[0].Body, "failing") {
		t.Errorf("body = %q", in.Updates[0].Body)
	}
	js := bytes.Replace(readFixture(t, "statuspage-incidents.json"), []byte("page loads failing"), []byte("page loads \xff failing"), 1)
	if _, err := Parse("a", "claude", "", js); err != nil {
		t.Errorf("json with invalid UTF-8: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for name := range fixtures {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`[{"id":"x","status":"resolved","incident_updates":[{"status":"resolved","created_at":"2024-01-01T00:00:00Z"}]}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		incs, err := Parse("fz", "svc", "https://status.example.test/history.atom", body)
		if err != nil {
			return
		}
		for _, in := range incs {
			checkIncident(t, "fz", in)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"openai-history.atom", "statuspage-incidents.json"} {
		body := readFixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse("bench", "svc", "", body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
