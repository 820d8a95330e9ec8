package detect

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// Truth is one known incident of one service, a row of incidents.csv. End is zero when
// the row has none (still open when recorded, or a point event).
type Truth struct {
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end,omitzero"`
	Source  string    `json:"source,omitempty"`
	Title   string    `json:"title,omitempty"`
}

// end returns the end of the truth window, at least its start.
func (t Truth) end() time.Time { return maxTime(t.Start, t.End) }

// ReadTruth reads the incidents.csv format: a header naming the columns service,
// start_utc, end_utc, source, title (any order; service and start_utc required, others
// optional), then one row per incident and service with RFC 3339 times; end_utc may be
// empty, and an end before the start (a scraping error in some histories) is dropped, so
// the row is a point event. Errors name the line and wrap outcry.ErrInvalid.
func ReadTruth(r io.Reader) ([]Truth, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("truth: empty file: %w", outcry.ErrInvalid)
		}
		return nil, fmt.Errorf("truth: header: %w: %w", err, outcry.ErrInvalid)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"service", "start_utc"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("truth: line 1: missing column %q: %w", need, outcry.ErrInvalid)
		}
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []Truth
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("truth: %w: %w", err, outcry.ErrInvalid)
		}
		t := Truth{Service: field(rec, "service"), Source: field(rec, "source"), Title: field(rec, "title")}
		if t.Service == "" {
			return nil, fmt.Errorf("truth: line %d: service: empty: %w", line, outcry.ErrInvalid)
		}
		if t.Start, err = time.Parse(time.RFC3339, field(rec, "start_utc")); err != nil {
			return nil, fmt.Errorf("truth: line %d: start_utc: %w: %w", line, err, outcry.ErrInvalid)
		}
		t.Start = t.Start.UTC()
		if s := field(rec, "end_utc"); s != "" {
			if t.End, err = time.Parse(time.RFC3339, s); err != nil {
				return nil, fmt.Errorf("truth: line %d: end_utc: %w: %w", line, err, outcry.ErrInvalid)
			}
			t.End = t.End.UTC()
			if t.End.Before(t.Start) {
				t.End = time.Time{} // inconsistent source row: keep it as a point event
			}
		}
		out = append(out, t)
	}
}

// EvalConfig tunes EvaluateIncidents. Start from DefaultEvalConfig.
type EvalConfig struct {
	// Monitor configures detection; its Services are replaced by the evaluated services.
	Monitor MonitorConfig
	// Match fills each post's Services, Affected, Complaint, Recovery, Problems and
	// Switching; nil means the posts come matched.
	Match func(*outcry.Post)
	// Slack widens each truth window on both sides when matching detections to it:
	// official starts lag the real ones and the crowd lingers after the end.
	Slack time.Duration
	// Coverage: a truth incident counts only if some post names its service within this
	// distance of its window; otherwise the posts say nothing about it either way and it
	// is reported as uncovered, not missed.
	Coverage time.Duration
	// Services restricts the evaluation; empty means every service the posts name.
	Services []string
	// Aliases maps truth service ids onto detected ones, e.g. {"openai": "chatgpt"} when a
	// vendor's status page files the product under the company.
	Aliases map[string]string
}

// DefaultEvalConfig returns the default monitor, one hour of slack and of coverage.
func DefaultEvalConfig() EvalConfig {
	return EvalConfig{Monitor: DefaultMonitorConfig(), Slack: time.Hour, Coverage: time.Hour}
}

// EvalReport is the outcome of EvaluateIncidents, ready for JSON.
type EvalReport struct {
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	Posts      int       `json:"posts"`
	Complaints int       `json:"complaints"`
	Recoveries int       `json:"recoveries"`
	Services   []string  `json:"services"`
	// Overall sums the per-service figures.
	Overall   EvalStats            `json:"overall"`
	ByService map[string]EvalStats `json:"by_service"`
	// Detections are the detected incidents, each with the truth rows it matched.
	Detections []EvalDetection `json:"detections"`
	// Truth lists the truth incidents inside the posts' span for the evaluated services.
	Truth  []EvalTruth     `json:"truth"`
	Events []outcry.Event  `json:"events"`
	Leads  []LeadSummary   `json:"leads"`
	Config EvalConfigBrief `json:"config"`
}

// EvalConfigBrief records the settings a report was made with.
type EvalConfigBrief struct {
	SlackSeconds    float64 `json:"slack_seconds"`
	CoverageSeconds float64 `json:"coverage_seconds"`
}

