package mastodon

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

var update = flag.Bool("update", false, "rewrite golden files")

var testNow = time.Date(2024, 6, 4, 7, 40, 0, 0, time.UTC)

func startInstance(t *testing.T) (*fakeInstance, *httptest.Server) {
	t.Helper()
	f := newInstance(t)
	srv := httptest.NewServer(f)
	f.base = srv.URL
	t.Cleanup(srv.Close)
	return f, srv
}

func newTags(srv *httptest.Server, tags []string, mut func(*Config)) *Tags {
	cfg := DefaultConfig()
	cfg.Name = "mastodon-test"
	cfg.Instance = srv.URL
	cfg.Tags = tags
	cfg.Client = &ingest.Client{HTTP: srv.Client()}
	cfg.Now = func() time.Time { return testNow }
	if mut != nil {
		mut(&cfg)
	}
	return New(cfg)
}

func checkGolden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the output:\n%s", path, got)
	}
}

func TestFetchFirstPollGolden(t *testing.T) {
	f, srv := startInstance(t)
	f.load("chatgpt", "testdata/tag_chatgpt.json")
	f.load("outage", "testdata/tag_outage.json")
	src := newTags(srv, []string{"#ChatGPT", "outage", "chatgpt"}, nil)

	posts, next, err := src.Fetch(t.Context(), "")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	stable := slices.Clone(posts)
	for i := range stable {
		stable[i].Author = strings.ReplaceAll(stable[i].Author, host, "instance.test")
	}
	checkGolden(t, "tags_first_poll.golden.json", map[string]any{"posts": stable, "cursor": json.RawMessage(next)})
	if posts[3].Author != "alice@"+host {
		t.Errorf("local author = %q, want it qualified with the instance host", posts[3].Author)
	}
	if n := len(f.reqs()); n != 2 {
		t.Errorf("%d requests, want one per distinct tag", n)
	}
	for _, r := range f.reqs() {
		if r.URL.Query().Get("limit") != "40" || r.URL.Query().Has("min_id") || r.Header.Get("Authorization") != "" {
			t.Errorf("first poll request %s (auth %q)", r.URL, r.Header.Get("Authorization"))
		}
	}
	ids := map[string]bool{}
	for _, p := range posts {
		if ids[p.ID] {
			t.Errorf("duplicate %s across tags or reblogs", p.ID)
		}
		ids[p.ID] = true
	}

	// Nothing new: same cursor, no posts, requests with min_id.
	posts2, next2, err := src.Fetch(t.Context(), next)
	if err != nil || len(posts2) != 0 || next2 != next {
		t.Errorf("second Fetch = %d posts, %s, %v; want none and the same cursor", len(posts2), next2, err)
	}
	for _, r := range f.reqs()[2:] {
		if r.URL.Query().Get("min_id") == "" {
			t.Errorf("resume request without min_id: %s", r.URL)
		}
	}
}

func statusJSON(id int, tag, text string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"id": fmt.Sprint(id), "created_at": time.Date(2024, 6, 4, 7, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Second).Format(time.RFC3339Nano),
		"uri":     fmt.Sprintf("https://mastodon.example/users/u%d/statuses/%d", id%7, id),
		"url":     fmt.Sprintf("https://mastodon.example/@u%d/%d", id%7, id),
		"content": "<p>" + html.EscapeString(text) + "</p>", "spoiler_text": "", "language": "en",
		"account": map[string]any{"acct": fmt.Sprintf("u%d", id%7)}, "reblog": nil,
		"tags": []map[string]string{{"name": tag}},
	})
	return b
}

// TestFetchCatchUpNoGapNoDuplicate: with a backlog larger than MaxPages pages, polls read
// forward from the cursor page by page (following the Link header) until caught up, and
// together return every status exactly once.
func TestFetchCatchUpNoGapNoDuplicate(t *testing.T) {
	f, srv := startInstance(t)
	const first = 1000
	for i := range 100 {
		f.add("claude", statusJSON(first+i, "claude", fmt.Sprintf("claude down %d", i)))
	}
	src := newTags(srv, []string{"claude"}, func(c *Config) { c.Limit = 10; c.MaxPages = 3 })
	cursor := `{"claude":"1009"}`
	seen := map[string]int{}
	var pageCounts []int
	for range 6 {
		posts, next, err := src.Fetch(t.Context(), cursor)
		if err != nil {
			t.Fatal(err)
		}
		pageCounts = append(pageCounts, len(posts))
		for _, p := range posts {
			seen[p.ID]++
		}
		cursor = next
	}
	if fmt.Sprint(pageCounts) != "[30 30 30 0 0 0]" {
		t.Errorf("posts per poll = %v, want [30 30 30 0 0 0]", pageCounts)
	}
	for i := 10; i < 100; i++ {
		id := fmt.Sprintf("mastodon:https://mastodon.example/users/u%d/statuses/%d", (first+i)%7, first+i)
		if seen[id] != 1 {
			t.Errorf("status %d seen %d times", first+i, seen[id])
		}
	}
	if len(seen) != 90 {
		t.Errorf("%d distinct posts, want 90 (those after the cursor)", len(seen))
	}
	if cursor != `{"claude":"1099"}` {
		t.Errorf("cursor = %s", cursor)
	}
	reqs := f.reqs()
	if q := reqs[1].URL.Query(); q.Get("via") != "link" || q.Get("min_id") != "1019" {
		t.Errorf("second page request %s: want the rel=prev Link with min_id=1019", reqs[1].URL)
	}

	// New statuses after catching up arrive on the next poll.
	f.add("claude", statusJSON(first+100, "claude", "still down"))
	posts, next, err := src.Fetch(t.Context(), cursor)
	if err != nil || len(posts) != 1 || posts[0].Text != "still down" || next != `{"claude":"1100"}` {
		t.Errorf("after a new status: %v, %s, %v", posts, next, err)
	}
}

func TestFetchFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault func(w http.ResponseWriter, r *http.Request) bool
		mut   func(*Config)
		check func(t *testing.T, err error)
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "boom", http.StatusInternalServerError)
			return true
		}, nil, func(t *testing.T, err error) {
			var se *ingest.StatusError
			if !errors.As(err, &se) || se.Code != 500 {
				t.Errorf("err = %v, want a 500 StatusError", err)
			}
		}},
		{"truncated json", func(w http.ResponseWriter, r *http.Request) bool {
			_, _ = io.WriteString(w, `[{"id":"1","content":"<p>chat`)
			return true
		}, nil, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "decode") {
				t.Errorf("err = %v, want a decode error", err)
			}
		}},
		{"not an array", func(w http.ResponseWriter, r *http.Request) bool {
			_, _ = io.WriteString(w, `{"error":"This method requires an authenticated user"}`)
			return true
		}, nil, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "decode") {
				t.Errorf("err = %v, want a decode error", err)
			}
		}},
		{"oversized", func(w http.ResponseWriter, r *http.Request) bool {
			_, _ = io.WriteString(w, "["+strings.Repeat(`{"id":"1"},`, 1000)+`{"id":"2"}]`)
			return true
		}, func(c *Config) { c.Client.MaxBody = 1024 }, func(t *testing.T, err error) {
			if !errors.Is(err, ingest.ErrTooLarge) {
				t.Errorf("err = %v, want ErrTooLarge", err)
			}
		}},
		{"hang", func(w http.ResponseWriter, r *http.Request) bool {
			<-r.Context().Done()
			return true
		}, nil, func(t *testing.T, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want the attempt's deadline", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := startInstance(t)
			f.load("chatgpt", "testdata/tag_chatgpt.json")
			f.fault = tt.fault
			src := newTags(srv, []string{"chatgpt"}, tt.mut)
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			cursor := `{"chatgpt":"5"}`
			posts, next, err := src.Fetch(ctx, cursor)
			if posts != nil || next != cursor {
				t.Errorf("failed Fetch returned %d posts and cursor %s; want none and the cursor unchanged", len(posts), next)
			}
			tt.check(t, err)
		})
	}
}

func TestFetchNotModified(t *testing.T) {
	f, srv := startInstance(t)
	f.fault = func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	src := newTags(srv, []string{"chatgpt"}, nil)
	posts, next, err := src.Fetch(t.Context(), `{"chatgpt":"7"}`)
	if err != nil || len(posts) != 0 || next != `{"chatgpt":"7"}` {
		t.Errorf("304: %d posts, %s, %v; want nothing new and no error", len(posts), next, err)
	}
}

func TestFetch429(t *testing.T) {
	reset := testNow.Add(5 * time.Minute)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"Retry-After", map[string]string{"Retry-After": "120"}, 2 * time.Minute},
		{"X-RateLimit-Reset", map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset.Format("2006-01-02T15:04:05.000Z")}, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := startInstance(t)
			f.fault = func(w http.ResponseWriter, r *http.Request) bool {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				http.Error(w, `{"error":"Too many requests"}`, http.StatusTooManyRequests)
				return true
			}
			src := newTags(srv, []string{"chatgpt", "claude"}, nil)
			_, _, err := src.Fetch(t.Context(), "")
			if got := ingest.RetryAfter(err); got != tt.want {
				t.Fatalf("RetryAfter = %v (err %v), want %v", got, err, tt.want)
			}
			if src.Message() == "" || len(src.Health()) != 1 || src.Health()[0].Message != src.Message() {
				t.Errorf("Message %q, Health %+v while rate limited", src.Message(), src.Health())
			}
			// Asking again before the wait is over costs no request.
			n := len(f.reqs())
			_, _, err = src.Fetch(t.Context(), "")
			if ingest.RetryAfter(err) != tt.want || len(f.reqs()) != n {
				t.Errorf("second Fetch = %v after %d more requests; want the same wait and no request", err, len(f.reqs())-n)
			}
		})
	}
}

