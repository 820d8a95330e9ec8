package index

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// ErrClosed is returned by every method called after Close.
var ErrClosed = errors.New("index: closed")

// ErrDamaged is returned by Open when the index holds fewer posts than it had already
// made durable: Bleve fell back to an older snapshot because newer segment files are
// damaged (a disk that lost writes, a partial copy). Opening it anyway would go on
// writing over the loss and re-ingest from older cursors.
var ErrDamaged = errors.New("index: damaged")

// markFile, beside the Bleve directory, records how many posts the index had made
// durable, written after each batch; Open compares it with what Bleve loaded.
const markFile = "posts.mark"

// Config tunes batching. The zero value of a field means its default.
type Config struct {
	// BatchSize is how many queued posts trigger a flush (default 2000).
	BatchSize int
	// FlushInterval is how often the background flusher writes what is queued
	// (default 1s). Posts become durable and searchable at most this late.
	FlushInterval time.Duration
	// Logger receives warnings (skipped posts, failed background flushes); nil discards.
	Logger *slog.Logger
	// MinFreeBytes is the free space the data directory's file system must have for a
	// write to start, on top of the index's own size, which Bleve's background merges
	// may need (default 64 MiB; negative: no check). Below it, writes fail with
	// ErrDiskFull and nothing is written, so Bleve does not run out of space mid-batch
	// (see disk.go).
	MinFreeBytes int64
}

// DefaultConfig returns 2000 posts per batch, a 1 s flush interval and a 64 MiB
// free-space reserve.
func DefaultConfig() Config {
	return Config{BatchSize: 2000, FlushInterval: time.Second, MinFreeBytes: 64 << 20}
}

// bleveDir is the directory of the Bleve index inside the data directory.
const bleveDir = "posts.bleve"

// Internal (Bleve SetInternal) keys. Internal values are rewritten into Bleve's root
// file on every persisted batch and kept in memory, so only small values live there;
// everything that grows (counts, authors, incidents, state) is a stored document.
var (
	keyCursors = []byte("outcry/cursors")
	keyStats   = []byte("outcry/stats")
)

