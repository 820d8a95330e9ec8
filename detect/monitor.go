package detect

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/outcry/outcry"
)

// Store gives per-service one-minute counts. Counts returns the buckets of service whose
// minute lies in [from, to), in any order; minutes without a bucket count as zero, so a
// zero bucket and a missing one mean the same (no posts): a service's data begins at its
// first bucket that counts a post, whether or not the store also returns empty minutes.
type Store interface {
	Counts(ctx context.Context, service string, from, to time.Time) ([]outcry.Bucket, error)
}

// Summarizer describes the complaint and recovery posts about service in [from, to), with
// up to samples sample posts.
type Summarizer interface {
	Summarize(ctx context.Context, service string, from, to time.Time, samples int) (outcry.Summary, error)
}

// IncidentStore persists incidents and correlated events, replacing earlier versions by ID.
type IncidentStore interface {
	RecordIncidents(ctx context.Context, incs []outcry.Incident) error
	RecordEvents(ctx context.Context, evs []outcry.Event) error
}

// OfficialLister lists the official status incidents of service that overlap [from, to).
type OfficialLister interface {
	Official(ctx context.Context, service string, from, to time.Time) ([]outcry.OfficialIncident, error)
}

// Change kinds passed to MonitorDeps.Notify.
const (
	ChangeOpened   = "opened"
	ChangeUpdated  = "updated"
	ChangeResolved = "resolved"
)

// Change is one incident lifecycle step: opened (also when a resolved incident reopens,
// with the same ID), updated (something material changed: the status worsened, the peak
// reached a new power of two, an official incident was linked or the incident joined an
// event) or resolved. Event is set when the incident belongs to a correlated event.
type Change struct {
	Kind     string          `json:"kind"`
	Incident outcry.Incident `json:"incident"`
	Event    *outcry.Event   `json:"event,omitempty"`
}

// MonitorConfig tunes a Monitor. Start from DefaultMonitorConfig.
type MonitorConfig struct {
	// Detector configures the per-service detectors.
	Detector DetectorConfig
	// Services are the catalog ids to watch.
	Services []string
	// QuietPeriod resolves an incident after this long without an anomalous minute, once
	// the complaints of the last QuietPeriod (at most 45 minutes) are no longer elevated:
	// their Detector.RecentScore is below SettledScore (0.1 is a tail probability of 1%).
	QuietPeriod  time.Duration
	SettledScore float64
	// Lag is how long after a minute ends it is processed, so late posts still count.
	Lag time.Duration
	// History is how many minutes of readings per service Series can return.
	History int
	// MinAuthors is the least number of distinct complaining authors (over the anomaly, as
	// the Summarizer counts them) needed to open an incident; those authors must also be
	// anomalous against the baseline when counted once each over the whole window (see
	// Detector.WindowScore): one account repeating itself is not an outage. Without a
	// Summarizer the per-minute author counts are summed instead, which cannot tell one
	// repeating author from many.
	MinAuthors int
	// ReopenWithin: an anomaly starting this soon after the service's last incident ended
	// reopens that incident (notified as opened again, same ID) instead of opening a new
	// one, so the lingering tail of an outage does not count twice.
	ReopenWithin time.Duration
	// ConfirmWithin is how long an anomaly may wait for MinAuthors; after that it is
	// declared a nuisance (Detector.Absorb) and no incident opens for it.
	ConfirmWithin time.Duration
	// FastAuthors, FastHours: an anomaly opens at once when its distinct complaining
	// authors since the onset reach both FastAuthors and FastHours hours' worth of the
	// service's baseline (so the bar scales with how much the service is talked about).
	// A smaller one opens only after MinDuration, if its last five minutes are still
	// anomalous, so a few people hit by a local glitch for a few minutes do not make an
	// incident. The onset is backdated either way; only the alert waits.
	FastAuthors int
	FastHours   float64
	MinDuration time.Duration
	// RecoveryWindow, MinRecoveries: an incident resolves early when, over the last
	// RecoveryWindow, at least MinRecoveries recovery posts arrived, they outnumber the
	// complaints, and the current minute is no longer anomalous.
	RecoveryWindow time.Duration
	MinRecoveries  int
	// SummaryEvery is how often an open incident's details (languages, sources, problems,
	// authors) and official links are refreshed.
	SummaryEvery time.Duration
	// Samples is how many sample posts the summaries ask for.
	Samples int
	// OfficialWindow links an official incident that starts up to this long after a
	// detected one (besides any that overlap it), and keeps looking for one that long after
	// the incident resolved.
	OfficialWindow time.Duration
	// Retain keeps resolved incidents (and their events) in memory this long after they end.
	Retain time.Duration
	// WarmUp is how much stored history Replay learns from before its range, and Restore
	// when given no since. Minutes before a service's first minute with posts are not data
	// and are skipped.
	WarmUp time.Duration
	// Correlation groups incidents of different services into events.
	Correlation CorrelationConfig
}

