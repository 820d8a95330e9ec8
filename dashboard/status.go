package dashboard

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

// serviceStatus is one service as /api/v1/services reports it.
type serviceStatus struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Category string        `json:"category"`
	Status   outcry.Status `json:"status"`
	// Rate is the complaints counted in the latest detector minute.
	Rate    int `json:"rate"`
	Authors int `json:"authors"`
	// Baseline is the expected complaints per minute at that time.
	Baseline   float64    `json:"baseline"`
	Score      float64    `json:"score"`
	UpdatedAt  *time.Time `json:"updated_at"`
	StatusPage string     `json:"status_page"`
	// Incident is the id of the service's open incident (the newest), nil when none is;
	// filled by withOpen for the API.
	Incident *string `json:"incident"`
}

// withOpen fills each status's Incident with the service's newest open incident.
func (s *Server) withOpen(ctx context.Context, sts []serviceStatus) error {
	open, err := s.incidents(ctx, IncidentFilter{State: outcry.StateOpen, Limit: 1000}, 0)
	if err != nil {
		return err
	}
	ids := make(map[string]string, len(open))
	for _, inc := range open { // newest start first: keep the first per service
		if _, ok := ids[inc.Service]; !ok {
			ids[inc.Service] = inc.ID
		}
	}
	for i := range sts {
		if id, ok := ids[sts[i].ID]; ok {
			sts[i].Incident = &id
		}
	}
	return nil
}

// services returns the enabled catalog entries sorted by id.
func (s *Server) services() []outcry.Service {
	all := s.deps.Catalog.Services()
	out := make([]outcry.Service, 0, len(all))
	for _, sv := range all {
		if !sv.Disabled && sv.ID != "" {
			out = append(out, sv)
		}
	}
	slices.SortFunc(out, func(a, b outcry.Service) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// service finds an enabled catalog entry.
// known reports whether id is a catalog service, disabled ones included (their past
// incidents and posts can still be asked for).
func (s *Server) known(id string) bool {
	for _, sv := range s.deps.Catalog.Services() {
		if sv.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) service(id string) (outcry.Service, bool) {
	for _, sv := range s.deps.Catalog.Services() {
		if sv.ID == id && !sv.Disabled {
			return sv, true
		}
	}
	return outcry.Service{}, false
}

// statuses joins the catalog with the detector's latest readings, in id order.
func (s *Server) statuses() []serviceStatus {
	svcs := s.services()
	cur := s.deps.Readings.Current()
	out := make([]serviceStatus, 0, len(svcs))
	for _, sv := range svcs {
		out = append(out, statusOf(sv, cur[sv.ID]))
	}
	return out
}

func statusOf(sv outcry.Service, p outcry.Point) serviceStatus {
	st := serviceStatus{
		ID:         sv.ID,
		Name:       cmp.Or(sv.Name, sv.ID),
		Category:   sv.Category,
		Status:     validStatus(p.Status),
		Rate:       max(p.Count, 0),
		Authors:    max(p.Authors, 0),
		Baseline:   round3(p.Baseline),
		Score:      round3(clamp01(p.Score)),
		StatusPage: sv.StatusPage,
	}
	if !p.T.IsZero() {
		t := p.T.UTC()
		st.UpdatedAt = &t
	}
	return st
}

// bySeverity orders statuses for people: worst first, then highest score, then name.
func bySeverity(a, b serviceStatus) int {
	if c := cmp.Compare(b.Status.Severity(), a.Status.Severity()); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
}

func validStatus(st outcry.Status) outcry.Status {
	switch st {
	case outcry.StatusDegraded, outcry.StatusOutage:
		return st
	}
	return outcry.StatusOK
}

// finite turns NaN and ±Inf into 0: JSON cannot carry them and a chart cannot draw them.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func round3(f float64) float64 { return math.Round(finite(f)*1000) / 1000 }

func clamp01(f float64) float64 { return min(max(finite(f), 0), 1) }

// incidents reads incidents through the store and re-applies the filter, so results do
// not depend on how exactly a backend interprets it: newest start first.
func (s *Server) incidents(ctx context.Context, f IncidentFilter, offset int) ([]outcry.Incident, error) {
	bf := f
	if f.Limit > 0 {
		bf.Limit = f.Limit + offset
	}
	list, err := s.deps.Incidents.Incidents(ctx, bf)
	if err != nil {
		return nil, err
	}
	out := make([]outcry.Incident, 0, len(list))
	for _, inc := range list {
		if f.Service != "" && inc.Service != f.Service {
			continue
		}
		if f.State != "" && inc.State != f.State {
			continue
		}
		if !f.From.IsZero() && inc.End != nil && inc.End.Before(f.From) {
			continue
		}
		if !f.To.IsZero() && !inc.Start.Before(f.To) {
			continue
		}
		out = append(out, normIncident(inc))
	}
	slices.SortStableFunc(out, func(a, b outcry.Incident) int {
		if c := b.Start.Compare(a.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if offset >= len(out) {
		return []outcry.Incident{}, nil
	}
	out = out[offset:]
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// normIncident makes lists and maps encode as [] and {} and floats finite.
func normIncident(inc outcry.Incident) outcry.Incident {
	inc.Status = validStatus(inc.Status)
	inc.Languages = nonNilMap(inc.Languages)
	inc.Sources = nonNilMap(inc.Sources)
	inc.Problems = nonNil(inc.Problems)
	inc.Official = nonNil(inc.Official)
	inc.Score = round3(clamp01(inc.Score))
	if inc.LeadSeconds != nil {
		v := finite(*inc.LeadSeconds)
		inc.LeadSeconds = &v
	}
	return inc
}

func normEvent(ev outcry.Event) outcry.Event {
	ev.Incidents = nonNil(ev.Incidents)
	ev.Onsets = nonNil(ev.Onsets)
	for i := range ev.Onsets {
		ev.Onsets[i].LagSeconds = finite(ev.Onsets[i].LagSeconds)
	}
	ev.CoMentions = nonNilMap(ev.CoMentions)
	ev.Switching = nonNilMap(ev.Switching)
	ev.Evidence = nonNil(ev.Evidence)
	if ev.Hypothesis == "" {
		ev.Hypothesis = outcry.HypothesisUnknown
	}
	return ev
}

func normOfficial(o outcry.OfficialIncident) outcry.OfficialIncident {
	o.Updates = nonNil(o.Updates)
	return o
}

func normSummary(sm outcry.Summary) outcry.Summary {
	sm.Languages = nonNilMap(sm.Languages)
	sm.Sources = nonNilMap(sm.Sources)
	sm.Problems = nonNil(sm.Problems)
	sm.CoServices = nonNilMap(sm.CoServices)
	sm.Switching = nonNilMap(sm.Switching)
	sm.Samples = nonNil(sm.Samples)
	return sm
}

func normHealth(h outcry.SourceHealth) outcry.SourceHealth {
	h.BackoffSeconds = finite(h.BackoffSeconds)
	if h.BackoffSeconds == 0 && h.Backoff > 0 {
		h.BackoffSeconds = h.Backoff.Seconds()
	}
	if h.State == "" {
		h.State = outcry.HealthStarting
	}
	return h
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}

// validID accepts ids a store could have made: short, printable, no path tricks.
func validID(id string) bool {
	if id == "" || len(id) > 256 || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return false
		}
	}
	return id != "." && id != ".."
}

// validSlug accepts catalog-style ids used as filters.
func validSlug(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
