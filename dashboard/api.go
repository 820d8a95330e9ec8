package dashboard

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// apiServices: GET /api/v1/services -> [serviceStatus], in id order.
func (s *Server) apiServices(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	sts := s.statuses()
	if err := s.withOpen(ctx, sts); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sts)
	return nil
}

// serviceDetail is GET /api/v1/services/{id}: the status plus the service's incidents
// and official incidents of the last Config.Recent.
type serviceDetail struct {
	serviceStatus
	Aliases   []string                  `json:"aliases"`
	Incidents []outcry.Incident         `json:"incidents"`
	Official  []outcry.OfficialIncident `json:"official"`
}

func (s *Server) apiService(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	sv, err := s.lookupService(r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	now := s.now()
	d := serviceDetail{
		serviceStatus: statusOf(sv, s.deps.Readings.Current()[sv.ID]),
		Aliases:       nonNil(sv.Aliases),
	}
	one := []serviceStatus{d.serviceStatus}
	if err := s.withOpen(ctx, one); err != nil {
		return err
	}
	d.serviceStatus = one[0]
	if d.Incidents, err = s.incidents(ctx, IncidentFilter{Service: sv.ID, From: now.Add(-s.cfg.Recent), Limit: s.cfg.DefaultPageSize}, 0); err != nil {
		return err
	}
	if d.Official, err = s.official(ctx, sv.ID, now.Add(-s.cfg.Recent), now); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) lookupService(id string) (outcry.Service, error) {
	sv, ok := s.service(id)
	if !ok {
		return sv, &httpError{Status: http.StatusNotFound, Code: "not_found", Msg: "unknown service " + quoteID(id)}
	}
	return sv, nil
}

// quoteID shortens and quotes an id for messages.
func quoteID(id string) string {
	if len(id) > 64 {
		id = strings.ToValidUTF8(id[:64], "") + "…"
	}
	return "\"" + strings.ToValidUTF8(id, "?") + "\""
}

// apiSeries: GET /api/v1/services/{id}/series?from&to&step -> [seriesPoint].
func (s *Server) apiSeries(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), []string{"from", "to", "step"})
	if err != nil {
		return err
	}
	sv, err := s.lookupService(r.PathValue("id"))
	if err != nil {
		return err
	}
	from, to, err := p.window(s.now(), 24*time.Hour, s.cfg.MaxRange)
	if err != nil {
		return err
	}
	step, err := p.step(from, to, s.cfg.MaxPoints)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	pts, err := s.seriesFor(ctx, sv.ID, from, to, step)
	if err != nil {
		return err
	}
	body := appendSeriesJSON(make([]byte, 0, 128*len(pts)+2), pts)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	return nil
}