// EvalStats are detection figures for one service or overall. Precision, Recall and the
// lead are nil when undefined (nothing detected, no truth, nothing matched).
type EvalStats struct {
	Truth      int      `json:"truth"`     // truth incidents covered by posts
	Uncovered  int      `json:"uncovered"` // truth incidents in the span with no post near them
	Found      int      `json:"found"`
	Missed     int      `json:"missed"`
	Detections int      `json:"detections"`
	False      int      `json:"false"` // detections matching no truth incident
	Precision  *float64 `json:"precision"`
	Recall     *float64 `json:"recall"`
	// MedianLeadSeconds is the median of truth start minus the start of the first
	// detection matching it (positive: detected before the recorded start).
	MedianLeadSeconds *float64 `json:"median_lead_seconds"`
	// OnsetDelaysSeconds lists, per found truth incident, detection start minus truth
	// start; MaxOnsetDelaySeconds is the largest. AlertDelaysSeconds are the same for
	// the time the incident was opened: the real-time latency.
	OnsetDelaysSeconds   []float64 `json:"onset_delays_seconds"`
	MaxOnsetDelaySeconds *float64  `json:"max_onset_delay_seconds"`
	AlertDelaysSeconds   []float64 `json:"alert_delays_seconds"`
	MaxAlertDelaySeconds *float64  `json:"max_alert_delay_seconds"`
}

// EvalDetection is one detected incident and the truth rows (indexes into
// EvalReport.Truth) it overlaps.
type EvalDetection struct {
	Incident outcry.Incident `json:"incident"`
	// OpenedAt is when the monitor opened the incident (the end of that minute): Start is
	// the estimated onset, which the monitor may only know a few minutes later.
	OpenedAt time.Time `json:"opened_at"`
	Truth    []int     `json:"truth"`
	True     bool      `json:"true"`
}

// EvalTruth is one truth incident, whether posts cover it, and what detected it.
type EvalTruth struct {
	Truth
	Covered  bool     `json:"covered"`
	Detected []string `json:"detected"`
	// OnsetDelaySeconds is the earliest matching detection's start minus the truth start;
	// AlertDelaySeconds is when that detection was opened minus the truth start.
	OnsetDelaySeconds *float64 `json:"onset_delay_seconds"`
	AlertDelaySeconds *float64 `json:"alert_delay_seconds"`
}

// evalOfficial serves truth rows as official incidents, for lead-time links.
type evalOfficial []outcry.OfficialIncident

func (o evalOfficial) Official(_ context.Context, service string, from, to time.Time) ([]outcry.OfficialIncident, error) {
	var out []outcry.OfficialIncident
	for _, oi := range o {
		end := oi.Start
		if oi.End != nil {
			end = *oi.End
		}
		if oi.Service == service && oi.Start.Before(to) && !end.Before(from) {
			out = append(out, oi)
		}
	}
	return out, nil
}

