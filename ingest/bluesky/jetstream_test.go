package bluesky

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
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// collector is an ingest.Emit that records batches and cancels the stream once stop
// says the test has seen enough.
type collector struct {
	mu      sync.Mutex
	posts   []outcry.Post
	cursors []string
	batches int
	stop    func(c *collector) bool
	cancel  context.CancelFunc
}

func (c *collector) emit(ctx context.Context, posts []outcry.Post, next string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.posts = append(c.posts, posts...)
	c.cursors = append(c.cursors, next)
	c.batches++
	if c.stop != nil && c.stop(c) && c.cancel != nil {
		c.cancel()
	}
	return nil
}

func (c *collector) last() string {
	if len(c.cursors) == 0 {
		return ""
	}
	return c.cursors[len(c.cursors)-1]
}

func untilCursor(cursor int64) func(*collector) bool {
	want := strconv.FormatInt(cursor, 10)
	return func(c *collector) bool { return c.last() == want }
}

// runStream streams from srv until stop holds (or a generous safety deadline passes, which
// fails the test) and returns what was emitted and Stream's error.
func runStream(t *testing.T, j *Jetstream, cursor string, stop func(*collector) bool) (*collector, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	c := &collector{stop: stop, cancel: cancel}
	err := j.Stream(ctx, cursor, c.emit)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("stream did not reach its stop condition: %d posts, cursor %q", len(c.posts), c.last())
	}
	return c, err
}

func newTestJetstream(srvURL string, mut func(*Config)) *Jetstream {
	cfg := DefaultConfig()
	cfg.Name = "bsky-test"
	cfg.URL = "ws" + strings.TrimPrefix(srvURL, "http") + "/subscribe"
	cfg.BatchWait = 10 * time.Millisecond
	if mut != nil {
		mut(&cfg)
	}
	return New(cfg)
}

