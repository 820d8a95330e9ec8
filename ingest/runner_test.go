package ingest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/outcry/outcry"
)

// memSink is an in-memory Sink, OfficialSink and Cursors that dedupes like the real one.
type memSink struct {
	mu       sync.Mutex
	posts    []outcry.Post
	seen     map[string]bool
	cursors  map[string]string
	calls    int
	failNext int           // fail this many AddPosts calls
	delay    time.Duration // time each AddPosts takes
	official []outcry.OfficialIncident
	offCalls int
}

func newMemSink() *memSink {
	return &memSink{seen: map[string]bool{}, cursors: map[string]string{}}
}

func (m *memSink) AddPosts(ctx context.Context, source string, posts []outcry.Post, cursor string) (int, error) {
	if m.delay > 0 {
		time.Sleep(m.delay)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.failNext > 0 {
		m.failNext--
		return 0, errors.New("disk full")
	}
	n := 0
	for _, p := range posts {
		if !m.seen[p.ID] {
			m.seen[p.ID] = true
			n++
		}
		m.posts = append(m.posts, p)
	}
	m.cursors[source] = cursor
	return n, nil
}

func (m *memSink) RecordOfficial(ctx context.Context, source string, incidents []outcry.OfficialIncident, cursor string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.offCalls++
	m.official = append(m.official, incidents...)
	m.cursors[source] = cursor
	return nil
}

func (m *memSink) Cursor(source string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cursors[source], nil
}

func (m *memSink) ids() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, p := range m.posts {
		out = append(out, p.ID)
	}
	return out
}

type sourceFunc func(ctx context.Context, cursor string) ([]outcry.Post, string, error)

func (f sourceFunc) Fetch(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
	return f(ctx, cursor)
}

type officialFunc func(ctx context.Context, cursor string) ([]outcry.OfficialIncident, string, error)

func (f officialFunc) FetchOfficial(ctx context.Context, cursor string) ([]outcry.OfficialIncident, string, error) {
	return f(ctx, cursor)
}

type streamFunc func(ctx context.Context, cursor string, emit Emit) error

func (f streamFunc) Stream(ctx context.Context, cursor string, emit Emit) error {
	return f(ctx, cursor, emit)
}

// attempts records the virtual times at which a fake source was called.
type attempts struct {
	mu    sync.Mutex
	times []time.Time
}

func (a *attempts) mark() {
	a.mu.Lock()
	a.times = append(a.times, time.Now())
	a.mu.Unlock()
}

func (a *attempts) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.times)
}

func (a *attempts) gaps() []time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(a.times); i++ {
		out = append(out, a.times[i].Sub(a.times[i-1]))
	}
	return out
}

// runFor runs r for d of virtual time, then cancels it and waits for Run to return.
func runFor(t *testing.T, r *Runner, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	time.Sleep(d)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v, want nil on cancel", err)
	}
}

func post(id string) outcry.Post {
	return outcry.Post{ID: id, Text: "text of " + id, CreatedAt: time.Date(2024, 6, 4, 7, 30, 0, 0, time.UTC)}
}

func healthOf(t *testing.T, r *Runner, name string) outcry.SourceHealth {
	t.Helper()
	for _, h := range r.Health() {
		if h.Name == name {
			return h
		}
	}
	t.Fatalf("no health for %q", name)
	return outcry.SourceHealth{}
}

func TestRunnerBackoffGrowsAndResets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var a attempts
		fail := 6 // attempts that fail before one succeeds
		src := sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
			a.mark()
			if a.count() <= fail {
				return nil, cursor, errors.New("connection refused")
			}
			return nil, cursor, nil
		})
		cfg := Config{MinBackoff: time.Second, MaxBackoff: 8 * time.Second, Jitter: 0.5, Rand: func() float64 { return 0.5 }}
		r := NewRunner(cfg, newMemSink(), nil, nil, nil)
		if err := r.Add(SourceSpec{Name: "a", Source: src, Interval: time.Minute}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r, 3*time.Minute)
		// Jitter 0.5 with r = 0.5 shortens every wait by 25%.
		want := []time.Duration{
			750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 6 * time.Second, 6 * time.Second,
			time.Minute, time.Minute, // success: back to the interval
		}
		got := a.gaps()
		if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
			t.Fatalf("gaps = %v, want prefix %v", got, want)
		}
	})
}

func TestRunnerJitterBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var a attempts
		src := sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
			a.mark()
			return nil, cursor, errors.New("HTTP 500")
		})
		rng := rand.New(rand.NewPCG(7, 7))
		cfg := Config{MinBackoff: 2 * time.Second, MaxBackoff: time.Minute, Jitter: 0.25, Rand: rng.Float64}
		r := NewRunner(cfg, newMemSink(), nil, nil, nil)
		if err := r.Add(SourceSpec{Name: "a", Source: src}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r, 20*time.Minute)
		gaps := a.gaps()
		if len(gaps) < 20 {
			t.Fatalf("only %d retries in 20 minutes", len(gaps))
		}
		distinct := map[time.Duration]bool{}
		for i, g := range gaps {
			base := min(2*time.Second<<i, time.Minute)
			lo := time.Duration(float64(base) * 0.75)
			if g < lo || g > base {
				t.Errorf("retry %d after %v, want within [%v, %v]", i+1, g, lo, base)
			}
			if base == time.Minute {
				distinct[g] = true
			}
		}
		if len(distinct) < 5 {
			t.Errorf("capped waits are not jittered: %v", distinct)
		}
		h := healthOf(t, r, "a")
		if h.State != outcry.HealthFailing || h.ConsecutiveFailures != len(a.times) || !strings.Contains(h.Error, "HTTP 500") {
			t.Errorf("health = %+v", h)
		}
		if h.BackoffSeconds <= 0 || h.NextAttempt.IsZero() || h.LastError.IsZero() {
			t.Errorf("health lacks backoff/next attempt: %+v", h)
		}
	})
}

func TestRunnerHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var a attempts
		src := sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
			a.mark()
			switch a.count() {
			case 1:
				return nil, cursor, &StatusError{URL: "http://x/feed", Code: 429, RetryAfter: 90 * time.Second}
			case 2:
				return nil, cursor, fmt.Errorf("rss: %w", &StatusError{URL: "http://x/feed", Code: 503, RetryAfter: 2 * time.Hour})
			}
			return nil, cursor, nil
		})
		cfg := Config{MinBackoff: time.Second, MaxBackoff: time.Minute, Rand: func() float64 { return 0 }}
		r := NewRunner(cfg, newMemSink(), nil, nil, nil)
		if err := r.Add(SourceSpec{Name: "a", Source: src, Interval: 5 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- r.Run(ctx) }()
		time.Sleep(time.Second)
		start := time.Now()
		h := healthOf(t, r, "a")
		if h.Backoff != 90*time.Second || h.BackoffSeconds != 90 {
			t.Errorf("backoff after 429 = %v, want 90s (Retry-After beats MaxBackoff)", h.Backoff)
		}
		if got := h.NextAttempt.Sub(start); got != 89*time.Second {
			t.Errorf("next attempt in %v, want 89s", got)
		}
		time.Sleep(3 * time.Hour)
		cancel()
		<-done
		want := []time.Duration{90 * time.Second, 2 * time.Hour, 5 * time.Minute}
		if got := a.gaps(); len(got) < 3 || !slices.Equal(got[:3], want) {
			t.Fatalf("gaps = %v, want prefix %v", got, want)
		}
	})
}

func TestRunnerHangingSourceDoesNotDelayOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var hang, broken, fast, slow attempts
		mk := func(a *attempts, f func(ctx context.Context) error) Source {
			return sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
				a.mark()
				if err := f(ctx); err != nil {
					return nil, cursor, err
				}
				n := a.count()
				return []outcry.Post{post(fmt.Sprintf("%p-%d", a, n))}, strconv.Itoa(n), nil
			})
		}
		sink := newMemSink()
		r := NewRunner(Config{MinBackoff: time.Second, MaxBackoff: 5 * time.Minute, Jitter: 0.2}, sink, nil, sink, nil)
		specs := []SourceSpec{
			{Name: "hang", Source: mk(&hang, func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }), Interval: time.Minute, Timeout: 30 * time.Second},
			{Name: "broken", Source: mk(&broken, func(context.Context) error { return &StatusError{Code: 500} }), Interval: time.Minute},
			{Name: "fast", Source: mk(&fast, func(context.Context) error { return nil }), Interval: time.Minute},
			// slow takes 20s per fetch; its rate must still be one per 2 minutes.
			{Name: "slow", Source: mk(&slow, func(context.Context) error { time.Sleep(20 * time.Second); return nil }), Interval: 2 * time.Minute},
		}
		for _, s := range specs {
			if err := r.Add(s); err != nil {
				t.Fatal(err)
			}
		}
		runFor(t, r, 60*time.Minute+time.Second)
		if got := fast.count(); got != 61 {
			t.Errorf("fast polled %d times in 60m, want 61", got)
		}
		if got := slow.count(); got != 31 {
			t.Errorf("slow polled %d times in 60m, want 31", got)
		}
		for _, g := range fast.gaps() {
			if g != time.Minute {
				t.Fatalf("fast gap %v, want exactly 1m: %v", g, fast.gaps())
			}
		}
		h := healthOf(t, r, "hang")
		if h.State != outcry.HealthFailing || !strings.Contains(h.Error, "timed out after 30s") {
			t.Errorf("hang health = %+v", h)
		}
		if got := hang.count(); got < 5 || got > 20 {
			t.Errorf("hang attempted %d times; backoff should space them out", got)
		}
		if h := healthOf(t, r, "fast"); h.State != outcry.HealthOK || h.PostsSeen != 61 || h.PostsStored != 61 || h.Cursor != "61" {
			t.Errorf("fast health = %+v", h)
		}
		if got, _ := sink.Cursor("slow"); got != "31" {
			t.Errorf("slow cursor = %q", got)
		}
	})
}

func TestRunnerCursorHandedToSinkAndResumed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The source pages through 10 posts, 3 per poll, using the cursor as an offset.
		all := make([]outcry.Post, 10)
		for i := range all {
			all[i] = post(fmt.Sprintf("p%02d", i))
		}
		var mu sync.Mutex
		var seenCursors []string
		src := sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
			mu.Lock()
			seenCursors = append(seenCursors, cursor)
			mu.Unlock()
			off := 0
			if cursor != "" {
				off, _ = strconv.Atoi(cursor)
			}
			end := min(off+3, len(all))
			return all[off:end], strconv.Itoa(end), nil
		})
		sink := newMemSink()
		sink.failNext = 1 // the very first store fails: the same page must come again
		cfg := Config{MinBackoff: time.Second}
		r1 := NewRunner(cfg, sink, nil, sink, nil)
		if err := r1.Add(SourceSpec{Name: "feed", Source: src, Interval: time.Minute}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r1, 90*time.Second) // fail at 0, retry at ~1s, poll at ~61s
		if got, _ := sink.Cursor("feed"); got != "6" {
			t.Fatalf("persisted cursor after first run = %q, want 6", got)
		}
		// Restart: a new runner reads the persisted cursor and goes on from there.
		r2 := NewRunner(cfg, sink, nil, sink, nil)
		if err := r2.Add(SourceSpec{Name: "feed", Source: src, Interval: time.Minute}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r2, 150*time.Second)
		mu.Lock()
		defer mu.Unlock()
		want := []string{"", "", "3", "6", "9", "10"}
		if !slices.Equal(seenCursors, want) {
			t.Errorf("cursors handed to Fetch = %q, want %q", seenCursors, want)
		}
		ids := sink.ids()
		wantIDs := []string{"p00", "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09"}
		if !slices.Equal(ids, wantIDs) {
			t.Errorf("stored %v, want each post exactly once in order %v", ids, wantIDs)
		}
		if h := healthOf(t, r2, "feed"); h.Cursor != "10" || h.State != outcry.HealthOK {
			t.Errorf("health after restart = %+v", h)
		}
	})
}

