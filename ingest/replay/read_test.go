package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

type row struct {
	line int
	post outcry.Post
	err  error
}

func readAll(t testing.TB, name string, data []byte) ([]row, error) {
	t.Helper()
	var rows []row
	err := ReadPosts(bytes.NewReader(data), name, func(line int, p outcry.Post, err error) error {
		rows = append(rows, row{line, p, err})
		return nil
	})
	return rows, err
}

func readFile(t testing.TB, name string) []row {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, name, data)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestReadPostsJSONL(t *testing.T) {
	rows := readFile(t, "posts.jsonl")
	type want struct {
		line    int
		id      string
		problem string
	}
	wants := []want{
		{1, "demo:1", ""},
		{2, "demo:2", ""},
		{4, HashID("demo", "carl", "no id on this one", time.Date(2024, 6, 4, 7, 24, 0, 0, time.UTC)), ""},
		{5, "", "posts.jsonl:5: missing created_at"},
		{6, "", "posts.jsonl:6: missing text"},
		{7, "", `posts.jsonl:7: bad created_at "yesterday"`},
		{8, "", "posts.jsonl:8: bad JSON: invalid character 'x' after top-level value"},
		{9, "", "posts.jsonl:9: bad JSON"},
		{10, "12345", ""},
	}
	if len(rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(wants), rows)
	}
	for i, w := range wants {
		r := rows[i]
		if r.line != w.line {
			t.Errorf("row %d: line %d, want %d", i, r.line, w.line)
		}
		if w.problem != "" {
			if r.err == nil || !errors.Is(r.err, outcry.ErrInvalid) || !strings.HasPrefix(r.err.Error(), w.problem) {
				t.Errorf("line %d: err = %v, want %q wrapping ErrInvalid", w.line, r.err, w.problem)
			}
			continue
		}
		if r.err != nil || r.post.ID != w.id {
			t.Errorf("line %d: id %q err %v, want %q", w.line, r.post.ID, r.err, w.id)
		}
	}
	p2 := rows[1].post
	if !p2.CreatedAt.Equal(time.Date(2024, 6, 4, 7, 22, 40, 0, time.UTC)) || p2.CreatedAt.Location() != time.UTC || p2.Lang != "fr" || p2.Text != "ChatGPT en panne 😩" {
		t.Errorf("row 2 = %+v", p2)
	}
	if p := rows[0].post; p.URL != "https://example.test/1" || p.Services != nil || p.Complaint {
		t.Errorf("matcher fields should be ignored: %+v", p)
	}
	if p := rows[8].post; !p.Simulated || !p.CreatedAt.Equal(time.Unix(1717485960, 0)) {
		t.Errorf("row 10 = %+v", p)
	}
	if !strings.HasPrefix(rows[2].post.ID, "demo:sha1:") {
		t.Errorf("hash id %q not prefixed by source", rows[2].post.ID)
	}
}

func TestReadPostsCSV(t *testing.T) {
	rows := readFile(t, "posts.csv")
	var good []outcry.Post
	var bad []string
	for _, r := range rows {
		if r.err != nil {
			if !errors.Is(r.err, outcry.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", r.err)
			}
			bad = append(bad, r.err.Error())
			continue
		}
		good = append(good, r.post)
	}
	wantBad := []string{"posts.csv:6: missing created_at: invalid", "posts.csv:7: unterminated quoted field: invalid"}
	if strings.Join(bad, "|") != strings.Join(wantBad, "|") {
		t.Errorf("bad rows = %q, want %q", bad, wantBad)
	}
	if len(good) != 5 {
		t.Fatalf("%d good rows: %+v", len(good), good)
	}
	if good[0].ID != "900001" || good[0].Author != "dana" || good[0].Text != "Claude is down too, and Perplexity..." ||
		!good[0].CreatedAt.Equal(time.Date(2024, 6, 4, 14, 35, 2, 0, time.UTC)) {
		t.Errorf("row 1 = %+v", good[0])
	}
	if good[1].Text != "multi-line\npost with \"quotes\" inside" {
		t.Errorf("quoted newline row = %q", good[1].Text)
	}
	if good[2].Text != `a 5" screen, a 5" inch, fine` {
		t.Errorf("stray quote row = %q", good[2].Text)
	}
	if good[3].ID != "900006" {
		t.Errorf("row after the unterminated quote lost: %+v", good[3])
	}
	if good[4].Text != "short row" || !strings.HasPrefix(good[4].ID, "sha1:") {
		t.Errorf("short row = %+v", good[4])
	}
	lines := []int{}
	for _, r := range rows {
		lines = append(lines, r.line)
	}
	if got := lines; len(got) != 7 || got[1] != 3 || got[2] != 5 || got[5] != 8 || got[6] != 9 {
		t.Errorf("row line numbers = %v, want [2 3 5 6 7 8 9]", got)
	}
}

