package detect

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// CorrelationConfig tunes how incidents of different services are grouped into events and
// which hypothesis an event states.
type CorrelationConfig struct {
	// Window groups incidents of different services whose onsets are at most this far
	// apart; incidents that overlap in time are grouped too.
	Window time.Duration
	// Simultaneous is how close onsets must be to count as near-simultaneous, the mark of
	// a shared dependency. A later failure must come later than this to be spillover.
	Simultaneous time.Duration
	// MinSwitching is the least number of posts saying users move from one service to the
	// other that counts as switching evidence.
	MinSwitching int
}

// DefaultCorrelationConfig returns a 45-minute grouping window, 5-minute simultaneity and
// 3 switching posts as evidence.
func DefaultCorrelationConfig() CorrelationConfig {
	return CorrelationConfig{Window: 45 * time.Minute, Simultaneous: 5 * time.Minute, MinSwitching: 3}
}

// Correlate groups incidents of different services whose onsets are within cfg.Window of
// each other, or that overlap, into events (an incident alone forms no event), and states
// a hypothesis for each with its evidence:
//
//   - spillover: a service failed more than cfg.Simultaneous after another, while that one
//     was still down, and at least cfg.MinSwitching complaints about the first mentioned
//     switching to it before it failed;
//   - shared-dependency: at least two services failed within cfg.Simultaneous of the
//     first, with fewer than cfg.MinSwitching switching complaints between them before
//     they failed (a later service with no switching evidence is noted as unexplained);
//   - unknown: otherwise, with the reason the data cannot tell.
//
// Co-mention and switching counts come from sum over each event's time span (sum may be
// nil: they are then not measured and the evidence says so). Open incidents last until
// now. Events are returned oldest first, with IDs like "event-20240604-1414".
func Correlate(ctx context.Context, incs []outcry.Incident, cfg CorrelationConfig, sum Summarizer, now time.Time) []outcry.Event {
	sorted := slices.Clone(incs)
	slices.SortStableFunc(sorted, func(a, b outcry.Incident) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmpString(a.ID, b.ID)
	})
	end := func(inc outcry.Incident) time.Time {
		if inc.End != nil {
			return *inc.End
		}
		return now
	}
	// Union-find over pairs of different services.
	parent := make([]int, len(sorted))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			a, b := sorted[i], sorted[j]
			near := b.Start.Sub(a.Start) <= cfg.Window
			overlap := b.Start.Before(end(a))
			if !near && !overlap {
				continue
			}
			if a.Service != b.Service {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]outcry.Incident{}
	var roots []int
	for i := range sorted {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], sorted[i])
	}
	var events []outcry.Event
	ids := map[string]bool{}
	for _, r := range roots {
		g := groups[r]
		services := map[string]bool{}
		for _, inc := range g {
			services[inc.Service] = true
		}
		if len(services) < 2 {
			continue
		}
		ev := corEvent(ctx, g, cfg, sum, now, end)
		base := ev.ID
		for k := 2; ids[ev.ID]; k++ {
			ev.ID = fmt.Sprintf("%s-%d", base, k)
		}
		ids[ev.ID] = true
		events = append(events, ev)
	}
	return events
}

func corKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "+" + b
}