func TestRunnerDedupesAcrossPollsAndNormalises(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		paris := time.FixedZone("CEST", 2*3600)
		poll := 0
		src := sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
			poll++
			// A feed repeats its recent items on every poll and adds one new one.
			posts := []outcry.Post{
				{ID: "rss:f:1", Text: "ChatGPT down?", CreatedAt: time.Date(1999, 12, 31, 9, 30, 0, 0, paris)}, // synctest starts in 2000
				{ID: "rss:f:2", Text: "still down", Source: "custom"},
				{ID: "rss:f:2", Text: "repeated within the batch"},
				{ID: "", Text: "no id"},
				{ID: "rss:f:blank", Text: "  \n "},
				{ID: fmt.Sprintf("rss:f:new%d", poll), Text: "new"},
				{ID: "rss:f:future", Text: "dated hours ahead", CreatedAt: time.Now().Add(5 * time.Hour)},
			}
			return posts, "", nil
		})
		sink := newMemSink()
		r := NewRunner(Config{}, sink, nil, nil, nil)
		if err := r.Add(SourceSpec{Name: "f", Source: src, Interval: time.Minute}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		runFor(t, r, 150*time.Second)
		want := []string{"rss:f:1", "rss:f:2", "rss:f:new1", "rss:f:future", "rss:f:new2", "rss:f:new3"}
		if got := sink.ids(); !slices.Equal(got, want) {
			t.Fatalf("sink got %v, want %v", got, want)
		}
		p := sink.posts[0]
		if p.Source != "f" || !p.FetchedAt.Equal(start) || p.CreatedAt.Location() != time.UTC || p.CreatedAt.Hour() != 7 {
			t.Errorf("not normalised: %+v", p)
		}
		if p := sink.posts[1]; p.Source != "custom" || !p.CreatedAt.Equal(start) {
			t.Errorf("source overwritten or zero CreatedAt not filled: %+v", p)
		}
		if p := sink.posts[3]; !p.CreatedAt.Equal(start) {
			t.Errorf("a post dated hours ahead kept %v, want the fetch time %v", p.CreatedAt, start)
		}
		if got := r.Dropped("f"); got != 6 {
			t.Errorf("Dropped = %d, want 6 (2 per poll x 3 polls)", got)
		}
		if h := healthOf(t, r, "f"); h.PostsSeen != 6 || h.PostsStored != 6 {
			t.Errorf("health counts = seen %d stored %d, want 6/6", h.PostsSeen, h.PostsStored)
		}
	})
}

func TestRunnerStreamResumesFromAcceptedCursor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var connects []string
		var connectTimes []time.Time
		st := streamFunc(func(ctx context.Context, cursor string, emit Emit) error {
			mu.Lock()
			connects = append(connects, cursor)
			connectTimes = append(connectTimes, time.Now())
			n := len(connects)
			mu.Unlock()
			from := 0
			if cursor != "" {
				from, _ = strconv.Atoi(cursor)
			}
			// Each connection delivers 3 events one second apart, then drops; the
			// fourth stays up.
			for i := from + 1; i <= from+3; i++ {
				time.Sleep(time.Second)
				if err := emit(ctx, []outcry.Post{post(fmt.Sprintf("e%d", i))}, strconv.Itoa(i)); err != nil {
					return err
				}
			}
			if n < 4 {
				return errors.New("websocket: close 1006 (abnormal closure)")
			}
			<-ctx.Done()
			return nil
		})
		sink := newMemSink()
		sink.delay = 500 * time.Millisecond // emit must block while the sink works
		cfg := Config{MinBackoff: 2 * time.Second, Rand: func() float64 { return 0 }}
		r := NewRunner(cfg, sink, nil, sink, nil)
		if err := r.Add(SourceSpec{Name: "jet", Stream: st, Timeout: 10 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r, 5*time.Minute)
		mu.Lock()
		defer mu.Unlock()
		if want := []string{"", "3", "6", "9"}; !slices.Equal(connects, want) {
			t.Errorf("reconnect cursors = %q, want %q", connects, want)
		}
		var want []string
		for i := 1; i <= 12; i++ {
			want = append(want, fmt.Sprintf("e%d", i))
		}
		if got := sink.ids(); !slices.Equal(got, want) {
			t.Errorf("stored %v, want %v (no gap, no duplicate)", got, want)
		}
		// Every connection succeeded before it dropped, so backoff stays at the minimum;
		// each connection lasts 3 x (1s + 0.5s sink).
		for i := 1; i < len(connectTimes); i++ {
			if got := connectTimes[i].Sub(connectTimes[i-1]); got != 4500*time.Millisecond+2*time.Second {
				t.Errorf("reconnect %d after %v, want 6.5s", i, got)
			}
		}
		if h := healthOf(t, r, "jet"); h.State != outcry.HealthOK || h.Cursor != "12" || h.PostsSeen != 12 {
			t.Errorf("health = %+v", h)
		}
	})
}

