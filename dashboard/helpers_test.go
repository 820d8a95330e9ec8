package dashboard

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

func httpBody(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// memMonitor is a detector-shaped fake for MonitorReadings.
type memMonitor struct{ f *fakeBackend }

func (m memMonitor) Current() map[string]outcry.Point { return m.f.Current() }
func (m memMonitor) Series(service string, from, to time.Time) []outcry.Point {
	pts, _ := m.f.Series(context.Background(), service, from, to)
	return pts
}

func TestMonitorReadings(t *testing.T) {
	f := newFake()
	r := MonitorReadings(memMonitor{f})
	pts, err := r.Series(t.Context(), "chatgpt", at("14:00"), at("14:10"))
	if err != nil || len(pts) != 10 || r.Current()["chatgpt"].Count != 42 {
		t.Fatalf("%d points, %v", len(pts), err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.Series(ctx, "chatgpt", at("14:00"), at("14:10")); err == nil {
		t.Error("cancelled context not honoured")
	}
}
