package twitter

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

var update = flag.Bool("update", false, "rewrite golden files")

var testNow = time.Date(2024, 6, 4, 7, 40, 0, 0, time.UTC)

func startX(t *testing.T) (*fakeX, *httptest.Server) {
	t.Helper()
	f := &fakeX{t: t}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func newSearch(t *testing.T, srv *httptest.Server, api string, mut func(*Config)) *Search {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Name = "x-test"
	cfg.API = api
	cfg.BaseURL = srv.URL
	cfg.Token = testToken
	cfg.Query = "(chatgpt OR claude) (down OR panne)"
	cfg.Client = srv.Client()
	cfg.Now = func() time.Time { return testNow }
	if mut != nil {
		mut(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
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

func TestV2Golden(t *testing.T) {
	f, srv := startX(t)
	f.static = map[string]string{"/2/tweets/search/recent": "testdata/v2_search_recent.json"}
	s := newSearch(t, srv, APIv2, nil)
	posts, next, err := s.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "v2_search_recent.golden.json", map[string]any{"posts": posts, "cursor": next})
	r := f.reqs()[0]
	q := r.URL.Query()
	want := map[string]string{
		"query": s.Query(), "max_results": "100", "tweet.fields": v2TweetFields,
		"expansions": v2Expansions, "user.fields": "username",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("since_id") || r.URL.Path != "/2/tweets/search/recent" {
		t.Errorf("first request %s", r.URL)
	}
	if next != "1797892542428090373" {
		t.Errorf("cursor = %s, want meta.newest_id", next)
	}
}

func TestV1Golden(t *testing.T) {
	f, srv := startX(t)
	f.static = map[string]string{"/1.1/search/tweets.json": "testdata/v1_search_tweets.json"}
	// A base URL with a path prefix: go-twitter's hard-coded https://api.twitter.com/1.1/
	// must land under it.
	s := newSearch(t, srv, APIv1, func(c *Config) { c.BaseURL = srv.URL + "/proxy/" })
	posts, next, err := s.Fetch(t.Context(), "1797891000000000000")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "v1_search_tweets.golden.json", map[string]any{"posts": posts, "cursor": next})
	r := f.reqs()[0]
	q := r.URL.Query()
	if r.URL.Path != "/proxy/1.1/search/tweets.json" || q.Get("q") != s.Query() || q.Get("result_type") != "recent" ||
		q.Get("tweet_mode") != "extended" || q.Get("since_id") != "1797891000000000000" || q.Get("count") != "100" {
		t.Errorf("request %s", r.URL)
	}
	if next != "1797892542428090373" {
		t.Errorf("cursor = %s", next)
	}
}

// TestAPIsAgree: both APIs map the same tweets to the same posts (same ids, texts, times,
// languages), so switching api: keeps cursors and dedupe.
func TestAPIsAgree(t *testing.T) {
	load := func(api, file, path string) []outcry.Post {
		f, srv := startX(t)
		f.static = map[string]string{path: file}
		posts, _, err := newSearch(t, srv, api, nil).Fetch(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		return posts
	}
	v1 := load(APIv1, "testdata/v1_search_tweets.json", "/1.1/search/tweets.json")
	v2 := load(APIv2, "testdata/v2_search_recent.json", "/2/tweets/search/recent")
	if len(v1) != len(v2) {
		t.Fatalf("v1.1 gave %d posts, v2 %d", len(v1), len(v2))
	}
	for i := range v1 {
		a, b := v1[i], v2[i]
		if a.ID != b.ID || a.Text != b.Text || !a.CreatedAt.Equal(b.CreatedAt) || a.Lang != b.Lang || a.Author != b.Author || a.URL != b.URL {
			t.Errorf("post %d differs:\nv1.1 %+v\nv2   %+v", i, a, b)
		}
	}
}

func tweetsFrom(n int, base int64) []fakeTweet {
	var out []fakeTweet
	for i := range n {
		id := base + int64(i)<<22
		out = append(out, fakeTweet{id: id, text: fmt.Sprintf("chatgpt down #%d", i), lang: "en", user: "user" + strconv.Itoa(i%5), created: snowflakeTime(strconv.FormatInt(id, 10))})
	}
	return out
}

// TestPagingAndSinceID: for each API, a Fetch from a cursor pages back to it and returns
// every newer post once, the next Fetch from the new cursor returns nothing, and later
// posts arrive on the one after.
func TestPagingAndSinceID(t *testing.T) {
	for _, api := range []string{APIv1, APIv2} {
		t.Run(api, func(t *testing.T) {
			f, srv := startX(t)
			base := int64(1797891422548922368)
			all := tweetsFrom(250, base)
			f.add(all...)
			s := newSearch(t, srv, api, func(c *Config) { c.MaxResults = 50; c.MaxPages = 4 })
			cursor := strconv.FormatInt(all[99].id, 10)
			posts, next, err := s.Fetch(t.Context(), cursor)
			if err != nil {
				t.Fatal(err)
			}
			if len(posts) != 150 || next != strconv.FormatInt(all[249].id, 10) {
				t.Fatalf("got %d posts, cursor %s; want the 150 newer than the cursor and the newest id", len(posts), next)
			}
			seen := map[string]bool{}
			for _, p := range posts {
				if seen[p.ID] {
					t.Errorf("duplicate %s", p.ID)
				}
				seen[p.ID] = true
			}
			for _, tw := range all[100:] {
				if !seen["x:"+strconv.FormatInt(tw.id, 10)] {
					t.Errorf("missing %d", tw.id)
				}
			}
			if n := len(f.reqs()); n != 3 {
				t.Errorf("%d requests, want 3 pages of 50", n)
			}
			posts, next2, err := s.Fetch(t.Context(), next)
			if err != nil || len(posts) != 0 || next2 != next {
				t.Errorf("caught-up Fetch = %d posts, %s, %v", len(posts), next2, err)
			}
			f.add(tweetsFrom(3, all[249].id+1<<22)...)
			posts, next3, err := s.Fetch(t.Context(), next2)
			if err != nil || len(posts) != 3 || !idLess(next2, next3) {
				t.Errorf("Fetch after 3 new = %d posts, %s, %v", len(posts), next3, err)
			}
		})
	}
}

// TestMaxPagesBound: with more new posts than MaxPages pages, Fetch stops at the bound and
// still advances to the newest id (X pages newest first; the oldest are skipped, logged).
func TestMaxPagesBound(t *testing.T) {
	f, srv := startX(t)
	all := tweetsFrom(100, 1797891422548922368)
	f.add(all...)
	s := newSearch(t, srv, APIv2, func(c *Config) { c.MaxResults = 10; c.MaxPages = 2 })
	posts, next, err := s.Fetch(t.Context(), strconv.FormatInt(all[0].id, 10))
	if err != nil || len(posts) != 20 || next != strconv.FormatInt(all[99].id, 10) || len(f.reqs()) != 2 {
		t.Errorf("Fetch = %d posts, %s, %v after %d requests", len(posts), next, err, len(f.reqs()))
	}
}

func TestRefusedToken(t *testing.T) {
	tests := []struct {
		name, api, file string
		code            int
		want            string
	}{
		{"v1.1 453", APIv1, "testdata/v1_error_453.json", 403, "the v1.1 search API needs a paid access tier; use api: v2"},
		{"v2 401", APIv2, "testdata/v2_error_401.json", 401, "the bearer token is invalid or revoked"},
		{"v1.1 401", APIv1, "testdata/v2_error_401.json", 401, "the bearer token is invalid or revoked"},
		{"v2 403 not enrolled", APIv2, "testdata/v2_error_403.json", 403, "must belong to a Project"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := startX(t)
			f.fault = func(w http.ResponseWriter, r *http.Request) bool {
				serveFile(t, w, tt.code, tt.file)
				return true
			}
			s := newSearch(t, srv, tt.api, nil)
			posts, next, err := s.Fetch(t.Context(), "1797891000000000000")
			if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tt.want) || posts != nil || next != "1797891000000000000" {
				t.Fatalf("Fetch = %d posts, %s, %v", len(posts), next, err)
			}
			var se *ingest.StatusError
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Errorf("no StatusError %d in %v", tt.code, err)
			}
			if msg := s.Message(); !strings.HasPrefix(msg, "X refused the token: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("Message = %q", msg)
			}
			if h := s.Health(); len(h) != 1 || h[0].Name != "x-test" || h[0].Message != s.Message() {
				t.Errorf("Health = %+v", h)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Error("error leaks the token")
			}
			// Once X accepts again, the message goes away.
			f.fault = nil
			f.static = map[string]string{"/1.1/search/tweets.json": "testdata/v1_search_tweets.json", "/2/tweets/search/recent": "testdata/v2_search_recent.json"}
			if _, _, err := s.Fetch(t.Context(), ""); err != nil || s.Message() != "" || s.Health() != nil {
				t.Errorf("after success: %v, Message %q", err, s.Message())
			}
		})
	}
}

func TestRateLimit429(t *testing.T) {
	for _, api := range []string{APIv1, APIv2} {
		t.Run(api, func(t *testing.T) {
			f, srv := startX(t)
			f.fault = func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("x-rate-limit-limit", "60")
				w.Header().Set("x-rate-limit-remaining", "0")
				w.Header().Set("x-rate-limit-reset", strconv.FormatInt(testNow.Add(7*time.Minute).Unix(), 10))
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = io.WriteString(w, `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`)
				return true
			}
			s := newSearch(t, srv, api, nil)
			_, next, err := s.Fetch(t.Context(), "5")
			if ingest.RetryAfter(err) != 7*time.Minute || next != "5" {
				t.Fatalf("Fetch = %s, %v; want RetryAfter 7m (reset - now)", next, err)
			}
			if !strings.Contains(s.Message(), "rate limit") {
				t.Errorf("Message = %q", s.Message())
			}
			n := len(f.reqs())
			if _, _, err := s.Fetch(t.Context(), "5"); ingest.RetryAfter(err) != 7*time.Minute || len(f.reqs()) != n {
				t.Errorf("Fetch before reset = %v with %d more requests; want the wait and no request", err, len(f.reqs())-n)
			}
		})
	}
}

