package detect

import (
	"sync"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

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
	monAdvance(t, m, 200, 650)
	var open []outcry.Incident
	for _, inc := range m.Incidents() {
		if inc.State == outcry.StateOpen {
			open = append(open, inc)
		}
	}
	if len(open) != 1 || len(before) < 3 {
		t.Fatalf("before restart: open %+v, changes %d", open, len(before))
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
