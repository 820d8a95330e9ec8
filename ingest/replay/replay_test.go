package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

var t0 = time.Date(2024, 6, 4, 7, 0, 0, 0, time.UTC)

// writePosts writes a JSONL file with one post per offset from t0.
func writePosts(t *testing.T, dir, name string, offsets ...time.Duration) string {
	t.Helper()
	var b strings.Builder
	for i, off := range offsets {
		line, _ := json.Marshal(outcry.Post{ID: fmt.Sprintf("%s-%d", name, i+1), Source: "file", Text: "post", CreatedAt: t0.Add(off)})
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type emitted struct {
	at     time.Time
	posts  []outcry.Post
	cursor string
}

// recorder is an Emit that records batches with the virtual time they arrived.
type recorder struct {
	mu      sync.Mutex
	batches []emitted
	failAt  int // fail the n-th call (1-based); 0 never
	calls   int
}

func (r *recorder) emit(ctx context.Context, posts []outcry.Post, next string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls == r.failAt {
		return errors.New("sink down")
	}
	r.batches = append(r.batches, emitted{time.Now(), slices.Clone(posts), next})
	return nil
}

func (r *recorder) posts() []outcry.Post {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []outcry.Post
	for _, b := range r.batches {
		out = append(out, b.posts...)
	}
	return out
}

func ids(ps []outcry.Post) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestReplayPacesAndRestamps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		f := writePosts(t, dir, "a.jsonl", 0, time.Minute, time.Minute, 3*time.Minute)
		r, err := New(Config{Name: "demo", Files: []string{f}, Speed: 60})
		if err != nil {
			t.Fatal(err)
		}
		var rec recorder
		start := time.Now()
		if err := r.Stream(t.Context(), "", rec.emit); err != nil {
			t.Fatalf("Stream = %v, want nil at the end of the files", err)
		}
		// 60x: one minute of original time per second; equal times arrive together.
		var got []string
		for _, b := range rec.batches {
			got = append(got, fmt.Sprintf("%v:%v:%s", b.at.Sub(start), ids(b.posts), b.cursor))
		}
		want := []string{
			"0s:[a.jsonl-1]:" + f + ":1",
			"1s:[a.jsonl-2 a.jsonl-3]:" + f + ":3",
			"3s:[a.jsonl-4]:" + f + ":4",
		}
		if !slices.Equal(got, want) {
			t.Errorf("batches:\n got %q\nwant %q", got, want)
		}
		for i, p := range rec.posts() {
			if wantAt := []time.Duration{0, time.Second, time.Second, 3 * time.Second}[i]; !p.CreatedAt.Equal(start.Add(wantAt)) || p.CreatedAt.Location() != time.UTC {
				t.Errorf("post %d stamped %v, want start+%v", i, p.CreatedAt, wantAt)
			}
		}
	})
}

func TestReplayMergesFilesAndKeepsTimes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		a := writePosts(t, dir, "a.jsonl", 0, 2*time.Second, 4*time.Second)
		b := writePosts(t, dir, "b.jsonl", time.Second, 4*time.Second)
		r, _ := New(Config{Name: "demo", Files: []string{a, b}, KeepTimes: true, Batch: 2})
		var rec recorder
		if err := r.Stream(t.Context(), "", rec.emit); err != nil {
			t.Fatal(err)
		}
		want := []string{"a.jsonl-1", "b.jsonl-1", "a.jsonl-2", "a.jsonl-3", "b.jsonl-2"}
		if got := ids(rec.posts()); !slices.Equal(got, want) {
			t.Errorf("order %v, want %v (created_at, then file order)", got, want)
		}
		if len(rec.batches) != 3 || len(rec.batches[0].posts) != 2 {
			t.Errorf("speed 0 should emit full batches of 2 at once: %d batches", len(rec.batches))
		}
		if p := rec.posts()[1]; !p.CreatedAt.Equal(t0.Add(time.Second)) {
			t.Errorf("KeepTimes changed created_at: %v", p.CreatedAt)
		}
		if rec.batches[2].cursor != b+":2" {
			t.Errorf("last cursor %q", rec.batches[2].cursor)
		}
	})
}

