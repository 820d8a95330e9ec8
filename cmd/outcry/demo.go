package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
	"github.com/outcry/outcry/ingest/sim"
)

// demoMarker marks a data directory that `serve --demo` owns and may wipe at start.
const demoMarker = ".outcry-demo"

// lockFile is the data directory's lock (flock), held by the one process using it.
const lockFile = "outcry.lock"

// simClock is the demo's time: the scenario day, running speed times faster than real
// time. Every component of the demo (ingest stamps, detection, dashboard) reads it, so the
// dashboard shows the simulated day's own clock.
type simClock struct {
	mu        sync.Mutex
	realStart time.Time
	simStart  time.Time
	speed     float64
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.simStart.Add(time.Duration(float64(time.Since(c.realStart)) * c.speed))
}

// demoPlayer replays simulated days through the real pipeline as an ingest stream:
// posts are handed over when the simulated clock reaches them, each day with a new seed
// so every loop is new data.
type demoPlayer struct {
	o        serveOptions
	clock    *simClock
	dayStart time.Time
	// from is where live play starts (--demo-from); posts before it are preloaded.
	from time.Time
}

func newDemo(o serveOptions, dataDir string) (*demoPlayer, error) {
	if o.demoSpeed <= 0 || o.demoSpeed > 100000 {
		return nil, usagef("--demo-speed %g: want a number in (0, 100000]", o.demoSpeed)
	}
	from, err := time.Parse("15:04", o.demoFrom)
	if err != nil {
		return nil, usagef("--demo-from %q: want HH:MM (UTC)", o.demoFrom)
	}
	cfg := sim.Config{Scenario: o.scenario, Seed: o.seed, Scale: o.scale}
	var first time.Time
	errFirst := errors.New("first")
	err = sim.Generate(context.Background(), cfg, func(p outcry.Post) error {
		first = p.CreatedAt
		return errFirst
	})
	if err != nil && !errors.Is(err, errFirst) {
		return nil, usagef("%v", err)
	}
	if err := checkDemoDir(dataDir); err != nil {
		return nil, err
	}
	day := first.UTC().Truncate(24 * time.Hour)
	offset := time.Duration(from.Hour())*time.Hour + time.Duration(from.Minute())*time.Minute
	return &demoPlayer{
		o:        o,
		dayStart: day,
		from:     day.Add(offset),
		clock:    &simClock{realStart: time.Now(), simStart: day.Add(offset), speed: o.demoSpeed},
	}, nil
}

// checkDemoDir refuses a data directory the demo did not create: it is wiped at start.
func checkDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 1 || len(entries) == 1 && entries[0].Name() != lockFile:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return usagef("--data %s is not empty and not a demo directory; the demo needs its own (it wipes it at start)", dir)
		}
	}
	return nil
}

// resetDemoDir empties a demo data directory so each demo starts at the beginning of its
// day. It runs with the directory's lock held (openIndexWith), so it never wipes a
// directory another process is using, and it keeps the lock file itself: removing it
// would let a third process lock a new file of the same name.
func resetDemoDir(dir string) error {
	if err := checkDemoDir(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == lockFile {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("demo: reset %s: %w", dir, err)
		}
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("outcry serve --demo owns this directory and wipes it at start\n"), 0o644)
}

func (d *demoPlayer) spec() ingest.SourceSpec {
	return ingest.SourceSpec{
		Name: "sim", Type: "replay", URL: "sim:" + d.o.scenario,
		Stream: d, Timeout: time.Minute,
	}
}

func (d *demoPlayer) dayConfig(n int) sim.Config {
	return sim.Config{
		Scenario: d.o.scenario, Seed: d.o.seed + int64(n), Scale: d.o.scale,
		Start: d.dayStart.Add(time.Duration(n) * 24 * time.Hour),
	}
}

// Stream implements ingest.Streamer. The cursor is unused: the demo starts afresh.
func (d *demoPlayer) Stream(ctx context.Context, _ string, emit ingest.Emit) error {
	const batchMax = 500
	batch := make([]outcry.Post, 0, batchMax)
	lastEmit := time.Now()
	send := func() error {
		lastEmit = time.Now()
		err := emit(ctx, batch, "")
		batch = batch[:0]
		return err
	}
	for n := 0; ; n++ {
		err := sim.Generate(ctx, d.dayConfig(n), func(p outcry.Post) error {
			if n == 0 && p.CreatedAt.Before(d.from) {
				return nil // preloaded
			}
			for {
				now := d.clock.Now()
				if !p.CreatedAt.After(now) {
					break
				}
				if len(batch) > 0 || time.Since(lastEmit) > 5*time.Second {
					if err := send(); err != nil {
						return err
					}
				}
				wait := time.Duration(float64(p.CreatedAt.Sub(now)) / d.o.demoSpeed)
				wait = min(max(wait, 5*time.Millisecond), 250*time.Millisecond)
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(wait):
				}
			}
			batch = append(batch, p)
			if len(batch) >= batchMax {
				return send()
			}
			return nil
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// preload stores the posts before --demo-from at once, so detection has the day's
// history (and its earlier incidents) when live play begins.
func (d *demoPlayer) preload(ctx context.Context, sink ingest.Sink) (int, error) {
	errDone := errors.New("done")
	batch := make([]outcry.Post, 0, 1000)
	total := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := sink.AddPosts(ctx, "sim", batch, ""); err != nil {
			return err
		}
		total += len(batch)
		batch = batch[:0]
		return nil
	}
	err := sim.Generate(ctx, d.dayConfig(0), func(p outcry.Post) error {
		if !p.CreatedAt.Before(d.from) {
			return errDone
		}
		p.FetchedAt = p.CreatedAt
		batch = append(batch, p)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDone) {
		return total, err
	}
	return total, flush()
}

// runOfficial records the scenario's official status incidents as the simulated clock
// reaches them (an update at a time, the way a status page publishes), so the dashboard's
// lead time compares the crowd with what the vendor had said by then.
func (d *demoPlayer) runOfficial(ctx context.Context, sink ingest.OfficialSink) error {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	published := map[string]int{} // incident id -> updates published
	for n := 0; ; n++ {
		dayEnd := d.dayStart.Add(time.Duration(n+1) * 24 * time.Hour)
		for {
			now := d.clock.Now()
			if err := d.publishOfficial(ctx, sink, n, now, published); err != nil {
				return err
			}
			if !now.Before(dayEnd) {
				break
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}
}

// publishOfficial records what day n's status pages had published by now.
func (d *demoPlayer) publishOfficial(ctx context.Context, sink ingest.OfficialSink, n int, now time.Time, published map[string]int) error {
	var batch []outcry.OfficialIncident
	for _, inc := range sim.Official(d.dayConfig(n)) {
		if inc.Start.After(now) {
			continue
		}
		shown := inc
		shown.Updates = nil
		for _, u := range inc.Updates {
			if !u.At.After(now) {
				shown.Updates = append(shown.Updates, u)
			}
		}
		if inc.End != nil && inc.End.After(now) {
			shown.End, shown.Resolved = nil, false
		}
		if v := len(shown.Updates) + boolInt(shown.Resolved); published[inc.ID] != v {
			published[inc.ID] = v
			batch = append(batch, shown)
		}
	}
	if len(batch) == 0 {
		return nil
	}
	if err := sink.RecordOfficial(ctx, "sim-status", batch, ""); err != nil && ctx.Err() == nil {
		return fmt.Errorf("demo: record official incidents: %w", err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
