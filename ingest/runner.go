package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/outcry/outcry"
)

// SourceSpec is one configured source for the Runner. Exactly one of Source, Official
// and Stream is set, unless Disabled (then none need be).
type SourceSpec struct {
	// Name is unique within a Runner; it keys cursors, health and Post.Source.
	Name string
	// Type and URL are shown in health ("rss", "statuspage", "bluesky", ...).
	Type string
	URL  string

	Source   Source
	Official OfficialSource
	Stream   Streamer

	// Interval is the poll interval (ignored for streams); zero means Config.Interval.
	Interval time.Duration
	// Timeout bounds each attempt of a polled source. For a stream it is the idle
	// timeout: a stream that emits nothing (not even an empty keepalive batch) for this
	// long is cancelled and reconnected. Zero means Config.Timeout.
	Timeout time.Duration
	// Disabled sources are not run; health shows them as disabled with Message
	// (e.g. "set OUTCRY_TWITTER_BEARER_TOKEN").
	Disabled bool
	Message  string
}

// HealthReporter is implemented by sources that know something the runner cannot see,
// such as why an API refused the token. The runner copies the Message of the entry named
// like the source (or of the first entry) into that source's health. Health must be safe
// for concurrent use.
type HealthReporter interface {
	Health() []outcry.SourceHealth
}

// Config tunes the Runner. Zero fields take the DefaultConfig values, except Jitter,
// where zero means no jitter.
type Config struct {
	// MinBackoff is the wait after the first failure; each further failure doubles it up
	// to MaxBackoff. A Retry-After from the server raises the wait, never lowers it.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// Jitter in [0, 1] shortens each wait by up to that fraction, at random.
	Jitter float64
	// DedupeSize is how many recent post IDs are remembered per source.
	DedupeSize int
	// Interval and Timeout apply to specs that leave theirs zero.
	Interval time.Duration
	Timeout  time.Duration
	// Clock stamps FetchedAt and health times; nil means time.Now.
	Clock func() time.Time
	// Rand returns a number in [0, 1) for jitter; nil means math/rand/v2. The runner
	// serialises calls to it.
	Rand func() float64
}

// DefaultConfig returns the defaults: backoff 5s doubling to 10m with 20% jitter,
// 10,000 remembered IDs per source, a 2m poll interval and 30s attempt timeout.
func DefaultConfig() Config {
	return Config{
		MinBackoff: 5 * time.Second,
		MaxBackoff: 10 * time.Minute,
		Jitter:     0.2,
		DedupeSize: 10000,
		Interval:   2 * time.Minute,
		Timeout:    30 * time.Second,
	}
}

// Runner runs every added source in its own goroutine: polled sources on their interval
// with a timeout per attempt, streams with reconnection. Failures back off exponentially
// with jitter (and at least the Retry-After a server asked for) and reset on success.
// Posts are normalised and deduplicated by ID before they reach the Sink, together with
// the cursor that follows them; official incidents go to the OfficialSink.
//
// Add sources before Run; Health is safe to call at any time from any goroutine.
type Runner struct {
	cfg      Config
	sink     Sink
	official OfficialSink
	cursors  Cursors
	log      *slog.Logger

	randMu sync.Mutex

	mu      sync.Mutex // guards everything below and every runnerSource's health fields
	started bool
	sources []*runnerSource
}

type runnerSource struct {
	spec     SourceSpec
	interval time.Duration
	timeout  time.Duration
	dedupe   *Dedupe // touched only by the source's goroutine

	// guarded by Runner.mu
	health  outcry.SourceHealth
	dropped int64
}