// EvaluateIncidents replays posts (in any order) through cfg.Match and an in-memory count
// store into a Monitor (no index), then compares the detected incidents with the truth
// incidents of the evaluated services that overlap the posts' time span. A detection is
// true when it overlaps a truth window widened by cfg.Slack; a truth incident is found
// when some detection overlaps it, and counts at all only when posts cover it (see
// EvalConfig.Coverage). The truth rows also serve as the official incidents the monitor
// links, so the incidents carry lead times. A post iteration error stops the evaluation.
func EvaluateIncidents(ctx context.Context, posts iter.Seq2[outcry.Post, error], truth []Truth, cfg EvalConfig) (EvalReport, error) {
	store := NewMemStore()
	for p, err := range posts {
		if err != nil {
			return EvalReport{}, fmt.Errorf("evaluate: posts: %w", err)
		}
		if cfg.Match != nil {
			cfg.Match(&p)
		}
		store.Add(p)
		if err := ctx.Err(); err != nil {
			return EvalReport{}, err
		}
	}
	rep := EvalReport{
		ByService:  map[string]EvalStats{},
		Detections: []EvalDetection{},
		Truth:      []EvalTruth{},
		Config:     EvalConfigBrief{SlackSeconds: cfg.Slack.Seconds(), CoverageSeconds: cfg.Coverage.Seconds()},
	}
	rep.Posts, rep.Complaints, rep.Recoveries = store.Len()
	first, last := store.Span()
	if rep.Posts == 0 {
		rep.Services, rep.Events, rep.Leads = []string{}, []outcry.Event{}, []LeadSummary{}
		return rep, nil
	}
	rep.From, rep.To = outcry.Minute(first), outcry.Minute(last).Add(time.Minute)
	rep.Services = cfg.Services
	if len(rep.Services) == 0 {
		rep.Services = store.Services()
	}
	evaluated := map[string]bool{}
	for _, s := range rep.Services {
		evaluated[s] = true
	}

	var official evalOfficial
	for i, t := range truth {
		if a, ok := cfg.Aliases[t.Service]; ok {
			t.Service = a
		}
		if !evaluated[t.Service] || t.Start.After(rep.To) || t.end().Before(rep.From) {
			continue
		}
		et := EvalTruth{Truth: t, Detected: []string{}}
		et.Covered = store.mentioned(t.Service, t.Start.Add(-cfg.Coverage), t.end().Add(cfg.Coverage))
		rep.Truth = append(rep.Truth, et)
		end := t.end()
		official = append(official, outcry.OfficialIncident{
			ID: fmt.Sprintf("truth:%d", i), Service: t.Service, Source: t.Source, Title: t.Title,
			Start: t.Start, End: &end, Resolved: true,
		})
	}
	slices.SortStableFunc(rep.Truth, func(a, b EvalTruth) int { return a.Start.Compare(b.Start) })

	mcfg := cfg.Monitor
	mcfg.Services = rep.Services
	mon := NewMonitor(mcfg, MonitorDeps{Store: store, Summarizer: store, Official: official}, nil)
	eng, err := mon.replay(ctx, rep.From, rep.To)
	if err != nil {
		return rep, fmt.Errorf("evaluate: %w", err)
	}
	incs, evs := eng.replayed(rep.From)
	opened := map[string]time.Time{}
	for _, tr := range eng.incidents {
		opened[tr.inc.ID] = tr.openedAt
	}
	rep.Events = evs
	if rep.Events == nil {
		rep.Events = []outcry.Event{}
	}
	rep.Leads = LeadTimes(incs)

	// Match detections and truth.
	for _, inc := range incs {
		d := EvalDetection{Incident: inc, Truth: []int{}, OpenedAt: opened[inc.ID]}
		dEnd := rep.To
		if inc.End != nil {
			dEnd = *inc.End
		}
		for ti := range rep.Truth {
			t := &rep.Truth[ti]
			if t.Service != inc.Service {
				continue
			}
			if inc.Start.After(t.end().Add(cfg.Slack)) || dEnd.Before(t.Start.Add(-cfg.Slack)) {
				continue
			}
			d.Truth = append(d.Truth, ti)
			d.True = true
			t.Detected = append(t.Detected, inc.ID)
			delay := inc.Start.Sub(t.Start).Seconds()
			if t.OnsetDelaySeconds == nil || delay < *t.OnsetDelaySeconds {
				alert := d.OpenedAt.Sub(t.Start).Seconds()
				t.OnsetDelaySeconds, t.AlertDelaySeconds = &delay, &alert
			}
		}
		rep.Detections = append(rep.Detections, d)
	}

	// Figures per service and overall.
	stats := map[string]*EvalStats{}
	get := func(s string) *EvalStats {
		if stats[s] == nil {
			stats[s] = &EvalStats{OnsetDelaysSeconds: []float64{}, AlertDelaysSeconds: []float64{}}
		}
		return stats[s]
	}
	for _, s := range rep.Services {
		get(s)
	}
	for _, d := range rep.Detections {
		st := get(d.Incident.Service)
		st.Detections++
		if !d.True {
			st.False++
		}
	}
	for _, t := range rep.Truth {
		st := get(t.Service)
		switch {
		case len(t.Detected) > 0:
			// A detected truth incident counts even if sparse posts barely cover it.
			st.Truth++
			st.Found++
			st.OnsetDelaysSeconds = append(st.OnsetDelaysSeconds, *t.OnsetDelaySeconds)
			st.AlertDelaysSeconds = append(st.AlertDelaysSeconds, *t.AlertDelaySeconds)
		case !t.Covered:
			st.Uncovered++
		default:
			st.Truth++
			st.Missed++
		}
	}
	overall := &EvalStats{OnsetDelaysSeconds: []float64{}, AlertDelaysSeconds: []float64{}}
	for _, s := range rep.Services {
		st := stats[s]
		st.finish()
		rep.ByService[s] = *st
		overall.Truth += st.Truth
		overall.Uncovered += st.Uncovered
		overall.Found += st.Found
		overall.Missed += st.Missed
		overall.Detections += st.Detections
		overall.False += st.False
		overall.OnsetDelaysSeconds = append(overall.OnsetDelaysSeconds, st.OnsetDelaysSeconds...)
		overall.AlertDelaysSeconds = append(overall.AlertDelaysSeconds, st.AlertDelaysSeconds...)
	}
	overall.finish()
	rep.Overall = *overall
	return rep, nil
}

// finish derives precision, recall and the lead figures from the counts.
func (st *EvalStats) finish() {
	if st.Detections > 0 {
		p := float64(st.Detections-st.False) / float64(st.Detections)
		st.Precision = &p
	}
	if st.Truth > 0 {
		r := float64(st.Found) / float64(st.Truth)
		st.Recall = &r
	}
	if len(st.OnsetDelaysSeconds) > 0 {
		d := slices.Clone(st.OnsetDelaysSeconds)
		slices.Sort(d)
		lead := -median(d)
		mx := d[len(d)-1]
		st.MedianLeadSeconds, st.MaxOnsetDelaySeconds = &lead, &mx
	}
	if len(st.AlertDelaysSeconds) > 0 {
		mx := slices.Max(st.AlertDelaysSeconds)
		st.MaxAlertDelaySeconds = &mx
	}
}
