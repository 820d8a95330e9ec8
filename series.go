package outcry

import "time"

// Minute truncates t to its UTC minute, the resolution of every count Outcry keeps.
func Minute(t time.Time) time.Time { return t.UTC().Truncate(time.Minute) }

// Bucket holds one service's counts for one minute starting at T (UTC, truncated).
// Authors counts distinct complaining authors, so one loud account counts once.
type Bucket struct {
	Service    string    `json:"service"`
	T          time.Time `json:"t"`
	Mentions   int       `json:"mentions"`
	Complaints int       `json:"complaints"`
	Authors    int       `json:"authors"`
	Recoveries int       `json:"recoveries"`
}

// Status is a service's state as the detector sees it.
type Status string

// The three statuses, in increasing severity.
const (
	StatusOK       Status = "ok"
	StatusDegraded Status = "degraded"
	StatusOutage   Status = "outage"
)

// Severity orders statuses: ok 0, degraded 1, outage 2.
func (s Status) Severity() int {
	switch s {
	case StatusDegraded:
		return 1
	case StatusOutage:
		return 2
	}
	return 0
}

// Point is the detector's reading of one bucket: the observed complaint count, the
// expected count (baseline), a score in [0,1] (1 = certainly anomalous) and the status
// after hysteresis.
type Point struct {
	T        time.Time `json:"t"`
	Count    int       `json:"count"`
	Authors  int       `json:"authors"`
	Baseline float64   `json:"baseline"`
	Score    float64   `json:"score"`
	Status   Status    `json:"status"`
}
