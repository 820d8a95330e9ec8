// Package replay reads posts from JSONL and CSV files (ReadPosts, shared with
// `outcry import` and `outcry match`) and replays them as a stream with their original
// spacing compressed by a speed factor, for `serve --demo`, backfills and tests.
//
// It depends on the root package and ingest only.
package replay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// Config describes a replay.
type Config struct {
	// Name is the source name (shown in health).
	Name string
	// Files are JSONL or CSV post files; their posts are merged in created_at order.
	Files []string
	// Speed divides the original spacing between posts: 60 plays an hour in a minute.
	// Zero plays as fast as the sink accepts.
	Speed float64
	// Loop starts over at the end; posts of pass n ≥ 1 get ":loop<n>" appended to their
	// IDs and times shifted by n times the files' span plus a minute, so every pass is
	// new to the store.
	Loop bool
	// Start is where replayed time begins: the first post is stamped Start and the others
	// follow at their spacing divided by Speed (at their original spacing when Speed is 0).
	// A Start in the past backfills up to now at once, then goes on live. Zero means the
	// moment Stream starts (or resumes).
	Start time.Time
	// KeepTimes keeps the files' created_at instead of re-stamping posts; pacing still
	// follows Speed.
	KeepTimes bool
	// Batch caps the posts handed to emit at once; zero means 500.
	Batch int
	// Keepalive is the longest wait without calling emit: during longer gaps an empty
	// batch tells the runner the stream is alive. Zero means 10s.
	Keepalive time.Duration
	// Clock and Sleep are the time source; nil means time.Now and a timer that honours ctx.
	Clock func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Replay is an ingest.Streamer over post files. Its cursor is "file:line" of the last
// post emitted ("file:line#n" in loop pass n), so a restart resumes after it. The files
// are read once, on the first Stream, and kept in memory.
type Replay struct {
	cfg Config

	mu       sync.Mutex
	items    []item
	loaded   bool
	bad      int
	firstBad string
}

var (
	_ ingest.Streamer       = (*Replay)(nil)
	_ ingest.HealthReporter = (*Replay)(nil)
)

type item struct {
	post outcry.Post
	file int
	line int
}

// loopGap separates the end of one loop pass from the start of the next, in original time.
const loopGap = time.Minute

// New validates cfg (name, at least one file, a finite Speed ≥ 0) and returns a Replay.
// Files are opened by Stream, so a missing file shows up as a failing source.
func New(cfg Config) (*Replay, error) {
	if strings.TrimSpace(cfg.Name) == "" {
		return nil, fmt.Errorf("replay: empty name: %w", outcry.ErrInvalid)
	}
	if len(cfg.Files) == 0 {
		return nil, fmt.Errorf("replay %s: no files: %w", cfg.Name, outcry.ErrInvalid)
	}
	if cfg.Speed < 0 || math.IsNaN(cfg.Speed) || math.IsInf(cfg.Speed, 0) {
		return nil, fmt.Errorf("replay %s: speed %v: %w", cfg.Name, cfg.Speed, outcry.ErrInvalid)
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 500
	}
	if cfg.Keepalive <= 0 {
		cfg.Keepalive = 10 * time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return &Replay{cfg: cfg}, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Health reports, through the runner, how many bad rows the files had.
func (r *Replay) Health() []outcry.SourceHealth {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := outcry.SourceHealth{Name: r.cfg.Name}
	if r.bad > 0 {
		h.Message = fmt.Sprintf("skipped %d bad rows (first: %s)", r.bad, r.firstBad)
	}
	return []outcry.SourceHealth{h}
}

// Stream emits the posts after cursor in created_at order, paced by Speed, and returns
// nil at the end of the files (unless Loop) or when ctx is cancelled. It returns the
// error of a file it cannot read or of emit.
func (r *Replay) Stream(ctx context.Context, cursor string, emit ingest.Emit) error {
	items, err := r.load()
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return nil
	}
	pos, loop := r.resume(items, cursor)
	first := items[0].post.CreatedAt
	period := items[len(items)-1].post.CreatedAt.Sub(first) + loopGap
	// voff is a post's offset in original time from the first post of pass 0.
	voff := func(i, loop int) time.Duration {
		return items[i].post.CreatedAt.Sub(first) + time.Duration(loop)*period
	}
	anchor, vAnchor := r.cfg.Start, time.Duration(0)
	if anchor.IsZero() {
		anchor = r.cfg.Clock()
		if pos < len(items) {
			vAnchor = voff(pos, loop)
		}
	}
	speed := r.cfg.Speed
	// at maps an original-time offset onto replayed time.
	at := func(v time.Duration) time.Time {
		d := float64(v - vAnchor)
		if speed > 0 {
			d /= speed
		}
		d = math.Max(math.Min(d, float64(math.MaxInt64/2)), float64(math.MinInt64/2))
		return anchor.Add(time.Duration(d))
	}

	last := cursor
	batch := make([]outcry.Post, 0, min(r.cfg.Batch, len(items)))
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := emit(ctx, batch, last)
		batch = make([]outcry.Post, 0, cap(batch))
		return err
	}
	for {
		if ctx.Err() != nil {
			return nil
		}
		if pos >= len(items) {
			if !r.cfg.Loop {
				return ignoreCancel(ctx, flush())
			}
			loop, pos = loop+1, 0
		}
		v := voff(pos, loop)
		due := at(v)
		now := r.cfg.Clock()
		if speed == 0 || !due.After(now) {
			p := items[pos].post
			switch {
			case r.cfg.KeepTimes:
				p.CreatedAt = p.CreatedAt.Add(time.Duration(loop) * period)
			default:
				p.CreatedAt = due.UTC()
			}
			if loop > 0 {
				p.ID += ":loop" + strconv.Itoa(loop)
			}
			batch = append(batch, p)
			last = r.cursorOf(items[pos], loop)
			pos++
			if len(batch) >= r.cfg.Batch {
				if err := flush(); err != nil {
					return ignoreCancel(ctx, err)
				}
			}
			continue
		}
		if len(batch) > 0 {
			if err := flush(); err != nil {
				return ignoreCancel(ctx, err)
			}
			continue
		}
		wait := due.Sub(now)
		keepalive := wait > r.cfg.Keepalive
		if keepalive {
			wait = r.cfg.Keepalive
		}
		if err := r.cfg.Sleep(ctx, wait); err != nil {
			return ignoreCancel(ctx, err)
		}
		if keepalive {
			if err := emit(ctx, nil, last); err != nil {
				return ignoreCancel(ctx, err)
			}
		}
	}
}

func ignoreCancel(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

func (r *Replay) cursorOf(it item, loop int) string {
	c := r.cfg.Files[it.file] + ":" + strconv.Itoa(it.line)
	if loop > 0 {
		c += "#" + strconv.Itoa(loop)
	}
	return c
}

// resume finds the position after the post cursor names; an unknown cursor starts over.
func (r *Replay) resume(items []item, cursor string) (pos, loop int) {
	if cursor == "" {
		return 0, 0
	}
	rest := cursor
	if i := strings.LastIndexByte(rest, '#'); i >= 0 {
		if n, err := strconv.Atoi(rest[i+1:]); err == nil && n >= 0 {
			loop, rest = n, rest[:i]
		}
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return 0, 0
	}
	file, lineStr := rest[:i], rest[i+1:]
	line, err := strconv.Atoi(lineStr)
	if err != nil {
		return 0, 0
	}
	for k, it := range items {
		if it.line == line && r.cfg.Files[it.file] == file {
			return k + 1, loop
		}
	}
	return 0, 0
}

// load reads every file once, keeping the good posts sorted by created_at (file and
// line break ties) and counting the bad rows.
func (r *Replay) load() ([]item, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.loaded {
		return r.items, nil
	}
	var items []item
	bad, firstBad := 0, ""
	for fi, name := range r.cfg.Files {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("replay %s: %w", r.cfg.Name, err)
		}
		err = ReadPosts(f, name, func(line int, p outcry.Post, err error) error {
			if err != nil {
				if bad == 0 {
					firstBad = err.Error()
				}
				bad++
				return nil
			}
			items = append(items, item{post: p, file: fi, line: line})
			return nil
		})
		f.Close()
		if err != nil && !errors.Is(err, outcry.ErrInvalid) {
			return nil, fmt.Errorf("replay %s: %w", r.cfg.Name, err)
		}
		if err != nil { // a file-level problem such as a CSV header without text
			if bad == 0 {
				firstBad = err.Error()
			}
			bad++
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		if c := a.post.CreatedAt.Compare(b.post.CreatedAt); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
	})
	r.items, r.loaded, r.bad, r.firstBad = items, true, bad, firstBad
	return items, nil
}
