// Package sim generates a day of simulated public posts around service outages, for
// demos, benchmarks and evaluation. The 2024-06-04 scenario follows the real timeline of
// that day (ChatGPT down twice, then Claude and Perplexity); others cover a quiet day and
// a shared-dependency failure.
//
// The posts model what people do rather than what a detector wants: a daily rhythm of
// ordinary mentions from users in several time zones with over-dispersed noise, a small
// background of genuine complaints, crowds that notice an outage within minutes, complain
// in seven languages, switch to a competitor, tell each other that several services are
// down, read the news, and say "it's back"; plus hard negatives ("Claude Monet",
// "download"), a spammer and a retweet bot. Truth and Official describe what the day
// contains so evaluations can score against it.
//
// Volume at scale 1 (seeds 1–5): 2024-06-04 60,000–65,000 posts, quiet 49,000–51,000,
// cdn-outage 60,000–65,000. Scale multiplies every rate (scale 16 ≈ 1M posts), except the
// lone spammer and the retweet bot, which stay one account each (one loud account must
// stay one account at any volume). Generation streams, holding two minutes of posts, at
// about a million posts a second on one core.
//
// sim depends on the root package and the standard library only.
package sim

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/outcry/outcry"
)

// maxScale bounds Config.Scale: beyond it a minute of posts no longer fits comfortably
// in memory (scale 1000 is about 62 million posts a day).
const maxScale = 1000

// Config selects a simulated day.
type Config struct {
	// Scenario is one of Scenarios().
	Scenario string
	// Seed makes the day reproducible: the same (Scenario, Seed, Scale, Start) gives the
	// same posts, byte for byte; another seed gives another day with the same story.
	Seed int64
	// Scale multiplies every rate (1 ≈ 62,000 posts on 2024-06-04; 16 ≈ 980,000). Must be in
	// (0, 1000].
	Scale float64
	// Start is where the day begins; zero means the scenario's own day at 00:00 UTC.
	// The whole day moves with it, daily rhythm included: minute m of the output is
	// minute m of the scenario day.
	Start time.Time
}

// DefaultConfig is the 4 June 2024 day, seed 1, scale 1.
func DefaultConfig() Config {
	return Config{Scenario: "2024-06-04", Seed: 1, Scale: 1}
}

// Scenarios lists the scenario names, the real-timeline one first:
//
//	2024-06-04  ChatGPT down 06:49–11:10 and 14:14–17:07 UTC, Perplexity 14:30–16:30,
//	            Claude 14:53–16:45: staggered onsets while users switch (spillover)
//	quiet       no outage: announcement spike, background complaints, spammer
//	cdn-outage  an edge provider fails at 11:20 and six services go down the same minute
func Scenarios() []string {
	var names []string
	for _, s := range scenarios() {
		names = append(names, s.name)
	}
	return names
}

// validate returns the scenario cfg names or an error wrapping outcry.ErrInvalid.
func validate(cfg Config) (*scenarioSpec, error) {
	sc := lookupScenario(cfg.Scenario)
	if sc == nil {
		return nil, fmt.Errorf("sim: unknown scenario %q (want one of %v): %w", cfg.Scenario, Scenarios(), outcry.ErrInvalid)
	}
	if math.IsNaN(cfg.Scale) || cfg.Scale <= 0 || cfg.Scale > maxScale {
		return nil, fmt.Errorf("sim: scale %v: want a number in (0, %d]: %w", cfg.Scale, maxScale, outcry.ErrInvalid)
	}
	return sc, nil
}

// Generate produces the scenario's posts in CreatedAt order and hands each to emit. Posts
// have ID "sim:<scenario>:<seed>:<n>" (n counts from 0 in emission order), Source "sim",
// Simulated true, and a Lang ("" for the few the source leaves untagged); the matcher
// fields are left empty. Output is deterministic per Config. Generate streams (memory does
// not grow with the day's volume); it stops with ctx's error when ctx is cancelled and
// with a wrapped emit error when emit fails. An invalid Config is an error wrapping
// outcry.ErrInvalid. Because IDs do not depend on Start, replaying a day twice into one
// store needs a different Seed each time or the second copy deduplicates away.
func Generate(ctx context.Context, cfg Config, emit func(outcry.Post) error) error {
	sc, err := validate(cfg)
	if err != nil {
		return err
	}
	return newGenerator(cfg, sc).run(ctx, emit)
}

// TruthIncident is one outage a scenario contains: the window in which the service was
// failing for its users (not the vendor's status-page window).
type TruthIncident struct {
	Service    string
	Start, End time.Time
	// Source says what the window is modelled on (a status-page URL or a description).
	Source string
	Title  string
}

// Truth returns the scenario's outages in start order, moved to cfg.Start if set. The
// quiet scenario has none (an empty, non-nil slice).
func Truth(cfg Config) ([]TruthIncident, error) {
	sc, err := validate(cfg)
	if err != nil {
		return nil, err
	}
	day := dayStart(cfg, sc)
	out := []TruthIncident{}
	for _, inc := range sc.incidents {
		out = append(out, TruthIncident{Service: inc.service, Start: day.Add(inc.start), End: day.Add(inc.end),
			Source: inc.source, Title: inc.title})
	}
	slices.SortStableFunc(out, func(a, b TruthIncident) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// WriteTruthCSV writes t in the format of ../shared/data/real/incidents.csv: a header
// "service,start_utc,end_utc,source,title", then one row per incident with RFC 3339 UTC
// times.
func WriteTruthCSV(w io.Writer, t []TruthIncident) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"service", "start_utc", "end_utc", "source", "title"}); err != nil {
		return fmt.Errorf("sim: write truth: %w", err)
	}
	for _, inc := range t {
		row := []string{inc.Service, inc.Start.UTC().Format(time.RFC3339), inc.End.UTC().Format(time.RFC3339), inc.Source, inc.Title}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("sim: write truth: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("sim: write truth: %w", err)
	}
	return nil
}

// Official returns the vendor status-page incidents of the scenario, as a status-page
// source would report them once the day is over (resolved, with their updates): later
// than the crowd, like real ones. IDs are "sim-status:<scenario>:<id>", Source
// "sim-status". For 2024-06-04 the OpenAI and Anthropic ones carry the real times and
// links; Perplexity's is modelled. An invalid Config gives nil.
func Official(cfg Config) []outcry.OfficialIncident {
	sc, err := validate(cfg)
	if err != nil {
		return nil
	}
	day := dayStart(cfg, sc)
	out := []outcry.OfficialIncident{}
	for _, o := range sc.officials {
		end := day.Add(o.end)
		inc := outcry.OfficialIncident{
			ID: "sim-status:" + sc.name + ":" + o.id, Service: o.service, Source: "sim-status",
			Title: o.title, URL: o.url, Impact: o.impact, Start: day.Add(o.start), End: &end, Resolved: true,
			Updates: []outcry.OfficialUpdate{},
		}
		for _, u := range o.updates {
			inc.Updates = append(inc.Updates, outcry.OfficialUpdate{At: day.Add(u.at), Status: u.status, Body: u.body})
		}
		out = append(out, inc)
	}
	return out
}