// NewRunner returns a Runner that stores posts in sink, official incidents in official
// and reads start cursors from cursors. official and cursors may be nil when no source
// needs them (a nil cursors means every source starts from ""). A nil log discards.
func NewRunner(cfg Config, sink Sink, official OfficialSink, cursors Cursors, log *slog.Logger) *Runner {
	def := DefaultConfig()
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = def.MinBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = def.MaxBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	cfg.Jitter = min(max(cfg.Jitter, 0), 1)
	if cfg.DedupeSize <= 0 {
		cfg.DedupeSize = def.DedupeSize
	}
	if cfg.Interval <= 0 {
		cfg.Interval = def.Interval
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = def.Timeout
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Runner{cfg: cfg, sink: sink, official: official, cursors: cursors, log: log.With("component", "ingest")}
}

// Add registers a source. It fails (wrapping outcry.ErrInvalid) on an empty or duplicate
// name, on a spec that sets none or several of Source/Official/Stream, or when the sink
// the spec needs is nil; and it fails once Run has started.
func (r *Runner) Add(spec SourceSpec) error {
	if strings.TrimSpace(spec.Name) == "" {
		return fmt.Errorf("ingest: add source: empty name: %w", outcry.ErrInvalid)
	}
	set := 0
	for _, ok := range []bool{spec.Source != nil, spec.Official != nil, spec.Stream != nil} {
		if ok {
			set++
		}
	}
	if !spec.Disabled && set != 1 {
		return fmt.Errorf("ingest: add source %q: exactly one of Source, Official, Stream must be set (got %d): %w", spec.Name, set, outcry.ErrInvalid)
	}
	if set > 1 {
		return fmt.Errorf("ingest: add source %q: several of Source, Official, Stream set: %w", spec.Name, outcry.ErrInvalid)
	}
	if !spec.Disabled {
		if (spec.Source != nil || spec.Stream != nil) && r.sink == nil {
			return fmt.Errorf("ingest: add source %q: runner has no post sink", spec.Name)
		}
		if spec.Official != nil && r.official == nil {
			return fmt.Errorf("ingest: add source %q: runner has no official sink", spec.Name)
		}
	}
	s := &runnerSource{
		spec:     spec,
		interval: spec.Interval,
		timeout:  spec.Timeout,
		dedupe:   NewDedupe(r.cfg.DedupeSize),
	}
	if s.interval <= 0 {
		s.interval = r.cfg.Interval
	}
	if s.timeout <= 0 {
		s.timeout = r.cfg.Timeout
	}
	s.health = outcry.SourceHealth{Name: spec.Name, Type: spec.Type, URL: spec.URL, State: outcry.HealthStarting}
	if spec.Disabled {
		s.health.State = outcry.HealthDisabled
		s.health.Message = spec.Message
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return fmt.Errorf("ingest: add source %q: runner already started", spec.Name)
	}
	for _, o := range r.sources {
		if o.spec.Name == spec.Name {
			return fmt.Errorf("ingest: add source %q: duplicate name: %w", spec.Name, outcry.ErrInvalid)
		}
	}
	r.sources = append(r.sources, s)
	return nil
}

// Run starts one goroutine per enabled source and blocks until ctx is cancelled and
// every one of them has returned; it then returns nil. A stream that ends on its own
// (a replay that reached the end of its files) stops without being restarted. Run may
// be called once.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.started {
		r.mu.Unlock()
		return errors.New("ingest: runner already started")
	}
	r.started = true
	sources := slices.Clone(r.sources)
	r.mu.Unlock()

	var wg sync.WaitGroup
	for _, s := range sources {
		if s.spec.Disabled {
			continue
		}
		wg.Go(func() {
			if s.spec.Stream != nil {
				r.runStream(ctx, s)
			} else {
				r.runPoll(ctx, s)
			}
		})
	}
	<-ctx.Done()
	wg.Wait()
	return nil
}