// DefaultMonitorConfig returns the configuration used by Outcry.
func DefaultMonitorConfig() MonitorConfig {
	return MonitorConfig{
		Detector:       DefaultDetectorConfig(),
		QuietPeriod:    30 * time.Minute,
		SettledScore:   0.1,
		Lag:            2 * time.Minute,
		History:        7 * 24 * 60,
		MinAuthors:     3,
		ConfirmWithin:  10 * time.Minute,
		FastAuthors:    25,
		FastHours:      4,
		MinDuration:    20 * time.Minute,
		ReopenWithin:   30 * time.Minute,
		RecoveryWindow: 15 * time.Minute,
		MinRecoveries:  3,
		SummaryEvery:   5 * time.Minute,
		Samples:        5,
		OfficialWindow: 2 * time.Hour,
		Retain:         7 * 24 * time.Hour,
		WarmUp:         7 * 24 * time.Hour,
		Correlation:    DefaultCorrelationConfig(),
	}
}

// MonitorDeps are what a Monitor reads from and reports to. Store is required; the others
// may be nil (no summaries, no persistence, no official links, time.Now, no notifications).
type MonitorDeps struct {
	Store      Store
	Summarizer Summarizer
	Incidents  IncidentStore
	Official   OfficialLister
	Clock      func() time.Time
	// Notify is called for each incident change, in order, after the change is persisted.
	// It runs on the goroutine that called Advance and must not call back into the Monitor.
	Notify func(Change)
}

// Monitor runs one Detector per service over the stored one-minute counts, turns their
// readings into incidents, correlates incidents into events and links official status
// incidents. Advance, Run, Replay and Restore may be called from several goroutines (they
// are serialised); the readers (Current, Series, Incidents, Events) are safe to call
// concurrently with them and may wait for the minute being processed.
type Monitor struct {
	cfg  MonitorConfig
	deps MonitorDeps
	log  *slog.Logger

	runMu sync.Mutex   // serialises Advance, Replay and Restore
	mu    sync.RWMutex // guards eng for readers
	eng   *monEngine
}

// NewMonitor returns a monitor for cfg.Services. A nil log discards.
func NewMonitor(cfg MonitorConfig, deps MonitorDeps, log *slog.Logger) *Monitor {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log = log.With("component", "monitor")
	if deps.Clock == nil {
		deps.Clock = time.Now
	}
	cfg.History = max(cfg.History, 1)
	m := &Monitor{cfg: cfg, deps: deps, log: log}
	m.eng = newMonEngine(cfg, deps, log)
	return m
}

