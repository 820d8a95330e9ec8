package detect

import (
	"sync"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// TestMonitorRestoreSkipsFoldedMinutes: Restore warms the detectors on the stored history,
// but the minutes an adopted incident has already seen must not be applied to it again:
// recovery posts from a blip hours before the outage must not resolve it (it resolved with
// an End before its Start), and its complaints must not be counted twice.
func TestMonitorRestoreSkipsFoldedMinutes(t *testing.T) {
	b := newMonBuilder()
	b.background("claude", 0, 24*60)
	for m := 200; m < 206; m++ {
		b.complaints("claude", m, 2, nil)
	}
	b.recoveries("claude", 207, 6)
	for m := 600; m < 700; m++ {
		b.complaints("claude", m, 5, nil)
	}
	rec := newMonRecorder()
	m := NewMonitor(monConfig("claude"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec}, nil)
	open := monOpenAt650(t, m)
	now := monDay.Add(650 * time.Minute) // nothing new since the stop
	m2 := NewMonitor(monConfig("claude"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec, Clock: func() time.Time { return now }}, nil)
	if err := m2.Restore(t.Context(), open, monDay); err != nil {
		t.Fatal(err)
	}
	got := m2.Incidents()
	if len(got) != 1 || got[0].ID != open[0].ID || got[0].State != outcry.StateOpen {
		t.Fatalf("after restore: %+v", got)
	}
	if got[0].Complaints != open[0].Complaints {
		t.Errorf("restore counted stored minutes again: %d complaints, %d before", got[0].Complaints, open[0].Complaints)
	}
}

// monOpenAt650 runs m from minute 500 to 650 and returns the incidents, of which
// exactly one must be open: the state a restart test stops in.
func monOpenAt650(t *testing.T, m *Monitor) []outcry.Incident {
	t.Helper()
	monAdvance(t, m, 500, 650)
	var open []outcry.Incident
	for _, inc := range m.Incidents() {
		if inc.State == outcry.StateOpen {
			open = append(open, inc)
		}
	}
	if len(open) != 1 {
		t.Fatalf("before restart: %d open of %+v", len(open), m.Incidents())
	}
	return open
}

// TestMonitorRestoreDoesNotRenotify: a restart replays the stored history to warm the
// detectors; the changes it finds again (an incident that opened and resolved before the
// stop, the opening of one still open) were notified by the previous process and must not
// reach the webhooks a second time.
func TestMonitorRestoreDoesNotRenotify(t *testing.T) {
	b := newMonBuilder()
	b.background("claude", 0, 24*60)
	b.background("chatgpt", 0, 24*60)
	for m := 300; m < 330; m++ {
		b.complaints("chatgpt", m, 6, nil)
	}
	for m := 600; m < 700; m++ {
		b.complaints("claude", m, 5, nil)
	}
	var mu sync.Mutex
	var before, after []Change
	rec := newMonRecorder()
	m := NewMonitor(monConfig("claude", "chatgpt"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec,
		Notify: func(c Change) { mu.Lock(); before = append(before, c); mu.Unlock() }}, nil)
	monAdvance(t, m, 200, 499)
	open := monOpenAt650(t, m)
	if len(before) < 3 {
		t.Fatalf("before restart: %d changes notified, want the two opens and a resolve", len(before))
	}
	now := monDay.Add(650 * time.Minute)
	m2 := NewMonitor(monConfig("claude", "chatgpt"), MonitorDeps{Store: b.store, Summarizer: b.store, Incidents: rec,
		Clock:  func() time.Time { return now },
		Notify: func(c Change) { mu.Lock(); after = append(after, c); mu.Unlock() }}, nil)
	if err := m2.Restore(t.Context(), open, monDay); err != nil {
		t.Fatal(err)
	}
	for _, c := range after {
		t.Errorf("notified again after the restart: %s %s %s", c.Kind, c.Incident.Service, c.Incident.ID)
	}
}
