package bluesky

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// memSink is an ingest.Sink and ingest.Cursors that counts how often each post arrives.
type memSink struct {
	mu     sync.Mutex
	seen   map[string]int
	cursor string
	want   int
	done   chan struct{}
}

func newMemSink() *memSink { return &memSink{seen: map[string]int{}} }

func (m *memSink) expect(n int) <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.want, m.done = n, make(chan struct{})
	return m.done
}

func (m *memSink) AddPosts(_ context.Context, _ string, posts []outcry.Post, cursor string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	stored := 0
	for _, p := range posts {
		if m.seen[p.ID] == 0 {
			stored++
		}
		m.seen[p.ID]++
	}
	m.cursor = cursor
	if m.done != nil && len(m.seen) >= m.want {
		close(m.done)
		m.done = nil
	}
	return stored, nil
}

func (m *memSink) Cursor(string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cursor, nil
}

// runUntil runs a Runner with j until the sink holds n distinct posts, then stops it.
func runUntil(t *testing.T, j *Jetstream, sink *memSink, n int) []outcry.SourceHealth {
	t.Helper()
	r := ingest.NewRunner(ingest.Config{MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, Timeout: time.Minute}, sink, nil, sink, nil)
	if err := r.Add(ingest.SourceSpec{Name: "bluesky", Type: "bluesky", Stream: j}); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	delivered := 0
	for _, c := range sink.seen {
		delivered += c
	}
	sink.mu.Unlock()
	done := sink.expect(n)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- r.Run(ctx) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("sink got %d of %d posts", len(sink.seen), n)
	}
	// The sink returns before the runner books the batch: wait for health to catch up.
	sink.mu.Lock()
	for _, c := range sink.seen {
		delivered -= c
	}
	sink.mu.Unlock()
	var health []outcry.SourceHealth
	for deadline := time.Now().Add(5 * time.Second); ; {
		health = r.Health()
		if (len(health) > 0 && health[0].PostsSeen >= int64(-delivered) && health[0].State == outcry.HealthOK) || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	return health
}

// TestRunnerDropAndRestart runs the adapter under the real ingest.Runner: the connection
// drops mid-stream and the runner reconnects from the emitted cursor, then the whole
// process "restarts" from the persisted cursor. Every post reaches the sink; nothing
// outside the rewind window arrives twice.
func TestRunnerDropAndRestart(t *testing.T) {
	base := int64(1717486000000000)
	fake := newFake(t)
	id := func(i int) string {
		return fmt.Sprintf("bsky:at://did:plc:testauthor0000000000000/app.bsky.feed.post/3kucr%06d2a", i)
	}
	for i := range 30 {
		fake.add(postLine(base+int64(i)*1e6, fmt.Sprintf("3kucr%06d2a", i), "chatgpt down"))
	}
	fake.dropAfter = 12
	srv := httptest.NewServer(fake)
	defer srv.Close()
	sink := newMemSink()

	health := runUntil(t, newTestJetstream(srv.URL, nil), sink, 30)
	for i := range 30 {
		if sink.seen[id(i)] != 1 {
			t.Errorf("post %d reached the sink %d times across the drop", i, sink.seen[id(i)])
		}
	}
	if len(fake.requests()) != 2 || fake.request(1).Get("cursor") != strconv.FormatInt(base+11e6-5e6, 10) {
		t.Errorf("requests %v: want a reconnect from the cursor minus the rewind", fake.requests())
	}
	if h := health[0]; h.State != outcry.HealthOK || h.PostsSeen != 30 {
		t.Errorf("health = %+v", h)
	}

	// Restart: a new runner and adapter resume from the sink's cursor; ten new posts.
	for i := 30; i < 40; i++ {
		fake.add(postLine(base+int64(i)*1e6, fmt.Sprintf("3kucr%06d2a", i), "still down"))
	}
	runUntil(t, newTestJetstream(srv.URL, nil), sink, 40)
	for i := range 40 {
		want := 1
		if i >= 24 && i < 30 { // replayed by the 5s rewind; the index stores them once
			want = 2
		}
		if got := sink.seen[id(i)]; got != want {
			t.Errorf("after restart post %d arrived %d times, want %d", i, got, want)
		}
	}
}
