package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// rangeChoice is a preset window offered as links on pages.
type rangeChoice struct {
	Name   string
	Span   time.Duration
	Active bool
}

// pageRange reads ?range= among the allowed presets (default def).
func pageRange(p params, def string, names ...string) (string, time.Duration, []rangeChoice, error) {
	spans := map[string]time.Duration{"1h": time.Hour, "6h": 6 * time.Hour, "24h": 24 * time.Hour,
		"7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour}
	name := p.str("range")
	if name == "" {
		name = def
	}
	if !slices.Contains(names, name) {
		return "", 0, nil, &paramError{Param: "range", Msg: "want one of " + strings.Join(names, ", ")}
	}
	choices := make([]rangeChoice, len(names))
	for i, n := range names {
		choices[i] = rangeChoice{Name: n, Span: spans[n], Active: n == name}
	}
	return name, spans[name], choices, nil
}

// chartStep picks a step giving a few hundred points: readable on a phone.
func chartStep(span time.Duration) time.Duration {
	for _, d := range [...]time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour} {
		if span/d <= 400 {
			return d
		}
	}
	return 6 * time.Hour
}

// card is one service on the overview.
type card struct {
	serviceStatus
	Spark []seriesPoint
	Open  string // id of the open incident, if any
}

// incidentRow is an incident with its service's display name.
type incidentRow struct {
	outcry.Incident
	Name string
}

type incidentLists struct {
	Open   []incidentRow
	Recent []incidentRow
	Events []outcry.Event
	Names  map[string]string
	Now    time.Time
}

type overviewView struct {
	Outage, Degraded, OK int
	Cards                []card
	Chart                chartView
	Range                string
	Ranges               []rangeChoice
	Lists                incidentLists
}

// names maps service ids to display names.
func (s *Server) names() map[string]string {
	m := map[string]string{}
	for _, sv := range s.services() {
		m[sv.ID] = sv.Name
	}
	return m
}

func (s *Server) rows(incs []outcry.Incident, names map[string]string) []incidentRow {
	out := make([]incidentRow, 0, len(incs))
	for _, inc := range incs {
		out = append(out, incidentRow{Incident: inc, Name: cmpOr(names[inc.Service], inc.Service)})
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// cards builds the overview cards, worst first, each with a one-hour sparkline.
func (s *Server) cards(ctx context.Context, open []outcry.Incident) ([]card, error) {
	sts := s.statuses()
	slices.SortStableFunc(sts, bySeverity)
	now := s.now()
	from, to := alignWindow(now.Add(-time.Hour), now, time.Minute)
	openBy := map[string]string{}
	for _, inc := range open {
		if _, ok := openBy[inc.Service]; !ok {
			openBy[inc.Service] = inc.ID
		}
	}
	out := make([]card, 0, len(sts))
	for _, st := range sts {
		pts, err := s.seriesFor(ctx, st.ID, from, to, time.Minute)
		if err != nil {
			return nil, err
		}
		out = append(out, card{serviceStatus: st, Spark: pts, Open: openBy[st.ID]})
	}
	return out, nil
}

func (s *Server) incidentLists(ctx context.Context) (incidentLists, error) {
	now := s.now()
	names := s.names()
	open, err := s.incidents(ctx, IncidentFilter{State: outcry.StateOpen, Limit: 200}, 0)
	if err != nil {
		return incidentLists{}, err
	}
	recent, err := s.incidents(ctx, IncidentFilter{State: outcry.StateResolved, From: now.Add(-s.cfg.Recent), To: now, Limit: 20}, 0)
	if err != nil {
		return incidentLists{}, err
	}
	evs, err := s.events(ctx, now.Add(-s.cfg.Recent), now)
	if err != nil {
		return incidentLists{}, err
	}
	return incidentLists{Open: s.rows(open, names), Recent: s.rows(recent, names), Events: evs[:min(len(evs), 10)], Names: names, Now: now}, nil
}

// overviewChart draws complaint volume of the busiest services over span.
func (s *Server) overviewChart(ctx context.Context, rangeName string, span time.Duration) (chartView, error) {
	now := s.now()
	step := chartStep(span)
	from, to := alignWindow(now.Add(-span), now, step)
	incs, err := s.incidents(ctx, IncidentFilter{From: from, To: to, Limit: 1000}, 0)
	if err != nil {
		return chartView{}, err
	}
	off, err := s.official(ctx, "", from, to)
	if err != nil {
		return chartView{}, err
	}
	var lines []chartLine
	for _, sv := range s.services() {
		pts, err := s.seriesFor(ctx, sv.ID, from, to, step)
		if err != nil {
			return chartView{}, err
		}
		l := chartLine{ID: sv.ID, Name: cmpOr(sv.Name, sv.ID), Points: pts}
		for _, inc := range incs {
			if inc.Service == sv.ID {
				l.Incidents = append(l.Incidents, inc)
			}
		}
		for _, o := range off {
			if o.Service == sv.ID {
				l.Official = append(l.Official, o)
			}
		}
		lines = append(lines, l)
	}
	cv, err := volumeChart("chart-overview", pickLines(lines, 12, 5), step, now)
	if err != nil {
		return cv, err
	}
	cv.Src = "/ui/charts/overview?range=" + rangeName
	cv.Tall = true
	return cv, nil
}

func (s *Server) pageOverview(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), []string{"range"})
	if err != nil {
		return err
	}
	name, span, ranges, err := pageRange(p, "24h", "6h", "24h", "7d")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	v := overviewView{Range: name, Ranges: ranges}
	if v.Lists, err = s.incidentLists(ctx); err != nil {
		return err
	}
	var open []outcry.Incident
	for _, row := range v.Lists.Open {
		open = append(open, row.Incident)
	}
	if v.Cards, err = s.cards(ctx, open); err != nil {
		return err
	}
	for _, c := range v.Cards {
		switch c.Status {
		case outcry.StatusOutage:
			v.Outage++
		case outcry.StatusDegraded:
			v.Degraded++
		default:
			v.OK++
		}
	}
	if v.Chart, err = s.overviewChart(ctx, name, span); err != nil {
		return err
	}
	s.renderPage(w, r, http.StatusOK, "overview", pageData{Title: "Overview", Nav: "overview", Scripts: v.Chart.Assets, Body: v})
	return nil
}

