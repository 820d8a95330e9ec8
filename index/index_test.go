package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/outcry/outcry"
)

func TestAddPostsIdempotent(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	posts := []outcry.Post{
		post("p1", "ann", t0, "ChatGPT is down", []string{"chatgpt"}, complaint("chatgpt")),
		post("p2", "bob", t0.Add(time.Minute), "ChatGPT down for me too", []string{"chatgpt"}, complaint("chatgpt")),
		post("p3", "cid", t0.Add(2*time.Minute), "Claude works fine", []string{"claude"}),
	}
	if n := add(t, ix, posts...); n != 3 {
		t.Fatalf("first add: %d new, want 3", n)
	}
	if n := add(t, ix, posts...); n != 0 {
		t.Fatalf("re-add while queued: %d new, want 0", n)
	}
	// Duplicates inside one call count once.
	if n := add(t, ix, post("p4", "dan", t0, "x", nil), post("p4", "dan", t0, "x", nil)); n != 1 {
		t.Fatalf("duplicate in one call: %d new, want 1", n)
	}
	flush(t, ix)
	if n := add(t, ix, posts...); n != 0 {
		t.Fatalf("re-add after flush: %d new, want 0", n)
	}
	flush(t, ix)
	if got := ix.Indexed(); got != 4 {
		t.Fatalf("Indexed = %d, want 4", got)
	}
	before, err := ix.Counts(t.Context(), "chatgpt", t0, t0.Add(3*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// A changed copy of a stored post is still the same post: nothing changes.
	changed := posts[0]
	changed.Text = "edited"
	if n := add(t, ix, append(posts, changed)...); n != 0 {
		t.Fatalf("re-add after reopen: %d new, want 0", n)
	}
	flush(t, ix)
	if got := ix.Indexed(); got != 0 {
		t.Fatalf("Indexed after reopen = %d, want 0", got)
	}
	st, err := ix.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Posts != 4 || st.Services["chatgpt"].Complaints != 2 {
		t.Fatalf("stats after re-adds: %+v", st)
	}
	after, err := ix.Counts(t.Context(), "chatgpt", t0, t0.Add(3*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("counts changed by re-adding:\n%v\n%v", before, after)
	}
	p, err := ix.Post(t.Context(), "p1")
	if err != nil || p.Text != "ChatGPT is down" {
		t.Fatalf("Post(p1) = %q, %v", p.Text, err)
	}
	if mm, err := ix.Recount(t.Context()); err != nil || len(mm) != 0 {
		t.Fatalf("Recount: %v %v", mm, err)
	}
}

func TestAddPostsSkipsInvalid(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	n, err := ix.AddPosts(t.Context(), "src", []outcry.Post{
		{ID: "", CreatedAt: t0, Text: "no id"},
		{ID: "\x00counts/x", CreatedAt: t0, Text: "reserved id"},
		{ID: "zero-time", Text: "no time"},
		{ID: "ancient", CreatedAt: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "ok", CreatedAt: t0.In(time.FixedZone("x", 3600)), Text: "bad \xff utf8", Author: "a\xffb"},
	}, "")
	if err != nil || n != 1 {
		t.Fatalf("AddPosts = %d, %v; want 1 valid post", n, err)
	}
	flush(t, ix)
	p, err := ix.Post(t.Context(), "ok")
	if err != nil {
		t.Fatal(err)
	}
	if p.Source != "src" || p.CreatedAt.Location() != time.UTC || p.Text != "bad \uFFFD utf8" || p.Author != "a\uFFFDb" {
		t.Fatalf("normalised post = %+v", p)
	}
	if _, err := ix.Post(t.Context(), "\x00counts/x"); !errors.Is(err, outcry.ErrNotFound) {
		t.Fatalf("Post(internal id) err = %v, want ErrNotFound", err)
	}
	if _, err := ix.Post(t.Context(), "missing"); !errors.Is(err, outcry.ErrNotFound) {
		t.Fatalf("Post(missing) err = %v, want ErrNotFound", err)
	}
}

func TestCursorDurableWithItsPosts(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	p := post("c1", "ann", t0, "Perplexity down", []string{"perplexity"}, complaint("perplexity"))
	if _, err := ix.AddPosts(ctx, "feed", []outcry.Post{p}, "cur-1"); err != nil {
		t.Fatal(err)
	}
	// Queued, not durable: neither the post nor the cursor is visible.
	if c, _ := ix.Cursor("feed"); c != "" {
		t.Fatalf("cursor visible before its posts are durable: %q", c)
	}
	if _, err := ix.Post(ctx, "c1"); !errors.Is(err, outcry.ErrNotFound) {
		t.Fatalf("post visible before flush: %v", err)
	}
	flush(t, ix)
	if c, _ := ix.Cursor("feed"); c != "cur-1" {
		t.Fatalf("cursor after flush = %q, want cur-1", c)
	}
	// A cursor with only duplicate posts still advances.
	if _, err := ix.AddPosts(ctx, "feed", []outcry.Post{p}, "cur-2"); err != nil {
		t.Fatal(err)
	}
	// Another source's cursor is independent.
	if _, err := ix.AddPosts(ctx, "other", nil, "o-1"); err != nil {
		t.Fatal(err)
	}
	flush(t, ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for src, want := range map[string]string{"feed": "cur-2", "other": "o-1", "none": ""} {
		if c, err := ix.Cursor(src); err != nil || c != want {
			t.Errorf("Cursor(%s) after reopen = %q, %v; want %q", src, c, err, want)
		}
	}
}

func TestCloseFlushesAndIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.AddPosts(t.Context(), "s", []outcry.Post{post("q1", "a", t0, "hello", []string{"x"})}, "c"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := ix.AddPosts(t.Context(), "s", nil, ""); !errors.Is(err, ErrClosed) {
		t.Fatalf("AddPosts after Close: %v, want ErrClosed", err)
	}
	if err := ix.Flush(t.Context()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Flush after Close: %v, want ErrClosed", err)
	}
	if _, err := ix.Search(t.Context(), outcry.SearchRequest{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Search after Close: %v, want ErrClosed", err)
	}
	ix, err = Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Post(t.Context(), "q1"); err != nil {
		t.Fatalf("post queued at Close was lost: %v", err)
	}
	if c, _ := ix.Cursor("s"); c != "c" {
		t.Fatalf("cursor queued at Close = %q", c)
	}
}

func TestOpenTwiceFails(t *testing.T) {
	ix, dir := openTest(t, testConfig())
	_ = ix
	done := make(chan error, 1)
	go func() {
		ix2, err := Open(dir, testConfig())
		if err == nil {
			_ = ix2.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("second Open of the same dir succeeded")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("second Open blocked")
	}
}

func TestAutoFlushAtBatchSize(t *testing.T) {
	cfg := testConfig()
	cfg.BatchSize = 10
	ix, _ := openTest(t, cfg)
	g := newPostGen(5, t0, time.Hour, 25)
	add(t, ix, g.batch(5)...)
	if got := ix.Indexed(); got != 0 {
		t.Fatalf("Indexed = %d below BatchSize", got)
	}
	// Twice BatchSize queued: AddPosts writes before returning (the background
	// flusher, woken at BatchSize, may have written part of it already).
	add(t, ix, g.batch(20)...)
	if got := ix.Indexed(); got != 25 {
		t.Fatalf("Indexed = %d after 25 posts with BatchSize 10, want 25", got)
	}
}

func TestConcurrentAddPosts(t *testing.T) {
	cfg := testConfig()
	cfg.BatchSize = 64
	ix, _ := openTest(t, cfg)
	g := newPostGen(11, t0, 2*time.Hour, 600)
	all := g.batch(600)
	var wg sync.WaitGroup
	var added atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			// Every worker adds every post, in its own order: each post is new once.
			r := rand.New(rand.NewPCG(uint64(w), 1))
			order := r.Perm(len(all))
			for i := 0; i < len(order); i += 37 {
				var chunk []outcry.Post
				for _, j := range order[i:min(i+37, len(order))] {
					chunk = append(chunk, all[j])
				}
				n, err := ix.AddPosts(context.Background(), fmt.Sprint("w", w), chunk, strconv.Itoa(i))
				if err != nil {
					t.Error(err)
					return
				}
				added.Add(int64(n))
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if _, err := ix.Search(context.Background(), outcry.SearchRequest{Query: "down"}); err != nil {
				t.Error(err)
			}
			if _, err := ix.Counts(context.Background(), "chatgpt", t0, t0.Add(2*time.Hour)); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	flush(t, ix)
	if added.Load() != 600 {
		t.Fatalf("AddPosts reported %d new posts, want 600", added.Load())
	}
	st, _ := ix.Stats(t.Context())
	if st.Posts != 600 || ix.Indexed() != 600 {
		t.Fatalf("stats posts %d, indexed %d; want 600", st.Posts, ix.Indexed())
	}
	if mm, err := ix.Recount(t.Context()); err != nil || len(mm) != 0 {
		t.Fatalf("Recount: %v %v", mm, err)
	}
}

func TestEvery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		stop := make(chan struct{})
		kick := make(chan struct{}, 1)
		done := make(chan struct{})
		var calls atomic.Int32
		go func() {
			every(stop, kick, time.Second, func() { calls.Add(1) })
			close(done)
		}()
		time.Sleep(3500 * time.Millisecond)
		synctest.Wait()
		if got := calls.Load(); got != 3 {
			t.Fatalf("after 3.5 intervals: %d calls, want 3", got)
		}
		kick <- struct{}{}
		synctest.Wait()
		if got := calls.Load(); got != 4 {
			t.Fatalf("a kick did not call at once: %d calls, want 4", got)
		}
		close(stop)
		<-done
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if got := calls.Load(); got != 4 {
			t.Fatalf("calls after stop: %d, want 4", got)
		}
	})
}

func TestPersistenceAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	add(t, ix,
		post("r1", "ann", t0, "ChatGPT down", []string{"chatgpt"}, complaint("chatgpt")),
		post("r2", "bob", t0.Add(90*time.Second), "ChatGPT is back up", []string{"chatgpt"}, recovery("chatgpt")),
	)
	if _, err := ix.AddPosts(ctx, "feed", nil, "cur"); err != nil {
		t.Fatal(err)
	}
	flush(t, ix)
	end := t0.Add(time.Hour)
	inc := outcry.Incident{ID: "inc-1", Service: "chatgpt", State: outcry.StateResolved, Status: outcry.StatusOutage,
		Start: t0, End: &end, Peak: 40, Languages: map[string]int{"en": 3}}
	if err := ix.RecordIncidents(ctx, []outcry.Incident{inc}); err != nil {
		t.Fatal(err)
	}
	ev := outcry.Event{ID: "ev-1", Start: t0, Incidents: []string{"inc-1"}, Hypothesis: outcry.HypothesisUnknown}
	if err := ix.RecordEvents(ctx, []outcry.Event{ev}); err != nil {
		t.Fatal(err)
	}
	off := outcry.OfficialIncident{ID: "openai:1", Service: "chatgpt", Title: "Elevated errors", Start: t0.Add(10 * time.Minute)}
	if err := ix.RecordOfficial(ctx, "openai-status", []outcry.OfficialIncident{off}, "etag-1"); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetState(ctx, "detector", []byte{0, 1, 2, 0xff}); err != nil {
		t.Fatal(err)
	}
	wantCounts, _ := ix.Counts(ctx, "chatgpt", t0, t0.Add(2*time.Minute))
	wantStats, _ := ix.Stats(ctx)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	gotCounts, _ := ix.Counts(ctx, "chatgpt", t0, t0.Add(2*time.Minute))
	if fmt.Sprint(gotCounts) != fmt.Sprint(wantCounts) {
		t.Errorf("counts after reopen:\n%v\nwant\n%v", gotCounts, wantCounts)
	}
	gotStats, _ := ix.Stats(ctx)
	if fmt.Sprint(gotStats) != fmt.Sprint(wantStats) {
		t.Errorf("stats after reopen: %+v, want %+v", gotStats, wantStats)
	}
	if got, err := ix.Incident(ctx, "inc-1"); err != nil || got.Peak != 40 || !got.End.Equal(end) || got.Languages["en"] != 3 {
		t.Errorf("incident after reopen: %+v, %v", got, err)
	}
	if got, err := ix.Event(ctx, "ev-1"); err != nil || got.Incidents[0] != "inc-1" {
		t.Errorf("event after reopen: %+v, %v", got, err)
	}
	if got, err := ix.Official(ctx, "chatgpt", time.Time{}, time.Time{}); err != nil || len(got) != 1 || got[0].Source != "openai-status" {
		t.Errorf("official after reopen: %+v, %v", got, err)
	}
	for src, want := range map[string]string{"feed": "cur", "openai-status": "etag-1"} {
		if c, _ := ix.Cursor(src); c != want {
			t.Errorf("cursor %s after reopen = %q, want %q", src, c, want)
		}
	}
	if v, err := ix.State("detector"); err != nil || string(v) != "\x00\x01\x02\xff" {
		t.Errorf("state after reopen: %q, %v", v, err)
	}
	res, err := ix.Search(ctx, outcry.SearchRequest{Query: "down"})
	if err != nil || res.Total != 1 || res.Hits[0].Post.ID != "r1" {
		t.Errorf("search after reopen: %+v, %v", res, err)
	}
}

// TestCrashSafety kills a process that is indexing with SIGKILL at random moments,
// several times, and checks after each kill that the index opens, that every post
// acknowledged before the kill is there, that the durable cursor covers exactly the
// stored posts (nothing lost, nothing doubled) and that the counts equal a recount.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(42, 42))
	for round := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), "OUTCRY_INDEX_CRASH_DIR="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := -1
		want := 2 + r.IntN(6)
		sc := bufio.NewScanner(out)
		for sc.Scan() && want > 0 {
			if v, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
				acked, _ = strconv.Atoi(v)
				want--
			}
		}
		// Kill at a random moment after the last acknowledgement: often mid-batch.
		time.Sleep(time.Duration(r.IntN(40)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if acked < 0 {
			t.Fatalf("round %d: helper acknowledged nothing", round)
		}

		ix, err := Open(dir, testConfig())
		if err != nil {
			t.Fatalf("round %d: open after SIGKILL: %v", round, err)
		}
		cur, _ := ix.Cursor(crashSource)
		durable, _ := strconv.Atoi(cur)
		if durable < acked {
			t.Fatalf("round %d: durable cursor %d < acknowledged %d", round, durable, acked)
		}
		st, _ := ix.Stats(t.Context())
		if st.Posts != uint64(durable) {
			t.Fatalf("round %d: %d posts stored, cursor says %d", round, st.Posts, durable)
		}
		for _, i := range []int{0, acked - 1, durable - 1} {
			if i < 0 {
				continue
			}
			if _, err := ix.Post(t.Context(), crashPost(i).ID); err != nil {
				t.Fatalf("round %d: post %d (cursor %d) missing: %v", round, i, durable, err)
			}
		}
		if _, err := ix.Post(t.Context(), crashPost(durable).ID); !errors.Is(err, outcry.ErrNotFound) {
			t.Fatalf("round %d: post %d beyond the durable cursor is stored", round, durable)
		}
		if mm, err := ix.Recount(t.Context()); err != nil || len(mm) != 0 {
			t.Fatalf("round %d: recount: %v %v", round, mm, err)
		}
		t.Logf("round %d: killed after ack %d; durable cursor %d", round, acked, durable)
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

const crashSource = "replay"

func crashPost(i int) outcry.Post {
	svc := []string{"chatgpt", "claude", "perplexity"}[i%3]
	p := post(fmt.Sprintf("crash:%d", i), fmt.Sprintf("u%d", i%17), t0.Add(time.Duration(i)*7*time.Second),
		fmt.Sprintf("%s is down again (%d)", svc, i), []string{svc})
	if i%4 != 0 {
		p.Complaint, p.Affected = true, []string{svc}
	}
	return p
}

// TestCrashHelper is the process TestCrashSafety kills. It resumes from the durable
// cursor like a source, re-sends some already stored posts, and prints "ack N" after
// each Flush returns (posts [0, N) durable).
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv("OUTCRY_INDEX_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestCrashSafety")
	}
	cfg := DefaultConfig()
	cfg.BatchSize = 400
	cfg.FlushInterval = 20 * time.Millisecond
	ix, err := Open(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := ix.Cursor(crashSource)
	next, _ := strconv.Atoi(cur)
	for call := 0; ; call++ {
		from := max(0, next-50) // overlap: re-sent posts must not count twice
		to := next + 150
		var posts []outcry.Post
		for i := from; i < to; i++ {
			posts = append(posts, crashPost(i))
		}
		if _, err := ix.AddPosts(context.Background(), crashSource, posts, strconv.Itoa(to)); err != nil {
			t.Fatal(err)
		}
		next = to
		if call%3 == 2 {
			if err := ix.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			fmt.Printf("ack %d\n", next)
		}
	}
}

// TestFailedBatch makes batches fail the way a full disk does (Bleve may have applied
// the batch in memory before failing to persist it) and checks that nothing is lost
// or counted twice once writes work again, and that the queue stays bounded.
func TestFailedBatch(t *testing.T) {
	for _, applied := range []bool{false, true} {
		t.Run(fmt.Sprint("applied=", applied), func(t *testing.T) {
			cfg := testConfig()
			cfg.BatchSize = 50
			ix, _ := openTest(t, cfg)
			ctx := t.Context()
			// Installed before any write, so the background flusher sees it; the
			// disk is "full" while full is set.
			var full atomic.Bool
			good := ix.execBatch
			errDisk := errors.New("no space left on device")
			ix.execBatch = func(b *bleve.Batch) error {
				if !full.Load() {
					return good(b)
				}
				if applied {
					_ = good(b)
				}
				return errDisk
			}
			g := newPostGen(33, t0, time.Hour, 400)
			if _, err := ix.AddPosts(ctx, "src", g.batch(40), "c1"); err != nil {
				t.Fatal(err)
			}
			flush(t, ix)
			before, _ := ix.Counts(ctx, "chatgpt", t0, t0.Add(time.Hour))

			full.Store(true)
			more := g.batch(40)
			if _, err := ix.AddPosts(ctx, "src", more, "c2"); err != nil {
				t.Fatal(err)
			}
			if err := ix.Flush(ctx); !errors.Is(err, errDisk) {
				t.Fatalf("Flush on a full disk: %v", err)
			}
			if c, _ := ix.Cursor("src"); c != "c1" {
				t.Fatalf("cursor advanced by a failed batch: %q", c)
			}
			after, _ := ix.Counts(ctx, "chatgpt", t0, t0.Add(time.Hour))
			if fmt.Sprint(before) != fmt.Sprint(after) {
				t.Fatal("counts changed by a failed batch")
			}
			// Re-sending the same posts while the disk is full changes nothing.
			if n, _ := ix.AddPosts(ctx, "src", more, "c2"); n != 0 {
				t.Fatalf("re-sent queued posts counted as new: %d", n)
			}
			// The queue is bounded while writes fail.
			var err error
			for i := 0; i < 20 && err == nil; i++ {
				_, err = ix.AddPosts(ctx, "src", g.batch(30), fmt.Sprint("c", 3+i))
			}
			if !errors.Is(err, errDisk) {
				t.Fatalf("queue not bounded while writes fail: %v", err)
			}

			full.Store(false)
			flush(t, ix)
			st, _ := ix.Stats(ctx)
			if st.Posts != ix.Indexed() || st.Posts < 80 {
				t.Fatalf("after recovery: %d posts in stats, %d indexed", st.Posts, ix.Indexed())
			}
			if mm, err := ix.Recount(ctx); err != nil || len(mm) != 0 {
				t.Fatalf("recount after recovery: %v %v", mm, err)
			}
			res, _ := ix.Search(ctx, outcry.SearchRequest{})
			if res.Total != st.Posts {
				t.Fatalf("%d posts searchable, stats say %d", res.Total, st.Posts)
			}
		})
	}
}

// TestOpenRefusesDamagedIndex: segment files cut short make Bleve fall back to an older
// snapshot (here, the empty one) with only a log line; Open compares what it loaded with
// the durable-post mark and refuses, touching nothing. An index removed by hand starts
// afresh without the old mark.
func TestOpenRefusesDamagedIndex(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	add(t, ix, post("a", "u1", t0, "ChatGPT is down", []string{"chatgpt"}), post("b", "u2", t0, "Claude too", []string{"claude"}))
	flush(t, ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if n, ok := readMark(dir); !ok || n != 2 {
		t.Fatalf("mark = %d, %v; want 2", n, ok)
	}
	zaps, _ := filepath.Glob(filepath.Join(dir, bleveDir, "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment files")
	}
	for _, z := range zaps {
		fi, _ := os.Stat(z)
		if err := os.Truncate(z, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	if ix, err := Open(dir, testConfig()); !errors.Is(err, ErrDamaged) {
		if err == nil {
			ix.Close()
		}
		t.Fatalf("Open of a damaged index: %v, want ErrDamaged", err)
	}
	if n, _ := readMark(dir); n != 2 {
		t.Errorf("the refused Open changed the mark to %d", n)
	}
	if err := os.RemoveAll(filepath.Join(dir, bleveDir)); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, testConfig())
	if err != nil {
		t.Fatalf("Open after removing the index: %v", err)
	}
	ix.Close()
}
