package detect

import (
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
	monAdvance(t, m, 500, 650)
	open := m.Incidents()
	if len(open) != 1 || open[0].State != outcry.StateOpen {
		t.Fatalf("before restart: %+v", open)
	}
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
