package detect

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// corSummaries is a Summarizer with fixed answers: per service, the switching counts to
// each other service before a time (switchBefore) and after it, and co-mentions.
type corSummaries struct {
	// switching[from][to] lists the minutes (from corT0) of switching complaints.
	switching map[string]map[string][]int
	co        map[string]map[string]int
}

var corT0 = time.Date(2024, 6, 4, 14, 0, 0, 0, time.UTC)

func (c corSummaries) Summarize(_ context.Context, service string, from, to time.Time, _ int) (outcry.Summary, error) {
	s := outcry.Summary{CoServices: map[string]int{}, Switching: map[string]int{}}
	for other, mins := range c.switching[service] {
		for _, m := range mins {
			if t := corT0.Add(time.Duration(m) * time.Minute); !t.Before(from) && t.Before(to) {
				s.Switching[other]++
				s.CoServices[other]++
			}
		}
	}
	for other, n := range c.co[service] {
		s.CoServices[other] += n
	}
	return s, nil
}

func corInc(svc string, start, end int) outcry.Incident {
	inc := outcry.Incident{Service: svc, Start: corT0.Add(time.Duration(start) * time.Minute)}
	inc.ID = incidentID(svc, inc.Start)
	if end >= 0 {
		e := corT0.Add(time.Duration(end) * time.Minute)
		inc.End = &e
	}
	return inc
}

func TestCorrelate(t *testing.T) {
	type evProj struct {
		services   string // onset order, joined by ">"
		hypothesis string
	}
	minutes := func(from, to int) []int {
		var out []int
		for m := from; m < to; m++ {
			out = append(out, m)
		}
		return out
	}
	tests := []struct {
		name string
		incs []outcry.Incident
		sum  Summarizer
		want []evProj
	}{
		{"one service alone", []outcry.Incident{corInc("chatgpt", 0, 60)}, corSummaries{}, nil},
		{"same service twice", []outcry.Incident{corInc("chatgpt", 0, 10), corInc("chatgpt", 20, 60)}, corSummaries{}, nil},
		{"far apart", []outcry.Incident{corInc("chatgpt", 0, 30), corInc("claude", 120, 150)}, corSummaries{}, nil},
		{
			"shared dependency",
			[]outcry.Incident{corInc("discord", 0, 50), corInc("github", 1, 45), corInc("chatgpt", 2, 40)},
			corSummaries{co: map[string]map[string]int{"discord": {"github": 4}}},
			[]evProj{{"discord>github>chatgpt", outcry.HypothesisSharedDependency}},
		},
		{
			// 4 June 2024: ChatGPT down, users say they move to Claude and Perplexity,
			// which fail 16 and 39 minutes later while ChatGPT is still down.
			"spillover",
			[]outcry.Incident{corInc("chatgpt", 14, 187), corInc("perplexity", 30, 150), corInc("claude", 53, 165)},
			corSummaries{switching: map[string]map[string][]int{"chatgpt": {"claude": minutes(20, 60), "perplexity": minutes(16, 40)}}},
			[]evProj{{"chatgpt>perplexity>claude", outcry.HypothesisSpillover}},
		},
		{
			"later failure without switching",
			[]outcry.Incident{corInc("chatgpt", 0, 90), corInc("claude", 20, 60)},
			corSummaries{switching: map[string]map[string][]int{"chatgpt": {"claude": {70}}}},
			[]evProj{{"chatgpt>claude", outcry.HypothesisUnknown}},
		},
		{
			// Switching posts only after the second service failed: no evidence that the
			// move caused it.
			"switching only after the onset",
			[]outcry.Incident{corInc("chatgpt", 0, 90), corInc("claude", 20, 60)},
			corSummaries{switching: map[string]map[string][]int{"chatgpt": {"claude": minutes(25, 35)}}},
			[]evProj{{"chatgpt>claude", outcry.HypothesisUnknown}},
		},
		{
			// Users moved in the minutes before the second failure: both readings fit.
			"simultaneous but switching before",
			[]outcry.Incident{corInc("chatgpt", 0, 90), corInc("claude", 4, 60)},
			corSummaries{switching: map[string]map[string][]int{"chatgpt": {"claude": minutes(0, 4)}}},
			[]evProj{{"chatgpt>claude", outcry.HypothesisUnknown}},
		},
		{
			// Switching after both failed ("Claude too? trying Gemini") says nothing about
			// the cause.
			"simultaneous, switching only afterwards",
			[]outcry.Incident{corInc("chatgpt", 0, 90), corInc("claude", 2, 60)},
			corSummaries{switching: map[string]map[string][]int{"chatgpt": {"claude": minutes(3, 20)}}},
			[]evProj{{"chatgpt>claude", outcry.HypothesisSharedDependency}},
		},
		{
			"overlap beyond the window groups too",
			[]outcry.Incident{corInc("chatgpt", 0, -1), corInc("claude", 100, 130)},
			corSummaries{},
			[]evProj{{"chatgpt>claude", outcry.HypothesisUnknown}},
		},
		{
			"no summaries: simultaneous reads as shared dependency",
			[]outcry.Incident{corInc("aws", 0, 60), corInc("slack", 1, 50)},
			nil,
			[]evProj{{"aws>slack", outcry.HypothesisSharedDependency}},
		},
		{
			"two events",
			[]outcry.Incident{corInc("aws", 0, 30), corInc("slack", 1, 30), corInc("github", 300, 330), corInc("discord", 301, 320)},
			corSummaries{},
			[]evProj{{"aws>slack", outcry.HypothesisSharedDependency}, {"github>discord", outcry.HypothesisSharedDependency}},
		},
	}
	cfg := DefaultCorrelationConfig()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := Correlate(t.Context(), tc.incs, cfg, tc.sum, corT0.Add(4*time.Hour))
			var got []evProj
			for _, ev := range evs {
				var svcs []string
				for _, o := range ev.Onsets {
					svcs = append(svcs, o.Service)
				}
				got = append(got, evProj{strings.Join(svcs, ">"), ev.Hypothesis})
				if len(ev.Evidence) < 2 {
					t.Errorf("event %s: evidence %q", ev.ID, ev.Evidence)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("events = %v, want %v", got, tc.want)
				for _, ev := range evs {
					t.Logf("%s: %s", ev.ID, strings.Join(ev.Evidence, " | "))
				}
			}
		})
	}
}

// The spillover evidence states the numbers.
func TestCorrelateEvidence(t *testing.T) {
	incs := []outcry.Incident{corInc("chatgpt", 14, 187), corInc("claude", 53, 165)}
	sum := corSummaries{
		switching: map[string]map[string][]int{"chatgpt": {"claude": {20, 30, 40, 45, 60}}},
		co:        map[string]map[string]int{"claude": {"chatgpt": 12}},
	}
	evs := Correlate(t.Context(), incs, DefaultCorrelationConfig(), sum, corT0.Add(4*time.Hour))
	if len(evs) != 1 {
		t.Fatalf("events = %+v", evs)
	}
	ev := evs[0]
	text := strings.Join(ev.Evidence, " ")
	for _, want := range []string{"chatgpt failed first at 14:14 UTC", "claude 39 min later", "4 complaints about chatgpt mentioned switching to claude before it failed"} {
		if !strings.Contains(text, want) {
			t.Errorf("evidence lacks %q:\n%s", want, text)
		}
	}
	if ev.ID != "event-20240604-1414" || ev.Onsets[1].LagSeconds != 39*60 || ev.Switching["chatgpt+claude"] != 5 || ev.CoMentions["chatgpt+claude"] != 12 {
		t.Errorf("event = %+v", ev)
	}
}