func TestReadPostsHeaderErrors(t *testing.T) {
	for _, in := range []string{"id,text\n1,hello\n", "created_at,author\n2024-06-04T07:00:00Z,bob\n"} {
		_, err := readAll(t, "x.csv", []byte(in))
		if !errors.Is(err, outcry.ErrInvalid) || !strings.HasPrefix(err.Error(), "x.csv:1: CSV header has no") {
			t.Errorf("header %q: err = %v", strings.SplitN(in, "\n", 2)[0], err)
		}
	}
	for _, in := range []string{"", "\n\n  \n", "\ufeff"} {
		rows, err := readAll(t, "empty", []byte(in))
		if err != nil || len(rows) != 0 {
			t.Errorf("empty input %q: %d rows, %v", in, len(rows), err)
		}
	}
	// Only a header: no rows.
	if rows, err := readAll(t, "h.csv", []byte("text,created_at\n")); err != nil || len(rows) != 0 {
		t.Errorf("header only: %d rows, %v", len(rows), err)
	}
}

func TestReadPostsLongLines(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	in := `{"id":"a","text":"ok","created_at":"2024-06-04T07:00:00Z"}` + "\n" +
		`{"id":"b","text":"` + long + `","created_at":"2024-06-04T07:00:00Z"}` + "\n" +
		`{"id":"c","text":"after","created_at":"2024-06-04T07:00:00Z"}`
	rows, err := readAll(t, "big.jsonl", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].post.ID != "a" || rows[2].post.ID != "c" || rows[2].line != 3 ||
		rows[1].err == nil || !strings.Contains(rows[1].err.Error(), "big.jsonl:2: line longer than") {
		t.Fatalf("rows = %+v", rows)
	}
	csvIn := "created_at,text\n2024-06-04T07:00:00Z," + long + "\n2024-06-04T07:00:01Z,after\n"
	rows, err = readAll(t, "big.csv", []byte(csvIn))
	if err != nil || len(rows) != 2 || rows[0].err == nil || rows[1].post.Text != "after" {
		t.Fatalf("csv rows = %+v, %v", rows, err)
	}
	okLong := strings.Repeat("y", MaxLine-100)
	rows, _ = readAll(t, "ok.jsonl", []byte(`{"text":"`+okLong+`","created_at":"2024-06-04T07:00:00Z"}`))
	if len(rows) != 1 || rows[0].err != nil {
		t.Errorf("line under the limit rejected: %v", rows[0].err)
	}
}

func TestReadPostsStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ReadPosts(strings.NewReader("text,created_at\na,2024-06-04T07:00:00Z\nb,2024-06-04T07:00:00Z\n"), "s.csv", func(int, outcry.Post, error) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err %v after %d calls", err, n)
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 6, 4, 7, 21, 5, 0, time.UTC)
	for _, s := range []string{
		"2024-06-04T07:21:05Z", "2024-06-04T09:21:05+02:00", "2024-06-04 07:21:05+00:00", "2024-06-04 07:21:05",
		"2024-06-04T07:21:05", "Tue Jun 04 07:21:05 +0000 2024", "1717485665", "1717485665000", " 2024-06-04 07:21:05 ",
		"2024-06-04 07:21:05 +0000 UTC",
	} {
		got, ok := parseTime(s)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "yesterday", "12", "2024-13-01", "0"} {
		if got, ok := parseTime(s); ok {
			t.Errorf("parseTime(%q) = %v, want failure", s, got)
		}
	}
}

func TestHashIDStable(t *testing.T) {
	at := time.Date(2024, 6, 4, 7, 0, 0, 0, time.FixedZone("x", 3600))
	a := HashID("src", "bob", "down", at)
	if a != HashID("src", "bob", "down", at.UTC()) || a == HashID("src", "bob", "down!", at) || a == HashID("src", "al", "down", at) {
		t.Error("HashID not stable or not discriminating")
	}
	if !strings.HasPrefix(a, "src:sha1:") || len(a) != len("src:sha1:")+40 {
		t.Errorf("HashID = %q", a)
	}
}