// TestRemainingZero: a page that says no requests remain ends paging; the next Fetch
// before the reset fails with the wait without asking X, and one after it proceeds.
func TestRemainingZero(t *testing.T) {
	for _, api := range []string{APIv1, APIv2} {
		t.Run(api, func(t *testing.T) {
			f, srv := startX(t)
			f.add(tweetsFrom(40, 1797891422548922368)...)
			f.fault = func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("x-rate-limit-remaining", "0")
				w.Header().Set("x-rate-limit-reset", strconv.FormatInt(testNow.Add(90*time.Second).Unix(), 10))
				return false
			}
			now := testNow
			s := newSearch(t, srv, api, func(c *Config) { c.MaxResults = 10; c.Now = func() time.Time { return now } })
			posts, next, err := s.Fetch(t.Context(), "")
			if err != nil || len(posts) != 10 || len(f.reqs()) != 1 {
				t.Fatalf("Fetch = %d posts, %v after %d requests; want one page", len(posts), err, len(f.reqs()))
			}
			if _, n2, err := s.Fetch(t.Context(), next); ingest.RetryAfter(err) != 90*time.Second || n2 != next || len(f.reqs()) != 1 {
				t.Errorf("Fetch before reset = %v after %d requests", err, len(f.reqs()))
			}
			now = testNow.Add(2 * time.Minute)
			f.fault = nil
			if _, _, err := s.Fetch(t.Context(), next); err != nil || len(f.reqs()) != 2 {
				t.Errorf("Fetch after reset = %v after %d requests", err, len(f.reqs()))
			}
		})
	}
}

