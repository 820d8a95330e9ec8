package dashboard

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/outcry/outcry"
)

// fakeNow is the fixed clock of every test: the afternoon of 4 June 2024.
var fakeNow = time.Date(2024, 6, 4, 16, 0, 0, 0, time.UTC)

func at(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2024-06-04 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func tp(t time.Time) *time.Time { return &t }
func fp(f float64) *float64     { return &f }

// Hostile strings every page must escape.
const (
	hostileText   = `ChatGPT down <script>alert("text")</script> <img src=x onerror=alert(1)> & "quotes"`
	hostileAuthor = `<img src=x onerror=alert('author')>`
	hostileURL    = `javascript:alert('url')`
	hostileTitle  = `Elevated errors <script>alert("official")</script>`
)

// fakeBackend implements every dashboard interface over fixed data, deterministically.
type fakeBackend struct {
	mu       sync.Mutex
	services []outcry.Service
	current  map[string]outcry.Point
	incs     []outcry.Incident
	events   []outcry.Event
	official []outcry.OfficialIncident
	posts    []outcry.Post
	health   []outcry.SourceHealth
	// fail makes every context-taking read return this error.
	fail error
	// seriesCalls counts Series calls, for tests that check fan-out.
	seriesCalls int
}

var _ interface {
	Catalog
	Readings
	IncidentStore
	EventStore
	OfficialLister
	Searcher
	Summarizer
	HealthReporter
	Totals
	Ingested
} = (*fakeBackend)(nil)

func newFake() *fakeBackend {
	f := &fakeBackend{
		services: []outcry.Service{
			{ID: "chatgpt", Name: "ChatGPT", Category: "ai", Aliases: []string{"chatgpt", "openai"}, StatusPage: "https://status.openai.com"},
			{ID: "claude", Name: "Claude", Category: "ai", Aliases: []string{"claude", "anthropic"}, StatusPage: "https://status.anthropic.com"},
			{ID: "perplexity", Name: "Perplexity", Category: "ai", Aliases: []string{"perplexity"}},
			{ID: "github", Name: "GitHub", Category: "dev", Aliases: []string{"github"}, StatusPage: "https://www.githubstatus.com"},
			{ID: "oldsvc", Name: "Old", Disabled: true},
		},
		current: map[string]outcry.Point{
			"chatgpt":    {T: at("15:59"), Count: 42, Authors: 40, Baseline: 1.5, Score: 0.999, Status: outcry.StatusOutage},
			"claude":     {T: at("15:59"), Count: 17, Authors: 16, Baseline: 0.8, Score: 0.97, Status: outcry.StatusOutage},
			"perplexity": {T: at("15:59"), Count: 6, Authors: 6, Baseline: 0.4, Score: 0.8, Status: outcry.StatusDegraded},
		},
	}
	ev := "ev-20240604-1414"
	f.incs = []outcry.Incident{
		{ID: "chatgpt-20240604-0649", Service: "chatgpt", State: outcry.StateResolved, Status: outcry.StatusOutage,
			Start: at("06:49"), End: tp(at("11:10")), Peak: 55, PeakAt: at("07:20"), Score: 1, Complaints: 3100, Authors: 2900, Recoveries: 140,
			Languages: map[string]int{"en": 2500, "fr": 600}, Sources: map[string]int{"sim": 3100},
			Problems:    []outcry.ProblemCount{{Problem: "login", Count: 900}, {Problem: "errors", Count: 700}},
			Official:    []outcry.OfficialRef{{ID: "openai-status:morning", Title: "ChatGPT unavailable", URL: "https://status.openai.com/incidents/morning", Start: at("07:05")}},
			LeadSeconds: fp(960), UpdatedAt: at("11:10")},
		{ID: "chatgpt-20240604-1414", Service: "chatgpt", State: outcry.StateOpen, Status: outcry.StatusOutage,
			Start: at("14:14"), Peak: 61, PeakAt: at("14:40"), Score: 0.999, Complaints: 2500, Authors: 2300,
			Languages: map[string]int{"en": 2000, "fr": 500}, Sources: map[string]int{"sim": 2500},
			Problems: []outcry.ProblemCount{{Problem: "errors", Count: 800}},
			EventID:  ev, Official: nil, LeadSeconds: nil, UpdatedAt: at("15:59")},
		{ID: "claude-20240604-1453", Service: "claude", State: outcry.StateOpen, Status: outcry.StatusOutage,
			Start: at("14:53"), Peak: 25, PeakAt: at("15:10"), Score: 0.97, Complaints: 600, Authors: 590,
			EventID: ev, UpdatedAt: at("15:59")},
		{ID: "perplexity-20240604-1430", Service: "perplexity", State: outcry.StateOpen, Status: outcry.StatusDegraded,
			Start: at("14:30"), Peak: 9, PeakAt: at("15:00"), Score: 0.8, Complaints: 200, Authors: 199,
			EventID: ev, UpdatedAt: at("15:59")},
	}
	f.events = []outcry.Event{{
		ID: ev, Start: at("14:14"),
		Incidents: []string{"chatgpt-20240604-1414", "perplexity-20240604-1430", "claude-20240604-1453"},
		Onsets: []outcry.Onset{
			{Service: "chatgpt", Incident: "chatgpt-20240604-1414", At: at("14:14"), LagSeconds: 0},
			{Service: "perplexity", Incident: "perplexity-20240604-1430", At: at("14:30"), LagSeconds: 960},
			{Service: "claude", Incident: "claude-20240604-1453", At: at("14:53"), LagSeconds: 2340},
		},
		CoMentions: map[string]int{"chatgpt+claude": 120, "chatgpt+perplexity": 40},
		Switching:  map[string]int{"claude": 80, "perplexity": 25},
		Hypothesis: outcry.HypothesisSpillover,
		Evidence:   []string{"claude failed 39 min after chatgpt while chatgpt was still down", "80 posts mention switching to claude <b>not bold</b>"},
	}}
	f.official = []outcry.OfficialIncident{
		{ID: "openai-status:morning", Service: "chatgpt", Source: "openai-status", Title: hostileTitle,
			URL: "https://status.openai.com/incidents/morning", Impact: "major", Start: at("07:05"), End: tp(at("11:20")), Resolved: true,
			Updates: []outcry.OfficialUpdate{{At: at("07:05"), Status: "investigating", Body: "We are investigating <i>errors</i>."}}},
		{ID: "openai-status:afternoon", Service: "chatgpt", Source: "openai-status", Title: "ChatGPT errors", URL: hostileURL,
			Impact: "major", Start: at("14:40"), Updates: nil},
	}
	f.posts = []outcry.Post{
		{ID: "sim:1", Source: "sim", Author: hostileAuthor, Text: hostileText, Lang: "en", URL: hostileURL,
			CreatedAt: at("15:58"), Services: []string{"chatgpt"}, Affected: []string{"chatgpt"}, Complaint: true, Problems: []string{"errors"}, Simulated: true},
		{ID: "sim:2", Source: "sim", Author: "marie", Text: "ChatGPT, Claude, et Perplexity sont tous en panne en ce moment", Lang: "fr",
			URL: "https://example.social/@marie/2?a=1&b=<x>", CreatedAt: at("15:30"), Services: []string{"chatgpt", "claude", "perplexity"},
			Affected: []string{"chatgpt", "claude", "perplexity"}, Complaint: true, Simulated: true},
		{ID: "sim:3", Source: "sim", Author: "dev", Text: "claude is back up for me", Lang: "en", URL: "http://example.org/3",
			CreatedAt: at("15:50"), Services: []string{"claude"}, Affected: []string{"claude"}, Recovery: true, Simulated: true},
	}
	f.health = []outcry.SourceHealth{
		{Name: "openai-status", Type: "statuspage", URL: "https://status.openai.com/history.atom", State: outcry.HealthFailing,
			Message: "network unreachable <script>x</script>", LastError: at("15:59"), Error: "dial tcp: lookup status.openai.com: no such host",
			ConsecutiveFailures: 7, NextAttempt: at("16:04"), Backoff: 5 * time.Minute, BackoffSeconds: 300},
		{Name: "bluesky", Type: "bluesky", State: outcry.HealthFailing, ConsecutiveFailures: 3, LastError: at("15:58"), Error: "websocket: dial failed"},
		{Name: "x", Type: "twitter", State: outcry.HealthDisabled, Message: "no OUTCRY_TWITTER_BEARER_TOKEN"},
	}
	return f
}

func (f *fakeBackend) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fail
}