// apiIncidents: GET /api/v1/incidents?service&state&from&to&limit&offset -> [Incident],
// newest first.
func (s *Server) apiIncidents(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), []string{"service", "state", "from", "to", "limit", "offset"})
	if err != nil {
		return err
	}
	var f IncidentFilter
	if f.Service = p.str("service"); f.Service != "" && (!validSlug(f.Service) || !s.known(f.Service)) {
		return &paramError{Param: "service", Msg: "unknown service " + quoteID(f.Service) + " (see /api/v1/services)"}
	}
	switch st := p.str("state"); st {
	case "", string(outcry.StateOpen), string(outcry.StateResolved):
		f.State = outcry.IncidentState(st)
	default:
		return &paramError{Param: "state", Msg: "want open or resolved"}
	}
	if p.str("from") != "" || p.str("to") != "" {
		if f.From, f.To, err = p.window(s.now(), s.cfg.Recent, s.cfg.MaxRange); err != nil {
			return err
		}
	}
	if f.Limit, err = p.int("limit", s.cfg.DefaultPageSize, 1, s.cfg.MaxPageSize); err != nil {
		return err
	}
	offset, err := p.int("offset", 0, 0, s.cfg.MaxOffset)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	list, err := s.incidents(ctx, f, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// incidentDetail is GET /api/v1/incidents/{id}: the incident, sample complaint posts,
// the vendor's status page and the correlated event.
type incidentDetail struct {
	outcry.Incident
	ServiceName string         `json:"service_name"`
	StatusPage  string         `json:"status_page"`
	Samples     []outcry.Post  `json:"samples"`
	Event       *outcry.Event  `json:"event"`
	Summary     outcry.Summary `json:"-"`
}

// sampleCount is how many sample posts an incident shows.
const sampleCount = 12

func (s *Server) incidentDetail(r *http.Request, id string) (incidentDetail, error) {
	if !validID(id) {
		return incidentDetail{}, &httpError{Status: http.StatusNotFound, Code: "not_found", Msg: "unknown incident " + quoteID(id)}
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	inc, err := s.deps.Incidents.Incident(ctx, id)
	if isNotFound(err) {
		return incidentDetail{}, &httpError{Status: http.StatusNotFound, Code: "not_found", Msg: "unknown incident " + quoteID(id)}
	}
	if err != nil {
		return incidentDetail{}, err
	}
	d := incidentDetail{Incident: normIncident(inc), Samples: []outcry.Post{}, ServiceName: inc.Service}
	if sv, ok := s.service(inc.Service); ok {
		d.ServiceName = sv.Name
		d.StatusPage = sv.StatusPage
	}
	if s.deps.Summaries != nil {
		end := s.now()
		if inc.End != nil {
			end = *inc.End
		}
		sm, err := s.deps.Summaries.Summarize(ctx, inc.Service, inc.Start, end.Add(time.Minute), sampleCount)
		if err != nil {
			return d, err
		}
		d.Summary = normSummary(sm)
		d.Samples = d.Summary.Samples
	}
	if inc.EventID != "" && s.deps.Events != nil {
		ev, err := s.deps.Events.Event(ctx, inc.EventID)
		switch {
		case err == nil:
			ev = normEvent(ev)
			d.Event = &ev
		case isNotFound(err):
		default:
			return d, err
		}
	}
	return d, nil
}

func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	d, err := s.incidentDetail(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// apiEvents: GET /api/v1/events?from&to&limit&offset -> [Event], newest first.
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), []string{"from", "to", "limit", "offset"})
	if err != nil {
		return err
	}
	from, to, err := p.window(s.now(), s.cfg.Recent, s.cfg.MaxRange)
	if err != nil {
		return err
	}
	limit, err := p.int("limit", s.cfg.DefaultPageSize, 1, s.cfg.MaxPageSize)
	if err != nil {
		return err
	}
	offset, err := p.int("offset", 0, 0, s.cfg.MaxOffset)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	evs, err := s.events(ctx, from, to)
	if err != nil {
		return err
	}
	evs = evs[min(offset, len(evs)):]
	evs = evs[:min(limit, len(evs))]
	writeJSON(w, http.StatusOK, evs)
	return nil
}

