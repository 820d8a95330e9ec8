package detect

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// monDenseStore answers Counts as the index does: one bucket per minute of the range,
// zeros included. The Store contract says a zero bucket and a missing one mean the same,
// so a Monitor must detect the same over it as over the sparse MemStore.
type monDenseStore struct{ *MemStore }

func (s monDenseStore) Counts(ctx context.Context, service string, from, to time.Time) ([]outcry.Bucket, error) {
	sparse, err := s.MemStore.Counts(ctx, service, from, to)
	if err != nil {
		return nil, err
	}
	start := outcry.Minute(from)
	var out []outcry.Bucket
	for t := start; t.Before(to); t = t.Add(time.Minute) {
		out = append(out, outcry.Bucket{Service: service, T: t})
	}
	for _, b := range sparse {
		out[int(b.T.Sub(start)/time.Minute)] = b
	}
	return out, nil
}

// monIncidentKeys identifies incidents by what the stores must agree on.
func monIncidentKeys(incs []outcry.Incident) []string {
	out := []string{}
	for _, in := range incs {
		end := "open"
		if in.End != nil {
			end = in.End.Format(time.RFC3339)
		}
		out = append(out, in.ID+" "+in.Start.Format(time.RFC3339)+" "+end)
	}
	slices.Sort(out)
	return out
}

// monSpamDay: chatgpt's data begins with its ordinary background (a complaint every five
// minutes) and, from 00:57, a spammer repeating one complaint every minute for hours,
// then a real outage; claude's
// data begins later, with an outage of its own. Replayed with a week of warm-up before
// the data, the minutes before each service's first post are absence of data: a store
// that returns them as zero buckets must not turn them into a week of silence that makes
// the spammer look like an outage.
func monSpamDay() *monBuilder {
	b := newMonBuilder()
	for m := 0; m < 24*60; m += 5 {
		b.complaints("chatgpt", m, 1, nil) // a new author every five minutes
	}
	for m := 57; m < 57+280; m++ {
		b.spam("chatgpt", m)
	}
	for m := 420; m < 470; m++ {
		b.complaints("chatgpt", m, 8, nil)
	}
	b.background("claude", 600, 24*60)
	for m := 900; m < 940; m++ {
		b.complaints("claude", m, 7, nil)
	}
	return b
}

func TestMonitorZeroBucketsAreNoData(t *testing.T) {
	b := monSpamDay()
	stores := map[string]interface {
		Store
		Summarizer
	}{"sparse": b.store, "dense": monDenseStore{b.store}}
	cfg := monConfig("chatgpt", "claude")
	from, to := monDay, monDay.Add(25*time.Hour)

	replayed := map[string][]string{}
	for name, st := range stores {
		incs, _, err := NewMonitor(cfg, MonitorDeps{Store: st, Summarizer: st}, nil).Replay(t.Context(), from, to)
		if err != nil {
			t.Fatal(err)
		}
		replayed[name] = monIncidentKeys(incs)
		var starts []string
		for _, in := range incs {
			starts = append(starts, in.Service+"@"+in.Start.Format("15:04"))
			if in.Service == "chatgpt" && in.Start.Before(monDay.Add(400*time.Minute)) {
				t.Errorf("%s: the spammer opened %s (%s, %d authors)", name, in.ID, in.Start.Format("15:04"), in.Authors)
			}
		}
		if len(incs) != 2 {
			t.Errorf("%s: incidents %v, want the chatgpt outage at 07:00 and the claude one at 15:00", name, starts)
		}
	}
	if !slices.Equal(replayed["sparse"], replayed["dense"]) {
		t.Errorf("replay differs:\nsparse %v\ndense  %v", replayed["sparse"], replayed["dense"])
	}

	// The live path: Restore warms from a week before the data, then Advance.
	live := map[string][]string{}
	for name, st := range stores {
		now := monDay.Add(30 * time.Minute)
		m := NewMonitor(cfg, MonitorDeps{Store: st, Summarizer: st, Clock: func() time.Time { return now }}, nil)
		if err := m.Restore(t.Context(), nil, monDay.Add(-7*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		monAdvance(t, m, 31, 25*60)
		live[name] = monIncidentKeys(m.Incidents())
	}
	if !slices.Equal(live["sparse"], live["dense"]) {
		t.Errorf("live differs:\nsparse %v\ndense  %v", live["sparse"], live["dense"])
	}
	if !slices.Equal(live["dense"], replayed["dense"]) {
		t.Errorf("live %v\nreplay %v", live["dense"], replayed["dense"])
	}
}
