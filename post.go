package outcry

import (
	"time"
)

// Post is one public message or feed item, normalised. ID is source-qualified
// ("bsky:at://...", "rss:<guid>") and is what deduplication keys on: storing a post
// whose ID is already stored changes nothing.
//
// Services, Affected, Complaint and Recovery are filled by the matcher. Services lists
// every catalog service the post names; Affected lists those the complaint or recovery
// is about (a subset of Services: "ChatGPT down, trying Claude" names both but
// complains about chatgpt only).
type Post struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	Author    string    `json:"author,omitempty"`
	Text      string    `json:"text"`
	Lang      string    `json:"lang,omitempty"`
	URL       string    `json:"url,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	FetchedAt time.Time `json:"fetched_at,omitzero"`

	Services  []string `json:"services,omitempty"`
	Affected  []string `json:"affected,omitempty"`
	Complaint bool     `json:"complaint"`
	Recovery  bool     `json:"recovery"`
	// Problems are the complaint categories the matcher recognised ("login", "errors",
	// "capacity", "slow", "app", "api", ...), for "most reported problems".
	Problems []string `json:"problems,omitempty"`
	// Switching is set when the author says they are moving to another service
	// ("ChatGPT down, trying Claude"), evidence for traffic spillover.
	Switching bool `json:"switching,omitempty"`
	// Simulated marks posts made by the scenario simulator.
	Simulated bool `json:"simulated,omitempty"`
}

// ComplainsAbout reports whether the post is a complaint about service id.
func (p *Post) ComplainsAbout(id string) bool {
	return p.Complaint && contains(p.Affected, id)
}

// RecoveryOf reports whether the post says service id works again.
func (p *Post) RecoveryOf(id string) bool {
	return p.Recovery && contains(p.Affected, id)
}

// Mentions reports whether the post names service id.
func (p *Post) Mentions(id string) bool { return contains(p.Services, id) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