// TestReadSharedPosts reads the real normalised tweet file: every row parses.
func TestReadSharedPosts(t *testing.T) {
	f, err := os.Open("../../../shared/data/real/posts_normalized.csv")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared data not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, bad := 0, 0
	ids := map[string]bool{}
	err = ReadPosts(f, "posts_normalized.csv", func(line int, p outcry.Post, err error) error {
		if err != nil {
			bad++
			t.Logf("%v", err)
			return nil
		}
		n++
		ids[p.ID] = true
		if p.Source != "twitter" || p.CreatedAt.IsZero() || !utf8.ValidString(p.Text) {
			t.Fatalf("line %d: %+v", line, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 53914 || bad != 0 || len(ids) != n {
		t.Errorf("read %d posts (%d distinct ids), %d bad; want 53914, all distinct, 0 bad", n, len(ids), bad)
	}
}

func BenchmarkReadPostsCSV(b *testing.B) {
	data, err := os.ReadFile("../../../shared/data/real/posts_normalized.csv")
	if err != nil {
		b.Skip("shared data not present")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		ReadPosts(bytes.NewReader(data), "p.csv", func(int, outcry.Post, error) error { n++; return nil })
		if n != 53914 {
			b.Fatal(n)
		}
	}
}

func BenchmarkReadPostsJSONL(b *testing.B) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range 50000 {
		enc.Encode(outcry.Post{ID: "bench:" + string(rune('a'+i%26)), Source: "bench", Author: "someone", Lang: "en",
			Text: "ChatGPT is down again, anyone else getting network errors?", CreatedAt: time.Unix(1717485665+int64(i), 0).UTC()})
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		ReadPosts(bytes.NewReader(data), "p.jsonl", func(int, outcry.Post, error) error { n++; return nil })
		if n != 50000 {
			b.Fatal(n)
		}
	}
}

// FuzzReadPostsRoundTrip writes a post as JSONL and reads it back: it must come back
// equal (after the normalisations JSON itself applies), and any error must wrap
// ErrInvalid. Arbitrary input must never panic and only ever fail with ErrInvalid.
func FuzzReadPostsRoundTrip(f *testing.F) {
	f.Add("id1", "src", "bob", "ChatGPT down", "en", "https://x.test", int64(1717485665), int64(0), false, []byte("text,created_at\nhi,2024-06-04T07:00:00Z\n"))
	f.Add("", "", "", "  x ", "", "", int64(-5), int64(999), true, []byte(`{"text":"a","created_at":"2024-06-04T07:00:00Z"}`))
	f.Add("\xff", "s\x00", "a\"b", "multi\nline", "fr", "", int64(253402300799), int64(1), false, []byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, id, source, author, text, lang, url string, sec, nsec int64, sim bool, raw []byte) {
		// Arbitrary bytes: never a panic, only ErrInvalid.
		ReadPosts(bytes.NewReader(raw), "raw", func(line int, p outcry.Post, err error) error {
			if err != nil && !errors.Is(err, outcry.ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			if err == nil && (p.ID == "" || strings.TrimSpace(p.Text) == "" || p.CreatedAt.Location() != time.UTC) {
				t.Fatalf("accepted invalid post %+v", p)
			}
			return nil
		})

		at := time.Unix(sec%(1<<34), nsec%1e9).UTC()
		in := outcry.Post{ID: id, Source: source, Author: author, Text: text, Lang: lang, URL: url, CreatedAt: at, Simulated: sim}
		line, err := json.Marshal(in)
		if err != nil {
			return // a time JSON cannot represent
		}
		var got []outcry.Post
		err = ReadPosts(bytes.NewReader(line), "rt", func(_ int, p outcry.Post, err error) error {
			if err != nil {
				if !errors.Is(err, outcry.ErrInvalid) {
					t.Fatalf("error not ErrInvalid: %v", err)
				}
				return nil
			}
			got = append(got, p)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		valid := strings.TrimSpace(text) != "" && at.Year() >= 0 && at.Year() <= 9999
		if !valid {
			if len(got) != 0 {
				t.Fatalf("invalid post accepted: %+v", got)
			}
			return
		}
		if len(got) != 1 {
			t.Fatalf("read %d posts from %s", len(got), line)
		}
		// JSON itself replaces invalid UTF-8: compare with what the standard decoder reads.
		var want outcry.Post
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatal(err)
		}
		if want.ID == "" {
			want.ID = HashID(want.Source, want.Author, want.Text, at)
		}
		p := got[0]
		if p.ID != want.ID || p.Source != want.Source || p.Author != want.Author || p.Text != want.Text || p.Lang != want.Lang ||
			p.URL != want.URL || !p.CreatedAt.Equal(want.CreatedAt) || p.Simulated != want.Simulated || p.CreatedAt.Location() != time.UTC {
			t.Fatalf("round trip:\n got %+v\nwant %+v", p, want)
		}
	})
}
