package detect

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

const evalRealDir = "../../shared/data/real"

// evalReadPostsCSV streams posts from a CSV with a header naming id, source, author,
// created_at, lang, url and text (the layout of real/posts_normalized.csv).
func evalReadPostsCSV(path string) iter.Seq2[outcry.Post, error] {
	return func(yield func(outcry.Post, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(outcry.Post{}, err)
			return
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		header, err := r.Read()
		if err != nil {
			yield(outcry.Post{}, err)
			return
		}
		col := map[string]int{}
		for i, h := range header {
			col[h] = i
		}
		get := func(rec []string, k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(outcry.Post{}, err)
				return
			}
			t, err := time.Parse(time.RFC3339, get(rec, "created_at"))
			if err != nil {
				if !yield(outcry.Post{}, fmt.Errorf("%s: created_at: %w", path, err)) {
					return
				}
				continue
			}
			p := outcry.Post{
				ID: get(rec, "id"), Source: get(rec, "source"), Author: get(rec, "author"),
				Text: get(rec, "text"), Lang: get(rec, "lang"), URL: get(rec, "url"), CreatedAt: t,
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

// TestEvaluateRealTweets runs the incident evaluation on the real ChatGPT tweet samples
// against the official incident history and logs the figures. The samples hold at most a
// couple of complaint tweets a minute, so this checks the pipeline end to end on real
// text and official times; it is not a measure of a firehose detector.
func TestEvaluateRealTweets(t *testing.T) {
	postsPath, truthPath := evalRealDir+"/posts_normalized.csv", evalRealDir+"/incidents.csv"
	if _, err := os.Stat(postsPath); err != nil {
		t.Skip("real data not present:", err)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	f, err := os.Open(truthPath)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := ReadTruth(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	// A configuration for sampled streams: windows up to an hour, a baseline floor
	// matching a handful of complaints a day, and no persistence rule (a sample rarely has
	// complaints in any given five minutes), instead of the per-minute defaults.
	sparse := DefaultEvalConfig()
	sparse.Monitor.Detector.Windows = []int{5, 15, 30, 60}
	sparse.Monitor.Detector.MinRate = 1e-4
	sparse.Monitor.FastAuthors, sparse.Monitor.FastHours = sparse.Monitor.MinAuthors, 0
	for _, tc := range []struct {
		name    string
		cfg     EvalConfig
		aliases map[string]string
	}{
		{"default/chatgpt rows only", DefaultEvalConfig(), nil},
		// Before 14 Feb 2023 the status page had no ChatGPT component: OpenAI incidents
		// without one are filed as "openai".
		{"default/openai rows as chatgpt", DefaultEvalConfig(), map[string]string{"openai": "chatgpt"}},
		{"sparse/chatgpt rows only", sparse, nil},
		{"sparse/openai rows as chatgpt", sparse, map[string]string{"openai": "chatgpt"}},
	} {
		if detRace && tc.name != "default/chatgpt rows only" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := tc.cfg
			cfg.Match = m.Match
			cfg.Services = []string{"chatgpt"}
			cfg.Aliases = tc.aliases
			rep, err := EvaluateIncidents(t.Context(), evalReadPostsCSV(postsPath), truth, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Posts < 50000 || rep.Complaints == 0 {
				t.Fatalf("posts %d complaints %d: the data did not load", rep.Posts, rep.Complaints)
			}
			o := rep.Overall
			t.Logf("posts %d complaints %d recoveries %d span %s..%s", rep.Posts, rep.Complaints, rep.Recoveries, rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly))
			t.Logf("truth covered %d (uncovered %d): found %d missed %d; detections %d, false %d; precision %s recall %s; median lead %s",
				o.Truth, o.Uncovered, o.Found, o.Missed, o.Detections, o.False, evalPct(o.Precision), evalPct(o.Recall), evalSecs(o.MedianLeadSeconds))
			for _, d := range rep.Detections {
				end := "open"
				if d.Incident.End != nil {
					end = d.Incident.End.Format("15:04")
				}
				var titles []string
				for _, ti := range d.Truth {
					titles = append(titles, rep.Truth[ti].Start.Format("15:04")+" "+rep.Truth[ti].Title)
				}
				t.Logf("  detected %s %s-%s peak %d authors %d status %s true=%v %s", d.Incident.Service, d.Incident.Start.Format("2006-01-02 15:04"), end, d.Incident.Peak, d.Incident.Authors, d.Incident.Status, d.True, strings.Join(titles, "; "))
			}
			for _, tr := range rep.Truth {
				if tr.Covered && len(tr.Detected) == 0 {
					t.Logf("  missed %s %s %s", tr.Service, tr.Start.Format("2006-01-02 15:04"), tr.Title)
				}
			}
			// What the data allows checking: the dense multilingual evening of 30 March 2023,
			// whose complaints the data README counts (2,1,5,3,5,5,2,6 per 15 min from 16:00),
			// is found although no official incident covers it; the April 3-7 hourly sample
			// with no ChatGPT incident (a negative control) stays quiet.
			var evening, april bool
			for _, d := range rep.Detections {
				st := d.Incident.Start
				if st.After(time.Date(2023, 3, 30, 15, 0, 0, 0, time.UTC)) && st.Before(time.Date(2023, 3, 30, 18, 0, 0, 0, time.UTC)) {
					evening = true
				}
				if st.After(time.Date(2023, 4, 3, 0, 0, 0, 0, time.UTC)) && st.Before(time.Date(2023, 4, 8, 0, 0, 0, 0, time.UTC)) {
					april = true
				}
			}
			if !evening || april {
				t.Errorf("30 March evening found: %v (want true); 3-7 April flagged: %v (want false)", evening, april)
			}
			if os.Getenv("DET_EVAL_JSON") != "" {
				b, _ := json.MarshalIndent(rep.Overall, "", "  ")
				t.Logf("%s", b)
			}
		})
	}
}

func evalPct(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", *p)
}

func evalSecs(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return (time.Duration(*p) * time.Second).String()
}