type goldenPost struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	Lang      string    `json:"lang"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
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

func TestStreamFixture(t *testing.T) {
	fake := newFake(t, readLines(t, "testdata/jetstream.jsonl")...)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, nil)

	before := time.Now().UTC()
	c, err := runStream(t, j, "", untilCursor(fake.times[len(fake.times)-1]))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	var got []goldenPost
	for _, p := range c.posts {
		if p.FetchedAt.Before(before) || p.FetchedAt.After(time.Now().UTC()) {
			t.Errorf("%s: FetchedAt %v not the time of the read", p.ID, p.FetchedAt)
		}
		got = append(got, goldenPost{p.ID, p.Source, p.Author, p.Text, p.Lang, p.URL, p.CreatedAt})
	}
	checkGolden(t, "jetstream.golden.json", got)

	if h := j.Health(); h != nil {
		t.Errorf("Health = %+v with nothing skipped", h)
	}
	st := j.Stats()
	want := Stats{Events: 14, Posts: 7, Ignored: 7, Connects: 1}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
	q := fake.request(0)
	if got := q["wantedCollections"]; len(got) != 1 || got[0] != PostCollection {
		t.Errorf("wantedCollections = %v", got)
	}
	if _, ok := q["cursor"]; ok {
		t.Errorf("live start sent a cursor: %v", q)
	}
	if q.Get("maxMessageSizeBytes") != strconv.FormatInt(DefaultConfig().MaxMessage, 10) {
		t.Errorf("maxMessageSizeBytes = %q", q.Get("maxMessageSizeBytes"))
	}
}

type query map[string][]string

func (q query) Get(k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (f *fakeJetstream) request(i int) query { return query(f.requests()[i]) }

func TestStreamMalformedAndInvalidUTF8(t *testing.T) {
	lines := readLines(t, "testdata/jetstream_malformed.jsonl")
	lines = append(lines, readLines(t, "testdata/jetstream_invalid_utf8.jsonl")...)
	fake := newFake(t, lines...)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, nil)

	c, err := runStream(t, j, "", untilCursor(1717485671000000))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if st := j.Stats(); st.Malformed != 8 || st.Posts != 1 || st.Connects != 1 {
		t.Errorf("stats = %+v, want 8 malformed, 1 post, one connection", st)
	}
	if h := j.Health(); len(h) != 1 || !strings.Contains(h[0].Message, "8 malformed") {
		t.Errorf("Health = %+v, want the malformed count", h)
	}
	if len(c.posts) != 1 {
		t.Fatalf("posts = %d, want 1", len(c.posts))
	}
	p := c.posts[0]
	if !utf8.ValidString(p.Text) || !strings.Contains(p.Text, "\uFFFD") || !strings.Contains(p.Text, "chatgpt") || !strings.HasSuffix(p.Text, "again") {
		t.Errorf("text = %q: want valid UTF-8 with replacement characters and the words kept", p.Text)
	}
}

func postLine(timeUS int64, rkey, text string) []byte {
	b, _ := json.Marshal(map[string]any{
		"did": "did:plc:testauthor0000000000000", "time_us": timeUS, "kind": "commit",
		"commit": map[string]any{
			"rev": "3kuciaaaaaa2a", "operation": "create", "collection": PostCollection, "rkey": rkey, "cid": "bafytest",
			"record": map[string]any{"$type": PostCollection, "text": text, "langs": []string{"en"},
				"createdAt": time.UnixMicro(timeUS).UTC().Format(time.RFC3339Nano)},
		},
	})
	return b
}

func TestStreamOversizedMessageSkipped(t *testing.T) {
	fake := newFake(t,
		postLine(1717485700000000, "3kucjaaaaaa2a", "chatgpt down"),
		postLine(1717485701000000, "3kucjbbbbbb2a", strings.Repeat("x", 4096)),
		postLine(1717485702000000, "3kucjcccccc2a", "still down"),
	)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, func(c *Config) { c.MaxMessage = 1024 })

	c, err := runStream(t, j, "", untilCursor(1717485702000000))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if len(c.posts) != 2 || c.posts[0].Text != "chatgpt down" || c.posts[1].Text != "still down" {
		t.Errorf("posts = %+v", c.posts)
	}
	if st := j.Stats(); st.Oversized != 1 || st.Connects != 1 {
		t.Errorf("stats = %+v, want one oversized message on one connection", st)
	}
	if got := fake.request(0).Get("maxMessageSizeBytes"); got != "1024" {
		t.Errorf("maxMessageSizeBytes = %q", got)
	}
}

// TestStreamResumeAfterDrop: the first connection dies mid-stream; Stream reports it, the
// second Stream resumes from the emitted cursor minus the rewind, and after dedupe by ID
// every post arrived exactly once.
func TestStreamResumeAfterDrop(t *testing.T) {
	const n = 30
	base := int64(1717485800000000)
	fake := newFake(t)
	var want []string
	for i := range n {
		rkey := fmt.Sprintf("3kuck%06d2a", i)
		fake.add(postLine(base+int64(i)*int64(time.Second/time.Microsecond), rkey, fmt.Sprintf("post %d chatgpt down", i)))
		want = append(want, "bsky:at://did:plc:testauthor0000000000000/app.bsky.feed.post/"+rkey)
	}
	fake.dropAfter = 12
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, nil)

	c1, err := runStream(t, j, "", nil)
	if err == nil {
		t.Fatal("Stream returned nil after the server dropped the connection")
	}
	if len(c1.posts) != 12 {
		t.Fatalf("first connection delivered %d posts, want the 12 sent before the drop", len(c1.posts))
	}
	cursor := c1.last()
	if cursor != strconv.FormatInt(base+11*1e6, 10) {
		t.Fatalf("cursor after drop = %s", cursor)
	}

	c2, err := runStream(t, j, cursor, untilCursor(base+(n-1)*1e6))
	if err != nil {
		t.Fatalf("second Stream: %v", err)
	}
	wantCursor := strconv.FormatInt(base+11*1e6-DefaultConfig().Rewind.Microseconds(), 10)
	if got := fake.request(1).Get("cursor"); got != wantCursor {
		t.Errorf("resume cursor = %s, want %s (cursor minus rewind)", got, wantCursor)
	}
	seen := map[string]int{}
	var order []string
	for _, p := range append(c1.posts, c2.posts...) {
		if seen[p.ID] == 0 {
			order = append(order, p.ID)
		}
		seen[p.ID]++
	}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Errorf("after dedupe got %d posts in order %v, want all %d with no gap", len(order), order, n)
	}
	dups := len(c1.posts) + len(c2.posts) - len(order)
	if dups != 6 {
		t.Errorf("replayed %d posts, want the 6 inside the 5s rewind (Jetstream replays time_us >= cursor)", dups)
	}
	for i := 1; i < len(c2.cursors); i++ {
		a, _ := strconv.ParseInt(c2.cursors[i-1], 10, 64)
		b, _ := strconv.ParseInt(c2.cursors[i], 10, 64)
		if b < a {
			t.Errorf("cursor went backwards: %d then %d", a, b)
		}
	}
}

func TestStreamServerCloseFlushesAndFails(t *testing.T) {
	fake := newFake(t, readLines(t, "testdata/jetstream.jsonl")...)
	fake.closeNormally = true
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, func(c *Config) { c.BatchWait = time.Hour; c.BatchSize = 1000 })

	c, err := runStream(t, j, "", nil)
	if err == nil || !strings.Contains(err.Error(), "server closed") {
		t.Fatalf("Stream = %v, want a server-closed error", err)
	}
	if len(c.posts) != 7 || c.batches != 1 || c.last() != strconv.FormatInt(fake.times[len(fake.times)-1], 10) {
		t.Errorf("got %d posts in %d batches up to %s: pending posts must be emitted before returning", len(c.posts), c.batches, c.last())
	}
}

func TestStreamCompressed(t *testing.T) {
	fake := newFake(t, readLines(t, "testdata/jetstream.jsonl")...)
	fake.accept = &websocket.AcceptOptions{CompressionMode: websocket.CompressionContextTakeover, CompressionThreshold: 64}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, func(c *Config) { c.Compress = true })
	c, err := runStream(t, j, "", untilCursor(fake.times[len(fake.times)-1]))
	if err != nil || len(c.posts) != 7 {
		t.Fatalf("Stream = %v with %d posts", err, len(c.posts))
	}
	fake.mu.Lock()
	ext := fake.headers[0].Get("Sec-WebSocket-Extensions")
	ua := fake.headers[0].Get("User-Agent")
	fake.mu.Unlock()
	if !strings.Contains(ext, "permessage-deflate") || !strings.HasPrefix(ua, "outcry") {
		t.Errorf("handshake extensions %q, user agent %q", ext, ua)
	}
}

func TestStreamEmitErrorStops(t *testing.T) {
	fake := newFake(t, readLines(t, "testdata/jetstream.jsonl")...)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, nil)
	boom := errors.New("disk full")
	err := j.Stream(t.Context(), "", func(context.Context, []outcry.Post, string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Stream = %v, want the emit error", err)
	}
}

func TestDialRefusedHonoursRetryAfter(t *testing.T) {
	for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			http.Error(w, "slow down", code)
		}))
		j := newTestJetstream(srv.URL, nil)
		err := j.Stream(t.Context(), "", func(context.Context, []outcry.Post, string) error { return nil })
		srv.Close()
		var se *ingest.StatusError
		if !errors.As(err, &se) || se.Code != code || ingest.RetryAfter(err) != 30*time.Second {
			t.Errorf("HTTP %d: Stream = %v, want a StatusError asking for 30s", code, err)
		}
	}
}

func TestStreamUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	j := newTestJetstream(u, nil)
	if err := j.Stream(t.Context(), "", nil); err == nil {
		t.Fatal("Stream to a closed port returned nil")
	}
}

// TestStreamIdleTimeout: a server that accepts and then says nothing is given up on after
// IdleTimeout, with the events it did send emitted first.
func TestStreamIdleTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lines := readLines(t, "testdata/jetstream.jsonl")[:4]
		dial := servePipe(t, newFake(t, lines...))
		j := New(Config{URL: "ws://jetstream.test/subscribe", Dial: dial, IdleTimeout: 30 * time.Second, BatchWait: time.Second})
		c := &collector{}
		start := time.Now()
		err := j.Stream(t.Context(), "", c.emit)
		elapsed := time.Since(start)
		if !errors.Is(err, ErrIdle) {
			t.Fatalf("Stream = %v, want ErrIdle", err)
		}
		if elapsed < 30*time.Second || elapsed > 32*time.Second {
			t.Errorf("gave up after %v, want the 30s idle timeout", elapsed)
		}
		if len(c.posts) != 2 || c.last() != "1717485662000400" {
			t.Errorf("emitted %d posts up to %s before giving up, want 2 up to 1717485662000400", len(c.posts), c.last())
		}
	})
}

// TestStreamBackpressure: while emit is blocked the reader stops reading, so memory holds
// at most about two batches however much the server has to send.
func TestStreamBackpressure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := newFake(t)
		for i := range 5000 {
			fake.add(postLine(1717486000000000+int64(i), fmt.Sprintf("3kucm%07da", i), "chatgpt is down"))
		}
		dial := servePipe(t, fake)
		const batch = 50
		j := New(Config{URL: "ws://jetstream.test/subscribe", Dial: dial, BatchSize: batch, IdleTimeout: time.Hour})
		release := make(chan struct{})
		var got int
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			done <- j.Stream(ctx, "", func(ctx context.Context, posts []outcry.Post, _ string) error {
				got += len(posts)
				select {
				case <-release:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
		synctest.Wait() // everyone is blocked: the batcher in emit, the reader on its channel, the server on the pipe
		if ev := j.Stats().Events; ev > 2*batch+2 {
			t.Errorf("read %d events while the consumer was stuck on the first batch, want <= %d", ev, 2*batch+2)
		}
		if got != batch {
			t.Errorf("first batch had %d posts, want %d", got, batch)
		}
		close(release)
		synctest.Wait()
		if ev := j.Stats().Events; ev != 5000 || got != 5000 {
			t.Errorf("after release read %d events and emitted %d posts, want 5000", ev, got)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Stream after cancel = %v, want nil", err)
		}
	})
}

func TestSubscribeURL(t *testing.T) {
	tests := []struct {
		name, url, cursor string
		cfg               func(*Config)
		want              string
	}{
		{"live", "wss://js.example/subscribe", "", nil,
			"wss://js.example/subscribe?maxMessageSizeBytes=262144&wantedCollections=app.bsky.feed.post"},
		{"resume rewinds 5s", "wss://js.example/subscribe", "1717485662000400", nil,
			"wss://js.example/subscribe?cursor=1717485657000400&maxMessageSizeBytes=262144&wantedCollections=app.bsky.feed.post"},
		{"https becomes wss, extra params kept", "https://js.example/subscribe?wantedDids=did:plc:abc", "", nil,
			"wss://js.example/subscribe?maxMessageSizeBytes=262144&wantedCollections=app.bsky.feed.post&wantedDids=did%3Aplc%3Aabc"},
		{"several collections", "ws://js.example/subscribe", "", func(c *Config) { c.Collections = []string{PostCollection, "app.bsky.feed.like"} },
			"ws://js.example/subscribe?maxMessageSizeBytes=262144&wantedCollections=app.bsky.feed.post&wantedCollections=app.bsky.feed.like"},
		{"garbage cursor starts live", "wss://js.example/subscribe", "yesterday", nil,
			"wss://js.example/subscribe?maxMessageSizeBytes=262144&wantedCollections=app.bsky.feed.post"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{URL: tt.url}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			j := New(cfg)
			got, err := j.subscribeURL(j.parseCursor(tt.cursor))
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v\nwant %q", got, err, tt.want)
			}
		})
	}
	if err := (Config{URL: "ftp://x/y"}).Validate(); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("Validate(ftp) = %v, want ErrInvalid", err)
	}
	if _, err := New(Config{URL: "ftp://x/y"}).subscribeURL(0); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("subscribeURL(ftp) = %v, want ErrInvalid", err)
	}
}

func TestNormLang(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "pt-BR": "pt", "ZH_hant": "zh", "und": "", "": "", "english": "", "e1": "", " fr ": "fr"} {
		if got := normLang(in); got != want {
			t.Errorf("normLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStreamRealTexts sends real multilingual post texts through the Jetstream wire format
// and checks they come out unchanged.
func TestStreamRealTexts(t *testing.T) {
	texts, langs := realTexts(t, 2000)
	fake := newFake(t)
	base := int64(1717490000000000)
	for i, text := range texts {
		b, _ := json.Marshal(map[string]any{
			"did": "did:plc:realdata00000000000000000", "time_us": base + int64(i), "kind": "commit",
			"commit": map[string]any{"operation": "create", "collection": PostCollection, "rkey": fmt.Sprintf("r%06d", i),
				"record": map[string]any{"text": text, "langs": []string{langs[i]}}},
		})
		fake.add(b)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	j := newTestJetstream(srv.URL, nil)
	c, err := runStream(t, j, "", untilCursor(base+int64(len(texts))-1))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, text := range texts {
		if strings.TrimSpace(text) != "" {
			want++
		}
	}
	if len(c.posts) != want {
		t.Fatalf("got %d posts, want %d", len(c.posts), want)
	}
	k := 0
	for i, text := range texts {
		if strings.TrimSpace(text) == "" {
			continue
		}
		p := c.posts[k]
		k++
		if p.Text != text || p.Lang != normLang(langs[i]) || !p.CreatedAt.Equal(time.UnixMicro(base+int64(i))) {
			t.Fatalf("post %d: got %q/%q/%v, want %q/%q", i, p.Text, p.Lang, p.CreatedAt, text, langs[i])
		}
	}
}

// realTexts reads up to n texts and languages from the shared real-post corpus.
func realTexts(t testing.TB, n int) (texts, langs []string) {
	t.Helper()
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
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for len(texts) < n {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, rec[col["text"]])
		langs = append(langs, rec[col["lang"]])
	}
	return texts, langs
}