// TestFetchRateLimitUsedUp: a success that says no requests remain ends the poll early with
// what it has; the next poll waits for the reset without calling the instance.
func TestFetchRateLimitUsedUp(t *testing.T) {
	f, srv := startInstance(t)
	f.load("chatgpt", "testdata/tag_chatgpt.json")
	f.load("outage", "testdata/tag_outage.json")
	f.fault = func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", testNow.Add(10*time.Minute).Format(time.RFC3339))
		return false
	}
	now := testNow
	src := newTags(srv, []string{"chatgpt", "outage"}, func(c *Config) { c.Now = func() time.Time { return now } })
	posts, next, err := src.Fetch(t.Context(), "")
	if err != nil || len(posts) != 5 || len(f.reqs()) != 1 || next != `{"chatgpt":"112558180000000000"}` {
		t.Fatalf("Fetch = %d posts, %s, %v after %d requests; want chatgpt's 5 posts from 1 request", len(posts), next, err, len(f.reqs()))
	}
	_, _, err = src.Fetch(t.Context(), next)
	if ingest.RetryAfter(err) != 10*time.Minute || len(f.reqs()) != 1 {
		t.Errorf("Fetch before reset = %v with %d requests", err, len(f.reqs()))
	}
	now = testNow.Add(11 * time.Minute)
	f.fault = nil
	posts, next, err = src.Fetch(t.Context(), next)
	// outage's first poll: its 2 statuses (one also seen under chatgpt earlier; the sink dedupes across polls).
	if err != nil || len(posts) != 2 || next != `{"chatgpt":"112558180000000000","outage":"112558170000000010"}` {
		t.Errorf("Fetch after reset = %d posts, %s, %v", len(posts), next, err)
	}
}

func TestFetchInvalidUTF8AndToken(t *testing.T) {
	f, srv := startInstance(t)
	f.add("chatgpt", json.RawMessage("{\"id\":\"9\",\"created_at\":\"2024-06-04T07:21:00Z\",\"uri\":\"https://m.example/s/9\",\"content\":\"<p>chatgpt \xff\xfe down \xc3\x28 again</p>\",\"language\":\"en\",\"account\":{\"acct\":\"zed\"}}"))
	src := newTags(srv, []string{"chatgpt"}, func(c *Config) { c.Token = "sekret" })
	posts, _, err := src.Fetch(t.Context(), "")
	if err != nil || len(posts) != 1 {
		t.Fatalf("Fetch = %v, %v", posts, err)
	}
	if p := posts[0]; !utf8.ValidString(p.Text) || !strings.Contains(p.Text, "\uFFFD") || !strings.HasPrefix(p.Text, "chatgpt") || !strings.HasSuffix(p.Text, "again") {
		t.Errorf("text = %q", p.Text)
	}
	if got := f.reqs()[0].Header.Get("Authorization"); got != "Bearer sekret" {
		t.Errorf("Authorization = %q", got)
	}
}

func TestFetchBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Instance: "", Tags: []string{"a"}},
		{Instance: "ftp://x", Tags: []string{"a"}},
		{Instance: "https://m.example"},
		{Instance: "https://m.example", Tags: []string{"not/a/tag"}},
		{Instance: "https://m.example", Tags: []string{"a"}, Limit: 80},
	} {
		if err := cfg.Validate(); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid", cfg, err)
		}
		if _, _, err := New(cfg).Fetch(t.Context(), ""); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("Fetch with %+v = %v, want ErrInvalid", cfg, err)
		}
	}
	if err := (Config{Instance: "mastodon.social", Tags: []string{"#ChatGPT", "日本語", "claude_ai"}}).Validate(); err != nil {
		t.Errorf("Validate(good) = %v", err)
	}
}

func TestFetchGarbageCursorStartsFresh(t *testing.T) {
	f, srv := startInstance(t)
	f.load("chatgpt", "testdata/tag_chatgpt.json")
	src := newTags(srv, []string{"chatgpt"}, nil)
	posts, next, err := src.Fetch(t.Context(), "not json")
	if err != nil || len(posts) != 5 || next != `{"chatgpt":"112558180000000000"}` {
		t.Errorf("Fetch = %d posts, %s, %v", len(posts), next, err)
	}
}