// events lists correlated events starting in [from, to), newest first.
func (s *Server) events(ctx context.Context, from, to time.Time) ([]outcry.Event, error) {
	if s.deps.Events == nil {
		return []outcry.Event{}, nil
	}
	list, err := s.deps.Events.Events(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]outcry.Event, 0, len(list))
	for _, ev := range list {
		out = append(out, normEvent(ev))
	}
	slices.SortStableFunc(out, func(a, b outcry.Event) int {
		if c := b.Start.Compare(a.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	ev, err := s.event(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ev)
	return nil
}

func (s *Server) event(r *http.Request, id string) (outcry.Event, error) {
	if !validID(id) || s.deps.Events == nil {
		return outcry.Event{}, &httpError{Status: http.StatusNotFound, Code: "not_found", Msg: "unknown event " + quoteID(id)}
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	ev, err := s.deps.Events.Event(ctx, id)
	if err != nil {
		return ev, err
	}
	return normEvent(ev), nil
}

// searchResponse is GET /api/v1/search.
type searchResponse struct {
	Query   string                         `json:"q"`
	From    time.Time                      `json:"from"`
	To      time.Time                      `json:"to"`
	Total   uint64                         `json:"total"`
	Hits    []outcry.Hit                   `json:"hits"`
	Facets  map[string][]outcry.FacetCount `json:"facets"`
	Buckets []outcry.TimeCount             `json:"buckets"`
	Step    string                         `json:"step"`
	TookMS  float64                        `json:"took_ms"`
}

// searchParams are the parameters the search API and page share.
func searchParams() []string {
	return []string{"q", "service", "source", "lang", "from", "to", "limit", "offset", "complaints", "sort", "step"}
}

// searchRequest validates search parameters into a request.
func (s *Server) searchRequest(p params, defLimit int) (outcry.SearchRequest, error) {
	var req outcry.SearchRequest
	req.Query = p.str("q")
	if req.Query == "" {
		return req, &paramError{Param: "q", Msg: "required"}
	}
	if len(req.Query) > s.cfg.MaxQueryLen {
		return req, &paramError{Param: "q", Msg: "longer than " + itoa(s.cfg.MaxQueryLen) + " bytes"}
	}
	for _, name := range []string{"service", "source", "lang"} {
		vals := p.all(name)
		if len(vals) > 50 {
			return req, &paramError{Param: name, Msg: "too many values"}
		}
		for _, v := range vals {
			if len(v) > 128 {
				return req, &paramError{Param: name, Msg: "value too long"}
			}
		}
		switch name {
		case "service":
			for _, v := range vals {
				if !s.known(v) {
					return req, &paramError{Param: "service", Msg: "unknown service " + quoteID(v) + " (see /api/v1/services)"}
				}
			}
			req.Services = vals
		case "source":
			req.Sources = vals
		case "lang":
			req.Langs = vals
		}
	}
	var err error
	if req.From, req.To, err = p.window(s.now(), s.cfg.Recent, s.cfg.MaxRange); err != nil {
		return req, err
	}
	if req.Limit, err = p.int("limit", defLimit, 1, s.cfg.MaxPageSize); err != nil {
		return req, err
	}
	if req.Offset, err = p.int("offset", 0, 0, s.cfg.MaxOffset); err != nil {
		return req, err
	}
	if req.Offset+req.Limit > s.cfg.MaxOffset {
		return req, &paramError{Param: "offset", Msg: "offset+limit beyond " + itoa(s.cfg.MaxOffset)}
	}
	if req.ComplaintsOnly, err = p.bool("complaints", false); err != nil {
		return req, err
	}
	switch p.str("sort") {
	case "", "relevance":
	case "newest":
		req.Newest = true
	default:
		return req, &paramError{Param: "sort", Msg: "want relevance or newest"}
	}
	if req.Step, err = p.step(req.From, req.To, s.cfg.MaxPoints); err != nil {
		return req, err
	}
	req.From, req.To = alignWindow(req.From, req.To, req.Step)
	return req, nil
}

func (s *Server) search(r *http.Request, req outcry.SearchRequest) (searchResponse, error) {
	if s.deps.Search == nil {
		return searchResponse{}, &httpError{Status: http.StatusServiceUnavailable, Code: "unavailable", Msg: "search is not available"}
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	res, err := s.deps.Search.Search(ctx, req)
	if err != nil {
		return searchResponse{}, err
	}
	out := searchResponse{
		Query:   req.Query,
		From:    req.From,
		To:      req.To,
		Total:   res.Total,
		Hits:    nonNil(res.Hits),
		Facets:  map[string][]outcry.FacetCount{},
		Buckets: nonNil(res.Histogram),
		Step:    req.Step.String(),
		TookMS:  round3(float64(res.Took) / float64(time.Millisecond)),
	}
	for k, v := range res.Facets {
		out.Facets[k] = nonNil(v)
	}
	for i := range out.Hits {
		out.Hits[i].Score = round3(out.Hits[i].Score)
	}
	return out, nil
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	p, err := readParams(r.URL.Query(), searchParams(), "service", "source", "lang")
	if err != nil {
		return err
	}
	req, err := s.searchRequest(p, s.cfg.DefaultPageSize)
	if err != nil {
		return err
	}
	res, err := s.search(r, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// apiSources: GET /api/v1/sources -> [SourceHealth], by name.
func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) error {
	if _, err := readParams(r.URL.Query(), nil); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.health())
	return nil
}

func (s *Server) health() []outcry.SourceHealth {
	if s.deps.Health == nil {
		return []outcry.SourceHealth{}
	}
	list := s.deps.Health.Health()
	out := make([]outcry.SourceHealth, 0, len(list))
	for _, h := range list {
		out = append(out, normHealth(h))
	}
	slices.SortStableFunc(out, func(a, b outcry.SourceHealth) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// healthz is liveness: the process answers.
type healthz struct {
	Status  string    `json:"status"`
	Version string    `json:"version"`
	Time    time.Time `json:"time"`
	Demo    bool      `json:"demo"`
}

func (s *Server) apiHealthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, healthz{Status: "ok", Version: s.cfg.Version, Time: s.now(), Demo: s.cfg.Demo})
	return nil
}

// official lists a service's official incidents overlapping [from, to), newest first.
func (s *Server) official(ctx context.Context, service string, from, to time.Time) ([]outcry.OfficialIncident, error) {
	if s.deps.Official == nil {
		return []outcry.OfficialIncident{}, nil
	}
	list, err := s.deps.Official.Official(ctx, service, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]outcry.OfficialIncident, 0, len(list))
	for _, o := range list {
		if service != "" && o.Service != service {
			continue
		}
		out = append(out, normOfficial(o))
	}
	slices.SortStableFunc(out, func(a, b outcry.OfficialIncident) int {
		if c := b.Start.Compare(a.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func isNotFound(err error) bool { return errors.Is(err, outcry.ErrNotFound) }

func itoa(n int) string { return strconv.Itoa(n) }
