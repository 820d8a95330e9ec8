package outcry

import "time"

// IncidentState is the lifecycle state of an incident.
type IncidentState string

// Incident states.
const (
	StateOpen     IncidentState = "open"
	StateResolved IncidentState = "resolved"
)

// Incident is a detected outage of one service, opened from a spike of complaints and
// resolved after a quiet period or on recovery posts. End is nil while it is open.
type Incident struct {
	ID      string        `json:"id"`
	Service string        `json:"service"`
	State   IncidentState `json:"state"`
	// Status is the worst status reached: degraded or outage.
	Status Status     `json:"status"`
	Start  time.Time  `json:"start"`
	End    *time.Time `json:"end"`
	// Peak is the highest complaints-per-minute count, at PeakAt.
	Peak       int       `json:"peak"`
	PeakAt     time.Time `json:"peak_at"`
	Score      float64   `json:"score"`
	Complaints int       `json:"complaints"`
	Authors    int       `json:"authors"`
	Recoveries int       `json:"recoveries"`
	// Languages and Sources count complaint posts by lang and by source.
	Languages map[string]int `json:"languages"`
	Sources   map[string]int `json:"sources"`
	// Problems are the most reported problems, most frequent first.
	Problems []ProblemCount `json:"problems"`
	// EventID names the correlated event this incident belongs to, if any.
	EventID string `json:"event_id,omitempty"`
	// Official links the vendor's status incidents that overlap this one; LeadSeconds is
	// official start minus detected start of the earliest linked one (positive: the crowd
	// was earlier). Nil when nothing is linked.
	Official    []OfficialRef `json:"official"`
	LeadSeconds *float64      `json:"lead_seconds"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// ProblemCount is one "most reported problem" and how many complaints named it.
type ProblemCount struct {
	Problem string `json:"problem"`
	Count   int    `json:"count"`
}

// OfficialRef points at an official incident linked to a detected one.
type OfficialRef struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	URL   string    `json:"url,omitempty"`
	Start time.Time `json:"start"`
}

// OfficialIncident is an incident as a vendor's status page reports it.
type OfficialIncident struct {
	// ID is source-qualified, e.g. "openai-status:01HZ...".
	ID       string           `json:"id"`
	Service  string           `json:"service"`
	Source   string           `json:"source"`
	Title    string           `json:"title"`
	URL      string           `json:"url,omitempty"`
	Impact   string           `json:"impact,omitempty"` // none|minor|major|critical|maintenance
	Start    time.Time        `json:"start"`
	End      *time.Time       `json:"end"`
	Updates  []OfficialUpdate `json:"updates"`
	Resolved bool             `json:"resolved"`
}

// OfficialUpdate is one status update posted on an official incident.
type OfficialUpdate struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"` // investigating|identified|monitoring|resolved|...
	Body   string    `json:"body"`
}

// Hypotheses a correlated event can state.
const (
	HypothesisSharedDependency = "shared-dependency"
	HypothesisSpillover        = "spillover"
	HypothesisUnknown          = "unknown"
)

// Event groups incidents of several services whose onsets fall close together.
type Event struct {
	ID        string    `json:"id"`
	Start     time.Time `json:"start"`
	Incidents []string  `json:"incidents"`
	// Onsets lists services in onset order with their lag after the first.
	Onsets []Onset `json:"onsets"`
	// CoMentions counts posts during the event naming both services of a pair,
	// keyed "a+b" with a < b; Switching counts those that mention moving from one to the other.
	CoMentions map[string]int `json:"co_mentions"`
	Switching  map[string]int `json:"switching"`
	// Hypothesis is shared-dependency, spillover or unknown; Evidence says why.
	Hypothesis string   `json:"hypothesis"`
	Evidence   []string `json:"evidence"`
}

// Onset is one service's incident start within an event.
type Onset struct {
	Service    string    `json:"service"`
	Incident   string    `json:"incident"`
	At         time.Time `json:"at"`
	LagSeconds float64   `json:"lag_seconds"`
}