// Index is Outcry's storage: one Bleve (scorch) index holding posts, per-service
// per-minute counts, source cursors, incidents, events, official incidents and state.
// All methods are safe for concurrent use.
type Index struct {
	cfg  Config
	log  *slog.Logger
	path string // the Bleve index directory, DIR/posts.bleve
	// bl is replaced (under blMu and the write lock) when a failed write makes the
	// index reopen Bleve; readers get it through bleve().
	blMu sync.RWMutex
	bl   bleve.Index
	// broken is set when that reopen failed: bl is closed, and every read and write
	// returns broken instead of reaching into it (Bleve panics on a closed snapshot).
	broken error
	im     *mapping.IndexMappingImpl
	an     *analyzers

	// writeLock serialises every batch that touches the counts, stats or cursors,
	// so each is computed from the previous durable state. It is a channel so a
	// waiter can give up when its ctx ends.
	writeLock chan struct{}

	mu       sync.Mutex // guards pending, inflight, closed, flushErr
	pending  *pendingBatch
	inflight map[string]struct{} // ids of the batch being written
	closing  bool                // Close started: no new posts
	closed   bool
	flushErr error // last flush failure, cleared by a successful flush

	durableMu sync.RWMutex // guards cursors and stats
	cursors   map[string]string
	stats     *statsDoc

	counts  *countStore
	indexed atomic.Uint64

	// visible bounds the created_at seconds of every post any reader can see: it
	// is widened before a batch is written, so a time filter covering it is a
	// no-op and can be left out.
	visMu             sync.Mutex
	visFirst, visLast int64

	splitMin uint64 // searches over this many posts run in parts (splitMinPosts)

	// execBatch writes a batch durably: Bleve's Batch. A field so that tests can
	// make it fail the way a full disk does.
	execBatch func(*bleve.Batch) error

	markPath  string        // see markFile
	kick      chan struct{} // wakes the flusher before its next tick
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Open opens the index under dir, creating dir and an empty index if missing.
// A second Open of the same dir (in this or another process) fails after a short
// wait instead of blocking: Bleve's root file is locked while open.
func Open(dir string, cfg Config) (*Index, error) {
	def := DefaultConfig()
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = def.BatchSize
	}
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = def.FlushInterval
	}
	if cfg.MinFreeBytes == 0 {
		cfg.MinFreeBytes = def.MinFreeBytes
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log = log.With("component", "index")
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	an, err := newAnalyzers(im)
	if err != nil {
		return nil, err
	}
	bl, err := openBleve(dir, im)
	if err != nil {
		if mark, ok := readMark(dir); ok && mark > 0 && strings.Contains(err.Error(), "error parsing mapping JSON") {
			// Every snapshot Bleve could load lacks even the mapping: the newest
			// segments are damaged (see ErrDamaged).
			msg, _, _ := strings.Cut(err.Error(), "mapping contents")
			return nil, fmt.Errorf("%w: %s (%d posts were durable before)", ErrDamaged, strings.TrimSpace(msg), mark)
		}
		return nil, err
	}
	ix := &Index{
		cfg:       cfg,
		log:       log,
		path:      filepath.Join(dir, bleveDir),
		bl:        bl,
		im:        im,
		an:        an,
		writeLock: make(chan struct{}, 1),
		pending:   newPendingBatch(),
		cursors:   map[string]string{},
		stats:     newStatsDoc(),
		splitMin:  splitMinPosts,
		kick:      make(chan struct{}, 1),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	ix.counts = newCountStore(ix)
	ix.execBatch = func(b *bleve.Batch) error { return ix.bleve().Batch(b) }
	if err := ix.loadDurable(); err != nil {
		_ = bl.Close()
		return nil, err
	}
	if mark, ok := readMark(dir); ok && ix.stats.Posts < mark {
		_ = bl.Close()
		return nil, fmt.Errorf("%w: %s holds %d posts, but %d were durable before: some segment files are damaged or missing", ErrDamaged, ix.path, ix.stats.Posts, mark)
	}
	ix.markPath = filepath.Join(dir, markFile)
	ix.visFirst, ix.visLast = maxPostSecond, minPostSecond // empty
	if ix.stats.Posts > 0 {
		ix.widenVisible(ix.stats.First, ix.stats.Last)
	}
	go ix.flusher()
	return ix, nil
}

// openBleve opens dir/posts.bleve or creates it. Creation happens in a temporary
// directory renamed into place, so a crash during creation never leaves a
// half-made index that Open would refuse.
func openBleve(dir string, im *mapping.IndexMappingImpl) (bleve.Index, error) {
	path := filepath.Join(dir, bleveDir)
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err == nil {
		return openExisting(path)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	// A new index has made nothing durable yet: a mark left by one removed by hand
	// does not apply to it.
	if err := os.Remove(filepath.Join(dir, markFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("index: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, fmt.Errorf("index: clean %s: %w", tmp, err)
	}
	// unsafe_batch false (the default, set explicitly): Batch returns only after
	// the segment files and Bleve's root are written and fsynced.
	bl, err := bleve.NewUsing(tmp, im, scorch.Name, scorch.Name, map[string]any{"unsafe_batch": false})
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", tmp, err)
	}
	if err := bl.Close(); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return openExisting(path)
}

// openExisting opens the Bleve index at path.
func openExisting(path string) (bleve.Index, error) {
	bl, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "2s"})
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	return bl, nil
}

// bleve returns the current Bleve index.
func (ix *Index) bleve() bleve.Index {
	ix.blMu.RLock()
	defer ix.blMu.RUnlock()
	return ix.bl
}

func (ix *Index) loadDurable() error {
	v, err := ix.bl.GetInternal(keyCursors)
	if err != nil {
		return fmt.Errorf("index: read cursors: %w", err)
	}
	if len(v) > 0 {
		if err := json.Unmarshal(v, &ix.cursors); err != nil {
			return fmt.Errorf("index: decode cursors: %w", err)
		}
	}
	v, err = ix.bl.GetInternal(keyStats)
	if err != nil {
		return fmt.Errorf("index: read stats: %w", err)
	}
	if len(v) > 0 {
		if err := json.Unmarshal(v, ix.stats); err != nil {
			return fmt.Errorf("index: decode stats: %w", err)
		}
		if ix.stats.Services == nil {
			ix.stats.Services = map[string]*ServiceStats{}
		}
	}
	return nil
}

// Close flushes what is queued, stops the background flusher and closes the index.
// It is idempotent; later calls return the first call's result.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.mu.Lock()
		ix.closing = true
		ix.mu.Unlock()
		close(ix.stop)
		<-ix.done
		err := ix.Flush(context.Background())
		// Wait for any writer still holding the lock before closing Bleve.
		ix.writeLock <- struct{}{}
		ix.mu.Lock()
		ix.closed = true
		ix.mu.Unlock()
		var cerr error
		ix.blMu.RLock()
		if ix.broken == nil { // else Bleve is closed already (a second Close panics)
			cerr = ix.bl.Close()
		}
		ix.blMu.RUnlock()
		ix.unlockWrite()
		ix.closeErr = errors.Join(err, cerr)
	})
	return ix.closeErr
}

