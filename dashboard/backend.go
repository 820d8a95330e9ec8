package dashboard

import (
	"context"
	"time"

	"github.com/outcry/outcry"
)

// Catalog lists the services the dashboard shows. Disabled entries are skipped.
// Implementations must be safe for concurrent use, as must every interface below.
type Catalog interface {
	Services() []outcry.Service
}

// Readings is the detector's view: the latest reading per service id and the minute
// points behind it.
type Readings interface {
	// Current returns the latest point per service id; a service without one has no
	// reading yet and shows as ok with zero rate.
	Current() map[string]outcry.Point
	// Series returns the minute points of service in [from, to), oldest first. Missing
	// minutes count as zero complaints.
	Series(ctx context.Context, service string, from, to time.Time) ([]outcry.Point, error)
}

// IncidentFilter selects incidents. Zero fields do not filter; From/To keep incidents
// that overlap [From, To). Limit 0 means no limit. Its fields match index.IncidentFilter,
// so a conversion is all the wiring needs.
type IncidentFilter struct {
	Service string
	State   outcry.IncidentState
	From    time.Time
	To      time.Time
	Limit   int
}

// IncidentStore reads detected incidents. Incident returns an error wrapping
// outcry.ErrNotFound for an unknown id.
type IncidentStore interface {
	Incidents(ctx context.Context, f IncidentFilter) ([]outcry.Incident, error)
	Incident(ctx context.Context, id string) (outcry.Incident, error)
}

// EventStore reads correlated events. Events returns those starting in [from, to); Event
// returns an error wrapping outcry.ErrNotFound for an unknown id.
type EventStore interface {
	Events(ctx context.Context, from, to time.Time) ([]outcry.Event, error)
	Event(ctx context.Context, id string) (outcry.Event, error)
}

// OfficialLister reads vendors' status-page incidents of service ("" = all services)
// that overlap [from, to).
type OfficialLister interface {
	Official(ctx context.Context, service string, from, to time.Time) ([]outcry.OfficialIncident, error)
}

// Searcher runs full-text searches over stored posts. A malformed query returns an error
// wrapping outcry.ErrInvalid.
type Searcher interface {
	Search(ctx context.Context, r outcry.SearchRequest) (outcry.SearchResult, error)
}

// Summarizer describes the complaint posts about service in [from, to) with up to samples
// sample posts, newest first.
type Summarizer interface {
	Summarize(ctx context.Context, service string, from, to time.Time, samples int) (outcry.Summary, error)
}

// HealthReporter reports the health of every configured source.
type HealthReporter interface {
	Health() []outcry.SourceHealth
}

// ServiceTotal is the cumulative number of stored posts about one service.
type ServiceTotal struct {
	Mentions   int64
	Complaints int64
	Recoveries int64
}

// Totals reports cumulative per-service post counts for the outcry_*_total counters.
// The values must never decrease while the process runs.
type Totals interface {
	ServiceTotals(ctx context.Context) (map[string]ServiceTotal, error)
}

// Ingested reports how many posts were durably indexed since the process started.
type Ingested interface {
	Indexed() uint64
}

// AlertStats reports the webhook deliveries since the process started: delivered,
// failed (given up or not retryable), dropped (queue full, stopped without an outbox)
// and pending (queued or retrying now).
type AlertStats interface {
	AlertCounts() (delivered, failed, dropped, pending int64)
}

// Deps are the dashboard's data sources. Catalog, Readings and Incidents are required;
// the others may be nil, in which case the pages say the data is not available and the
// matching API endpoints answer 503 (search) or empty lists.
type Deps struct {
	Catalog   Catalog
	Readings  Readings
	Incidents IncidentStore
	Events    EventStore
	Official  OfficialLister
	Search    Searcher
	Summaries Summarizer
	Health    HealthReporter
	Totals    Totals
	Ingested  Ingested
	Alerts    AlertStats
}

// memoryMonitor is a detector that keeps its recent minutes in memory: no context, no
// error (detect.Monitor has this shape).
type memoryMonitor interface {
	Current() map[string]outcry.Point
	Series(service string, from, to time.Time) []outcry.Point
}

// MonitorReadings adapts an in-memory detector monitor to Readings.
func MonitorReadings(m memoryMonitor) Readings { return monitorReadings{m} }

type monitorReadings struct{ m memoryMonitor }

func (r monitorReadings) Current() map[string]outcry.Point { return r.m.Current() }

func (r monitorReadings) Series(ctx context.Context, service string, from, to time.Time) ([]outcry.Point, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.m.Series(service, from, to), nil
}
