package outcry

import "time"

// SearchRequest asks the post index for posts matching a query string (Bleve query
// syntax over the post text, e.g. `chatgpt down`, `+claude -monet`, `lang:fr panne`).
// Zero From/To mean unbounded; Limit 0 means a default page size.
type SearchRequest struct {
	Query    string    `json:"q"`
	Services []string  `json:"services,omitempty"`
	Sources  []string  `json:"sources,omitempty"`
	Langs    []string  `json:"langs,omitempty"`
	From     time.Time `json:"from,omitzero"`
	To       time.Time `json:"to,omitzero"`
	// ComplaintsOnly keeps complaint posts only.
	ComplaintsOnly bool `json:"complaints_only,omitempty"`
	Limit          int  `json:"limit"`
	Offset         int  `json:"offset"`
	// Step, when positive, asks for a histogram of matching posts per Step between From and To.
	Step time.Duration `json:"step,omitempty"`
	// Newest sorts by created_at descending instead of by relevance.
	Newest bool `json:"newest,omitempty"`
}

// SearchResult is one page of hits with the total, facets and an optional histogram.
type SearchResult struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets"`
	// Histogram has one entry per Step from From to To (zeros included) when asked for.
	Histogram []TimeCount   `json:"buckets"`
	Took      time.Duration `json:"-"`
}

// Hit is one matching post. Highlights are byte ranges of Post.Text that matched the
// query; renderers escape the text themselves and mark those ranges.
type Hit struct {
	Post       Post    `json:"post"`
	Score      float64 `json:"score"`
	Highlights []Span  `json:"highlights,omitempty"`
}

// Span is a half-open byte range [Start, End).
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// FacetCount is one term of a facet and how many hits carry it.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// TimeCount is a count for the interval starting at T.
type TimeCount struct {
	T     time.Time `json:"t"`
	Count int       `json:"count"`
}

// Summary describes the posts about one service in a time window, for incident details:
// how many complained or reported recovery, in which languages and sources, the most
// reported problems, which other services the complaints named, and a few samples.
type Summary struct {
	Complaints int            `json:"complaints"`
	Authors    int            `json:"authors"`
	Recoveries int            `json:"recoveries"`
	Languages  map[string]int `json:"languages"`
	Sources    map[string]int `json:"sources"`
	Problems   []ProblemCount `json:"problems"`
	CoServices map[string]int `json:"co_services"`
	Switching  map[string]int `json:"switching"`
	Samples    []Post         `json:"samples"`
}