func (s *Server) fragmentCards(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	open, err := s.incidents(ctx, IncidentFilter{State: outcry.StateOpen, Limit: 200}, 0)
	if err != nil {
		return err
	}
	cards, err := s.cards(ctx, open)
	if err != nil {
		return err
	}
	return s.renderFragment(w, r, "overview", "cards", cards)
}

func (s *Server) fragmentIncidents(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	lists, err := s.incidentLists(ctx)
	if err != nil {
		return err
	}
	return s.renderFragment(w, r, "overview", "incidentLists", lists)
}

// writeChart answers a chart refresh with the go-echarts option JSON.
func writeChart(w http.ResponseWriter, cv chartView) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(cv.Option))
}

func (s *Server) chartOverviewJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), []string{"range"})
	if err != nil {
		return err
	}
	name, span, _, err := pageRange(p, "24h", "6h", "24h", "7d")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	cv, err := s.overviewChart(ctx, name, span)
	if err != nil {
		return err
	}
	writeChart(w, cv)
	return nil
}

// serviceView is the service page.
type serviceView struct {
	Status    serviceStatus
	Service   outcry.Service
	Chart     chartView
	Range     string
	Ranges    []rangeChoice
	Summary   *outcry.Summary
	Incidents []incidentRow
	Official  []outcry.OfficialIncident
	Open      string
}

func (s *Server) serviceChartView(ctx context.Context, sv outcry.Service, rangeName string, span time.Duration) (chartView, error) {
	now := s.now()
	step := time.Minute
	if span > 24*time.Hour {
		step = 10 * time.Minute
	}
	from, to := alignWindow(now.Add(-span), now, step)
	pts, err := s.seriesFor(ctx, sv.ID, from, to, step)
	if err != nil {
		return chartView{}, err
	}
	incs, err := s.incidents(ctx, IncidentFilter{Service: sv.ID, From: from, To: to, Limit: 500}, 0)
	if err != nil {
		return chartView{}, err
	}
	off, err := s.official(ctx, sv.ID, from, to)
	if err != nil {
		return chartView{}, err
	}
	cv, err := serviceChart("chart-service", cmpOr(sv.Name, sv.ID), pts, incs, off, step, now)
	if err != nil {
		return cv, err
	}
	cv.Src = "/ui/charts/services/" + url.PathEscape(sv.ID) + "?range=" + rangeName
	cv.Tall = true
	return cv, nil
}

