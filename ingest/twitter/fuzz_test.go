package twitter

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	//lint:ignore SA1019 the v1.1 adapter uses go-twitter's types.
	gotwitter "github.com/dghubble/go-twitter/twitter"
	"github.com/outcry/outcry"
)

func testSearch(tb testing.TB) *Search {
	s, err := New(Config{Name: "x", Token: "t", Query: "chatgpt down"})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// FuzzV2Page checks that any v2 response body maps without panicking to well-formed posts.
func FuzzV2Page(f *testing.F) {
	// Small seeds: whole fixture pages are large enough to stall the fuzzer.
	var page v2Response
	raw, err := os.ReadFile("testdata/v2_search_recent.json")
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		f.Fatal(err)
	}
	for i := range page.Data {
		one := page
		one.Data = page.Data[i : i+1]
		b, _ := json.Marshal(one)
		f.Add(b)
	}
	f.Add([]byte(`{"data":[{"id":"1","text":"a &amp;amp; b","referenced_tweets":[{"type":"retweeted","id":"1"}]}],"includes":{"tweets":[{"id":"1"}]}}`))
	f.Add([]byte("{\"data\":[{\"id\":\"99\",\"text\":\"\xff\",\"created_at\":\"bad\",\"lang\":\"qme\"}]}"))
	s := testSearch(f)
	now := time.Now()
	f.Fuzz(func(t *testing.T, body []byte) {
		var res v2Response
		if json.Unmarshal(body, &res) != nil {
			return
		}
		for _, p := range s.v2Posts(&res, now) {
			checkPost(t, p)
		}
	})
}

// FuzzV1Status does the same for v1.1 statuses decoded by go-twitter's types.
func FuzzV1Status(f *testing.F) {
	raw, err := os.ReadFile("testdata/v1_search_tweets.json")
	if err != nil {
		f.Fatal(err)
	}
	var doc struct {
		Statuses []json.RawMessage `json:"statuses"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		f.Fatal(err)
	}
	for _, st := range doc.Statuses {
		f.Add([]byte(`{"statuses":[` + string(st) + `]}`))
	}
	f.Add([]byte(`{"statuses":[{"id_str":"12","full_text":"","text":"x &lt; y","created_at":"nope","retweeted_status":{"id":5,"text":"z"}}]}`))
	s := testSearch(f)
	now := time.Now()
	f.Fuzz(func(t *testing.T, body []byte) {
		var res gotwitter.Search
		if json.Unmarshal(body, &res) != nil {
			return
		}
		for i := range res.Statuses {
			if p, ok := s.v1Post(&res.Statuses[i], now); ok {
				checkPost(t, p)
			}
		}
	})
}

func checkPost(t *testing.T, p outcry.Post) {
	t.Helper()
	id := strings.TrimPrefix(p.ID, "x:")
	switch {
	case !strings.HasPrefix(p.ID, "x:") || !isID(id):
		t.Fatalf("bad id %q", p.ID)
	case p.Text == "" || !utf8.ValidString(p.Text):
		t.Fatalf("bad text %q", p.Text)
	case p.URL != "https://x.com/"+p.Author+"/status/"+id && p.URL != "https://x.com/i/status/"+id:
		t.Fatalf("url %q for author %q", p.URL, p.Author)
	case p.CreatedAt.Location() != time.UTC:
		t.Fatalf("time %v not UTC", p.CreatedAt)
	case p.Lang != normLang(p.Lang):
		t.Fatalf("lang %q not normalised", p.Lang)
	}
}

// BenchmarkV2Page measures decoding a full 100-post v2 page into posts.
func BenchmarkV2Page(b *testing.B) {
	body := benchPage(b, "testdata/v2_search_recent.json", "data", 100)
	s := testSearch(b)
	now := time.Now()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var res v2Response
		if err := json.Unmarshal(body, &res); err != nil {
			b.Fatal(err)
		}
		if len(s.v2Posts(&res, now)) == 0 {
			b.Fatal("no posts")
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkV1Page measures decoding a full 100-status v1.1 page (go-twitter's types) into posts.
func BenchmarkV1Page(b *testing.B) {
	body := benchPage(b, "testdata/v1_search_tweets.json", "statuses", 100)
	s := testSearch(b)
	now := time.Now()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var res gotwitter.Search
		if err := json.Unmarshal(body, &res); err != nil {
			b.Fatal(err)
		}
		for i := range res.Statuses {
			s.v1Post(&res.Statuses[i], now)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "posts/s")
}

// benchPage repeats the items of a fixture's list field until it holds n.
func benchPage(b *testing.B, path, field string, n int) []byte {
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		b.Fatal(err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(doc[field], &items); err != nil {
		b.Fatal(err)
	}
	var list []json.RawMessage
	for len(list) < n {
		list = append(list, items...)
	}
	doc[field], _ = json.Marshal(list[:n])
	out, _ := json.Marshal(doc)
	return out
}
