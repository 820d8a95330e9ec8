package detect

import (
	"errors"
	"fmt"
	"slices"
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
		scales, seeds := []float64{0.5, 1, 3}, uint64(3)
		if detRace {
			scales, seeds = []float64{1}, 1
		}
		for _, scale := range scales {
			for seed := uint64(1); seed <= seeds; seed++ {
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

func TestReadTruth(t *testing.T) {
	good := "service,start_utc,end_utc,source,title\n" +
		"chatgpt,2024-06-04T07:21:00Z,2024-06-04T11:45:00Z,status.openai.com,\"Partial outage, ChatGPT\"\n" +
		"claude,2024-06-04T14:53:00Z,,status.anthropic.com,Elevated errors\n" +
		"groq-api,2025-12-17T07:11:39Z,2025-12-14T13:30:00Z,scrape,End before start\n"
	got, err := ReadTruth(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []Truth{
		{"chatgpt", time.Date(2024, 6, 4, 7, 21, 0, 0, time.UTC), time.Date(2024, 6, 4, 11, 45, 0, 0, time.UTC), "status.openai.com", "Partial outage, ChatGPT"},
		{"claude", time.Date(2024, 6, 4, 14, 53, 0, 0, time.UTC), time.Time{}, "status.anthropic.com", "Elevated errors"},
		{"groq-api", time.Date(2025, 12, 17, 7, 11, 39, 0, time.UTC), time.Time{}, "scrape", "End before start"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	// Columns in another order, only the required ones.
	if got, err := ReadTruth(strings.NewReader("start_utc,service\n2024-06-04T07:21:00+02:00,x\n")); err != nil || len(got) != 1 || got[0].Start.Hour() != 5 {
		t.Errorf("reordered: %+v, %v", got, err)
	}
	for name, in := range map[string]string{
		"empty":          "",
		"missing column": "service,end_utc\nchatgpt,\n",
		"bad start":      "service,start_utc\nchatgpt,yesterday\n",
		"bad end":        "service,start_utc,end_utc\nchatgpt,2024-06-04T07:21:00Z,soon\n",
		"empty service":  "service,start_utc\n,2024-06-04T07:21:00Z\n",
	} {
		if _, err := ReadTruth(strings.NewReader(in)); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		} else if name != "empty" && !strings.Contains(err.Error(), "line") {
			t.Errorf("%s: error %q does not name the line", name, err)
		}
	}
}

func TestMemStore(t *testing.T) {
	s := NewMemStore()
	t0 := time.Date(2024, 6, 4, 14, 0, 0, 0, time.UTC)
	add := func(id, author string, sec int, p outcry.Post) bool {
		p.ID, p.Author, p.CreatedAt, p.Source = id, author, t0.Add(time.Duration(sec)*time.Second), "bsky"
		return s.Add(p)
	}
	complaint := outcry.Post{Services: []string{"chatgpt"}, Affected: []string{"chatgpt"}, Complaint: true, Lang: "fr", Problems: []string{"errors"}}
	add("1", "ann", 5, complaint)
	add("2", "ann", 20, complaint) // same author, same minute
	add("3", "bob", 30, outcry.Post{Services: []string{"chatgpt", "claude"}, Affected: []string{"chatgpt"}, Complaint: true, Switching: true, Lang: "en", Problems: []string{"login", "errors"}})
	add("4", "cid", 70, outcry.Post{Services: []string{"chatgpt"}, Affected: []string{"chatgpt"}, Recovery: true})
	add("5", "dan", 80, outcry.Post{Services: []string{"chatgpt"}})
	if add("1", "ann", 5, complaint) {
		t.Error("duplicate id added twice")
	}
	bs, err := s.Counts(t.Context(), "chatgpt", t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []outcry.Bucket{
		{Service: "chatgpt", T: t0, Mentions: 3, Complaints: 3, Authors: 2},
		{Service: "chatgpt", T: t0.Add(time.Minute), Mentions: 2, Recoveries: 1},
	}
	if !slices.Equal(bs, want) {
		t.Errorf("counts = %+v\nwant %+v", bs, want)
	}
	if bs, _ := s.Counts(t.Context(), "claude", t0, t0.Add(time.Hour)); len(bs) != 1 || bs[0].Mentions != 1 || bs[0].Complaints != 0 {
		t.Errorf("claude counts = %+v", bs)
	}
	sum, err := s.Summarize(t.Context(), "chatgpt", t0, t0.Add(time.Hour), 2)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Complaints != 3 || sum.Authors != 2 || sum.Recoveries != 1 || sum.Languages["fr"] != 2 || sum.Sources["bsky"] != 3 ||
		sum.CoServices["claude"] != 1 || sum.Switching["claude"] != 1 || len(sum.Problems) != 2 || sum.Problems[0] != (outcry.ProblemCount{Problem: "errors", Count: 3}) {
		t.Errorf("summary = %+v", sum)
	}
	// Samples: newest first, distinct authors first.
	if len(sum.Samples) != 2 || sum.Samples[0].ID != "3" || sum.Samples[1].ID != "2" {
		t.Errorf("samples = %+v", sum.Samples)
	}
	if sum, _ := s.Summarize(t.Context(), "chatgpt", t0.Add(25*time.Second), t0.Add(60*time.Second), 0); sum.Complaints != 1 {
		t.Errorf("window summary = %+v", sum)
	}
	if posts, c, r := s.Len(); posts != 5 || c != 3 || r != 1 {
		t.Errorf("len = %d %d %d", posts, c, r)
	}
	if got := s.Services(); !slices.Equal(got, []string{"chatgpt", "claude"}) {
		t.Errorf("services = %v", got)
	}
}

func TestEvaluateIncidentsMatching(t *testing.T) {
	// Detections are matched to truth windows widened by Slack; uncovered truth rows are
	// reported apart; truth rows of other services or outside the span are ignored.
	b := newMonBuilder()
	b.background("chatgpt", 0, 24*60)
	for m := 300; m < 360; m++ {
		b.complaints("chatgpt", m, 5, nil)
	}
	for m := 900; m < 930; m++ {
		b.complaints("chatgpt", m, 5, nil)
	}
	var posts []outcry.Post
	for _, ser := range b.store.series {
		posts = append(posts, ser.posts...)
	}
	at := func(m int) time.Time { return monDay.Add(time.Duration(m) * time.Minute) }
	truth := []Truth{
		{Service: "openai", Start: at(320), End: at(380), Title: "official, 20 min after the crowd"},
		{Service: "chatgpt", Start: at(600), End: at(620), Title: "covered but silent"},
		{Service: "claude", Start: at(300), End: at(400), Title: "service without posts"},
		{Service: "chatgpt", Start: at(-3000), End: at(-2900), Title: "before the span"},
	}
	cfg := DefaultEvalConfig()
	cfg.Aliases = map[string]string{"openai": "chatgpt"}
	rep, err := EvaluateIncidents(t.Context(), evalSeq(posts), truth, cfg)
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	if o.Truth != 2 || o.Found != 1 || o.Missed != 1 || o.Detections != 2 || o.False != 1 || *o.Precision != 0.5 || *o.Recall != 0.5 {
		t.Fatalf("overall = %+v\n%s", o, evalDescribe(rep))
	}
	if o.MedianLeadSeconds == nil || *o.MedianLeadSeconds != 20*60 {
		t.Errorf("median lead = %v", o.MedianLeadSeconds)
	}
	if d := rep.Detections[0]; d.Incident.LeadSeconds == nil || *d.Incident.LeadSeconds != 20*60 || d.OpenedAt.Before(d.Incident.Start) {
		t.Errorf("detection = %+v", d)
	}
	// A post iteration error stops the evaluation.
	bad := func(yield func(outcry.Post, error) bool) { yield(outcry.Post{}, errors.New("disk on fire")) }
	if _, err := EvaluateIncidents(t.Context(), bad, truth, cfg); err == nil {
		t.Error("iteration error ignored")
	}
}