func (s *Server) pageService(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), []string{"range"})
	if err != nil {
		return err
	}
	sv, err := s.lookupService(r.PathValue("id"))
	if err != nil {
		return err
	}
	name, span, ranges, err := pageRange(p, "24h", "24h", "7d")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	now := s.now()
	v := serviceView{Status: statusOf(sv, s.deps.Readings.Current()[sv.ID]), Service: sv, Range: name, Ranges: ranges}
	if v.Chart, err = s.serviceChartView(ctx, sv, name, span); err != nil {
		return err
	}
	if s.deps.Summaries != nil {
		sm, err := s.deps.Summaries.Summarize(ctx, sv.ID, now.Add(-span), now, 20)
		if err != nil {
			return err
		}
		sm = normSummary(sm)
		v.Summary = &sm
	}
	incs, err := s.incidents(ctx, IncidentFilter{Service: sv.ID, From: now.Add(-s.cfg.Recent), Limit: 50}, 0)
	if err != nil {
		return err
	}
	v.Incidents = s.rows(incs, s.names())
	for _, inc := range incs {
		if inc.State == outcry.StateOpen {
			v.Open = inc.ID
			break
		}
	}
	if v.Official, err = s.official(ctx, sv.ID, now.Add(-max(s.cfg.Recent, span)), now); err != nil {
		return err
	}
	s.renderPage(w, r, http.StatusOK, "service", pageData{Title: cmpOr(sv.Name, sv.ID), Nav: "overview", Scripts: v.Chart.Assets, Body: v})
	return nil
}

func (s *Server) chartServiceJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), []string{"range"})
	if err != nil {
		return err
	}
	sv, err := s.lookupService(r.PathValue("id"))
	if err != nil {
		return err
	}
	name, span, _, err := pageRange(p, "24h", "24h", "7d")
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	cv, err := s.serviceChartView(ctx, sv, name, span)
	if err != nil {
		return err
	}
	writeChart(w, cv)
	return nil
}

// timelineEntry is one line of an incident's timeline.
type timelineEntry struct {
	At       time.Time
	Kind     string
	Text     string
	Link     string
	External bool // Link leaves the app (status page): opened with rel=noopener
}

// onsetRow is one service of a correlated event.
type onsetRow struct {
	outcry.Onset
	Name string
}

type incidentView struct {
	D          incidentDetail
	Chart      chartView
	Timeline   []timelineEntry
	Onsets     []onsetRow
	CoMentions []kv
	Switching  []kv
	Official   []outcry.OfficialIncident
	Duration   time.Duration
	Lead       string
}

