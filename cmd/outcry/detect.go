package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
)

// detectIncident is one incident as `outcry detect --json` prints it: at least id,
// service, start, end (null while open), peak, score and status (DESIGN.md).
type detectOutput struct {
	Incidents []outcry.Incident `json:"incidents"`
	Events    []outcry.Event    `json:"events"`
}

func cmdDetect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "detect", usageOf("detect"))
	dataDir := fs.String("data", defaultDataDir, "data directory")
	since := fs.String("since", "all", `detect from: a duration back from the newest post (24h, 7d), "all", or an RFC 3339 time`)
	asJSON := fs.Bool("json", false, "print a JSON list of incidents (id, service, start, end, peak, score, status, ...)")
	withEvents := fs.Bool("events", false, "with --json: print {incidents, events} instead of the bare list")
	save := fs.Bool("save", false, "store the detected incidents in the data directory (the dashboard shows them)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *withEvents && !*asJSON {
		return usagef("--events needs --json (the text output always lists correlated events)")
	}
	if _, err := parseSince(*since, time.Now()); err != nil {
		return err // checked before the data: a bad flag is the first thing to say
	}
	ix, err := openIndex(*dataDir, true, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	st, err := ix.Stats(ctx)
	if err != nil {
		return err
	}
	out := detectOutput{Incidents: []outcry.Incident{}, Events: []outcry.Event{}}
	if st.Posts > 0 {
		// Relative --since counts back from the newest stored post, so detection over an
		// imported archive works the same as over live data.
		end := st.Last.Add(time.Minute).Truncate(time.Minute)
		from, err := parseSince(*since, end)
		if err != nil {
			return err
		}
		if from.IsZero() || from.Before(st.First) {
			from = st.First.Truncate(time.Minute)
		}
		if !from.Before(end) {
			return usagef("--since %s is after the newest stored post (%s)", from.Format(time.RFC3339), st.Last.Format(time.RFC3339))
		}
		cfg := detect.DefaultMonitorConfig()
		cfg.Services = ix.CountedServices()
		deps := detect.MonitorDeps{Store: ix, Summarizer: ix, Official: ix, Clock: func() time.Time { return end }}
		if *save {
			deps.Incidents = ix
		}
		m := detect.NewMonitor(cfg, deps, nil)
		// Run past the last post by the quiet period so incidents that ended resolve.
		incs, evs, err := m.Replay(ctx, from, end.Add(cfg.QuietPeriod))
		if err != nil {
			return err
		}
		if incs != nil {
			out.Incidents = incs
		}
		if evs != nil {
			out.Events = evs
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if *withEvents {
			return enc.Encode(out)
		}
		return enc.Encode(out.Incidents)
	}
	printIncidents(e.stdout, out)
	return nil
}

func printIncidents(w io.Writer, out detectOutput) {
	if len(out.Incidents) == 0 {
		fmt.Fprintln(w, "no incidents")
		return
	}
	fmt.Fprintf(w, "%-30s %-12s %-8s %-17s %-17s %6s %5s  %s\n", "id", "service", "status", "start (UTC)", "end", "peak/m", "score", "problems")
	for _, in := range out.Incidents {
		end := "open"
		if in.End != nil {
			end = in.End.Format("2006-01-02 15:04")
		}
		var probs []string
		for i, p := range in.Problems {
			if i == 3 {
				break
			}
			probs = append(probs, p.Problem)
		}
		lead := ""
		if in.LeadSeconds != nil {
			lead = fmt.Sprintf("  lead %+.0f min vs status page", *in.LeadSeconds/60)
		}
		fmt.Fprintf(w, "%-30s %-12s %-8s %-17s %-17s %6d %5.2f  %s%s\n", in.ID, in.Service, in.Status,
			in.Start.Format("2006-01-02 15:04"), end, in.Peak, in.Score, strings.Join(probs, ","), lead)
	}
	for _, ev := range out.Events {
		var parts []string
		for _, o := range ev.Onsets {
			parts = append(parts, fmt.Sprintf("%s +%.0fm", o.Service, o.LagSeconds/60))
		}
		fmt.Fprintf(w, "\ncorrelated event %s: %s — %s\n", ev.ID, strings.Join(parts, ", "), ev.Hypothesis)
		for _, line := range ev.Evidence {
			fmt.Fprintf(w, "  - %s\n", line)
		}
	}
}