// Advance processes every closed minute up to now-Lag for all services (reading counts
// from the Store), updating detectors, incidents and events, persisting changes and calling
// Notify for each incident opened, materially updated or resolved. Minutes already
// processed are skipped, so calling it twice with the same now does nothing the second
// time. On a monitor that has processed nothing (and was not restored) it starts with the
// last closed minute. A Store error stops before anything of the failing chunk is applied.
func (m *Monitor) Advance(ctx context.Context, now time.Time) error {
	m.runMu.Lock()
	defer m.runMu.Unlock()
	end := outcry.Minute(now.Add(-m.cfg.Lag))
	for {
		m.mu.RLock()
		cursor := m.eng.cursor
		m.mu.RUnlock()
		if cursor.IsZero() {
			cursor = end.Add(-time.Minute)
		}
		if !end.After(cursor) {
			return nil
		}
		// Catch up in chunks of a day so a long pause cannot hold everything in memory.
		chunkEnd := minTime(end, cursor.Add(24*time.Hour))
		counts, err := m.eng.fetch(ctx, cursor, chunkEnd)
		if err != nil {
			return err
		}
		m.mu.Lock()
		m.eng.cursor = cursor
		m.eng.process(ctx, cursor, chunkEnd, counts, false)
		m.eng.correlate(ctx, chunkEnd)
		changes, incs, evs := m.eng.flush()
		m.mu.Unlock()
		m.persist(ctx, incs, evs)
		if m.deps.Notify != nil {
			for _, c := range changes {
				m.deps.Notify(c)
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// persist writes changed incidents and events; failures are logged, not returned, because
// the in-memory state is already ahead and the next change writes the objects again.
func (m *Monitor) persist(ctx context.Context, incs []outcry.Incident, evs []outcry.Event) {
	if m.deps.Incidents == nil {
		return
	}
	if len(incs) > 0 {
		if err := m.deps.Incidents.RecordIncidents(ctx, incs); err != nil {
			m.log.Warn("record incidents failed", "incidents", len(incs), "err", err)
		}
	}
	if len(evs) > 0 {
		if err := m.deps.Incidents.RecordEvents(ctx, evs); err != nil {
			m.log.Warn("record events failed", "events", len(evs), "err", err)
		}
	}
}

// Run calls Advance with the Clock's time at once and then every interval until ctx is
// cancelled, when it returns nil. Advance errors are logged and retried on the next tick.
func (m *Monitor) Run(ctx context.Context, every time.Duration) error {
	if every <= 0 {
		return fmt.Errorf("monitor: run: interval %s: %w", every, outcry.ErrInvalid)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := m.Advance(ctx, m.deps.Clock()); err != nil && ctx.Err() == nil {
			m.log.Warn("advance failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Replay runs detection over the stored counts in [from, to) from a fresh state (the live
// state is untouched), after learning from up to WarmUp of history before from, and returns
// the incidents that started in [from, to) and their events, oldest first. They are also
// persisted when an IncidentStore is set; Notify is not called.
func (m *Monitor) Replay(ctx context.Context, from, to time.Time) ([]outcry.Incident, []outcry.Event, error) {
	eng, err := m.replay(ctx, from, to)
	if err != nil {
		return nil, nil, err
	}
	incs, evs := eng.replayed(outcry.Minute(from))
	if m.deps.Incidents != nil {
		if err := m.deps.Incidents.RecordIncidents(ctx, incs); err != nil {
			return incs, evs, fmt.Errorf("monitor: replay: %w", err)
		}
		if err := m.deps.Incidents.RecordEvents(ctx, evs); err != nil {
			return incs, evs, fmt.Errorf("monitor: replay: %w", err)
		}
	}
	return incs, evs, nil
}

// replay runs a fresh engine over [from, to) and returns it.
func (m *Monitor) replay(ctx context.Context, from, to time.Time) (*monEngine, error) {
	from, to = outcry.Minute(from), outcry.Minute(to)
	if !to.After(from) {
		return nil, fmt.Errorf("monitor: replay: empty range %s..%s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), outcry.ErrInvalid)
	}
	m.runMu.Lock()
	defer m.runMu.Unlock()
	cfg := m.cfg
	cfg.Retain = 1 << 62 // keep everything the replay finds
	eng := newMonEngine(cfg, m.deps, m.log)
	if err := eng.warm(ctx, from.Add(-cfg.WarmUp), from, true); err != nil {
		return nil, err
	}
	for cur := from; cur.Before(to); {
		end := minTime(to, cur.Add(24*time.Hour))
		counts, err := eng.fetch(ctx, cur, end)
		if err != nil {
			return nil, err
		}
		eng.process(ctx, cur, end, counts, false)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cur = end
	}
	eng.regroup = true
	eng.correlate(ctx, to)
	eng.flush()
	return eng, nil
}

// replayed returns the incidents that started at or after from, and the events.
func (e *monEngine) replayed(from time.Time) ([]outcry.Incident, []outcry.Event) {
	var incs []outcry.Incident
	for _, tr := range e.incidents {
		if !tr.inc.Start.Before(from) {
			incs = append(incs, tr.snapshot())
		}
	}
	return incs, e.eventList()
}

// Restore prepares a monitor after a restart: it resets the detectors, warms them on the
// stored counts from since (zero: WarmUp before now; each service from its first minute
// with posts) up to the last closed minute without opening incidents, and adopts open as
// the open incidents (one per service; they keep their IDs and resolve normally: one that
// ended while the process was down resolves during the warm-up, and that change is
// persisted and notified). The next Advance continues from there, so an outage that began while the
// process was down opens on the first Advance.
func (m *Monitor) Restore(ctx context.Context, open []outcry.Incident, since time.Time) error {
	m.runMu.Lock()
	defer m.runMu.Unlock()
	end := outcry.Minute(m.deps.Clock().Add(-m.cfg.Lag))
	if since.IsZero() {
		since = end.Add(-m.cfg.WarmUp)
	}
	eng := newMonEngine(m.cfg, m.deps, m.log)
	for _, inc := range open {
		eng.adopt(inc)
	}
	if err := eng.warm(ctx, since, end, true); err != nil {
		return err
	}
	eng.correlate(ctx, end)
	changes, incs, evs := eng.flush()
	m.mu.Lock()
	m.eng = eng
	m.mu.Unlock()
	m.persist(ctx, incs, evs)
	if m.deps.Notify != nil {
		for _, c := range changes {
			m.deps.Notify(c)
		}
	}
	return nil
}

// Current returns the latest reading per service (services with no minute processed yet
// are absent).
func (m *Monitor) Current() map[string]outcry.Point {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make(map[string]outcry.Point, len(m.eng.services))
	for id, s := range m.eng.services {
		if s.ring.n > 0 {
			out[id] = s.ring.last()
		}
	}
	return out
}

// Series returns the readings of service for the minutes in [from, to) that are still in
// the in-memory history (History minutes), oldest first; nil for an unknown service.
func (m *Monitor) Series(service string, from, to time.Time) []outcry.Point {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := m.eng.services[service]
	if s == nil {
		return nil
	}
	return s.ring.between(outcry.Minute(from), to)
}

// Incidents returns the open incidents and those resolved within Retain, oldest first.
func (m *Monitor) Incidents() []outcry.Incident {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]outcry.Incident, 0, len(m.eng.incidents))
	for _, tr := range m.eng.incidents {
		out = append(out, tr.snapshot())
	}
	return out
}

// Events returns the correlated events of the retained incidents, oldest first.
func (m *Monitor) Events() []outcry.Event {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.eng.eventList()
}

// monEngine is the detection state: one per live monitor and one per Replay.
type monEngine struct {
	cfg  MonitorConfig
	deps MonitorDeps
	log  *slog.Logger

	services map[string]*monService
	order    []string
	cursor   time.Time // next minute to process; zero before the first
	// dataBegun is set once a warm-up met the first minute with any post: from there,
	// a service without posts had zero complaints (the sources were running).
	dataBegun bool

	incidents []*incTrack // open and retained, by start
	ids       map[string]bool
	events    map[string]*outcry.Event
	eventIDs  map[string]bool
	changes   []Change
	dirty     map[*incTrack]bool
	dirtyEvs  map[string]bool
	regroup   bool // an incident opened, resolved or was re-summarised since the last correlate
	lastCorr  time.Time
	corMemo   *corMemo
}

func newMonEngine(cfg MonitorConfig, deps MonitorDeps, log *slog.Logger) *monEngine {
	e := &monEngine{
		cfg:      cfg,
		deps:     deps,
		log:      log,
		services: map[string]*monService{},
		ids:      map[string]bool{},
		events:   map[string]*outcry.Event{},
		eventIDs: map[string]bool{},
		dirty:    map[*incTrack]bool{},
		dirtyEvs: map[string]bool{},
	}
	for _, id := range cfg.Services {
		if _, dup := e.services[id]; dup || id == "" {
			continue
		}
		e.services[id] = newMonService(id, cfg)
		e.order = append(e.order, id)
	}
	return e
}

// fetch reads the counts of every service for [from, to).
func (e *monEngine) fetch(ctx context.Context, from, to time.Time) (map[string][]outcry.Bucket, error) {
	out := make(map[string][]outcry.Bucket, len(e.order))
	for _, id := range e.order {
		bs, err := e.deps.Store.Counts(ctx, id, from, to)
		if err != nil {
			return nil, fmt.Errorf("monitor: counts of %s: %w", id, err)
		}
		out[id] = bs
	}
	return out, nil
}

// warm runs the detectors over [from, to) without opening incidents (adopted ones are
// still updated and may resolve). With skipEmpty, the series start at the first minute
// with any post of any service: earlier minutes are absence of data, not zero
// complaints; later ones, for a service nobody mentioned, are zero complaints (a
// service first named in an outage must not meet it as a detector still warming up).
func (e *monEngine) warm(ctx context.Context, from, to time.Time, skipEmpty bool) error {
	from, to = outcry.Minute(from), outcry.Minute(to)
	for cur := from; cur.Before(to); {
		end := minTime(to, cur.Add(24*time.Hour))
		counts, err := e.fetch(ctx, cur, end)
		if err != nil {
			return err
		}
		if skipEmpty && !e.dataBegun && !slices.ContainsFunc(e.order, func(id string) bool {
			return slices.ContainsFunc(counts[id], monHasPosts)
		}) {
			cur = end // no data yet at all
			continue
		}
		e.process(ctx, cur, end, counts, true)
		if err := ctx.Err(); err != nil {
			return err
		}
		cur = end
	}
	e.cursor = to
	return nil
}

// process runs minutes [from, to) for the services present in counts.
func (e *monEngine) process(ctx context.Context, from, to time.Time, counts map[string][]outcry.Bucket, warming bool) {
	n := int(to.Sub(from) / time.Minute)
	if n <= 0 {
		return
	}
	dense := make([]outcry.Bucket, n)
	first := 0
	if warming && !e.dataBegun {
		// The series begin at the first minute with any post.
		first = n
		for _, bs := range counts {
			for _, b := range bs {
				if i := int(outcry.Minute(b.T).Sub(from) / time.Minute); i >= 0 && i < n && monHasPosts(b) {
					first = min(first, i)
				}
			}
		}
		e.dataBegun = first < n
	}
	for _, id := range e.order {
		bs, ok := counts[id]
		if !ok {
			continue
		}
		s := e.services[id]
		clear(dense)
		for _, b := range bs {
			i := int(outcry.Minute(b.T).Sub(from) / time.Minute)
			if i < 0 || i >= n {
				continue
			}
			dense[i].Mentions += b.Mentions
			dense[i].Complaints += b.Complaints
			dense[i].Authors += b.Authors
			dense[i].Recoveries += b.Recoveries
		}
		start := 0
		if warming && !s.started {
			start = first
		}
		for i := start; i < n; i++ {
			b := &dense[i]
			b.Service, b.T = id, from.Add(time.Duration(i)*time.Minute)
			e.stepService(ctx, s, b, warming)
		}
	}
	e.cursor = to
	if !warming {
		e.followUp(ctx, to)
	}
	e.expire(to)
}

// monHasPosts reports whether a bucket counts any post. Stores may return zero buckets
// for minutes without posts (the index returns every minute of the range), so only a
// bucket with posts marks where a service's data begins.
func monHasPosts(b outcry.Bucket) bool {
	return b.Mentions > 0 || b.Complaints > 0 || b.Authors > 0 || b.Recoveries > 0
}

// expire forgets resolved incidents older than Retain.
func (e *monEngine) expire(now time.Time) {
	keep := e.incidents[:0]
	for _, tr := range e.incidents {
		if tr.inc.End != nil && now.Sub(*tr.inc.End) > e.cfg.Retain {
			delete(e.dirty, tr)
			continue
		}
		keep = append(keep, tr)
	}
	clear(e.incidents[len(keep):])
	e.incidents = keep
}

// flush returns the pending notifications and the incidents and events that changed since
// the last flush.
func (e *monEngine) flush() ([]Change, []outcry.Incident, []outcry.Event) {
	changes := e.changes
	e.changes = nil
	var incs []outcry.Incident
	for _, tr := range e.incidents {
		if e.dirty[tr] {
			incs = append(incs, tr.snapshot())
		}
	}
	clear(e.dirty)
	var evs []outcry.Event
	for id := range e.dirtyEvs {
		if ev, ok := e.events[id]; ok {
			evs = append(evs, cloneEvent(*ev))
		}
	}
	clear(e.dirtyEvs)
	slices.SortFunc(evs, func(a, b outcry.Event) int { return a.Start.Compare(b.Start) })
	return changes, incs, evs
}

func (e *monEngine) eventList() []outcry.Event {
	out := make([]outcry.Event, 0, len(e.events))
	for _, ev := range e.events {
		out = append(out, cloneEvent(*ev))
	}
	slices.SortFunc(out, func(a, b outcry.Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmpString(a.ID, b.ID)
	})
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// monService is one service's detector, history and incident state.
type monService struct {
	id      string
	det     *Detector
	ring    monRing
	started bool
	open    *incTrack
	last    *incTrack // the latest incident, open or resolved
	// pending is when the current anomaly started waiting for MinAuthors.
	pending time.Time
	// recent complaints and recoveries, for recovery-based resolution.
	recentC, recentR []int
	recentPos        int
}

func newMonService(id string, cfg MonitorConfig) *monService {
	w := max(int(cfg.RecoveryWindow/time.Minute), 1)
	return &monService{
		id:      id,
		det:     NewDetector(cfg.Detector),
		ring:    newMonRing(cfg.History),
		recentC: make([]int, w),
		recentR: make([]int, w),
	}
}

func (s *monService) pushRecent(complaints, recoveries int) {
	s.recentPos = (s.recentPos + 1) % len(s.recentC)
	s.recentC[s.recentPos] = complaints
	s.recentR[s.recentPos] = recoveries
}

func (s *monService) recent() (complaints, recoveries int) {
	for i := range s.recentC {
		complaints += s.recentC[i]
		recoveries += s.recentR[i]
	}
	return complaints, recoveries
}

// monRing is a fixed-size history of compact readings; the minute of each slot is implied
// by the newest one.
type monRing struct {
	pts   []monPoint
	pos   int // slot of the newest
	n     int
	tLast time.Time
}

type monPoint struct {
	count, authors  int32
	baseline, score float32
	status          uint8
}

func newMonRing(size int) monRing { return monRing{pts: make([]monPoint, size), pos: -1} }

func monStatusCode(s outcry.Status) uint8 { return uint8(s.Severity()) }

func monStatusOf(c uint8) outcry.Status {
	switch c {
	case 1:
		return outcry.StatusDegraded
	case 2:
		return outcry.StatusOutage
	}
	return outcry.StatusOK
}

func (r *monRing) push(p outcry.Point) {
	if r.n > 0 {
		// Minutes are contiguous by construction; a jump clears the slots skipped.
		for gap := int(p.T.Sub(r.tLast)/time.Minute) - 1; gap > 0 && r.n > 0; gap-- {
			r.pos = (r.pos + 1) % len(r.pts)
			r.pts[r.pos] = monPoint{}
			r.n = min(r.n+1, len(r.pts))
		}
	}
	r.pos = (r.pos + 1) % len(r.pts)
	r.pts[r.pos] = monPoint{
		count: int32(min(p.Count, 1<<31-1)), authors: int32(min(p.Authors, 1<<31-1)),
		baseline: float32(p.Baseline), score: float32(p.Score), status: monStatusCode(p.Status),
	}
	r.n = min(r.n+1, len(r.pts))
	r.tLast = p.T
}

func (r *monRing) at(back int) outcry.Point {
	mp := r.pts[(r.pos-back+len(r.pts))%len(r.pts)]
	return outcry.Point{
		T:        r.tLast.Add(-time.Duration(back) * time.Minute),
		Count:    int(mp.count),
		Authors:  int(mp.authors),
		Baseline: float64(mp.baseline),
		Score:    float64(mp.score),
		Status:   monStatusOf(mp.status),
	}
}

func (r *monRing) last() outcry.Point { return r.at(0) }

func (r *monRing) between(from, to time.Time) []outcry.Point {
	if r.n == 0 {
		return nil
	}
	var out []outcry.Point
	for back := r.n - 1; back >= 0; back-- {
		t := r.tLast.Add(-time.Duration(back) * time.Minute)
		if t.Before(from) || !t.Before(to) {
			continue
		}
		out = append(out, r.at(back))
	}
	return out
}
