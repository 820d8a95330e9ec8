package mastodon

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

// decodePage decodes one timeline page and maps it the way Fetch does.
func decodePage(t *Tags, body []byte, fetched time.Time) ([]outcry.Post, error) {
	var statuses []status
	if err := json.Unmarshal(body, &statuses); err != nil {
		return nil, err
	}
	posts := make([]outcry.Post, 0, len(statuses))
	for i := range statuses {
		if p, ok := t.post(&statuses[i], fetched); ok {
			posts = append(posts, p)
		}
	}
	return posts, nil
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{
		"<p>Hello <b>world</b></p>", "a &amp; b", "<script>x</script>y", "<!-- c -->", "1 < 2 > 0",
		`<a href="x>y">link</a>`, "<p>日本語<br>テキスト</p>", "\xff\xfe<p>\xc3\x28</p>", "&#0;&#xD800;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := htmlText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 %q", out)
		}
		if out != strings.TrimSpace(out) || strings.Contains(out, "  ") || strings.ContainsAny(out, "\n\t\r\x00") {
			t.Fatalf("white space not collapsed: %q", out)
		}
		if collapse(out) != out {
			t.Fatalf("collapse not idempotent on %q", out)
		}
		if !strings.ContainsAny(s, "<&") && out != collapse(s) {
			t.Fatalf("plain text changed: %q -> %q", s, out)
		}
	})
}

func FuzzDecodeStatuses(f *testing.F) {
	// One status per seed: whole fixture pages are large enough to stall the fuzzer.
	for _, path := range []string{"testdata/tag_chatgpt.json", "testdata/tag_outage.json"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(b, &raws); err != nil {
			f.Fatal(err)
		}
		for _, r := range raws {
			f.Add([]byte("[" + string(r) + "]"))
		}
	}
	f.Add([]byte(`[{"id":"1","created_at":"2024-06-04T07:21:00Z","uri":"u","content":"<p>x</p>","reblog":{"id":"2"}}]`))
	f.Add([]byte("[{\"id\":\"9\",\"created_at\":\"2024-06-04T07:21:00Z\",\"content\":\"\xff<p>x\"}]"))
	src := New(Config{Name: "m", Instance: "https://m.example", Tags: []string{"a"}})
	now := time.Now()
	f.Fuzz(func(t *testing.T, body []byte) {
		posts, err := decodePage(src, body, now)
		if err != nil {
			return
		}
		for _, p := range posts {
			switch {
			case !strings.HasPrefix(p.ID, "mastodon:") || len(p.ID) == len("mastodon:"):
				t.Fatalf("bad id %q", p.ID)
			case p.Text == "" || !utf8.ValidString(p.Text) || p.Text != strings.TrimSpace(p.Text):
				t.Fatalf("bad text %q", p.Text)
			case p.CreatedAt.IsZero() || p.CreatedAt.Location() != time.UTC:
				t.Fatalf("bad time %v", p.CreatedAt)
			case p.Lang != normLang(p.Lang):
				t.Fatalf("lang %q not normalised", p.Lang)
			}
		}
	})
}

// BenchmarkDecodePage measures decoding a full 40-status timeline page into posts.
func BenchmarkDecodePage(b *testing.B) {
	raw, err := os.ReadFile("testdata/tag_chatgpt.json")
	if err != nil {
		b.Fatal(err)
	}
	var one []json.RawMessage
	if err := json.Unmarshal(raw, &one); err != nil {
		b.Fatal(err)
	}
	var page []json.RawMessage
	for len(page) < MaxLimit {
		page = append(page, one...)
	}
	body, _ := json.Marshal(page[:MaxLimit])
	src := New(Config{Name: "m", Instance: "https://m.example", Tags: []string{"a"}})
	now := time.Now()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodePage(src, body, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*MaxLimit)/b.Elapsed().Seconds(), "statuses/s")
}

func BenchmarkHTMLText(b *testing.B) {
	s := `<p>status page still green: <a href="https://status.openai.com/" target="_blank" rel="nofollow noopener noreferrer"><span class="invisible">https://</span><span class="">status.openai.com/</span><span class="invisible"></span></a> <a href="https://mastodon.example/tags/chatgpt" class="mention hashtag" rel="tag">#<span>chatgpt</span></a> is &quot;down&quot; for me &amp; everyone</p><p>second paragraph<br>with a break</p>`
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		_ = htmlText(s)
	}
}
