package detect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// TestEvaluateScenario replays the synthetic 4 June 2024 day (and a shared-dependency day)
// on several seeds and scales: every incident found, onset within 3 minutes of the truth,
// no false incident, and the expected reading of the correlated event.
func TestEvaluateScenario(t *testing.T) {
	type want struct {
		hypothesis string
		services   []string
	}
	cases := []struct {
		sc   evalSimScenario
		want want
	}{
		{evalScenario0604, want{outcry.HypothesisSpillover, []string{"chatgpt", "claude", "perplexity"}}},
		{evalScenarioShared, want{outcry.HypothesisSharedDependency, []string{"chatgpt", "discord", "github"}}},
	}
	for _, tc := range cases {
		for _, scale := range []float64{0.5, 1, 3} {
			for seed := uint64(1); seed <= 4; seed++ {
				t.Run(fmt.Sprintf("%s/scale=%g/seed=%d", tc.sc.name, scale, seed), func(t *testing.T) {
					t.Parallel()
					posts := tc.sc.posts(seed, scale)
					rep, err := EvaluateIncidents(t.Context(), evalSeq(posts), tc.sc.truth(), DefaultEvalConfig())
					if err != nil {
						t.Fatal(err)
					}
					o := rep.Overall
					if o.Found != len(tc.sc.incidents) || o.Missed != 0 || o.False != 0 {
						t.Errorf("found %d missed %d false %d of %d; detections:\n%s", o.Found, o.Missed, o.False, len(tc.sc.incidents), evalDescribe(rep))
					}
					for _, tr := range rep.Truth {
						if d := tr.OnsetDelaySeconds; d != nil && (*d > 180 || *d < -300) {
							t.Errorf("%s %s: onset delay %.0f s", tr.Service, tr.Start.Format("15:04"), *d)
						}
					}
					var found bool
					for _, ev := range rep.Events {
						var svcs []string
						for _, o := range ev.Onsets {
							svcs = append(svcs, o.Service)
						}
						if evalSameSet(svcs, tc.want.services) {
							found = true
							if ev.Hypothesis != tc.want.hypothesis {
								t.Errorf("event %s: hypothesis %s, want %s; evidence:\n  %s", ev.ID, ev.Hypothesis, tc.want.hypothesis, strings.Join(ev.Evidence, "\n  "))
							}
						}
					}
					if !found {
						t.Errorf("no event grouping %v; events: %+v", tc.want.services, rep.Events)
					}
				})
			}
		}
	}
}

func evalSameSet(a, b []string) bool {
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	if len(m) != len(b) {
		return false
	}
	for _, s := range b {
		if !m[s] {
			return false
		}
	}
	return true
}

func evalDescribe(rep EvalReport) string {
	var b strings.Builder
	for _, d := range rep.Detections {
		end := "open"
		if d.Incident.End != nil {
			end = d.Incident.End.Format("15:04")
		}
		fmt.Fprintf(&b, "  %s %s-%s peak %d authors %d true=%v\n", d.Incident.Service, d.Incident.Start.Format("15:04"), end, d.Incident.Peak, d.Incident.Authors, d.True)
	}
	for _, tr := range rep.Truth {
		fmt.Fprintf(&b, "  truth %s %s-%s detected %v\n", tr.Service, tr.Start.Format("15:04"), tr.End.Format("15:04"), tr.Detected)
	}
	return b.String()
}

var _ = time.Minute