func TestRunnerStreamIdleTimeoutAndKeepalive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var silent, chatty attempts
		quiet := streamFunc(func(ctx context.Context, cursor string, emit Emit) error {
			silent.mark()
			<-ctx.Done() // connected but nothing ever arrives
			return ctx.Err()
		})
		alive := streamFunc(func(ctx context.Context, cursor string, emit Emit) error {
			chatty.mark()
			for {
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(20 * time.Second):
				}
				if err := emit(ctx, nil, cursor); err != nil { // keepalive
					return err
				}
			}
		})
		cfg := Config{MinBackoff: time.Second, MaxBackoff: 4 * time.Second, Rand: func() float64 { return 0 }}
		r := NewRunner(cfg, newMemSink(), nil, nil, nil)
		for _, s := range []SourceSpec{{Name: "quiet", Stream: quiet, Timeout: 30 * time.Second}, {Name: "alive", Stream: alive, Timeout: 30 * time.Second}} {
			if err := r.Add(s); err != nil {
				t.Fatal(err)
			}
		}
		runFor(t, r, 10*time.Minute)
		if got := chatty.count(); got != 1 {
			t.Errorf("keepalive stream reconnected: %d connections", got)
		}
		if got := silent.count(); got < 10 {
			t.Errorf("idle stream connected %d times in 10m; want reconnects every ~34s", got)
		}
		h := healthOf(t, r, "quiet")
		if h.State != outcry.HealthFailing || !strings.Contains(h.Error, "no data for 30s") {
			t.Errorf("quiet health = %+v", h)
		}
		if h := healthOf(t, r, "alive"); h.State != outcry.HealthOK {
			t.Errorf("alive health = %+v", h)
		}
	})
}

func TestRunnerStreamThatEndsStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var a attempts
		st := streamFunc(func(ctx context.Context, cursor string, emit Emit) error {
			a.mark()
			if cursor == "done" {
				return nil
			}
			return emit(ctx, []outcry.Post{post("only")}, "done")
		})
		sink := newMemSink()
		r := NewRunner(Config{}, sink, nil, nil, nil)
		if err := r.Add(SourceSpec{Name: "replay", Stream: st}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r, time.Hour)
		if a.count() != 1 {
			t.Errorf("ended stream restarted %d times", a.count()-1)
		}
		h := healthOf(t, r, "replay")
		if h.State != outcry.HealthOK || h.Message != "stream ended" || h.Cursor != "done" {
			t.Errorf("health = %+v", h)
		}
	})
}

func TestRunnerOfficial(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		src := officialFunc(func(ctx context.Context, cursor string) ([]outcry.OfficialIncident, string, error) {
			calls++
			if cursor == "etag-1" {
				return nil, cursor, ErrNotModified
			}
			return []outcry.OfficialIncident{{ID: "openai-status:rs49lmsh6xxw", Title: "ChatGPT is unavailable for some users."}}, "etag-1", nil
		})
		sink := newMemSink()
		r := NewRunner(Config{}, sink, sink, sink, nil)
		if err := r.Add(SourceSpec{Name: "openai-status", Type: "statuspage", Official: src, Interval: time.Minute}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r, 150*time.Second)
		if calls != 3 || sink.offCalls != 1 {
			t.Errorf("fetched %d times, recorded %d times; want 3 and 1 (304 is no work)", calls, sink.offCalls)
		}
		if got := sink.official[0].Source; got != "openai-status" {
			t.Errorf("incident source = %q", got)
		}
		if h := healthOf(t, r, "openai-status"); h.State != outcry.HealthOK || h.Cursor != "etag-1" || h.PostsSeen != 1 {
			t.Errorf("health = %+v", h)
		}
	})
}

type reportingSource struct {
	sourceFunc
	msg string
}

func (s reportingSource) Health() []outcry.SourceHealth {
	return []outcry.SourceHealth{{Name: "x", Message: s.msg}}
}