func (s *Server) pageIncident(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	d, err := s.incidentDetail(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	now := s.now()
	inc := d.Incident
	end := now
	if inc.End != nil {
		end = *inc.End
	}
	v := incidentView{D: d, Duration: end.Sub(inc.Start), Lead: leadText(inc.LeadSeconds)}

	// Chart: two hours either side, within MaxRange.
	from := inc.Start.Add(-2 * time.Hour)
	to := earliest(end.Add(2*time.Hour), now.Add(time.Minute))
	if to.Sub(from) > s.cfg.MaxRange {
		from = to.Add(-s.cfg.MaxRange)
	}
	step := chartStep(to.Sub(from))
	from, to = alignWindow(from, to, step)
	pts, err := s.seriesFor(ctx, inc.Service, from, to, step)
	if err != nil {
		return err
	}
	if v.Official, err = s.official(ctx, inc.Service, from, to); err != nil {
		return err
	}
	linked := map[string]bool{}
	for _, ref := range inc.Official {
		linked[ref.ID] = true
	}
	var shownOfficial []outcry.OfficialIncident
	for _, o := range v.Official {
		if len(linked) == 0 || linked[o.ID] {
			shownOfficial = append(shownOfficial, o)
		}
	}
	if v.Chart, err = serviceChart("chart-incident", d.ServiceName, pts, []outcry.Incident{inc}, shownOfficial, step, now); err != nil {
		return err
	}

	// Timeline.
	tl := []timelineEntry{{At: inc.Start, Kind: "detected", Text: "Outcry detected complaints about " + d.ServiceName}}
	if !inc.PeakAt.IsZero() {
		tl = append(tl, timelineEntry{At: inc.PeakAt, Kind: "peak", Text: "Peak: " + strconv.Itoa(inc.Peak) + " complaints per minute"})
	}
	for _, o := range shownOfficial {
		tl = append(tl, timelineEntry{At: o.Start, Kind: "official", Text: "Status page: " + o.Title, Link: safeLink(o.URL), External: true})
		for _, u := range o.Updates {
			tl = append(tl, timelineEntry{At: u.At, Kind: "update", Text: "Status page " + u.Status + ": " + shortLabel(u.Body, 200)})
		}
	}
	names := s.names()
	if d.Event != nil {
		for _, on := range d.Event.Onsets {
			v.Onsets = append(v.Onsets, onsetRow{Onset: on, Name: cmpOr(names[on.Service], on.Service)})
			if on.Service != inc.Service {
				tl = append(tl, timelineEntry{At: on.At, Kind: "onset", Text: cmpOr(names[on.Service], on.Service) + " complaints began (correlated)", Link: "/incidents/" + url.PathEscape(on.Incident)})
			}
		}
		v.CoMentions = sortedKV(d.Event.CoMentions)
		v.Switching = sortedKV(d.Event.Switching)
	}
	if inc.End != nil {
		tl = append(tl, timelineEntry{At: *inc.End, Kind: "resolved", Text: "Complaints back to normal; incident resolved"})
	}
	slices.SortStableFunc(tl, func(a, b timelineEntry) int { return a.At.Compare(b.At) })
	v.Timeline = tl
	s.renderPage(w, r, http.StatusOK, "incident", pageData{Title: d.ServiceName + " incident", Nav: "overview", Scripts: v.Chart.Assets, Body: v})
	return nil
}

type eventView struct {
	Event      outcry.Event
	Incidents  []incidentRow
	Onsets     []onsetRow
	CoMentions []kv
	Switching  []kv
	Chart      chartView
}

func (s *Server) pageEvent(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	ev, err := s.event(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	now := s.now()
	names := s.names()
	v := eventView{Event: ev, CoMentions: sortedKV(ev.CoMentions), Switching: sortedKV(ev.Switching)}
	for _, on := range ev.Onsets {
		v.Onsets = append(v.Onsets, onsetRow{Onset: on, Name: cmpOr(names[on.Service], on.Service)})
	}
	var incs []outcry.Incident
	from, to := ev.Start, ev.Start
	for _, id := range ev.Incidents {
		inc, err := s.deps.Incidents.Incident(ctx, id)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		inc = normIncident(inc)
		incs = append(incs, inc)
		from = earliest(from, inc.Start)
		end := now
		if inc.End != nil {
			end = *inc.End
		}
		to = latest(to, end)
	}
	v.Incidents = s.rows(incs, names)
	from, to = from.Add(-time.Hour), earliest(to.Add(time.Hour), now.Add(time.Minute))
	if to.Sub(from) > s.cfg.MaxRange {
		from = to.Add(-s.cfg.MaxRange)
	}
	step := chartStep(to.Sub(from))
	from, to = alignWindow(from, to, step)
	var lines []chartLine
	for _, inc := range incs {
		pts, err := s.seriesFor(ctx, inc.Service, from, to, step)
		if err != nil {
			return err
		}
		lines = append(lines, chartLine{ID: inc.Service, Name: cmpOr(names[inc.Service], inc.Service), Points: pts,
			Incidents: []outcry.Incident{inc}, Selected: true})
	}
	if v.Chart, err = volumeChart("chart-event", lines, step, now); err != nil {
		return err
	}
	s.renderPage(w, r, http.StatusOK, "event", pageData{Title: "Correlated event", Nav: "overview", Scripts: v.Chart.Assets, Body: v})
	return nil
}

// facetLink is one facet term with the search URL that filters on it.
type facetLink struct {
	Term   string
	Count  int
	URL    string
	Active bool
}

type searchView struct {
	Query      string
	Services   []outcry.Service
	Service    string
	Range      string
	Ranges     []rangeChoice
	Complaints bool
	Newest     bool
	Error      string
	Result     *searchResponse
	Chart      chartView
	Facets     map[string][]facetLink
	Prev, Next string
	First      int
	Last       int
}

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := readParams(q, append(searchParams(), "range"), "service", "source", "lang")
	if err != nil {
		return err
	}
	rangeName, span, ranges, err := pageRange(p, "7d", "1h", "24h", "7d", "30d")
	if err != nil {
		return err
	}
	v := searchView{Query: p.str("q"), Services: s.services(), Range: rangeName, Ranges: ranges,
		Service: strings.Join(p.all("service"), ","), Facets: map[string][]facetLink{}}
	v.Complaints, _ = p.bool("complaints", false)
	v.Newest = p.str("sort") == "newest"
	status := http.StatusOK
	if v.Query != "" {
		status = s.runPageSearch(r, q, p, span, &v)
	}
	var scripts []string
	if v.Result != nil {
		scripts = v.Chart.Assets
	}
	s.renderPage(w, r, status, "search", pageData{Title: "Search", Nav: "search", Refresh: -1, Scripts: scripts, Body: v})
	return nil
}

// runPageSearch fills v with results, or with the error message of a bad query (400).
func (s *Server) runPageSearch(r *http.Request, q url.Values, p params, span time.Duration, v *searchView) int {
	eff := url.Values{}
	for k, vs := range q {
		if k != "range" && k != "token" {
			eff[k] = vs
		}
	}
	if eff.Get("from") == "" && eff.Get("to") == "" {
		eff.Set("from", s.now().Add(-span).Format(time.RFC3339))
	}
	req, err := s.searchRequest(params{q: eff}, 20)
	if err == nil {
		var res searchResponse
		if res, err = s.search(r, req); err == nil {
			v.Result = &res
			v.Chart, err = histogramChart("chart-hits", res.Buckets, req.Step)
		}
	}
	if err != nil {
		status, _, msg, internal, _ := classify(err)
		if internal {
			s.log.ErrorContext(r.Context(), "search failed", "err", err)
		}
		v.Error = msg
		v.Result = nil
		return status
	}
	link := func(mod func(url.Values)) string {
		c := url.Values{}
		for k, vs := range q {
			if k != "token" {
				c[k] = slices.Clone(vs)
			}
		}
		mod(c)
		return "/search?" + c.Encode()
	}
	for facet, param := range map[string]string{"services": "service", "sources": "source", "langs": "lang"} {
		active := p.all(param)
		for _, fc := range v.Result.Facets[facet] {
			term := fc.Term
			on := slices.Contains(active, term)
			v.Facets[facet] = append(v.Facets[facet], facetLink{Term: term, Count: fc.Count, Active: on, URL: link(func(c url.Values) {
				c.Del("offset")
				if on {
					c[param] = slices.DeleteFunc(slices.Clone(c[param]), func(x string) bool { return x == term })
				} else {
					c.Add(param, term)
				}
			})})
		}
	}
	v.First = req.Offset + 1
	v.Last = req.Offset + len(v.Result.Hits)
	if req.Offset > 0 {
		v.Prev = link(func(c url.Values) { c.Set("offset", strconv.Itoa(max(req.Offset-req.Limit, 0))) })
	}
	if uint64(req.Offset+req.Limit) < v.Result.Total && req.Offset+2*req.Limit <= s.cfg.MaxOffset {
		v.Next = link(func(c url.Values) { c.Set("offset", strconv.Itoa(req.Offset+req.Limit)) })
	}
	return http.StatusOK
}

// sourcesView is the sources page: every source's health, and a plain statement when
// none has succeeded (typically: no network).
type sourcesView struct {
	Sources  []outcry.SourceHealth
	Known    bool
	OK       int
	Failing  int
	Starting int
	Disabled int
	// NoneOK: some source is failing and none succeeds; NeverOK: none ever did.
	NoneOK  bool
	NeverOK bool
}

func (s *Server) sourcesView() sourcesView {
	v := sourcesView{Sources: s.health(), Known: s.deps.Health != nil, NeverOK: true}
	for _, h := range v.Sources {
		if !h.LastOK.IsZero() {
			v.NeverOK = false
		}
		switch h.State {
		case outcry.HealthOK:
			v.OK++
		case outcry.HealthFailing:
			v.Failing++
		case outcry.HealthDisabled:
			v.Disabled++
		default:
			v.Starting++
		}
	}
	v.NoneOK = v.Failing > 0 && v.OK == 0
	return v
}

func (s *Server) pageSources(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	s.renderPage(w, r, http.StatusOK, "sources", pageData{Title: "Sources", Nav: "sources", Body: s.sourcesView()})
	return nil
}

func (s *Server) fragmentSources(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	return s.renderFragment(w, r, "sources", "sourcesBody", s.sourcesView())
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
