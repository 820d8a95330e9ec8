package detect

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/outcry/outcry"
)

// monDay is the start of the test timelines.
var monDay = time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC)

// monBuilder writes matched posts into a MemStore minute by minute.
type monBuilder struct {
	store *MemStore
	n     int
}

func newMonBuilder() *monBuilder { return &monBuilder{store: NewMemStore()} }

// complaints adds n complaints about svc in minute m (from monDay) by distinct authors
// (author prefix + index), or by the single author when n < 0.
func (b *monBuilder) complaints(svc string, m, n int, extra func(*outcry.Post)) {
	for i := range max(n, 1) {
		if n == 0 {
			return
		}
		b.n++
		author := fmt.Sprintf("a%d", b.n)
		p := outcry.Post{
			ID: fmt.Sprintf("t:%d", b.n), Source: "test", Author: author, Lang: "en",
			CreatedAt: monDay.Add(time.Duration(m)*time.Minute + time.Duration(i)*time.Second),
			Services:  []string{svc}, Affected: []string{svc}, Complaint: true, Problems: []string{"login"},
		}
		if extra != nil {
			extra(&p)
		}
		b.store.Add(p)
	}
}

func (b *monBuilder) spam(svc string, m int) {
	b.n++
	b.store.Add(outcry.Post{
		ID: fmt.Sprintf("t:%d", b.n), Source: "test", Author: "spammer", CreatedAt: monDay.Add(time.Duration(m) * time.Minute),
		Services: []string{svc}, Affected: []string{svc}, Complaint: true,
	})
}

func (b *monBuilder) recoveries(svc string, m, n int) {
	for range n {
		b.n++
		b.store.Add(outcry.Post{
			ID: fmt.Sprintf("t:%d", b.n), Source: "test", Author: fmt.Sprintf("r%d", b.n), CreatedAt: monDay.Add(time.Duration(m) * time.Minute),
			Services: []string{svc}, Affected: []string{svc}, Recovery: true,
		})
	}
}

// background adds one complaint every 40 minutes over [from, to) minutes.
func (b *monBuilder) background(svc string, from, to int) {
	for m := from; m < to; m += 40 {
		b.complaints(svc, m, 1, nil)
	}
}

// monRecorder is an IncidentStore and Notify target.
type monRecorder struct {
	mu        sync.Mutex
	incidents map[string]outcry.Incident
	events    map[string]outcry.Event
	changes   []Change
}

func newMonRecorder() *monRecorder {
	return &monRecorder{incidents: map[string]outcry.Incident{}, events: map[string]outcry.Event{}}
}

func (r *monRecorder) RecordIncidents(_ context.Context, incs []outcry.Incident) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, inc := range incs {
		r.incidents[inc.ID] = inc
	}
	return nil
}

func (r *monRecorder) RecordEvents(_ context.Context, evs []outcry.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ev := range evs {
		r.events[ev.ID] = ev
	}
	return nil
}

func (r *monRecorder) notify(c Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, c)
}

func (r *monRecorder) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.changes {
		out = append(out, c.Kind+":"+c.Incident.ID)
	}
	return out
}

func monConfig(services ...string) MonitorConfig {
	cfg := DefaultMonitorConfig()
	cfg.Services = services
	cfg.Lag = 0
	return cfg
}