// Health returns a snapshot of every source's health, sorted by name.
func (r *Runner) Health() []outcry.SourceHealth {
	r.mu.Lock()
	out := make([]outcry.SourceHealth, len(r.sources))
	reporters := make([]HealthReporter, len(r.sources))
	for i, s := range r.sources {
		out[i] = s.health
		out[i].BackoffSeconds = s.health.Backoff.Seconds()
		reporters[i] = runnerReporterOf(s.spec)
	}
	r.mu.Unlock()
	// Reporters are called without the lock: they may take their own.
	for i, rep := range reporters {
		if rep == nil || out[i].State == outcry.HealthDisabled {
			continue
		}
		if msg := runnerReportedMessage(rep.Health(), out[i].Name); msg != "" {
			out[i].Message = msg
		}
	}
	slices.SortFunc(out, func(a, b outcry.SourceHealth) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Dropped reports how many posts source name delivered without an ID or text; they are
// never handed to the sink.
func (r *Runner) Dropped(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.sources {
		if s.spec.Name == name {
			return s.dropped
		}
	}
	return 0
}

func runnerReporterOf(spec SourceSpec) HealthReporter {
	for _, v := range []any{spec.Source, spec.Official, spec.Stream} {
		if hr, ok := v.(HealthReporter); ok && v != nil {
			return hr
		}
	}
	return nil
}

func runnerReportedMessage(hs []outcry.SourceHealth, name string) string {
	for _, h := range hs {
		if h.Name == name {
			return h.Message
		}
	}
	if len(hs) > 0 {
		return hs[0].Message
	}
	return ""
}

func (r *Runner) rand() float64 {
	r.randMu.Lock()
	defer r.randMu.Unlock()
	return r.cfg.Rand()
}

// wait is the backoff after failures consecutive failures, at least what err asked for.
func (r *Runner) wait(failures int, err error) time.Duration {
	b := Backoff{Min: r.cfg.MinBackoff, Max: r.cfg.MaxBackoff, Jitter: r.cfg.Jitter}
	return max(b.Delay(failures, r.rand()), RetryAfter(err))
}

// runnerSleep waits d or until ctx is done; it reports whether the wait completed.
func runnerSleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// runnerCursor holds a source's cursor once it has been read from Cursors.
type runnerCursor struct {
	value  string
	loaded bool
}

func (r *Runner) loadCursor(s *runnerSource, c *runnerCursor) error {
	if c.loaded {
		return nil
	}
	if r.cursors != nil {
		v, err := r.cursors.Cursor(s.spec.Name)
		if err != nil {
			return fmt.Errorf("ingest: %s: read cursor: %w", s.spec.Name, err)
		}
		c.value = v
	}
	c.loaded = true
	r.mu.Lock()
	s.health.Cursor = c.value
	r.mu.Unlock()
	return nil
}

func (r *Runner) runPoll(ctx context.Context, s *runnerSource) {
	log := r.log.With("source", s.spec.Name)
	var cur runnerCursor
	failures := 0
	for {
		start := r.cfg.Clock()
		r.mu.Lock()
		s.health.NextAttempt = time.Time{}
		r.mu.Unlock()

		err := r.loadCursor(s, &cur)
		if err == nil {
			err = r.pollOnce(ctx, s, &cur)
		}
		if ctx.Err() != nil {
			return
		}
		var d time.Duration
		if err != nil {
			failures++
			d = r.wait(failures, err)
			r.recordFailure(s, err, failures, d)
			log.Warn("poll failed", "err", err, "failures", failures, "backoff", d)
		} else {
			if failures > 0 {
				log.Info("source recovered", "after_failures", failures)
			}
			failures = 0
			// Keep the rate: the interval counts from the start of the attempt.
			d = s.interval - r.cfg.Clock().Sub(start)
			r.recordSuccess(s, cur.value, d)
		}
		if !runnerSleep(ctx, d) {
			return
		}
	}
}

// pollOnce runs one attempt of a polled source under its own timeout and delivers
// what it fetched; the cursor advances only once the sink accepted it.
func (r *Runner) pollOnce(ctx context.Context, s *runnerSource, cur *runnerCursor) error {
	actx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if s.spec.Official != nil {
		incidents, next, err := s.spec.Official.FetchOfficial(actx, cur.value)
		if errors.Is(err, ErrNotModified) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ingest: %s: fetch: %w", s.spec.Name, runnerTimeoutCause(actx, err, s.timeout))
		}
		if len(incidents) == 0 && next == cur.value {
			return nil
		}
		for i := range incidents {
			if incidents[i].Source == "" {
				incidents[i].Source = s.spec.Name
			}
		}
		if err := r.official.RecordOfficial(ctx, s.spec.Name, incidents, next); err != nil {
			return fmt.Errorf("ingest: %s: record official: %w", s.spec.Name, err)
		}
		cur.value = next
		r.mu.Lock()
		s.health.PostsSeen += int64(len(incidents))
		r.mu.Unlock()
		return nil
	}
	posts, next, err := s.spec.Source.Fetch(actx, cur.value)
	if errors.Is(err, ErrNotModified) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ingest: %s: fetch: %w", s.spec.Name, runnerTimeoutCause(actx, err, s.timeout))
	}
	return r.deliver(ctx, s, cur, posts, next)
}

