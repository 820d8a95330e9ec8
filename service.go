package outcry

// Service is one entry of the service catalog. ID is a stable lowercase slug
// ("chatgpt", "claude", "github") used by the API, the CLI and the config.
type Service struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	// Category groups services on the dashboard: "ai", "dev", "cloud", "social", "media", "gaming", ...
	Category string `json:"category,omitempty" yaml:"category,omitempty"`
	// Aliases are names that identify the service on their own ("chatgpt", "chat gpt", "openai").
	Aliases []string `json:"aliases" yaml:"aliases"`
	// Weak are ambiguous names ("x", "meta", "bard") that count only with context: next to a
	// complaint phrase, another alias of the same service, or a context keyword.
	Weak []string `json:"weak,omitempty" yaml:"weak,omitempty"`
	// Keywords are context words that make a weak alias count ("tweet", "elon", "whatsapp").
	Keywords []string `json:"keywords,omitempty" yaml:"keywords,omitempty"`
	// StatusURL is the official status feed (Atlassian Statuspage history.atom, incident.io
	// or Instatus feed); empty when the vendor has none.
	StatusURL string `json:"status_url,omitempty" yaml:"status_url,omitempty"`
	// StatusPage is the human-facing status page.
	StatusPage string `json:"status_page,omitempty" yaml:"status_page,omitempty"`
	Disabled   bool   `json:"disabled,omitempty" yaml:"disabled,omitempty"`
}
