package index

import (
	"context"
	"maps"
	"time"

	"github.com/outcry/outcry"
)

// Stats summarises what the index holds.
type Stats struct {
	Posts    uint64                  `json:"posts"`
	First    time.Time               `json:"first,omitzero"`
	Last     time.Time               `json:"last,omitzero"`
	Services map[string]ServiceStats `json:"services"`
}

// ServiceStats counts the stored posts that name a service (Mentions), complain
// about it (Complaints) and report it working again (Recoveries).
type ServiceStats struct {
	Mentions   int `json:"mentions"`
	Complaints int `json:"complaints"`
	Recoveries int `json:"recoveries"`
}

// statsDoc is the durable form of Stats, one small internal value rewritten with
// every batch.
type statsDoc struct {
	Posts    uint64                   `json:"posts"`
	First    time.Time                `json:"first,omitzero"`
	Last     time.Time                `json:"last,omitzero"`
	Services map[string]*ServiceStats `json:"services"`
}

func newStatsDoc() *statsDoc { return &statsDoc{Services: map[string]*ServiceStats{}} }

func (s *statsDoc) clone() *statsDoc {
	c := &statsDoc{Posts: s.Posts, First: s.First, Last: s.Last, Services: make(map[string]*ServiceStats, len(s.Services))}
	for k, v := range s.Services {
		vv := *v
		c.Services[k] = &vv
	}
	return c
}

func (s *statsDoc) add(p *outcry.Post) {
	s.Posts++
	if s.First.IsZero() || p.CreatedAt.Before(s.First) {
		s.First = p.CreatedAt
	}
	if p.CreatedAt.After(s.Last) {
		s.Last = p.CreatedAt
	}
	for _, svc := range postServices(p) {
		st := s.Services[svc]
		if st == nil {
			st = &ServiceStats{}
			s.Services[svc] = st
		}
		if p.Mentions(svc) {
			st.Mentions++
		}
		if p.ComplainsAbout(svc) {
			st.Complaints++
		}
		if p.RecoveryOf(svc) {
			st.Recoveries++
		}
	}
}

func (s *statsDoc) export() Stats {
	out := Stats{Posts: s.Posts, First: s.First, Last: s.Last, Services: make(map[string]ServiceStats, len(s.Services))}
	for k, v := range s.Services {
		out.Services[k] = *v
	}
	return out
}

// Stats returns the number of durable posts, the first and last post time and the
// per-service totals. It reads one small value kept with every batch: O(services).
func (ix *Index) Stats(ctx context.Context) (Stats, error) {
	if err := ix.checkOpen(); err != nil {
		return Stats{}, err
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	ix.durableMu.RLock()
	defer ix.durableMu.RUnlock()
	st := ix.stats.export()
	st.Services = maps.Clone(st.Services)
	return st, nil
}
