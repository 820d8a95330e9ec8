package rss

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

var fixedNow = time.Date(2024, 6, 4, 12, 0, 0, 0, time.UTC)

// fixtures maps each feed fixture to the fallback language its source would configure.
var fixtures = map[string]string{
	"reddit-chatgpt.atom": "en",
	"hnrss.xml":           "en",
	"mastodon-tag.rss":    "",
	"google-news.xml":     "",
	"status-blog.json":    "",
	"latin1.xml":          "",
	"invalid-utf8.xml":    "",
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixturePosts(t *testing.T, name string) []outcry.Post {
	t.Helper()
	feed, err := ParseFeed(readFixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	src := strings.TrimSuffix(name, filepath.Ext(name))
	return Posts(src, "https://feeds.example.test/"+name, fixtures[name], feed, fixedNow)
}

func TestGolden(t *testing.T) {
	for name := range fixtures {
		t.Run(name, func(t *testing.T) {
			posts := fixturePosts(t, name)
			got, err := json.MarshalIndent(posts, "", "  ")
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
				t.Errorf("posts differ from %s (run with -update to accept):\n%s", golden, got)
			}
		})
	}
}

// TestFixtureMapping states the mapping rules the golden files encode, so that a careless
// -update cannot silently accept a regression.
func TestFixtureMapping(t *testing.T) {
	reddit := fixturePosts(t, "reddit-chatgpt.atom")
	if len(reddit) != 3 {
		t.Fatalf("reddit: %d posts", len(reddit))
	}
	r0 := reddit[0]
	if r0.ID != "rss:reddit-chatgpt:t3_1d7q2xk" || r0.Author != "/u/night_owl_dev" || r0.Lang != "en" ||
		!r0.CreatedAt.Equal(time.Date(2024, 6, 4, 7, 41, 9, 0, time.UTC)) ||
		r0.URL != "https://www.reddit.com/r/ChatGPT/comments/1d7q2xk/is_chatgpt_down_for_anyone_else/" {
		t.Errorf("reddit[0] = %+v", r0)
	}
	wantText := `Is ChatGPT down for anyone else? Keep getting "Something went wrong. If this issue persists please contact us" on every message. Tried the app & the website, logged out and in again. Anyone else or is it just me?`
	if r0.Text != wantText {
		t.Errorf("reddit text:\n got %q\nwant %q", r0.Text, wantText)
	}
	for _, p := range reddit {
		if strings.Contains(p.Text, "submitted by") || strings.Contains(p.Text, "[comments]") || strings.Contains(p.Text, "<") {
			t.Errorf("reddit boilerplate or markup left: %q", p.Text)
		}
	}
	if got := reddit[2].Text; got != `Outage again? Status page says investigating. Back to Claude for now I guess. web: 502 iOS: "network error"` {
		t.Errorf("reddit list text = %q", got)
	}

	news := fixturePosts(t, "google-news.xml")
	if news[0].Text != "ChatGPT is down for thousands of users worldwide - The Verge" || news[0].Lang != "en" {
		t.Errorf("google news repeats its title or lost lang: %+v", news[0])
	}
	if !strings.HasPrefix(news[0].URL, "https://news.google.com/rss/articles/") || news[0].ID != "rss:google-news:CBMiTWh0dHBzOi8vd3d3LnRoZXZlcmdlLmNvbS8yMDI0LzYvNC9jaGF0Z3B0LWRvd24tb3V0YWdl0gEA" {
		t.Errorf("google news id/url: %+v", news[0])
	}

	masto := fixturePosts(t, "mastodon-tag.rss")
	if masto[0].Author != "@claire_dev" || masto[0].Lang != "" ||
		masto[0].Text != "ChatGPT, Claude et Perplexity sont tous en panne en ce moment 😩 Journée productive en perspective. #chatgpt #panne" {
		t.Errorf("mastodon[0] = %+v", masto[0])
	}
	if masto[1].Text != `Is #ChatGPT down again? "Hmm...something seems to have gone wrong." @OpenAI` {
		t.Errorf("mastodon[1] text = %q", masto[1].Text)
	}

	hn := fixturePosts(t, "hnrss.xml")
	if hn[0].Author != "outage_watcher" || hn[0].ID != "rss:hnrss:https://news.ycombinator.com/item?id=40572316" ||
		hn[0].Text != "ChatGPT is down" ||
		hn[1].Text != `Ask HN: Is ChatGPT down for everyone? Getting "Something went wrong" on chatgpt.com and 503s from the API dashboard. Status page is still green for me.` {
		t.Errorf("hn[0] = %+v", hn[0])
	}

	blog := fixturePosts(t, "status-blog.json")
	if blog[0].Lang != "de" || blog[0].Author != "Jana Weber" || strings.Contains(blog[0].Text, "track()") ||
		blog[0].Text != "Ausfall unserer KI-Integration Heute Morgen war ChatGPT für mehrere Stunden nicht erreichbar – unsere Integration lieferte nur Fehler." ||
		!blog[0].CreatedAt.Equal(time.Date(2024, 6, 4, 9, 2, 0, 0, time.UTC)) {
		t.Errorf("json feed[0] = %+v", blog[0])
	}
	if blog[1].URL != "https://blog.example.org/2024/06/03/release" || !blog[1].CreatedAt.Equal(time.Date(2024, 6, 3, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("json feed relative url / updated date: %+v", blog[1])
	}

	latin := fixturePosts(t, "latin1.xml")
	if latin[0].Text != "ChatGPT ne répond plus Depuis ce matin ça ne fonctionne pas, erreur réseau à chaque requête." || latin[0].Lang != "fr" ||
		!latin[0].CreatedAt.Equal(time.Date(2024, 6, 4, 7, 12, 0, 0, time.UTC)) {
		t.Errorf("latin-1 feed = %+v", latin[0])
	}

	bad := fixturePosts(t, "invalid-utf8.xml")
	if len(bad) != 1 || !utf8.ValidString(bad[0].Text) || !strings.HasPrefix(bad[0].Text, "Claude est en panne") || !strings.Contains(bad[0].Text, "café") {
		t.Errorf("invalid UTF-8 not cleaned: %+v", bad)
	}
}

func TestJoinText(t *testing.T) {
	tests := []struct{ title, body, want string }{
		{"", "body only", "body only"},
		{"Title only", "", "Title only"},
		{"ChatGPT down - The Verge", "ChatGPT down The Verge", "ChatGPT down - The Verge"},
		{"ChatGPT down", "ChatGPT down: thousands of reports", "ChatGPT down: thousands of reports"},
		{"Outage", "unrelated body", "Outage unrelated body"},
		{"Q", "text submitted by /u/bob [link] [comments]", "Q text"},
		{"Show HN: x", "Article URL: https://x.test Comments URL: https://news.ycombinator.com/item?id=1 Points: 3 # Comments: 0", "Show HN: x"},
	}
	for _, tt := range tests {
		if got := joinText(tt.title, tt.body); got != tt.want {
			t.Errorf("joinText(%q, %q) = %q, want %q", tt.title, tt.body, got, tt.want)
		}
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain  text\n\twith   space", "plain text with space"},
		{"<p>a</p><p>b</p>", "a b"},
		{"Chat<b>GPT</b> is<br/>down", "ChatGPT is down"},
		{"&lt;b&gt; &amp;amp; &eacute; &#x1F600; &nbsp;x", "<b> &amp; é 😀 x"},
		{"<style>p{}</style><script>alert(1)</script>ok", "ok"},
		{"5 < 6 and 7 > 3", "5 < 6 and 7 > 3"},
		{"<p>unclosed <b>tags", "unclosed tags"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		if got := HTMLText(tt.in); got != tt.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	s := strings.Repeat("é", 3000) // 6000 bytes
	got := truncate(s, MaxText)
	if len(got) > MaxText || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("truncate: len %d valid %v", len(got), utf8.ValidString(got))
	}
}

// feedServer serves body with an ETag and honours If-None-Match, counting requests.
type feedServer struct {
	body     []byte
	etag     string
	requests atomic.Int32
	notMod   atomic.Int32
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if s.etag != "" {
		if r.Header.Get("If-None-Match") == s.etag {
			s.notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", s.etag)
		w.Header().Set("Last-Modified", "Tue, 04 Jun 2024 07:41:09 GMT")
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=UTF-8")
	w.Write(s.body)
}

func TestFetchConditionalGET(t *testing.T) {
	fs := &feedServer{body: readFixture(t, "reddit-chatgpt.atom"), etag: `"abc"`}
	srv := httptest.NewServer(fs)
	defer srv.Close()
	f := New(Config{Name: "reddit-chatgpt", URL: srv.URL + "/r/ChatGPT/new/.rss", Lang: "en"})
	posts, cur, err := f.Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 3 {
		t.Fatalf("%d posts", len(posts))
	}
	c := decodeCursor(cur)
	if c.ETag != `"abc"` || c.LastModified == "" || !c.Newest.Equal(time.Date(2024, 6, 4, 7, 41, 9, 0, time.UTC)) {
		t.Errorf("cursor = %s", cur)
	}
	posts, cur2, err := f.Fetch(t.Context(), cur)
	if err != nil || len(posts) != 0 || cur2 != cur {
		t.Errorf("second fetch: %d posts, cursor %q, err %v; want 304 = no posts, same cursor", len(posts), cur2, err)
	}
	if fs.notMod.Load() != 1 {
		t.Errorf("server answered %d conditional requests with 304", fs.notMod.Load())
	}
}

func TestFetchWithoutValidatorsSkipsUnchangedBody(t *testing.T) {
	fs := &feedServer{body: readFixture(t, "hnrss.xml")}
	srv := httptest.NewServer(fs)
	defer srv.Close()
	f := New(Config{Name: "hn", URL: srv.URL})
	posts, cur, err := f.Fetch(t.Context(), "")
	if err != nil || len(posts) != 2 {
		t.Fatalf("first fetch: %d posts, %v", len(posts), err)
	}
	posts, cur2, err := f.Fetch(t.Context(), cur)
	if err != nil || len(posts) != 0 || cur2 != cur {
		t.Errorf("unchanged body: %d posts, %v", len(posts), err)
	}
	// A garbled cursor is treated as none.
	if posts, _, err := f.Fetch(t.Context(), "{not json"); err != nil || len(posts) != 2 {
		t.Errorf("bad cursor: %d posts, %v", len(posts), err)
	}
}

func TestFetchRepeatedItems(t *testing.T) {
	item := `<item><title>ChatGPT down</title><guid>same</guid><pubDate>Tue, 04 Jun 2024 07:30:00 GMT</pubDate></item>`
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` + item + item + `<item><title>other</title><guid>b</guid></item><item><description>   </description></item></channel></rss>`
	srv := httptest.NewServer(&feedServer{body: []byte(body)})
	defer srv.Close()
	posts, _, err := New(Config{Name: "dup", URL: srv.URL, Clock: func() time.Time { return fixedNow }}).Fetch(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || posts[0].ID != "rss:dup:same" || posts[1].ID != "rss:dup:b" {
		t.Fatalf("posts = %+v; want the repeated item once and the empty item skipped", posts)
	}
	if !posts[1].CreatedAt.Equal(fixedNow) {
		t.Errorf("undated item not stamped now: %v", posts[1].CreatedAt)
	}
}

func TestFetchFaults(t *testing.T) {
	atom := readFixture(t, "reddit-chatgpt.atom")
	mux := http.NewServeMux()
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "300")
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream connect error", http.StatusInternalServerError)
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) { w.Write(atom[:len(atom)/2]) })
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><item><title>a < b</title></item></channel></rss>`))
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<!doctype html><html><body>Blocked</body></html>"))
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1"`))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(atom) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		path  string
		check func(error) bool
	}{
		{"/429", func(err error) bool { return ingest.RetryAfter(err) == 5*time.Minute }},
		{"/500", func(err error) bool { var se *ingest.StatusError; return errors.As(err, &se) && se.Code == 500 }},
		{"/truncated", func(err error) bool { return strings.Contains(err.Error(), "parse feed") }},
		{"/malformed", func(err error) bool { return strings.Contains(err.Error(), "parse feed") }},
		{"/html", func(err error) bool { return strings.Contains(err.Error(), "parse feed") }},
		{"/json", func(err error) bool { return strings.Contains(err.Error(), "parse feed") }},
		{"/big", func(err error) bool { return errors.Is(err, ingest.ErrTooLarge) }},
		{"/hang", func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f := New(Config{Name: "faulty", URL: srv.URL + tt.path, Client: &ingest.Client{MaxBody: int64(len(atom) - 1)}})
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			posts, cur, err := f.Fetch(ctx, `{"etag":"\"old\""}`)
			if err == nil || !tt.check(err) {
				t.Fatalf("err = %v", err)
			}
			if !strings.HasPrefix(err.Error(), "rss: faulty: ") {
				t.Errorf("error not prefixed: %v", err)
			}
			if posts != nil || cur != `{"etag":"\"old\""}` {
				t.Errorf("failed fetch returned posts %v or moved the cursor to %q", posts, cur)
			}
		})
	}
}

func TestTruncatedFeedsNeverPanic(t *testing.T) {
	for name := range fixtures {
		body := readFixture(t, name)
		for n := 0; n < len(body)-2; n += 7 {
			feed, err := ParseFeed(body[:n])
			if err == nil {
				// Cutting inside trailing whitespace or after the root may still parse.
				for _, p := range Posts("t", "", "", feed, fixedNow) {
					checkPost(t, "t", p)
				}
			}
		}
	}
}

// checkPost asserts the invariants every mapped post satisfies.
func checkPost(t *testing.T, name string, p outcry.Post) {
	t.Helper()
	if !strings.HasPrefix(p.ID, "rss:"+name+":") || len(p.ID) == len("rss:"+name+":") {
		t.Fatalf("bad id %q", p.ID)
	}
	for _, s := range []string{p.ID, p.Text, p.Author, p.URL, p.Lang} {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in %+v", p)
		}
	}
	if p.Text != strings.TrimSpace(p.Text) || strings.Contains(p.Text, "  ") || strings.ContainsAny(p.Text, "\n\t\r") {
		t.Fatalf("whitespace not collapsed: %q", p.Text)
	}
	if len(p.Text) > MaxText {
		t.Fatalf("text of %d bytes", len(p.Text))
	}
	if p.URL != "" && !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") {
		t.Fatalf("non-http url %q", p.URL)
	}
	if p.CreatedAt.Location() != time.UTC {
		t.Fatalf("created_at not UTC: %v", p.CreatedAt)
	}
}