func TestLinkRel(t *testing.T) {
	h := []string{`<https://m.example/api/v1/timelines/tag/a?max_id=5>; rel="next", <https://m.example/api/v1/timelines/tag/a?min_id=9>; rel="prev"`}
	if got := linkRel(h, "prev"); got != "https://m.example/api/v1/timelines/tag/a?min_id=9" {
		t.Errorf("prev = %q", got)
	}
	if got := linkRel(h, "next"); got != "https://m.example/api/v1/timelines/tag/a?max_id=5" {
		t.Errorf("next = %q", got)
	}
	if got := linkRel([]string{`<a>; rel=next`, `<b>; title="x"; rel="prev last"`}, "prev"); got != "b" {
		t.Errorf("second header = %q", got)
	}
	if got := linkRel([]string{`garbage`, `<x>`}, "prev"); got != "" {
		t.Errorf("garbage = %q", got)
	}
}

// TestLinkToOtherHostIgnored: a Link pointing elsewhere is not followed (the token would go
// with it); the next page is built from min_id instead.
func TestLinkToOtherHostIgnored(t *testing.T) {
	src := New(Config{Instance: "https://m.example", Tags: []string{"a"}})
	ep := src.base.JoinPath("api/v1/timelines/tag/a")
	ep.RawQuery = "limit=40&min_id=1"
	h := http.Header{"Link": {`<https://evil.example/api/v1/timelines/tag/a?min_id=9>; rel="prev"`}}
	if got := src.forward(h, ep, "9"); got != "https://m.example/api/v1/timelines/tag/a?limit=40&min_id=9" {
		t.Errorf("forward = %q", got)
	}
}

func TestStatusMapping(t *testing.T) {
	src := New(Config{Name: "m", Instance: "https://m.example", Tags: []string{"a"}})
	s := func(js string) (outcry.Post, bool) {
		var st status
		if err := json.Unmarshal([]byte(js), &st); err != nil {
			t.Fatal(err)
		}
		return src.post(&st, testNow)
	}
	p, ok := s(`{"id":"1","created_at":"2024-06-04T07:21:00Z","uri":"","url":null,"content":"<p>x down</p>","account":{"acct":"al"}}`)
	if !ok || p.ID != "mastodon:m.example/1" || p.Author != "al@m.example" || p.URL != "" {
		t.Errorf("no uri/url: %+v %v", p, ok)
	}
	p, ok = s(`{"id":"1","created_at":"2024-06-04T07:21:00Z","uri":"","url":"https://m.example/@al/1","content":"<p>x</p>","account":{"acct":"al@o.example"}}`)
	if !ok || p.ID != "mastodon:https://m.example/@al/1" || p.Author != "al@o.example" || p.URL != "https://m.example/@al/1" {
		t.Errorf("url only: %+v %v", p, ok)
	}
	if _, ok := s(`{"id":"1","created_at":"yesterday","uri":"u","content":"<p>x</p>"}`); ok {
		t.Error("status without a valid time was kept")
	}
	if _, ok := s(`{"id":"1","created_at":"2024-06-04T07:21:00Z","uri":"u","content":"<p> <br> </p>","spoiler_text":" "}`); ok {
		t.Error("status without text was kept")
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Hello <b>world</b></p>", "Hello world"},
		{"<p>one<br>two<br/>three</p><p>four</p>", "one two three four"},
		{"a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &eacute; &#x1F600;", `a & b <c> "d" 'e' é 😀`},
		{"&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
		{"<p>x</p><script>alert(1)</script><style>p{}</style><p>y</p>", "x y"},
		{`<a href="https://e.example/?a=1&amp;b=2" title="a > b"><span class="invisible">https://</span><span class="ellipsis">e.example/very/lo</span><span class="invisible">ng</span></a>`, "https://e.example/very/long"},
		{"1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"<!-- hidden -->shown<!-- unterminated", "shown"},
		{"<p>unterminated <a href=\"x", "unterminated"},
		{"  \n\t ", ""},
		{"tab\there\u00a0nbsp", "tab here nbsp"},
		{"<P>Upper<BR>Case</P>", "Upper Case"},
		{"<p>日本語<br>テキスト</p>", "日本語 テキスト"},
		{"<", "<"},
		{"</", "</"},
		{"a</3", "a</3"},
	}
	for _, tt := range tests {
		if got := htmlText(tt.in); got != tt.want {
			t.Errorf("htmlText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRealTextsRoundTrip: real post texts, escaped and wrapped the way Mastodon renders
// content, come back as the original words.
func TestRealTextsRoundTrip(t *testing.T) {
	f, err := os.Open("../../../shared/data/real/posts_normalized.csv")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared data not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := 0
	for i, h := range head {
		if h == "text" {
			col = i
		}
	}
	for n := 0; n < 3000; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		text := rec[col]
		paras := strings.Split(text, "\n\n")
		var b strings.Builder
		for _, p := range paras {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br />") + "</p>")
		}
		if got, want := htmlText(b.String()), collapse(text); got != want {
			t.Fatalf("row %d: got %q, want %q", n, got, want)
		}
	}
}