// corEvent builds one event from a group of incidents sorted by start.
func corEvent(ctx context.Context, g []outcry.Incident, cfg CorrelationConfig, sum Summarizer, now time.Time, end func(outcry.Incident) time.Time) outcry.Event {
	first := g[0]
	ev := outcry.Event{
		ID:         "event-" + first.Start.UTC().Format("20060102-1504"),
		Start:      first.Start,
		CoMentions: map[string]int{},
		Switching:  map[string]int{},
		Evidence:   []string{},
	}
	evEnd := first.Start
	// The first incident of each service is its onset within the event.
	onset := map[string]outcry.Incident{}
	var order []string
	for _, inc := range g {
		ev.Incidents = append(ev.Incidents, inc.ID)
		ev.Onsets = append(ev.Onsets, outcry.Onset{
			Service: inc.Service, Incident: inc.ID, At: inc.Start,
			LagSeconds: inc.Start.Sub(first.Start).Seconds(),
		})
		if _, ok := onset[inc.Service]; !ok {
			onset[inc.Service] = inc
			order = append(order, inc.Service)
		}
		evEnd = maxTime(evEnd, end(inc))
	}

	// What the posts say over the event's span.
	measured := sum != nil
	summaries := map[string]outcry.Summary{}
	if measured {
		for _, svc := range order {
			s, err := sum.Summarize(ctx, svc, ev.Start, evEnd, 0)
			if err != nil {
				measured = false
				break
			}
			summaries[svc] = s
		}
	}
	if measured {
		for i, a := range order {
			for _, b := range order[i+1:] {
				k := corKey(a, b)
				ev.CoMentions[k] = max(summaries[a].CoServices[b], summaries[b].CoServices[a])
				ev.Switching[k] = summaries[a].Switching[b] + summaries[b].Switching[a]
			}
		}
	}

	// Onset order, as a sentence.
	var parts []string
	for _, svc := range order[1:] {
		parts = append(parts, fmt.Sprintf("%s %s later", svc, corDur(onset[svc].Start.Sub(first.Start))))
	}
	ev.Evidence = append(ev.Evidence, fmt.Sprintf("%s failed first at %s UTC; then %s.",
		first.Service, first.Start.UTC().Format("15:04"), strings.Join(parts, ", ")))
	spread := onset[order[len(order)-1]].Start.Sub(first.Start)

	if !measured {
		ev.Evidence = append(ev.Evidence, "No post summaries were available, so co-mentions and switching were not measured.")
		if spread <= cfg.Simultaneous {
			ev.Hypothesis = outcry.HypothesisSharedDependency
			ev.Evidence = append(ev.Evidence, fmt.Sprintf("All onsets fall within %s: a shared dependency is the simpler reading, though switching could not be checked.", corDur(spread)))
		} else {
			ev.Hypothesis = outcry.HypothesisUnknown
			ev.Evidence = append(ev.Evidence, fmt.Sprintf("Onsets spread over %s and without switching data the data cannot tell a shared dependency from spillover or coincidence.", corDur(spread)))
		}
		return ev
	}

	var pairLines []string
	for i, a := range order {
		for _, b := range order[i+1:] {
			k := corKey(a, b)
			if ev.CoMentions[k] > 0 || ev.Switching[k] > 0 {
				pairLines = append(pairLines, fmt.Sprintf("%d complaints name both %s and %s, %d of them about switching between the two", ev.CoMentions[k], a, b, ev.Switching[k]))
			}
		}
	}
	if len(pairLines) > 0 {
		ev.Evidence = append(ev.Evidence, corSentence(strings.Join(pairLines, "; ")))
	} else {
		ev.Evidence = append(ev.Evidence, "No complaint names two of these services together.")
	}

	// Switching before each later onset, from each earlier service: spillover needs users
	// to move before the failure, and a shared dependency needs no such move.
	var spill []string
	coreSwitch := 0 // switching before the onsets among the near-simultaneous services
	var late []string
	for j, b := range order {
		ib := onset[b]
		spilled := false
		for _, a := range order[:j] {
			ia := onset[a]
			lag := ib.Start.Sub(ia.Start)
			if !end(ia).After(ib.Start) || lag <= 0 {
				continue
			}
			s, err := sum.Summarize(ctx, a, ia.Start, ib.Start, 0)
			if err != nil {
				continue
			}
			before := s.Switching[b]
			switch {
			case lag <= cfg.Simultaneous:
				coreSwitch += before
			case before >= cfg.MinSwitching:
				spilled = true
				spill = append(spill, fmt.Sprintf("%s failed %s after %s while %s was still down, and %s about %s mentioned switching to %s before it failed.",
					b, corDur(lag), a, a, countComplaints(before), a, b))
			case ev.Switching[corKey(a, b)] > 0:
				ev.Evidence = append(ev.Evidence, fmt.Sprintf("%s failed %s after %s while %s was still down, but %s about %s mentioned switching to %s before it failed (fewer than %d).",
					b, corDur(lag), a, a, countComplaints(before), a, b, cfg.MinSwitching))
			}
		}
		if ib.Start.Sub(first.Start) > cfg.Simultaneous && !spilled {
			late = append(late, b)
		}
	}
	core := 0
	for _, svc := range order {
		if onset[svc].Start.Sub(first.Start) <= cfg.Simultaneous {
			core++
		}
	}
	switch {
	case len(spill) > 0:
		ev.Hypothesis = outcry.HypothesisSpillover
		ev.Evidence = append(ev.Evidence, spill...)
		ev.Evidence = append(ev.Evidence, "Traffic spillover is the likelier reading: users moved to the next service and it gave way.")
	case core >= 2 && coreSwitch < cfg.MinSwitching:
		ev.Hypothesis = outcry.HypothesisSharedDependency
		ev.Evidence = append(ev.Evidence, fmt.Sprintf("%d services failed within %s of each other, with %d posts about switching between them before they failed: a shared dependency is the likelier reading.",
			core, corDur(cfg.Simultaneous), coreSwitch))
	case core >= 2:
		ev.Hypothesis = outcry.HypothesisUnknown
		ev.Evidence = append(ev.Evidence, fmt.Sprintf("Onsets within %s suggest a shared dependency, but %d posts mention switching before the later failures: both readings fit and the data cannot tell.", corDur(cfg.Simultaneous), coreSwitch))
	default:
		ev.Hypothesis = outcry.HypothesisUnknown
		ev.Evidence = append(ev.Evidence, fmt.Sprintf("Onsets spread over %s and fewer than %d posts mention switching before a later failure: the data cannot tell a shared dependency from spillover or coincidence.", corDur(spread), cfg.MinSwitching))
	}
	if len(late) > 0 && ev.Hypothesis != outcry.HypothesisUnknown {
		ev.Evidence = append(ev.Evidence, fmt.Sprintf("No switching evidence explains the later failure of %s: the data cannot tell how it relates to the rest.", strings.Join(late, ", ")))
	}
	return ev
}

func corSentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// corDur formats a lag for evidence sentences: "39 min", "2 h 5 min", "40 s".
func corDur(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}

func cloneEvent(ev outcry.Event) outcry.Event {
	out := ev
	out.Incidents = slices.Clone(ev.Incidents)
	out.Onsets = slices.Clone(ev.Onsets)
	out.CoMentions = maps.Clone(ev.CoMentions)
	out.Switching = maps.Clone(ev.Switching)
	out.Evidence = slices.Clone(ev.Evidence)
	return out
}

func eventsEqual(a, b outcry.Event) bool {
	return a.ID == b.ID && a.Start.Equal(b.Start) && a.Hypothesis == b.Hypothesis &&
		slices.Equal(a.Incidents, b.Incidents) && slices.Equal(a.Onsets, b.Onsets) &&
		maps.Equal(a.CoMentions, b.CoMentions) && maps.Equal(a.Switching, b.Switching) &&
		slices.Equal(a.Evidence, b.Evidence)
}

// correlate regroups the retained incidents into events when something changed (or every
// SummaryEvery while an event is open, so its counts stay fresh), updating EventIDs.
func (e *monEngine) correlate(ctx context.Context, now time.Time) {
	if !e.regroup && now.Sub(e.lastCorr) < e.cfg.SummaryEvery {
		return
	}
	e.regroup, e.lastCorr = false, now
	incs := make([]outcry.Incident, len(e.incidents))
	for i, tr := range e.incidents {
		incs[i] = tr.inc
	}
	var sum Summarizer
	if e.deps.Summarizer != nil {
		if e.corMemo == nil {
			e.corMemo = &corMemo{inner: e.deps.Summarizer}
		}
		e.corMemo.begin()
		sum = e.corMemo
	}
	evs := Correlate(ctx, incs, e.cfg.Correlation, sum, now)
	next := make(map[string]*outcry.Event, len(evs))
	member := map[string]string{}
	for i := range evs {
		ev := &evs[i]
		next[ev.ID] = ev
		for _, id := range ev.Incidents {
			member[id] = ev.ID
		}
		if old, ok := e.events[ev.ID]; !ok || !eventsEqual(*old, *ev) {
			e.dirtyEvs[ev.ID] = true
		}
	}
	e.events = next
	for _, tr := range e.incidents {
		if id := member[tr.inc.ID]; id != tr.inc.EventID {
			tr.inc.EventID = id
			e.dirty[tr] = true
			e.note(tr, ChangeUpdated)
		}
	}
}

// corMemo remembers summaries between correlation runs: a resolved event asks for the same
// windows every time. Entries not asked for in a run are dropped at the next.
type corMemo struct {
	inner      Summarizer
	prev, curr map[corMemoKey]outcry.Summary
}

type corMemoKey struct {
	service  string
	from, to int64
}

func (m *corMemo) begin() { m.prev, m.curr = m.curr, map[corMemoKey]outcry.Summary{} }

func (m *corMemo) Summarize(ctx context.Context, service string, from, to time.Time, samples int) (outcry.Summary, error) {
	k := corMemoKey{service, from.UnixNano(), to.UnixNano()}
	if s, ok := m.curr[k]; ok {
		return s, nil
	}
	if s, ok := m.prev[k]; ok {
		m.curr[k] = s
		return s, nil
	}
	s, err := m.inner.Summarize(ctx, service, from, to, samples)
	if err == nil {
		m.curr[k] = s
	}
	return s, err
}

// countComplaints says "no complaints", "only 1 complaint" or "only N complaints".
func countComplaints(n int) string {
	switch n {
	case 0:
		return "no complaints"
	case 1:
		return "only 1 complaint"
	}
	return fmt.Sprintf("%d complaints", n)
}