// flushWarnEvery spaces the warnings of a flusher that keeps failing (a full disk is
// retried at every kick and tick).
const flushWarnEvery = 30 * time.Second

// flusher writes queued posts every FlushInterval, and when AddPosts kicks it, until
// Close. It warns about the first failed flush, then at most every flushWarnEvery while
// flushes keep failing, and says when they work again.
func (ix *Index) flusher() {
	defer close(ix.done)
	failed := 0
	var warned time.Time
	every(ix.stop, ix.kick, ix.cfg.FlushInterval, func() {
		err := ix.Flush(context.Background())
		switch {
		case err == nil:
			if failed > 0 {
				ix.log.Info("index writes resumed", "failed_flushes", failed)
				failed = 0
			}
		case errors.Is(err, ErrClosed):
		default:
			failed++
			if failed == 1 || time.Since(warned) >= flushWarnEvery {
				ix.log.Warn("background flush failed; posts stay queued and are retried", "err", err, "failed_flushes", failed)
				warned = time.Now()
			}
		}
	})
}

// every calls fn each interval and on each receive from kick, until stop is closed.
// fn runs on this goroutine, so a slow fn delays the next call rather than
// overlapping it.
func every(stop, kick <-chan struct{}, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		case <-kick:
		}
		fn()
	}
}

// widenVisible extends the visible time bounds to include [first, last].
func (ix *Index) widenVisible(first, last time.Time) {
	ix.visMu.Lock()
	defer ix.visMu.Unlock()
	ix.visFirst = min(ix.visFirst, first.Unix())
	ix.visLast = max(ix.visLast, last.Unix())
}

// coversAllPosts reports whether q matches every post that exists.
func (ix *Index) coversAllPosts(q *timeQuery) bool {
	ix.visMu.Lock()
	defer ix.visMu.Unlock()
	return q.from <= ix.visFirst && q.to > ix.visLast
}

// lockWrite takes the write lock, giving up when ctx ends.
func (ix *Index) lockWrite(ctx context.Context) error {
	select {
	case ix.writeLock <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	ix.mu.Lock()
	closed := ix.closed
	ix.mu.Unlock()
	if closed {
		<-ix.writeLock
		return ErrClosed
	}
	return nil
}

func (ix *Index) unlockWrite() { <-ix.writeLock }

// checkOpen returns ErrClosed after Close.
func (ix *Index) checkOpen() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	return nil
}

// reader returns a reader on the current snapshot; the caller closes it.
func (ix *Index) reader() (bindex.IndexReader, error) {
	ix.blMu.RLock()
	bl, broken := ix.bl, ix.broken
	ix.blMu.RUnlock()
	if broken != nil {
		return nil, broken
	}
	adv, err := bl.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: reader: %w", err)
	}
	return r, nil
}

// storedField returns the value of a stored field of document id, nil when the
// document does not exist.
func (ix *Index) storedField(r bindex.IndexReader, id, field string) ([]byte, error) {
	doc, err := r.Document(id)
	if err != nil {
		return nil, fmt.Errorf("index: load %q: %w", id, err)
	}
	if doc == nil {
		return nil, nil
	}
	var val []byte
	doc.VisitFields(func(f bindex.Field) {
		if f.Name() == field {
			val = append([]byte(nil), f.Value()...)
		}
	})
	if val == nil {
		val = []byte{}
	}
	return val, nil
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// readMark reads the durable-post mark; a missing or unreadable mark (a crash while
// writing it, an index from before marks) is no evidence and reports !ok.
func readMark(dir string) (uint64, bool) {
	b, err := os.ReadFile(filepath.Join(dir, markFile))
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}

// writeMark records posts as durable. It is written after the batch that made them so
// (never ahead of the index) through a renamed temporary file, and not fsynced: a mark
// lost in a power cut only lets a damage go unnoticed, it never raises a false one.
func (ix *Index) writeMark(posts uint64) {
	tmp := ix.markPath + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.FormatUint(posts, 10)+"\n"), 0o644); err != nil {
		ix.log.Warn("cannot write the durable-post mark", "err", err)
		return
	}
	if err := os.Rename(tmp, ix.markPath); err != nil {
		ix.log.Warn("cannot write the durable-post mark", "err", err)
	}
}