// runnerTimeoutCause makes an attempt that ran out of time say so.
func runnerTimeoutCause(actx context.Context, err error, d time.Duration) error {
	if errors.Is(actx.Err(), context.DeadlineExceeded) && !strings.Contains(err.Error(), "timed out") {
		return fmt.Errorf("timed out after %s: %w", d, err)
	}
	return err
}

// deliver normalises posts, drops those without ID or text and those seen recently,
// and hands the rest to the sink with next. On success the cursor becomes next.
// MaxFutureSkew is how far past the fetch time a post may be dated; later dates are
// replaced by the fetch time.
const MaxFutureSkew = 10 * time.Minute

func (r *Runner) deliver(ctx context.Context, s *runnerSource, cur *runnerCursor, posts []outcry.Post, next string) error {
	now := r.cfg.Clock().UTC()
	fresh := make([]outcry.Post, 0, len(posts))
	batch := make(map[string]struct{}, len(posts))
	var dropped, future int64
	for _, p := range posts {
		if p.ID == "" || strings.TrimSpace(p.Text) == "" {
			dropped++
			continue
		}
		if _, dup := batch[p.ID]; dup || s.dedupe.Seen(p.ID) {
			continue
		}
		batch[p.ID] = struct{}{}
		if p.Source == "" {
			p.Source = s.spec.Name
		}
		p.FetchedAt = now
		if p.CreatedAt.IsZero() {
			p.CreatedAt = now
		}
		if p.CreatedAt.After(now.Add(MaxFutureSkew)) {
			// A feed with a wrong clock or time zone: counted now, not hours ahead,
			// where its posts would pile into minutes the detector has not reached.
			p.CreatedAt = now
			future++
		}
		p.CreatedAt = p.CreatedAt.UTC()
		fresh = append(fresh, p)
	}
	if future > 0 {
		r.log.Warn("posts dated in the future were stamped with the fetch time", "source", s.spec.Name, "posts", future, "skew_over", MaxFutureSkew)
	}
	if dropped > 0 {
		r.log.Warn("dropped posts without id or text", "source", s.spec.Name, "posts", dropped)
		r.mu.Lock()
		s.dropped += dropped
		r.mu.Unlock()
	}
	if len(fresh) == 0 && next == cur.value {
		return nil
	}
	stored, err := r.sink.AddPosts(ctx, s.spec.Name, fresh, next)
	if err != nil {
		return fmt.Errorf("ingest: %s: store %d posts: %w", s.spec.Name, len(fresh), err)
	}
	// Remember IDs only once stored: a failed store is retried from the old cursor and
	// must not find its posts already "seen".
	for _, p := range fresh {
		s.dedupe.Add(p.ID)
	}
	cur.value = next
	r.mu.Lock()
	s.health.PostsSeen += int64(len(fresh))
	s.health.PostsStored += int64(stored)
	s.health.Cursor = next
	r.mu.Unlock()
	return nil
}

