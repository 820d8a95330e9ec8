package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/ingest/replay"
)

func cmdMatch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "match", usageOf("match"))
	onlyMatched := fs.Bool("only-matched", false, "write only posts that name a catalog service")
	textLines := fs.Bool("text", false, "read plain text, one post per line, instead of JSONL/CSV")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("at most one input file")
	}
	in, name := e.stdin, "stdin"
	if len(pos) == 1 && pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return usagef("cannot read %s: %v", pos[0], errors.Unwrap(err))
		}
		defer f.Close()
		in, name = f, pos[0]
	}
	m, err := detect.NewMatcher(detect.DefaultCatalog())
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	rejected := 0
	// Classifying needs no time: created_at may be missing here (import requires it).
	opt := replay.Options{TimeOptional: true, Text: *textLines}
	err = replay.Read(in, name, opt, func(line int, p outcry.Post, perr error) error {
		if perr != nil {
			rejected++
			fmt.Fprintf(e.stderr, "outcry match: skipped %s\n", rejectReason(perr))
			return nil
		}
		m.Match(&p)
		if *onlyMatched && len(p.Services) == 0 {
			return nil
		}
		if p.Services == nil {
			p.Services = []string{}
		}
		if err := enc.Encode(matchedPost(p)); err != nil {
			return err
		}
		return ctx.Err()
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	return nil
}

// matchedPost is a post as `outcry match` prints it: services, complaint and recovery
// always present.
type matchedPostJSON struct {
	outcry.Post
	Services  []string `json:"services"`
	Affected  []string `json:"affected"`
	Complaint bool     `json:"complaint"`
	Recovery  bool     `json:"recovery"`
	// CreatedAt shadows the post's: a post read without a time (--text, or a row
	// without created_at) prints none rather than year 1.
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

func matchedPost(p outcry.Post) matchedPostJSON {
	aff := p.Affected
	if aff == nil {
		aff = []string{}
	}
	out := matchedPostJSON{Post: p, Services: p.Services, Affected: aff, Complaint: p.Complaint, Recovery: p.Recovery}
	if !p.CreatedAt.IsZero() {
		out.CreatedAt = &p.CreatedAt
	}
	return out
}

// parseSince reads --since: a duration back from now ("24h", "7d", "90m"), "all", or an
// RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	switch s {
	case "", "all", "0":
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := parseDuration(s)
	if err != nil || d <= 0 {
		return time.Time{}, usagef("--since %q: want a duration like 24h or 7d, \"all\", or an RFC 3339 time", s)
	}
	return now.Add(-d).UTC(), nil
}

// parseDuration extends time.ParseDuration with a "d" (day) unit.
func parseDuration(s string) (time.Duration, error) {
	if strings.HasSuffix(s, "d") {
		var n float64
		if _, err := fmt.Sscanf(strings.TrimSuffix(s, "d"), "%g", &n); err != nil {
			return 0, err
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	return time.ParseDuration(s)
}

type queryOutput struct {
	Query   string                         `json:"query"`
	From    *time.Time                     `json:"from"`
	To      time.Time                      `json:"to"`
	Total   uint64                         `json:"total"`
	Step    string                         `json:"step"`
	Buckets []outcry.TimeCount             `json:"buckets"`
	Hits    []outcry.Hit                   `json:"hits"`
	Facets  map[string][]outcry.FacetCount `json:"facets"`
	TookMS  float64                        `json:"took_ms"`
}

func cmdQuery(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "query", usageOf("query"))
	dataDir := fs.String("data", defaultDataDir, "data directory")
	since := fs.String("since", "24h", `how far back: a duration (24h, 7d), "all", or an RFC 3339 time`)
	untilFlag := fs.String("until", "", "end of the window (RFC 3339); default now")
	service := fs.String("service", "", "only posts naming this catalog service id")
	limit := fs.Int("limit", 10, "newest hits to show (0: counts only; max 1000)")
	complaints := fs.Bool("complaints", false, "only complaint posts")
	asJSON := fs.Bool("json", false, "print {total, buckets, hits, facets} as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want exactly one QUERY argument (quote it), e.g. \"chatgpt down\"")
	}
	if *limit < 0 || *limit > 1000 {
		return usagef("--limit %d: want 0..1000", *limit)
	}
	now := time.Now().UTC()
	from, err := parseSince(*since, now)
	if err != nil {
		return err
	}
	var until time.Time
	if *untilFlag != "" {
		t, err := time.Parse(time.RFC3339, *untilFlag)
		if err != nil {
			return usagef("--until %q: want an RFC 3339 time", *untilFlag)
		}
		until = t.UTC()
		if !from.IsZero() && !until.After(from) {
			return usagef("--until %s is not after --since %s", until.Format(time.RFC3339), from.Format(time.RFC3339))
		}
	}
	if *service != "" {
		if _, ok := detect.DefaultCatalog().Service(*service); !ok {
			return usagef("--service %q is not a catalog id (see 'outcry stats')", *service)
		}
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
	if from.IsZero() {
		// "all": from the first stored post.
		from = st.First.Truncate(time.Hour)
	}
	// The window ends at --until, or now, but not after the newest stored post: an
	// imported archive from 2023 would otherwise be a sliver of the sparkline.
	// A window holding no stored post is reported as asked, with no hits.
	to := now
	if !until.IsZero() {
		to = until
	}
	if last := st.Last.Add(time.Minute).Truncate(time.Minute); !st.Last.IsZero() && last.Before(to) && last.After(from) {
		to = last
	}
	if !to.After(from) {
		from = to.Add(-time.Hour) // "all" with an --until before the first post
	}
	now = to
	step := sparkStep(now.Sub(from))
	req := outcry.SearchRequest{
		Query: pos[0], From: from, To: now, Limit: *limit, Step: step, Newest: true,
		ComplaintsOnly: *complaints,
	}
	if *service != "" {
		req.Services = []string{*service}
	}
	res, err := ix.Search(ctx, req)
	if err != nil {
		return err
	}
	if len(res.Hits) > *limit {
		res.Hits = res.Hits[:*limit] // --limit 0: counts only (the index's 0 is its default)
	}
	out := queryOutput{
		Query: pos[0], To: now, Total: res.Total, Step: step.String(), Buckets: res.Histogram,
		Hits: res.Hits, Facets: res.Facets, TookMS: float64(res.Took.Microseconds()) / 1000,
	}
	if !from.IsZero() {
		out.From = &from
	}
	if out.Buckets == nil {
		out.Buckets = []outcry.TimeCount{}
	}
	if out.Hits == nil {
		out.Hits = []outcry.Hit{}
	}
	if out.Facets == nil {
		out.Facets = map[string][]outcry.FacetCount{}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printQuery(e.stdout, out)
	return nil
}

// sparkStep picks the sparkline resolution: hourly up to three days, then coarser so the
// line stays under about 72 characters.
func sparkStep(window time.Duration) time.Duration {
	step := time.Hour
	for window/step > 72 {
		step *= 2
	}
	return step
}

var sparkRunes = []rune("▁▂▃▄▅▆▇█")

func sparkline(b []outcry.TimeCount) string {
	peak := 0
	for _, c := range b {
		peak = max(peak, c.Count)
	}
	var s strings.Builder
	for _, c := range b {
		switch {
		case c.Count == 0:
			s.WriteRune(' ')
		case peak == 0:
			s.WriteRune(sparkRunes[0])
		default:
			s.WriteRune(sparkRunes[(c.Count*(len(sparkRunes)-1)+peak-1)/peak])
		}
	}
	return s.String()
}

func printQuery(w io.Writer, q queryOutput) {
	from := "the beginning"
	if q.From != nil {
		from = q.From.Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "%d posts match %q from %s to %s UTC (%.1f ms)\n", q.Total, q.Query, from, q.To.Format("2006-01-02 15:04"), q.TookMS)
	if len(q.Buckets) > 0 {
		fmt.Fprintf(w, "per %s: |%s|\n", q.Step, sparkline(q.Buckets))
	}
	keys := make([]string, 0, len(q.Facets))
	for k := range q.Facets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var parts []string
		for _, f := range q.Facets[k] {
			parts = append(parts, fmt.Sprintf("%s %d", f.Term, f.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%s: %s\n", k, strings.Join(parts, ", "))
		}
	}
	if len(q.Hits) > 0 {
		fmt.Fprintln(w, "newest:")
	}
	for _, h := range q.Hits {
		p := h.Post
		flag := ""
		if p.Complaint {
			flag = " [complaint]"
		} else if p.Recovery {
			flag = " [recovery]"
		}
		text := strings.Join(strings.Fields(p.Text), " ")
		if r := []rune(text); len(r) > 140 {
			text = string(r[:139]) + "…"
		}
		who := p.Author
		if who == "" {
			who = p.Source
		}
		fmt.Fprintf(w, "  %s  %-16s %s%s\n", p.CreatedAt.Format("2006-01-02 15:04"), clip(who, 16), text, flag)
	}
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

type statsOutput struct {
	Posts    uint64                  `json:"posts"`
	First    *time.Time              `json:"first"`
	Last     *time.Time              `json:"last"`
	Services map[string]serviceStats `json:"services"`
}

type serviceStats struct {
	Name       string `json:"name"`
	Mentions   int    `json:"mentions"`
	Complaints int    `json:"complaints"`
	Recoveries int    `json:"recoveries"`
}

func cmdStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", usageOf("stats"))
	dataDir := fs.String("data", defaultDataDir, "data directory")
	asJSON := fs.Bool("json", false, `print {"posts": N, "first", "last", "services": {...}}`)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
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
	cat := detect.DefaultCatalog()
	out := statsOutput{Posts: st.Posts, Services: map[string]serviceStats{}}
	if !st.First.IsZero() {
		out.First, out.Last = &st.First, &st.Last
	}
	for id, s := range st.Services {
		name := id
		if svc, ok := cat.Service(id); ok {
			name = svc.Name
		}
		out.Services[id] = serviceStats{Name: name, Mentions: s.Mentions, Complaints: s.Complaints, Recoveries: s.Recoveries}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(e.stdout, "%d posts", out.Posts)
	if out.First != nil {
		fmt.Fprintf(e.stdout, " from %s to %s UTC", out.First.Format(time.DateTime), out.Last.Format(time.DateTime))
	}
	fmt.Fprintln(e.stdout)
	ids := make([]string, 0, len(out.Services))
	for id := range out.Services {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if d := out.Services[b].Mentions - out.Services[a].Mentions; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	if len(ids) > 0 {
		fmt.Fprintf(e.stdout, "%-14s %10s %10s %10s\n", "service", "mentions", "complaints", "recoveries")
	}
	for _, id := range ids {
		s := out.Services[id]
		fmt.Fprintf(e.stdout, "%-14s %10d %10d %10d\n", id, s.Mentions, s.Complaints, s.Recoveries)
	}
	return nil
}