func TestRunnerHealthStates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		slow := sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
			select {
			case <-block:
			case <-ctx.Done():
			}
			return nil, cursor, nil
		})
		refused := reportingSource{
			sourceFunc: func(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
				return nil, cursor, &StatusError{Code: 403}
			},
			msg: "X refused the token: the v1.1 search API needs a paid tier",
		}
		r := NewRunner(Config{}, newMemSink(), nil, nil, nil)
		for _, s := range []SourceSpec{
			{Name: "twitter", Type: "twitter", Disabled: true, Message: "set OUTCRY_TWITTER_BEARER_TOKEN"},
			{Name: "slow", Type: "rss", URL: "http://127.0.0.1/feed", Source: slow, Timeout: time.Hour},
			{Name: "x", Type: "twitter", Source: refused},
		} {
			if err := r.Add(s); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- r.Run(ctx) }()
		synctest.Wait()
		hs := r.Health()
		names := []string{hs[0].Name, hs[1].Name, hs[2].Name}
		if !slices.Equal(names, []string{"slow", "twitter", "x"}) {
			t.Errorf("health not sorted by name: %v", names)
		}
		if hs[0].State != outcry.HealthStarting || hs[0].Type != "rss" || hs[0].URL == "" {
			t.Errorf("slow = %+v", hs[0])
		}
		if hs[1].State != outcry.HealthDisabled || hs[1].Message != "set OUTCRY_TWITTER_BEARER_TOKEN" {
			t.Errorf("twitter = %+v", hs[1])
		}
		if hs[2].State != outcry.HealthFailing || hs[2].Message != refused.msg {
			t.Errorf("x = %+v", hs[2])
		}
		close(block)
		synctest.Wait()
		if h := healthOf(t, r, "slow"); h.State != outcry.HealthOK || h.LastOK.IsZero() {
			t.Errorf("slow after success = %+v", h)
		}
		cancel()
		<-done
		if err := r.Run(t.Context()); err == nil {
			t.Error("second Run succeeded")
		}
		if err := r.Add(SourceSpec{Name: "late", Source: slow}); err == nil {
			t.Error("Add after Run succeeded")
		}
	})
}

func TestRunnerAddValidates(t *testing.T) {
	src := sourceFunc(func(ctx context.Context, cursor string) ([]outcry.Post, string, error) { return nil, "", nil })
	off := officialFunc(func(ctx context.Context, cursor string) ([]outcry.OfficialIncident, string, error) {
		return nil, "", nil
	})
	r := NewRunner(Config{}, newMemSink(), nil, nil, nil)
	if err := r.Add(SourceSpec{Name: "a", Source: src}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		spec    SourceSpec
		invalid bool
	}{
		{"empty name", SourceSpec{Source: src}, true},
		{"duplicate", SourceSpec{Name: "a", Source: src}, true},
		{"none set", SourceSpec{Name: "b"}, true},
		{"two set", SourceSpec{Name: "b", Source: src, Official: off}, true},
		{"official without sink", SourceSpec{Name: "b", Official: off}, false},
	}
	for _, tt := range tests {
		err := r.Add(tt.spec)
		if err == nil {
			t.Errorf("%s: Add succeeded", tt.name)
			continue
		}
		if got := errors.Is(err, outcry.ErrInvalid); got != tt.invalid {
			t.Errorf("%s: errors.Is(ErrInvalid) = %v (%v)", tt.name, got, err)
		}
	}
	if err := r.Add(SourceSpec{Name: "off", Disabled: true}); err != nil {
		t.Errorf("disabled spec without source rejected: %v", err)
	}
}

func TestRunnerWithoutSourcesWaitsForCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := NewRunner(Config{}, nil, nil, nil, nil)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- r.Run(ctx) }()
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("Run returned before cancel")
		default:
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

type discardSink struct{}

func (discardSink) AddPosts(_ context.Context, _ string, posts []outcry.Post, _ string) (int, error) {
	return len(posts), nil
}

// BenchmarkRunnerStream measures the runner's own cost per streamed post (normalisation,
// dedupe, bookkeeping) with a sink that does nothing: the ceiling it puts on a
// Jetstream-shaped source.
func BenchmarkRunnerStream(b *testing.B) {
	const batch = 100
	posts := make([]outcry.Post, 0, b.N+batch)
	for i := range b.N + batch {
		posts = append(posts, outcry.Post{
			ID:        fmt.Sprintf("bsky:at://did:plc:%08d/app.bsky.feed.post/3ktq%06d", i%5000, i),
			Text:      "is chatgpt down for anyone else? getting network errors",
			Lang:      "en",
			CreatedAt: time.Unix(1717485665+int64(i), 0),
		})
	}
	done := make(chan struct{})
	st := streamFunc(func(ctx context.Context, cursor string, emit Emit) error {
		defer close(done)
		for i := 0; i < b.N; i += batch {
			if err := emit(ctx, posts[i:i+batch], strconv.Itoa(i)); err != nil {
				return err
			}
		}
		return nil
	})
	r := NewRunner(Config{DedupeSize: 10000}, discardSink{}, nil, nil, nil)
	if err := r.Add(SourceSpec{Name: "jet", Stream: st}); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	ran := make(chan error)
	go func() { ran <- r.Run(ctx) }()
	<-done
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-ran
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "posts/s")
}