func (r *Runner) recordSuccess(s *runnerSource, cursor string, next time.Duration) {
	now := r.cfg.Clock()
	r.mu.Lock()
	defer r.mu.Unlock()
	h := &s.health
	h.State = outcry.HealthOK
	h.LastOK = now.UTC()
	h.ConsecutiveFailures = 0
	h.Backoff = 0
	h.Cursor = cursor
	if next > 0 {
		h.NextAttempt = now.Add(next).UTC()
	} else {
		h.NextAttempt = time.Time{}
	}
}

func (r *Runner) recordFailure(s *runnerSource, err error, failures int, wait time.Duration) {
	now := r.cfg.Clock()
	r.mu.Lock()
	defer r.mu.Unlock()
	h := &s.health
	h.State = outcry.HealthFailing
	h.LastError = now.UTC()
	// The health belongs to the source already: its name is no news in the message.
	h.Error = strings.TrimPrefix(err.Error(), "ingest: "+s.spec.Name+": ")
	h.ConsecutiveFailures = failures
	h.Backoff = wait
	h.NextAttempt = now.Add(wait).UTC()
}

// errRunnerIdle cancels a stream that went quiet for longer than its timeout.
var errRunnerIdle = errors.New("stream idle")

func (r *Runner) runStream(ctx context.Context, s *runnerSource) {
	log := r.log.With("source", s.spec.Name)
	var cur runnerCursor
	failures := 0
	for {
		r.mu.Lock()
		s.health.NextAttempt = time.Time{}
		r.mu.Unlock()

		err := r.loadCursor(s, &cur)
		ended := false
		if err == nil {
			var healthy bool
			healthy, err = r.streamOnce(ctx, s, &cur)
			if healthy {
				failures = 0
			}
			ended = err == nil
		}
		if ctx.Err() != nil {
			return
		}
		if ended {
			log.Info("stream ended")
			r.recordSuccess(s, cur.value, 0)
			r.mu.Lock()
			if s.health.Message == "" {
				s.health.Message = "stream ended"
			}
			r.mu.Unlock()
			return
		}
		failures++
		d := r.wait(failures, err)
		r.recordFailure(s, err, failures, d)
		log.Warn("stream failed", "err", err, "failures", failures, "backoff", d)
		if !runnerSleep(ctx, d) {
			return
		}
	}
}

// streamOnce runs one connection of a stream. It returns nil when the stream ended on
// its own, and reports whether any batch was accepted (which resets the backoff).
func (r *Runner) streamOnce(ctx context.Context, s *runnerSource, cur *runnerCursor) (healthy bool, err error) {
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := time.AfterFunc(s.timeout, func() { cancel(errRunnerIdle) })
	defer idle.Stop()

	var mu sync.Mutex // emit is documented as sequential; this makes misuse safe
	emit := func(_ context.Context, posts []outcry.Post, next string) error {
		mu.Lock()
		defer mu.Unlock()
		if sctx.Err() != nil {
			return context.Cause(sctx)
		}
		// The idle clock stops while the sink works: a slow sink is backpressure,
		// not a silent stream.
		idle.Stop()
		err := r.deliver(ctx, s, cur, posts, next)
		idle.Reset(s.timeout)
		if err != nil {
			return err
		}
		if !healthy {
			healthy = true
			r.recordSuccess(s, cur.value, 0)
		} else {
			r.mu.Lock()
			s.health.LastOK = r.cfg.Clock().UTC()
			r.mu.Unlock()
		}
		return nil
	}
	err = s.spec.Stream.Stream(sctx, cur.value, emit)
	mu.Lock()
	defer mu.Unlock()
	if ctx.Err() != nil {
		return healthy, nil
	}
	if errors.Is(context.Cause(sctx), errRunnerIdle) {
		return healthy, fmt.Errorf("ingest: %s: no data for %s, reconnecting", s.spec.Name, s.timeout)
	}
	if err != nil {
		return healthy, fmt.Errorf("ingest: %s: stream: %w", s.spec.Name, err)
	}
	return healthy, nil
}