// monAdvance advances m minute by minute from minute from to minute to (exclusive).
func monAdvance(t *testing.T, m *Monitor, from, to int) {
	t.Helper()
	for i := from; i <= to; i++ {
		if err := m.Advance(t.Context(), monDay.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMonitorLifecycle(t *testing.T) {
	b := newMonBuilder()
	b.background("chatgpt", 0, 600)
	for m := 300; m < 340; m++ {
		b.complaints("chatgpt", m, 6, nil)
	}
	rec := newMonRecorder()
	m := NewMonitor(monConfig("chatgpt"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec, Notify: rec.notify}, nil)
	monAdvance(t, m, 1, 600)

	wantID := "chatgpt-20240604-0500"
	kinds := rec.kinds()
	// Opened once, at most a few material updates (status, peak steps), resolved once.
	if len(kinds) < 2 || kinds[0] != "opened:"+wantID || kinds[len(kinds)-1] != "resolved:"+wantID || len(kinds) > 5 {
		t.Fatalf("changes = %v", kinds)
	}
	incs := m.Incidents()
	if len(incs) != 1 {
		t.Fatalf("incidents = %+v", incs)
	}
	inc := incs[0]
	if inc.ID != wantID || inc.State != outcry.StateResolved || inc.Status != outcry.StatusOutage {
		t.Errorf("incident = %s %s %s", inc.ID, inc.State, inc.Status)
	}
	if want := monDay.Add(340 * time.Minute); inc.End == nil || !inc.End.Equal(want) {
		t.Errorf("end = %v, want %s", inc.End, want)
	}
	if inc.Peak < 6 || inc.Peak > 7 || inc.Authors < 240 || inc.Complaints < 240 || inc.Languages["en"] < 240 || len(inc.Problems) == 0 || inc.Problems[0].Problem != "login" {
		t.Errorf("details: peak %d authors %d complaints %d langs %v problems %v", inc.Peak, inc.Authors, inc.Complaints, inc.Languages, inc.Problems)
	}
	if got := rec.incidents[wantID]; got.State != outcry.StateResolved || got.End == nil {
		t.Errorf("persisted = %+v", got)
	}
	// The readings are there for the dashboard.
	series := m.Series("chatgpt", monDay.Add(290*time.Minute), monDay.Add(310*time.Minute))
	if len(series) != 20 || series[0].Status != outcry.StatusOK || series[15].Status == outcry.StatusOK {
		t.Errorf("series = %+v", series)
	}
	if cur := m.Current()["chatgpt"]; !cur.T.Equal(monDay.Add(599*time.Minute)) || cur.Status != outcry.StatusOK {
		t.Errorf("current = %+v", cur)
	}
}

func TestMonitorAdvanceIdempotent(t *testing.T) {
	b := newMonBuilder()
	for m := 100; m < 120; m++ {
		b.complaints("claude", m, 5, nil)
	}
	rec := newMonRecorder()
	m := NewMonitor(monConfig("claude"), MonitorDeps{Store: b.store, Summarizer: b.store, Notify: rec.notify}, nil)
	monAdvance(t, m, 1, 130)
	before := rec.kinds()
	cur := m.Current()
	for range 3 {
		if err := m.Advance(t.Context(), monDay.Add(130*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := m.Advance(t.Context(), monDay.Add(50*time.Minute)); err != nil { // the past
			t.Fatal(err)
		}
	}
	if after := rec.kinds(); !slices.Equal(before, after) {
		t.Errorf("changes after repeated Advance: %v, before %v", after, before)
	}
	if !m.Current()["claude"].T.Equal(cur["claude"].T) {
		t.Errorf("current moved: %v -> %v", cur["claude"].T, m.Current()["claude"].T)
	}
	// A jump forward catches up minute by minute: same result as stepping.
	m2 := NewMonitor(monConfig("claude"), MonitorDeps{Store: b.store, Summarizer: b.store}, nil)
	monAdvance(t, m2, 1, 1)
	if err := m2.Advance(t.Context(), monDay.Add(130*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if a, b := m.Incidents(), m2.Incidents(); len(a) != 1 || len(b) != 1 || a[0].ID != b[0].ID || a[0].Peak != b[0].Peak {
		t.Errorf("stepping %+v vs catching up %+v", a, b)
	}
}

// One account repeating a complaint every minute for hours is not an outage; a real
// outage during it still is.
func TestMonitorSpammer(t *testing.T) {
	b := newMonBuilder()
	b.background("discord", 0, 720)
	for m := 120; m < 480; m++ {
		b.spam("discord", m)
	}
	for m := 400; m < 430; m++ {
		b.complaints("discord", m, 5, nil)
	}
	rec := newMonRecorder()
	m := NewMonitor(monConfig("discord"), MonitorDeps{Store: b.store, Summarizer: b.store, Notify: rec.notify}, nil)
	monAdvance(t, m, 1, 720)
	incs := m.Incidents()
	if len(incs) != 1 {
		t.Fatalf("incidents = %v", rec.kinds())
	}
	if start := incs[0].Start; start.Before(monDay.Add(398*time.Minute)) || start.After(monDay.Add(402*time.Minute)) {
		t.Errorf("outage during the spam starts at %s, want about 06:40", start.Format("15:04"))
	}
	// Between the spam's start and the outage, the service reads ok.
	for _, p := range m.Series("discord", monDay.Add(150*time.Minute), monDay.Add(395*time.Minute)) {
		if p.Status != outcry.StatusOK {
			t.Fatalf("%s: %s during the spam", p.T.Format("15:04"), p.Status)
		}
	}
}

func TestMonitorResolvesOnRecoveries(t *testing.T) {
	b := newMonBuilder()
	for m := 60; m < 90; m++ {
		b.complaints("perplexity", m, 4, nil)
	}
	for m := 90; m < 100; m++ {
		b.recoveries("perplexity", m, 2)
	}
	cfg := monConfig("perplexity")
	cfg.QuietPeriod = 3 * time.Hour // only the recoveries can resolve it in time
	m := NewMonitor(cfg, MonitorDeps{Store: b.store, Summarizer: b.store}, nil)
	monAdvance(t, m, 1, 130)
	incs := m.Incidents()
	if len(incs) != 1 || incs[0].State != outcry.StateResolved || incs[0].Recoveries == 0 {
		t.Fatalf("incidents = %+v", incs)
	}
	if end := *incs[0].End; !end.Equal(monDay.Add(90 * time.Minute)) {
		t.Errorf("end = %s", end.Format("15:04"))
	}
}

// monOfficial returns official incidents once they are "published" (clock past At).
type monOfficial struct {
	clock func() time.Time
	incs  []outcry.OfficialIncident
	pub   []time.Time
}

func (o *monOfficial) Official(_ context.Context, service string, from, to time.Time) ([]outcry.OfficialIncident, error) {
	var out []outcry.OfficialIncident
	for i, inc := range o.incs {
		if inc.Service == service && o.clock().After(o.pub[i]) && inc.Start.Before(to) {
			out = append(out, inc)
		}
	}
	return out, nil
}

func TestMonitorOfficialLeadTime(t *testing.T) {
	b := newMonBuilder()
	for m := 60; m < 120; m++ {
		b.complaints("chatgpt", m, 6, nil)
	}
	var now time.Time
	off := &monOfficial{
		clock: func() time.Time { return now },
		incs: []outcry.OfficialIncident{
			{ID: "openai-status:1", Service: "chatgpt", Title: "Elevated errors", Start: monDay.Add(85 * time.Minute)},
			{ID: "openai-status:0", Service: "chatgpt", Title: "Old", Start: monDay.Add(-5 * time.Hour), End: ptr(monDay.Add(-4 * time.Hour))},
			{ID: "anthropic:1", Service: "claude", Title: "Other service", Start: monDay.Add(70 * time.Minute)},
		},
		pub: []time.Time{monDay.Add(95 * time.Minute), monDay, monDay},
	}
	rec := newMonRecorder()
	m := NewMonitor(monConfig("chatgpt"), MonitorDeps{Store: b.store, Summarizer: b.store, Official: off, Notify: rec.notify}, nil)
	for i := 1; i <= 240; i++ {
		now = monDay.Add(time.Duration(i) * time.Minute)
		if err := m.Advance(t.Context(), now); err != nil {
			t.Fatal(err)
		}
	}
	inc := m.Incidents()[0]
	if len(inc.Official) != 1 || inc.Official[0].ID != "openai-status:1" || inc.LeadSeconds == nil || *inc.LeadSeconds != 25*60 {
		t.Fatalf("official %+v lead %v", inc.Official, inc.LeadSeconds)
	}
	// The link came after the opening and was notified as a material update.
	var linked bool
	for _, c := range rec.changes {
		if c.Kind == ChangeUpdated && len(c.Incident.Official) == 1 {
			linked = true
		}
	}
	if !linked {
		t.Errorf("no update notified the official link: %v", rec.kinds())
	}
	ls := LeadTimes(m.Incidents())
	if len(ls) != 1 || ls[0].Linked != 1 || ls[0].Earlier != 1 || *ls[0].MedianLeadSeconds != 1500 {
		t.Errorf("lead summary = %+v", ls)
	}
}

func ptr[T any](v T) *T { return &v }

func TestMonitorRestoreKeepsOpenIncident(t *testing.T) {
	b := newMonBuilder()
	b.background("claude", 0, 24*60)
	for m := 600; m < 700; m++ {
		b.complaints("claude", m, 5, nil)
	}
	rec := newMonRecorder()
	m := NewMonitor(monConfig("claude"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec}, nil)
	open := monOpenAt650(t, m)
	// Restart at 11:00: a new monitor warms up on the stored counts and adopts the
	// open incident.
	now := monDay.Add(660 * time.Minute)
	rec2 := newMonRecorder()
	m2 := NewMonitor(monConfig("claude"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec, Notify: rec2.notify, Clock: func() time.Time { return now }}, nil)
	if err := m2.Restore(t.Context(), open, monDay); err != nil {
		t.Fatal(err)
	}
	if cur := m2.Current()["claude"]; cur.Status == outcry.StatusOK || !cur.T.Equal(now.Add(-time.Minute)) {
		t.Errorf("after restore: %+v", cur)
	}
	if got := m2.Incidents(); len(got) != 1 || got[0].ID != open[0].ID || got[0].State != outcry.StateOpen {
		t.Fatalf("after restore: %+v", got)
	}
	monAdvance(t, m2, 661, 800)
	got := m2.Incidents()
	if len(got) != 1 || got[0].ID != open[0].ID || got[0].State != outcry.StateResolved || !got[0].End.Equal(monDay.Add(700*time.Minute)) {
		t.Errorf("after the outage: %+v", got)
	}
	if k := rec2.kinds(); len(k) == 0 || k[len(k)-1] != "resolved:"+open[0].ID || slices.Contains(k, "opened:"+open[0].ID) {
		t.Errorf("changes after restart = %v", k)
	}
	if p := rec.incidents[open[0].ID]; p.State != outcry.StateResolved {
		t.Errorf("persisted after restart: %s", p.State)
	}
}

func TestMonitorReplayMatchesLive(t *testing.T) {
	b := newMonBuilder()
	b.background("chatgpt", 0, 1440)
	b.background("claude", 0, 1440)
	for m := 300; m < 400; m++ {
		b.complaints("chatgpt", m, 5, func(p *outcry.Post) {
			if m >= 320 && p.ID[len(p.ID)-1] == '0' {
				p.Services, p.Switching = []string{"chatgpt", "claude"}, true
			}
		})
	}
	for m := 345; m < 400; m++ {
		b.complaints("claude", m, 4, nil)
	}
	rec := newMonRecorder()
	live := NewMonitor(monConfig("chatgpt", "claude"), MonitorDeps{Store: b.store, Summarizer: b.store}, nil)
	monAdvance(t, live, 1, 600)
	replay := NewMonitor(monConfig("chatgpt", "claude"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec}, nil)
	incs, evs, err := replay.Replay(t.Context(), monDay, monDay.Add(600*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ids := func(incs []outcry.Incident) []string {
		var out []string
		for _, inc := range incs {
			out = append(out, inc.ID+"/"+inc.EventID)
		}
		return out
	}
	if got, want := ids(incs), ids(live.Incidents()); !slices.Equal(got, want) || len(got) != 2 {
		t.Errorf("replay %v, live %v", got, want)
	}
	if len(evs) != 1 || evs[0].Hypothesis != outcry.HypothesisSpillover || len(live.Events()) != 1 || live.Events()[0].ID != evs[0].ID {
		t.Errorf("replay events %+v, live %+v", evs, live.Events())
	}
	if len(rec.incidents) != 2 || len(rec.events) != 1 {
		t.Errorf("replay persisted %d incidents, %d events", len(rec.incidents), len(rec.events))
	}
	if _, _, err := replay.Replay(t.Context(), monDay, monDay); err == nil {
		t.Error("empty replay range accepted")
	}
}

// Run advances on each tick with the injected clock and returns nil on cancel.
func TestMonitorRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now() // the bubble's fake clock
		b := newMonBuilder()
		for m := 90; m < 120; m++ { // after the detector's one-hour warm-up
			for i := range 5 {
				b.n++
				b.store.Add(outcry.Post{
					ID: fmt.Sprintf("r:%d", b.n), Author: fmt.Sprintf("u%d", b.n), CreatedAt: start.Add(time.Duration(m)*time.Minute + time.Duration(i)*time.Second),
					Services: []string{"github"}, Affected: []string{"github"}, Complaint: true,
				})
			}
		}
		rec := newMonRecorder()
		m := NewMonitor(monConfig("github"), MonitorDeps{Store: b.store, Summarizer: b.store, Notify: rec.notify}, nil)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx, time.Minute) }()
		time.Sleep(3 * time.Hour)
		synctest.Wait()
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run returned %v", err)
		}
		if k := rec.kinds(); len(k) < 2 || k[0][:7] != "opened:" || k[len(k)-1][:9] != "resolved:" {
			t.Errorf("changes = %v", k)
		}
		if err := m.Run(t.Context(), 0); err == nil {
			t.Error("Run with a zero interval accepted")
		}
	})
}

// TestLinkOfficialOpenBeforeCrowd: a status page that opened its (still unresolved)
// incident a minute before the crowd incident links, with a negative lead; one left
// open and silent for hours before does not, nor does one resolved before.
func TestLinkOfficialOpenBeforeCrowd(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2024, 6, 4, h, m, 0, 0, time.UTC) }
	inc := outcry.Incident{ID: "claude-1", Service: "claude", Start: at(14, 54)}
	resolved := at(12, 30)
	offs := []outcry.OfficialIncident{
		{ID: "open-just-before", Service: "claude", Start: at(14, 53), Updates: []outcry.OfficialUpdate{{At: at(14, 53), Status: "investigating"}}},
		{ID: "stale-open", Service: "claude", Start: at(9, 0), Updates: []outcry.OfficialUpdate{{At: at(9, 5)}}},
		{ID: "resolved-before", Service: "claude", Start: at(12, 0), End: &resolved},
	}
	refs := LinkOfficial(inc, offs, 2*time.Hour, at(15, 30))
	if len(refs) != 1 || refs[0].ID != "open-just-before" {
		t.Fatalf("links %+v, want only open-just-before", refs)
	}
}

// TestMonitorServiceFirstNamedInItsOutage: once any service has data, a service nobody
// mentioned had zero complaints, so after a restart its detector is warm when it is
// first named, in its outage (the restart's warm-up used to skip it, so it began warming
// up then and learnt the outage as its baseline).
func TestMonitorServiceFirstNamedInItsOutage(t *testing.T) {
	b := newMonBuilder()
	b.background("discord", 0, 600)
	for m := 200; m < 215; m++ {
		b.complaints("slack", m, 6, nil) // 30 in 5 min: below the warm-up's burst rule
	}
	now := monDay.Add(190 * time.Minute)
	m := NewMonitor(monConfig("discord", "slack"), MonitorDeps{Store: b.store, Summarizer: b.store, Clock: func() time.Time { return now }}, nil)
	if err := m.Restore(t.Context(), nil, monDay); err != nil {
		t.Fatal(err)
	}
	monAdvance(t, m, 191, 300)
	if incs := m.Incidents(); len(incs) != 1 || incs[0].Service != "slack" {
		t.Fatalf("incidents %+v, want slack's", incs)
	}
}