func TestFaults(t *testing.T) {
	body := func(code int, s string) func(w http.ResponseWriter, r *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(code)
			_, _ = io.WriteString(w, s)
			return true
		}
	}
	tests := []struct {
		name  string
		fault func(w http.ResponseWriter, r *http.Request) bool
		mut   func(*Config)
		check func(t *testing.T, err error)
	}{
		{"500", body(500, "<html>Internal Server Error</html>"), nil, func(t *testing.T, err error) {
			var se *ingest.StatusError
			if !errors.As(err, &se) || se.Code != 500 || !strings.Contains(se.Body, "Internal Server Error") {
				t.Errorf("err = %v, want a 500 StatusError with the body", err)
			}
		}},
		{"503 retry-after", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Retry-After", "45")
			w.WriteHeader(503)
			return true
		}, nil, func(t *testing.T, err error) {
			if ingest.RetryAfter(err) != 45*time.Second {
				t.Errorf("err = %v, want RetryAfter 45s", err)
			}
		}},
		{"malformed json", body(200, `{"data":[{"id":"1","text":`), nil, func(t *testing.T, err error) {
			if err == nil {
				t.Error("truncated JSON accepted")
			}
		}},
		{"wrong shape", body(200, `{"data":"nope","statuses":"nope"}`), nil, func(t *testing.T, err error) {
			if err == nil {
				t.Error("wrong shape accepted")
			}
		}},
		{"oversized", body(200, `{"data":[`+strings.Repeat(`{"id":"1","text":"x"},`, 200)+`{"id":"2","text":"y"}]}`),
			func(c *Config) { c.MaxBody = 1024 }, func(t *testing.T, err error) {
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
	for _, api := range []string{APIv1, APIv2} {
		for _, tt := range tests {
			t.Run(api+"/"+tt.name, func(t *testing.T) {
				f, srv := startX(t)
				f.fault = tt.fault
				s := newSearch(t, srv, api, tt.mut)
				ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
				defer cancel()
				posts, next, err := s.Fetch(ctx, "77")
				if posts != nil || next != "77" {
					t.Errorf("failed Fetch returned %d posts, cursor %s", len(posts), next)
				}
				tt.check(t, err)
			})
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	for _, api := range []string{APIv1, APIv2} {
		t.Run(api, func(t *testing.T) {
			f, srv := startX(t)
			f.add(fakeTweet{id: 1797891422548922368, text: "chatgpt \xff\xfe down \xc3\x28 again", lang: "en", user: "u", created: testNow})
			posts, _, err := newSearch(t, srv, api, nil).Fetch(t.Context(), "")
			if err != nil || len(posts) != 1 {
				t.Fatalf("Fetch = %v, %v", posts, err)
			}
			if p := posts[0].Text; !utf8.ValidString(p) || !strings.Contains(p, "\uFFFD") || !strings.HasSuffix(p, "again") {
				t.Errorf("text = %q", p)
			}
		})
	}
}

func TestV2SinceIDTooOld(t *testing.T) {
	f, srv := startX(t)
	f.add(tweetsFrom(5, 1797891422548922368)...)
	f.fault = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Query().Has("since_id") {
			serveFile(t, w, http.StatusBadRequest, "testdata/v2_error_since_id.json")
			return true
		}
		return false
	}
	s := newSearch(t, srv, APIv2, nil)
	posts, next, err := s.Fetch(t.Context(), "1790000000000000000")
	if err != nil || len(posts) != 5 || len(f.reqs()) != 2 || next == "1790000000000000000" {
		t.Errorf("Fetch = %d posts, %s, %v after %d requests; want the recent window without since_id", len(posts), next, err, len(f.reqs()))
	}
}

func TestNewValidates(t *testing.T) {
	svc := []outcry.Service{{ID: "chatgpt", Aliases: []string{"chatgpt"}}}
	for name, cfg := range map[string]Config{
		"no token":    {Services: svc},
		"bad api":     {Token: "t", API: "v3", Services: svc},
		"bad base":    {Token: "t", BaseURL: "ftp://x", Services: svc},
		"no query":    {Token: "t"},
		"query long":  {Token: "t", Query: strings.Repeat("a ", 300)},
		"aliases off": {Token: "t", Services: []outcry.Service{{ID: "x", Aliases: []string{"grok"}, Disabled: true}}},
	} {
		if _, err := New(cfg); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("%s: New = %v, want ErrInvalid", name, err)
		}
	}
	s, err := New(Config{Token: "t", Services: svc})
	if err != nil || s.Query() == "" || !strings.HasPrefix(s.Query(), "chatgpt (down OR outage") {
		t.Errorf("New with services = %v, query %q", err, s.Query())
	}
	if s.cfg.API != APIv2 || s.cfg.MaxResults != 100 {
		t.Errorf("defaults = %+v", s.cfg)
	}
}

func TestSnowflakeAndLang(t *testing.T) {
	if got := snowflakeTime("1797891422548922368"); !got.Equal(time.Date(2024, 6, 4, 7, 21, 33, 0, time.UTC)) {
		t.Errorf("snowflakeTime = %v", got)
	}
	for in, want := range map[string]string{"en": "en", "pt-BR": "pt", "und": "", "qme": "", "qht": "", "zxx": "", "ja": "ja", "in": "in", "": ""} {
		if got := normLang(in); got != want {
			t.Errorf("normLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRealTexts: real post texts, escaped the way X escapes them, come back unchanged
// through both APIs.
func TestRealTexts(t *testing.T) {
	fh, err := os.Open("../../../shared/data/real/posts_normalized.csv")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared data not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	head, _ := r.Read()
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var tws []fakeTweet
	want := map[string]string{}
	base := int64(1797891422548922368)
	for i := 0; i < 300; i++ {
		rec, err := r.Read()
		if err != nil {
			break
		}
		text := rec[col["text"]]
		if strings.TrimSpace(text) == "" {
			continue
		}
		id := base + int64(i)<<22
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(text)
		tws = append(tws, fakeTweet{id: id, text: esc, lang: rec[col["lang"]], user: "u", created: testNow})
		want["x:"+strconv.FormatInt(id, 10)] = text
	}
	for _, api := range []string{APIv1, APIv2} {
		f, srv := startX(t)
		f.add(tws...)
		s := newSearch(t, srv, api, func(c *Config) { c.MaxPages = 10 })
		posts, _, err := s.Fetch(t.Context(), "")
		if err != nil || len(posts) != len(tws) {
			t.Fatalf("%s: %d posts, %v", api, len(posts), err)
		}
		for _, p := range posts {
			if p.Text != want[p.ID] {
				t.Fatalf("%s %s: got %q, want %q", api, p.ID, p.Text, want[p.ID])
			}
		}
	}
}
