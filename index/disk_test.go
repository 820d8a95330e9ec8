package index

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/outcry/outcry"
)

// mountTmpfs mounts a tmpfs of size on a fresh directory (unmounted at cleanup), or
// skips the test where that is not permitted (not root, no mount).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

func remount(t *testing.T, dir, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+opts, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s: %v %s", opts, err, out)
	}
}

// diskTrouble adds batches of posts until writes have failed a few times (or rounds
// run out), checking that reads keep working after every failed write. It returns
// every failure seen.
func diskTrouble(t *testing.T, ix *Index, g *postGen, rounds int) []error {
	t.Helper()
	ctx := t.Context()
	var failed []error
	for i := 0; i < rounds; i++ {
		_, _ = ix.AddPosts(ctx, "src", g.batch(400), fmt.Sprint("c", i))
		if err := ix.Flush(ctx); err != nil {
			failed = append(failed, err)
		}
		// Reads after a failed write: before the fix, Bleve had closed the segment of the
		// failed batch that its snapshot still held, and this search panicked.
		if _, err := ix.Search(ctx, outcry.SearchRequest{Query: "down"}); err != nil {
			t.Fatalf("search after write %d (%v): %v", i, failed, err)
		}
		if len(failed) >= 3 {
			return failed
		}
	}
	return failed
}

// checkRecovered frees space, flushes what stayed queued and checks that nothing was
// lost or counted twice, also after a reopen.
func checkRecovered(t *testing.T, ix *Index, dir string, cfg Config) {
	t.Helper()
	ctx := t.Context()
	remount(t, dir, "rw,size=64m")
	if err := ix.Flush(ctx); err != nil {
		t.Fatalf("flush once space is back: %v", err)
	}
	st, _ := ix.Stats(ctx)
	if st.Posts != ix.Indexed() || st.Posts == 0 {
		t.Fatalf("after recovery: %d posts in stats, %d indexed", st.Posts, ix.Indexed())
	}
	if mm, err := ix.Recount(ctx); err != nil || len(mm) != 0 {
		t.Fatalf("recount after recovery: %v %v", mm, err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix2, err := Open(dir, cfg)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer ix2.Close()
	st2, _ := ix2.Stats(ctx)
	if st2.Posts != st.Posts {
		t.Fatalf("reopened with %d posts, had %d", st2.Posts, st.Posts)
	}
	if mm, err := ix2.Recount(ctx); err != nil || len(mm) != 0 {
		t.Fatalf("recount after reopen: %v %v", mm, err)
	}
}

// TestDiskFullReal fills a real 2 MiB tmpfs. Without the free-space reserve, Bleve
// fails mid-batch with ENOSPC; the index reopens and goes on serving reads. With a
// reserve larger than a batch (checked on top of the index's size, the room Bleve's
// merges need), writes stop with ErrDiskFull before Bleve runs out of space.
func TestDiskFullReal(t *testing.T) {
	for _, reserve := range []int64{-1, 1 << 20} {
		t.Run(fmt.Sprint("reserve=", reserve), func(t *testing.T) {
			dir := mountTmpfs(t, "2m")
			cfg := testConfig()
			cfg.BatchSize = 500
			cfg.MinFreeBytes = reserve
			ix, err := Open(dir, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			g := newPostGen(7, t0, 24*time.Hour, 20000)
			failed := diskTrouble(t, ix, g, 80)
			if len(failed) == 0 {
				t.Fatal("2 MiB never filled up")
			}
			for _, err := range failed {
				switch {
				case reserve > 0 && !errors.Is(err, ErrDiskFull):
					t.Fatalf("with a reserve, want only ErrDiskFull, got %v", err)
				case reserve < 0 && !strings.Contains(err.Error(), "no space left"):
					t.Fatalf("without a reserve, want ENOSPC from Bleve, got %v", err)
				}
			}
			checkRecovered(t, ix, dir, cfg)
		})
	}
}

// TestDiskReserve needs no root: with a reserve larger than any disk, every write is
// refused with ErrDiskFull before Bleve is called, and reads go on.
func TestDiskReserve(t *testing.T) {
	cfg := testConfig()
	cfg.MinFreeBytes = 1 << 62
	ix, err := Open(t.TempDir(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	g := newPostGen(8, t0, 24*time.Hour, 2000)
	add(t, ix, g.batch(100)...)
	if err := ix.Flush(ctx); !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "kept in reserve") {
		t.Fatalf("flush with no room: %v", err)
	}
	if err := ix.SetState(ctx, "k", []byte("v")); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("SetState with no room: %v", err)
	}
	if res, err := ix.Search(ctx, outcry.SearchRequest{}); err != nil || res.Total != 0 {
		t.Fatalf("search: %d %v", res.Total, err)
	}
	if st, _ := ix.Stats(ctx); st.Posts != 0 || ix.Indexed() != 0 {
		t.Fatalf("refused writes counted: %+v, %d", st, ix.Indexed())
	}
	if err := ix.Close(); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Close cannot flush and must say so: %v", err)
	}
}

// TestReopenFailureIsAnError: when a write fails and the index cannot be reopened
// (its directory was removed meanwhile: a second process wiped it, an operator deleted
// it), reads and writes return ErrUnusable instead of panicking in Bleve's closed
// snapshot, which used to crash serve.
func TestReopenFailureIsAnError(t *testing.T) {
	ix, dir := openTest(t, testConfig())
	ctx := t.Context()
	g := newPostGen(9, t0, time.Hour, 400)
	add(t, ix, g.batch(50)...)
	flush(t, ix)
	good := ix.execBatch
	ix.execBatch = func(b *bleve.Batch) error {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		return errors.New("write: no such file or directory")
	}
	if _, err := ix.AddPosts(ctx, "src", g.batch(50), "c"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(ctx); err == nil {
		t.Fatal("a failed write reported success")
	}
	ix.execBatch = good
	if _, err := ix.Search(ctx, outcry.SearchRequest{Query: "down"}); !errors.Is(err, ErrUnusable) {
		t.Fatalf("search after a failed reopen: %v", err)
	}
	if _, err := ix.AddPosts(ctx, "src", g.batch(50), "c"); err != nil && !errors.Is(err, ErrUnusable) {
		t.Fatalf("AddPosts after a failed reopen: %v", err)
	}
	if err := ix.Flush(ctx); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "restart outcry") {
		t.Fatalf("flush after a failed reopen: %v", err)
	}
	if _, err := ix.Counts(ctx, "chatgpt", t0, t0.Add(time.Hour)); err != nil && !errors.Is(err, ErrUnusable) {
		t.Fatalf("counts after a failed reopen: %v", err)
	}
}
