package outcry

import "time"

// Source health states.
const (
	HealthOK       = "ok"       // last attempt succeeded
	HealthFailing  = "failing"  // last attempt failed; retrying with backoff
	HealthStarting = "starting" // no attempt finished yet
	HealthDisabled = "disabled" // configured off (e.g. no token)
)

// SourceHealth is what the ingest runner knows about one configured source.
type SourceHealth struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	URL   string `json:"url,omitempty"`
	State string `json:"state"`
	// Message is a human sentence for the dashboard, e.g. why X refused the token.
	Message             string        `json:"message,omitempty"`
	LastOK              time.Time     `json:"last_ok,omitzero"`
	LastError           time.Time     `json:"last_error_at,omitzero"`
	Error               string        `json:"last_error,omitempty"`
	ConsecutiveFailures int           `json:"consecutive_failures"`
	NextAttempt         time.Time     `json:"next_attempt,omitzero"`
	Backoff             time.Duration `json:"-"`
	BackoffSeconds      float64       `json:"backoff_seconds"`
	// PostsSeen counts posts the source delivered; PostsStored those that were new and
	// named a catalog service.
	PostsSeen   int64  `json:"posts_seen"`
	PostsStored int64  `json:"posts_stored"`
	Cursor      string `json:"cursor,omitempty"`
}