func FuzzItemPost(f *testing.F) {
	f.Add("ChatGPT down", "<p>Something went wrong</p>", "", "https://x.test/1", "g1", "bob", "2024-06-04T07:00:00Z")
	f.Add("", "", "<b>Claude</b> en panne &amp; lent", "javascript:alert(1)", "", "", "")
	f.Add("\xff\xfe", "<script>x</script>", "submitted by /u/x [link] [comments]", "/rel/path", "  ", "\x00", "bad")
	base, _ := url.Parse("https://feeds.example.test/feed")
	f.Fuzz(func(t *testing.T, title, desc, content, link, guid, author, published string) {
		it := &gofeed.Item{Title: title, Description: desc, Content: content, Link: link, GUID: guid, Published: published,
			Authors: []*gofeed.Person{{Name: author}}}
		if ts, err := time.Parse(time.RFC3339, published); err == nil {
			it.PublishedParsed = &ts
		}
		p := ItemPost("fz", base, "en", it, fixedNow)
		checkPost(t, "fz", p)
		if p.Lang != "en" {
			t.Fatalf("lang %q", p.Lang)
		}
		if q := ItemPost("fz", base, "en", it, fixedNow); !reflect.DeepEqual(q, p) {
			t.Fatalf("not deterministic: %+v vs %+v", p, q)
		}
	})
}

func FuzzParseFeed(f *testing.F) {
	for name := range fixtures {
		f.Add(readFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		feed, err := ParseFeed(body)
		if err != nil {
			return
		}
		for _, p := range Posts("fz", "https://x.test/", "", feed, fixedNow) {
			checkPost(t, "fz", p)
		}
	})
}

func BenchmarkParseAndMap(b *testing.B) {
	for _, name := range []string{"reddit-chatgpt.atom", "google-news.xml"} {
		body := readFixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			items := 0
			for b.Loop() {
				feed, err := ParseFeed(body)
				if err != nil {
					b.Fatal(err)
				}
				items += len(Posts("bench", "", "", feed, fixedNow))
			}
			b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
