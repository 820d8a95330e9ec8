package index

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

// maxPendingBatches bounds the queue while flushes fail (e.g. disk full): past
// BatchSize*maxPendingBatches queued posts, AddPosts refuses new posts and returns the
// flush error, so a broken disk cannot make memory grow without bound.
const maxPendingBatches = 4

// Posts outside this window are refused: Bleve cannot represent their time and the
// counts would be meaningless.
var (
	minPostTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxPostTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// pendingBatch is what AddPosts queued since the last flush.
type pendingBatch struct {
	posts   []outcry.Post
	ids     map[string]struct{}
	cursors map[string]string
}

func newPendingBatch() *pendingBatch {
	return &pendingBatch{ids: map[string]struct{}{}, cursors: map[string]string{}}
}

func (b *pendingBatch) empty() bool { return len(b.posts) == 0 && len(b.cursors) == 0 }

// AddPosts queues posts (already matched: Services, Affected, Complaint, ... filled)
// and returns how many were new: not indexed and not already queued. A post whose ID
// is stored or queued changes nothing, across restarts too. cursor, when non-empty,
// is stored for source in the same Bleve batch as these posts, so it becomes durable
// exactly when they do and a crash can never persist a cursor past unwritten posts.
// A post with an empty Source gets source.
//
// Posts that cannot be stored are skipped and logged, not counted: an empty ID, an
// ID starting with NUL, a zero CreatedAt or one outside years 1900-2200. Invalid
// UTF-8 in text fields is replaced by U+FFFD.
//
// When the queue reaches BatchSize, AddPosts wakes the background flusher and
// returns; at twice BatchSize (the flusher is behind) it flushes itself before
// returning, and a flush error is returned with the count. Queued posts stay queued
// until a flush succeeds; only Flush makes them durable on return.
func (ix *Index) AddPosts(ctx context.Context, source string, posts []outcry.Post, cursor string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	ix.mu.Lock()
	if ix.closed || ix.closing {
		ix.mu.Unlock()
		return 0, ErrClosed
	}
	if ix.flushErr != nil && len(ix.pending.posts) >= maxPendingBatches*ix.cfg.BatchSize {
		err := ix.flushErr
		ix.mu.Unlock()
		return 0, fmt.Errorf("index: add posts: %d posts queued after a failed flush: %w", maxPendingBatches*ix.cfg.BatchSize, err)
	}
	cand := make([]int, 0, len(posts))
	ids := make([]string, 0, len(posts))
	seen := make(map[string]struct{}, len(posts))
	for i := range posts {
		p := &posts[i]
		if reason := invalidPost(p); reason != "" {
			ix.log.Warn("skipping post", "source", source, "id", p.ID, "reason", reason)
			continue
		}
		if _, ok := seen[p.ID]; ok {
			continue
		}
		seen[p.ID] = struct{}{}
		if _, ok := ix.pending.ids[p.ID]; ok {
			continue
		}
		if _, ok := ix.inflight[p.ID]; ok {
			continue
		}
		cand = append(cand, i)
		ids = append(ids, p.ID)
	}
	stored, err := ix.existing(ids)
	if err != nil {
		ix.mu.Unlock()
		return 0, err
	}
	n := 0
	for _, i := range cand {
		if _, ok := stored[posts[i].ID]; ok {
			continue
		}
		p := normalizePost(posts[i], source)
		ix.pending.posts = append(ix.pending.posts, p)
		ix.pending.ids[p.ID] = struct{}{}
		n++
	}
	if cursor != "" {
		ix.pending.cursors[source] = cursor
	}
	queued := len(ix.pending.posts)
	ix.mu.Unlock()
	switch {
	case queued >= 2*ix.cfg.BatchSize:
		// The background flush has not kept up: write here, which also slows the
		// producer down to the index's pace.
		if err := ix.Flush(ctx); err != nil {
			return n, err
		}
	case queued >= ix.cfg.BatchSize:
		// Hand the batch to the flusher and return, so that the caller prepares
		// the next batch while this one is written.
		select {
		case ix.kick <- struct{}{}:
		default:
		}
	}
	return n, nil
}

func invalidPost(p *outcry.Post) string {
	switch {
	case p.ID == "":
		return "empty id"
	case strings.HasPrefix(p.ID, internalPrefix):
		return "id starts with NUL"
	case p.CreatedAt.IsZero():
		return "no created_at"
	case p.CreatedAt.Before(minPostTime) || !p.CreatedAt.Before(maxPostTime):
		return "created_at out of range"
	}
	return ""
}

// normalizePost returns a copy of p that shares no memory with the caller's,
// with UTC times and valid UTF-8.
func normalizePost(p outcry.Post, source string) outcry.Post {
	if p.Source == "" {
		p.Source = source
	}
	p.CreatedAt = p.CreatedAt.UTC()
	if !p.FetchedAt.IsZero() {
		p.FetchedAt = p.FetchedAt.UTC()
	}
	for _, s := range []*string{&p.ID, &p.Source, &p.Author, &p.Text, &p.Lang, &p.URL} {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
	}
	// NUL separates the values of the facets field.
	p.Source = strings.ReplaceAll(p.Source, "\x00", "")
	p.Lang = strings.ReplaceAll(p.Lang, "\x00", "")
	p.Services = cleanList(p.Services)
	p.Affected = cleanList(p.Affected)
	p.Problems = cleanList(p.Problems)
	return p
}

func cleanList(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		s = strings.ReplaceAll(s, "\x00", "")
		if s == "" || !utf8.ValidString(s) || slices.Contains(out, s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// existing returns which of ids are stored in the index.
func (ix *Index) existing(ids []string) (map[string]struct{}, error) {
	found := map[string]struct{}{}
	if len(ids) == 0 {
		return found, nil
	}
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	dr, err := r.DocIDReaderOnly(ids)
	if err != nil {
		return nil, fmt.Errorf("index: look up ids: %w", err)
	}
	defer dr.Close()
	for {
		iid, err := dr.Next()
		if err != nil {
			return nil, fmt.Errorf("index: look up ids: %w", err)
		}
		if iid == nil {
			return found, nil
		}
		ext, err := r.ExternalID(iid)
		if err != nil {
			return nil, fmt.Errorf("index: look up ids: %w", err)
		}
		found[ext] = struct{}{}
	}
}

// Flush writes everything queued so far; on a nil return it is durable (fsynced by
// Bleve) and searchable. It waits for a flush in progress; ctx bounds that wait only,
// not the write itself.
func (ix *Index) Flush(ctx context.Context) error {
	if err := ix.lockWrite(ctx); err != nil {
		return err
	}
	defer ix.unlockWrite()
	ix.mu.Lock()
	b := ix.pending
	if b.empty() {
		ix.mu.Unlock()
		return nil
	}
	ix.pending = newPendingBatch()
	ix.inflight = b.ids
	ix.mu.Unlock()

	err := ix.commit(b)

	ix.mu.Lock()
	ix.inflight = nil
	if err != nil {
		// Put the batch back in front of what arrived meanwhile; newer cursors win.
		next := ix.pending
		b.posts = append(b.posts, next.posts...)
		maps.Copy(b.ids, next.ids)
		maps.Copy(b.cursors, next.cursors)
		ix.pending = b
		ix.flushErr = err
	} else {
		ix.flushErr = nil
	}
	ix.mu.Unlock()
	if err != nil {
		return err
	}
	ix.indexed.Add(uint64(len(b.posts)))
	return nil
}

// commit writes one batch: the posts, the counts and authors documents they change,
// the stats and the cursors, all in one Bleve batch, so after a crash either all of
// it is there or none. The caller holds the write lock.
func (ix *Index) commit(b *pendingBatch) error {
	batch := ix.bleve().NewBatch()
	for i := range b.posts {
		doc, err := ix.postDocument(&b.posts[i])
		if err != nil {
			return err
		}
		if err := batch.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("index: batch: %w", err)
		}
	}
	upd, err := ix.counts.prepare(b.posts)
	if err != nil {
		return err
	}
	for _, doc := range upd.docs {
		if err := batch.IndexAdvanced(doc); err != nil {
			ix.counts.abort(upd)
			return fmt.Errorf("index: batch: %w", err)
		}
	}
	stats := ix.stats.clone()
	for i := range b.posts {
		stats.add(&b.posts[i])
		ix.widenVisible(b.posts[i].CreatedAt, b.posts[i].CreatedAt)
	}
	sv, err := json.Marshal(stats)
	if err != nil {
		ix.counts.abort(upd)
		return fmt.Errorf("index: encode stats: %w", err)
	}
	batch.SetInternal(keyStats, sv)
	cursors := ix.cursors
	if len(b.cursors) > 0 {
		cursors = maps.Clone(ix.cursors)
		maps.Copy(cursors, b.cursors)
		cv, err := json.Marshal(cursors)
		if err != nil {
			ix.counts.abort(upd)
			return fmt.Errorf("index: encode cursors: %w", err)
		}
		batch.SetInternal(keyCursors, cv)
	}
	if err := ix.write(batch); err != nil {
		ix.counts.abort(upd)
		return fmt.Errorf("index: write batch of %d posts: %w", len(b.posts), err)
	}
	ix.counts.publish(upd)
	ix.durableMu.Lock()
	ix.stats = stats
	ix.cursors = cursors
	ix.durableMu.Unlock()
	if len(b.posts) > 0 {
		ix.writeMark(stats.Posts)
	}
	return nil
}

// WriteError returns the error of the last flush when it failed (disk full, read-only):
// queued posts are not durable until a flush succeeds, which clears it.
func (ix *Index) WriteError() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.flushErr
}

// Indexed returns how many posts were durably indexed since Open: those whose batch
// Bleve acknowledged as persisted.
func (ix *Index) Indexed() uint64 { return ix.indexed.Load() }

// Cursor returns the last durable cursor of source, "" when none.
func (ix *Index) Cursor(source string) (string, error) {
	if err := ix.checkOpen(); err != nil {
		return "", err
	}
	ix.durableMu.RLock()
	defer ix.durableMu.RUnlock()
	return ix.cursors[source], nil
}