func TestReplayResumesFromCursor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		f := writePosts(t, dir, "a.jsonl", 0, time.Second, 2*time.Second, 3*time.Second, 4*time.Second)
		r, _ := New(Config{Name: "demo", Files: []string{f}, Speed: 1})
		rec := recorder{failAt: 3}
		err := r.Stream(t.Context(), "", rec.emit)
		if err == nil || !strings.Contains(err.Error(), "sink down") {
			t.Fatalf("Stream = %v, want the emit error", err)
		}
		last := rec.batches[len(rec.batches)-1].cursor
		if last != f+":2" {
			t.Fatalf("last accepted cursor %q", last)
		}
		// A new Replay (a restart) resumes after the last accepted post.
		r2, _ := New(Config{Name: "demo", Files: []string{f}, Speed: 1})
		var rec2 recorder
		start := time.Now()
		if err := r2.Stream(t.Context(), last, rec2.emit); err != nil {
			t.Fatal(err)
		}
		if got := ids(rec2.posts()); !slices.Equal(got, []string{"a.jsonl-3", "a.jsonl-4", "a.jsonl-5"}) {
			t.Errorf("resumed with %v", got)
		}
		if got := rec2.batches[0].at.Sub(start); got != 0 {
			t.Errorf("first resumed post after %v, want at once", got)
		}
		// Unknown cursors start over.
		var rec3 recorder
		r2.Stream(t.Context(), "gone.jsonl:9", rec3.emit)
		if len(rec3.posts()) != 5 {
			t.Errorf("unknown cursor: %d posts", len(rec3.posts()))
		}
	})
}

func TestReplayLoops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		f := writePosts(t, dir, "a.jsonl", 0, time.Minute)
		r, _ := New(Config{Name: "demo", Files: []string{f}, Speed: 60, Loop: true})
		var rec recorder
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- r.Stream(ctx, "", rec.emit) }()
		time.Sleep(7*time.Second + time.Millisecond)
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Stream = %v, want nil on cancel", err)
		}
		// Pass length: 1 minute span + 1 minute gap = 2s at 60x.
		want := []string{"a.jsonl-1", "a.jsonl-2", "a.jsonl-1:loop1", "a.jsonl-2:loop1", "a.jsonl-1:loop2", "a.jsonl-2:loop2", "a.jsonl-1:loop3", "a.jsonl-2:loop3"}
		got := rec.posts()
		if !slices.Equal(ids(got), want) {
			t.Fatalf("ids %v, want %v", ids(got), want)
		}
		for i := 1; i < len(got); i++ {
			if !got[i].CreatedAt.After(got[i-1].CreatedAt) {
				t.Errorf("times not increasing across loops at %d", i)
			}
		}
		if c := rec.batches[len(rec.batches)-1].cursor; c != f+":2#3" {
			t.Errorf("loop cursor %q", c)
		}
		// Resuming inside pass 2 goes on with pass 2 IDs.
		var rec2 recorder
		ctx2, cancel2 := context.WithCancel(t.Context())
		go func() { done <- r.Stream(ctx2, f+":1#2", rec2.emit) }()
		time.Sleep(10 * time.Millisecond)
		cancel2()
		<-done
		if got := ids(rec2.posts()); len(got) == 0 || got[0] != "a.jsonl-2:loop2" {
			t.Errorf("resumed loop with %v", got)
		}
	})
}

func TestReplayStartInThePastBackfills(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		f := writePosts(t, dir, "a.jsonl", 0, 30*time.Minute, 60*time.Minute, 90*time.Minute)
		now := time.Now()
		r, _ := New(Config{Name: "demo", Files: []string{f}, Speed: 1, Start: now.Add(-45 * time.Minute)})
		var rec recorder
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- r.Stream(ctx, "", rec.emit) }()
		synctest.Wait()
		if got := ids(rec.posts()); !slices.Equal(got, []string{"a.jsonl-1", "a.jsonl-2"}) {
			t.Errorf("backfilled %v, want the two posts before now", got)
		}
		time.Sleep(16 * time.Minute)
		if got := len(rec.posts()); got != 3 {
			t.Errorf("after 16m: %d posts", got)
		}
		cancel()
		<-done
		if p := rec.posts()[0]; !p.CreatedAt.Equal(now.Add(-45 * time.Minute)) {
			t.Errorf("first post stamped %v, want Start", p.CreatedAt)
		}
	})
}

