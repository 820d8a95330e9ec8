package webhook

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// memOutbox is an Outbox in memory that records every save.
type memOutbox struct {
	mu    sync.Mutex
	data  []byte
	saves int
}

func (m *memOutbox) Load(context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.data, nil
}

func (m *memOutbox) Save(_ context.Context, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = append([]byte(nil), data...)
	m.saves++
	return nil
}

func (m *memOutbox) entries(t *testing.T) []pendingEntry {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.data) == 0 {
		return nil
	}
	var out []pendingEntry
	if err := json.Unmarshal(m.data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOutboxKeepsAlertsAcrossRestarts: an alert that could not be delivered before the
// process stopped is saved while it is still retrying (so a crash keeps it too), sent on
// the next start under the same delivery id, and then forgotten; a hook removed from the
// config drops its alerts.
func TestOutboxKeepsAlertsAcrossRestarts(t *testing.T) {
	var down sync.Mutex
	failing := true
	rc := newReceiver(func(int, http.ResponseWriter) int {
		down.Lock()
		defer down.Unlock()
		if failing {
			return 503
		}
		return 200
	})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	ob := &memOutbox{}
	cfg := Config{Hooks: []Hook{{URL: srv.URL + "/hook/s3cr3t", Secret: "k"}}, Outbox: ob,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, MaxAttempts: 1000}

	d := New(cfg, nil)
	stop := run(t, d)
	d.Notify(KindOpened, incident("claude-1", "claude", outcry.StatusOutage, 7), nil)
	waitFor(t, rc, 2) // retrying
	deadline := time.Now().Add(5 * time.Second)
	for len(ob.entries(t)) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if e := ob.entries(t); len(e) != 1 || e[0].Incident.ID != "claude-1" || e[0].Kind != KindOpened {
		t.Fatalf("outbox while retrying: %+v", e)
	}
	if strings.Contains(string(ob.data), "s3cr3t") {
		t.Error("the outbox holds the hook URL")
	}
	stop()
	if e := ob.entries(t); len(e) != 1 {
		t.Fatalf("outbox after stop: %+v", e)
	}
	firstID := rc.reqs[0].Header.Get("X-Outcry-Delivery")

	down.Lock()
	failing = false
	down.Unlock()
	n := rc.count()
	d2 := New(cfg, nil)
	stop2 := run(t, d2)
	waitFor(t, rc, n+1)
	rc.mu.Lock()
	last := rc.reqs[len(rc.reqs)-1]
	rc.mu.Unlock()
	if got := last.Header.Get("X-Outcry-Delivery"); got != firstID {
		t.Errorf("restored delivery id %q, want %q", got, firstID)
	}
	if !Verify("k", rc.bodys[len(rc.bodys)-1], last.Header.Get("X-Outcry-Signature")) {
		t.Error("restored delivery not signed")
	}
	deadline = time.Now().Add(5 * time.Second)
	for len(ob.entries(t)) != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop2()
	if e := ob.entries(t); len(e) != 0 {
		t.Errorf("outbox after delivery: %+v", e)
	}
	if c := rc.count(); c != n+1 {
		t.Errorf("%d requests after the restart, want 1", c-n)
	}

	// A hook that left the config: its saved alerts are dropped, not sent elsewhere.
	ob.Save(context.Background(), []byte(`[{"hook":"0123456789abcdef","id":"x","kind":"opened","incident":{"id":"gh-1","service":"github"},"queued":"2024-06-04T14:00:00Z"}]`))
	d3 := New(cfg, nil)
	stop3 := run(t, d3)
	time.Sleep(100 * time.Millisecond)
	stop3()
	if c := rc.count(); c != n+1 {
		t.Errorf("an orphaned alert was delivered (%d requests)", c-n-1)
	}
	if e := ob.entries(t); len(e) != 0 {
		t.Errorf("orphaned alert kept: %+v", e)
	}

	// An alert queued longer ago than OutboxMaxAge is dropped, not sent late.
	d4 := New(cfg, nil)
	entry := func(id string, queued time.Time) string {
		return `{"hook":"` + d4.hooks[0].key + `","id":"` + id + `","kind":"opened","incident":{"id":"` + id + `","service":"github"},"queued":"` + queued.UTC().Format(time.RFC3339) + `"}`
	}
	ob.Save(context.Background(), []byte(`[`+entry("old", time.Now().Add(-7*time.Hour))+`,`+entry("recent", time.Now().Add(-time.Hour))+`]`))
	stop4 := run(t, d4)
	waitFor(t, rc, n+2) // the recent one
	time.Sleep(100 * time.Millisecond)
	stop4()
	if c := rc.count(); c != n+2 {
		t.Errorf("%d requests after restoring a 7-hour-old and a 1-hour-old alert, want 1", c-n-1)
	}
	rc.mu.Lock()
	if got := rc.reqs[len(rc.reqs)-1].Header.Get("X-Outcry-Delivery"); got != "recent" {
		t.Errorf("delivered %q, want the recent alert", got)
	}
	rc.mu.Unlock()
	if e := ob.entries(t); len(e) != 0 {
		t.Errorf("stale alert kept: %+v", e)
	}
}