func (f *fakeBackend) Services() []outcry.Service { return f.services }

func (f *fakeBackend) Current() map[string]outcry.Point { return f.current }

// Series makes a deterministic minute series: a baseline of about 1/min with complaint
// bursts inside the fixture incidents.
func (f *fakeBackend) Series(ctx context.Context, service string, from, to time.Time) ([]outcry.Point, error) {
	if err := f.err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.seriesCalls++
	f.mu.Unlock()
	var out []outcry.Point
	for t := outcry.Minute(from); t.Before(to); t = t.Add(time.Minute) {
		if t.After(fakeNow) {
			break
		}
		base := 1.0 + 0.5*float64(t.Hour()%3)
		p := outcry.Point{T: t, Count: int(base) + t.Minute()%2, Baseline: base, Score: 0.1, Status: outcry.StatusOK}
		for _, inc := range f.incs {
			end := fakeNow
			if inc.End != nil {
				end = *inc.End
			}
			if inc.Service == service && !t.Before(inc.Start) && t.Before(end) {
				p.Count = inc.Peak - t.Minute()%5
				p.Score, p.Status = 0.99, inc.Status
			}
		}
		p.Authors = p.Count
		out = append(out, p)
	}
	return out, nil
}

func (f *fakeBackend) Incidents(ctx context.Context, flt IncidentFilter) ([]outcry.Incident, error) {
	if err := f.err(); err != nil {
		return nil, err
	}
	var out []outcry.Incident
	for _, inc := range f.incs {
		if flt.Service != "" && inc.Service != flt.Service || flt.State != "" && inc.State != flt.State {
			continue
		}
		out = append(out, inc)
	}
	// Oldest first on purpose: the server must order them itself.
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

func (f *fakeBackend) Incident(ctx context.Context, id string) (outcry.Incident, error) {
	if err := f.err(); err != nil {
		return outcry.Incident{}, err
	}
	for _, inc := range f.incs {
		if inc.ID == id {
			return inc, nil
		}
	}
	return outcry.Incident{}, fmt.Errorf("incident %q: %w", id, outcry.ErrNotFound)
}

func (f *fakeBackend) Events(ctx context.Context, from, to time.Time) ([]outcry.Event, error) {
	if err := f.err(); err != nil {
		return nil, err
	}
	var out []outcry.Event
	for _, ev := range f.events {
		if !ev.Start.Before(from) && ev.Start.Before(to) {
			out = append(out, ev)
		}
	}
	return out, nil
}

func (f *fakeBackend) Event(ctx context.Context, id string) (outcry.Event, error) {
	if err := f.err(); err != nil {
		return outcry.Event{}, err
	}
	for _, ev := range f.events {
		if ev.ID == id {
			return ev, nil
		}
	}
	return outcry.Event{}, fmt.Errorf("event %q: %w", id, outcry.ErrNotFound)
}

func (f *fakeBackend) Official(ctx context.Context, service string, from, to time.Time) ([]outcry.OfficialIncident, error) {
	if err := f.err(); err != nil {
		return nil, err
	}
	var out []outcry.OfficialIncident
	for _, o := range f.official {
		end := fakeNow
		if o.End != nil {
			end = *o.End
		}
		if (service == "" || o.Service == service) && o.Start.Before(to) && !end.Before(from) {
			out = append(out, o)
		}
	}
	return out, nil
}

// Search matches posts whose text contains every query word (case-insensitively) and
// highlights them; a query with an unbalanced parenthesis is invalid, as in Bleve.
func (f *fakeBackend) Search(ctx context.Context, r outcry.SearchRequest) (outcry.SearchResult, error) {
	if err := f.err(); err != nil {
		return outcry.SearchResult{}, err
	}
	if strings.Count(r.Query, "(") != strings.Count(r.Query, ")") {
		return outcry.SearchResult{}, fmt.Errorf("index: parse query %q: unbalanced parenthesis: %w", r.Query, outcry.ErrInvalid)
	}
	words := strings.Fields(strings.ToLower(r.Query))
	res := outcry.SearchResult{Facets: map[string][]outcry.FacetCount{}, Took: 1500 * time.Microsecond}
	svc := map[string]int{}
	for _, p := range f.posts {
		lower := strings.ToLower(p.Text)
		var hl []outcry.Span
		ok := true
		for _, w := range words {
			i := strings.Index(lower, w)
			if i < 0 {
				ok = false
				break
			}
			hl = append(hl, outcry.Span{Start: i, End: i + len(w)})
		}
		if !ok || len(r.Services) > 0 && !overlaps(p.Services, r.Services) || r.ComplaintsOnly && !p.Complaint {
			continue
		}
		if !r.From.IsZero() && p.CreatedAt.Before(r.From) || !r.To.IsZero() && !p.CreatedAt.Before(r.To) {
			continue
		}
		res.Total++
		for _, s := range p.Services {
			svc[s]++
		}
		res.Hits = append(res.Hits, outcry.Hit{Post: p, Score: 1.25, Highlights: hl})
	}
	for _, s := range []string{"chatgpt", "claude", "perplexity"} {
		if svc[s] > 0 {
			res.Facets["services"] = append(res.Facets["services"], outcry.FacetCount{Term: s, Count: svc[s]})
		}
	}
	res.Facets["langs"] = nil // must come out as []
	if r.Step > 0 {
		for t := r.From; t.Before(r.To); t = t.Add(r.Step) {
			n := 0
			for _, h := range res.Hits {
				if !h.Post.CreatedAt.Before(t) && h.Post.CreatedAt.Before(t.Add(r.Step)) {
					n++
				}
			}
			res.Histogram = append(res.Histogram, outcry.TimeCount{T: t, Count: n})
		}
	}
	return res, nil
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func (f *fakeBackend) Summarize(ctx context.Context, service string, from, to time.Time, samples int) (outcry.Summary, error) {
	if err := f.err(); err != nil {
		return outcry.Summary{}, err
	}
	sm := outcry.Summary{Languages: map[string]int{}, Sources: map[string]int{}}
	for _, p := range f.posts {
		if p.CreatedAt.Before(from) || !p.CreatedAt.Before(to) || !(p.ComplainsAbout(service) || p.RecoveryOf(service)) {
			continue
		}
		if p.Complaint {
			sm.Complaints++
		} else {
			sm.Recoveries++
		}
		sm.Languages[p.Lang]++
		sm.Sources[p.Source]++
		if len(sm.Samples) < samples {
			sm.Samples = append(sm.Samples, p)
		}
	}
	if sm.Complaints > 0 {
		sm.Problems = []outcry.ProblemCount{{Problem: "errors", Count: sm.Complaints}}
	}
	return sm, nil
}

func (f *fakeBackend) Health() []outcry.SourceHealth { return f.health }

func (f *fakeBackend) ServiceTotals(ctx context.Context) (map[string]ServiceTotal, error) {
	if err := f.err(); err != nil {
		return nil, err
	}
	return map[string]ServiceTotal{"chatgpt": {Mentions: 9000, Complaints: 5600, Recoveries: 140}, "claude": {Mentions: 1200, Complaints: 600}}, nil
}

func (f *fakeBackend) Indexed() uint64 { return 123456 }

func (f *fakeBackend) AlertCounts() (delivered, failed, dropped, pending int64) { return 12, 1, 0, 2 }

func fakeDeps(f *fakeBackend) Deps {
	return Deps{Catalog: f, Readings: f, Incidents: f, Events: f, Official: f, Search: f, Summaries: f, Health: f, Totals: f, Ingested: f, Alerts: f}
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Clock = func() time.Time { return fakeNow }
	cfg.Version = "test"
	return cfg
}

func newTestServer(f *fakeBackend, mod ...func(*Config)) *Server {
	cfg := testConfig()
	for _, m := range mod {
		m(&cfg)
	}
	return New(cfg, fakeDeps(f), nil)
}

var errBackend = errors.New("bolt: database file /secret/path is corrupt")