func TestReplayKeepalive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		f := writePosts(t, dir, "a.jsonl", 0, time.Hour)
		r, _ := New(Config{Name: "demo", Files: []string{f}, Speed: 1, Keepalive: 10 * time.Second})
		var rec recorder
		ctx, cancel := context.WithTimeout(t.Context(), 95*time.Second)
		defer cancel()
		if err := r.Stream(ctx, "", rec.emit); err != nil {
			t.Fatal(err)
		}
		empty := 0
		for _, b := range rec.batches {
			if len(b.posts) == 0 {
				empty++
				if b.cursor != f+":1" {
					t.Errorf("keepalive carries cursor %q", b.cursor)
				}
			}
		}
		if empty != 9 {
			t.Errorf("%d keepalives in 95s, want 9", empty)
		}
	})
}

func TestReplayUnderRunner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		var offs []time.Duration
		for i := range 20 {
			offs = append(offs, time.Duration(i)*time.Minute)
		}
		f := writePosts(t, dir, "a.jsonl", offs...)
		bad := filepath.Join(dir, "bad.csv")
		os.WriteFile(bad, []byte("text,created_at\nok,2024-06-04T07:00:30Z\n,2024-06-04T07:01:00Z\n"), 0o644)
		sink := &memSink{cursors: map[string]string{}}
		run := func(d time.Duration) *ingest.Runner {
			r, _ := New(Config{Name: "demo", Files: []string{f, bad}, Speed: 60})
			runner := ingest.NewRunner(ingest.Config{}, sink, nil, sink, nil)
			if err := runner.Add(ingest.SourceSpec{Name: "demo", Type: "replay", Stream: r}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error)
			go func() { done <- runner.Run(ctx) }()
			time.Sleep(d)
			cancel()
			<-done
			return runner
		}
		run(10*time.Second + time.Millisecond) // 11 posts of a + 1 of bad.csv
		if n := len(sink.posts); n != 12 {
			t.Fatalf("first run stored %d posts", n)
		}
		runner := run(time.Minute) // restart: the rest, then the stream ends
		if n := len(sink.posts); n != 21 {
			t.Fatalf("after restart %d posts", n)
		}
		seen := map[string]bool{}
		for _, p := range sink.posts {
			if seen[p.ID] {
				t.Errorf("duplicate %s", p.ID)
			}
			seen[p.ID] = true
			if p.Source != "file" && p.Source != "demo" {
				t.Errorf("source %q", p.Source)
			}
		}
		h := runner.Health()[0]
		if h.State != outcry.HealthOK || !strings.Contains(h.Message, "skipped 1 bad rows (first: "+bad+":3: missing text") {
			t.Errorf("health = %+v", h)
		}
	})
}

type memSink struct {
	mu      sync.Mutex
	posts   []outcry.Post
	cursors map[string]string
}

func (m *memSink) AddPosts(_ context.Context, source string, posts []outcry.Post, cursor string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.posts = append(m.posts, posts...)
	m.cursors[source] = cursor
	return len(posts), nil
}

func (m *memSink) Cursor(source string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cursors[source], nil
}

func TestNewValidates(t *testing.T) {
	for _, cfg := range []Config{
		{Files: []string{"x"}},
		{Name: "a"},
		{Name: "a", Files: []string{"x"}, Speed: -1},
	} {
		if _, err := New(cfg); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("New(%+v) = %v, want ErrInvalid", cfg, err)
		}
	}
	r, err := New(Config{Name: "a", Files: []string{filepath.Join(t.TempDir(), "missing.jsonl")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Stream(t.Context(), "", func(context.Context, []outcry.Post, string) error { return nil }); err == nil {
		t.Error("missing file: no error")
	}
}
