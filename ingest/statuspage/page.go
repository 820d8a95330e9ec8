// Package statuspage reads vendors' official status pages and turns them into
// outcry.OfficialIncident values, so that detection can compare the crowd with what the
// vendor acknowledged and when (lead time). It does not produce posts.
//
// Supported formats, detected from the content rather than the URL:
//
//   - Atlassian Statuspage history.atom and history.rss: one entry per incident whose HTML
//     content holds the update timeline, newest first, each update a paragraph
//     "<small>Jun <var data-var='date'>4</var>, <var data-var='time'>14:53</var> UTC</small>
//     <br><strong>Resolved</strong> - body". The year is not in the timeline; it is taken
//     from the entry's dates (correct across New Year).
//   - Statuspage JSON: /api/v2/incidents.json, /api/v2/summary.json,
//     /api/v2/scheduled-maintenances.json (incidents with incident_updates, impact,
//     created_at, started_at, resolved_at, shortlink). incident.io pages serve this
//     compatibility API too (with empty update bodies).
//   - incident.io feed.rss / feed.atom / history.atom: one item per incident carrying only
//     its current status ("<b>Status: Resolved</b>"), latest message and affected
//     components. Its start is the item's published time when given, else the time encoded
//     in the incident's ULID (incident.io ids are ULIDs minted when the incident is
//     published), else the item date; the end is the item date once resolved.
//   - incident.io's JSON proxy (/proxy/<host>: {"summary": {"ongoing_incidents": ...}},
//     or {"incident": ...} / {"incidents": [...]}) with updates[].published_at,
//     to_status and message_string.
//   - Instatus history.atom / history.rss (the paths Instatus pages link as their feeds):
//     one entry per incident whose content holds one paragraph per update, oldest first,
//     with the status in <strong>; dates inside paragraphs are parsed in several common
//     shapes and fall back to the entry's dates. Instatus summary.json (activeIncidents)
//     is read as well.
//   - Generic status feeds with one item per update and the status as a title prefix
//     ("[Resolved] Database issues"): items of the same incident link are merged.
//
// The package depends on the root package, ingest and ingest/rss (feed parsing and HTML
// to text); it never imports detect, index or dashboard.
package statuspage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// Config describes one status page.
type Config struct {
	// Name is the source name; incident IDs are "<Name>:<vendor incident id>".
	Name string
	// Service is the catalog service the page's incidents belong to (e.g. "chatgpt").
	Service string
	// URL is the feed or JSON document to poll (history.atom, incidents.json, ...).
	URL string
	// Client fetches the page; nil means a zero ingest.Client.
	Client *ingest.Client
}

// Page is an ingest.OfficialSource for one vendor status page.
type Page struct {
	cfg Config
}

var _ ingest.OfficialSource = (*Page)(nil)

// New returns a Page for cfg.
func New(cfg Config) *Page {
	if cfg.Client == nil {
		cfg.Client = &ingest.Client{}
	}
	return &Page{cfg: cfg}
}

// cursor is the Page's opaque cursor: conditional-GET validators plus a hash of the last
// body, so that servers without validators (incident.io sends none) cost no re-record.
type cursor struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	Hash         string `json:"hash,omitempty"`
}

func decodeCursor(s string) cursor {
	var c cursor
	if s != "" && json.Unmarshal([]byte(s), &c) != nil {
		return cursor{}
	}
	return c
}

func (c cursor) encode() string {
	if c == (cursor{}) {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

var accept = http.Header{"Accept": {"application/atom+xml, application/rss+xml, application/json;q=0.9, application/xml;q=0.8, */*;q=0.5"}}

// FetchOfficial downloads the page and returns every incident it lists, each complete
// (the sink replaces earlier versions by ID). A 304, or a body identical to the last,
// returns nothing and the same cursor. Errors: *ingest.StatusError for HTTP failures,
// ingest.ErrTooLarge past the body cap, a parse error for malformed documents.
func (p *Page) FetchOfficial(ctx context.Context, cur string) ([]outcry.OfficialIncident, string, error) {
	c := decodeCursor(cur)
	resp, err := p.cfg.Client.Get(ctx, p.cfg.URL, accept, ingest.Validators{ETag: c.ETag, LastModified: c.LastModified})
	if errors.Is(err, ingest.ErrNotModified) {
		return nil, cur, nil
	}
	if err != nil {
		return nil, cur, fmt.Errorf("statuspage: %s: %w", p.cfg.Name, err)
	}
	sum := sha256.Sum256(resp.Body)
	next := cursor{ETag: resp.Validators.ETag, LastModified: resp.Validators.LastModified, Hash: hex.EncodeToString(sum[:12])}
	if next.Hash == c.Hash {
		return nil, next.encode(), nil
	}
	incidents, err := Parse(p.cfg.Name, p.cfg.Service, p.cfg.URL, resp.Body)
	if err != nil {
		return nil, cur, fmt.Errorf("statuspage: %s: %w", p.cfg.Name, err)
	}
	return incidents, next.encode(), nil
}

// Parse detects the format of body (see the package comment) and returns its incidents
// sorted by start, then ID. name prefixes incident IDs and fills Source; service fills
// Service; pageURL builds incident links when the document has none.
func Parse(name, service, pageURL string, body []byte) ([]outcry.OfficialIncident, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\ufeff")), " \t\r\n")
	if len(trimmed) == 0 {
		return nil, errors.New("parse: empty document")
	}
	var incidents []incident
	var err error
	if trimmed[0] == '{' || trimmed[0] == '[' {
		incidents, err = parseJSON(pageURL, trimmed)
	} else {
		incidents, err = parseFeed(pageURL, trimmed)
	}
	if err != nil {
		return nil, err
	}
	out := make([]outcry.OfficialIncident, 0, len(incidents))
	for _, in := range incidents {
		if in.ID == "" {
			continue
		}
		in.ID = name + ":" + in.ID
		in.Source = name
		in.Service = service
		finish(&in)
		out = append(out, in.OfficialIncident)
	}
	slices.SortStableFunc(out, func(a, b outcry.OfficialIncident) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Statuses that end an incident, and those that (re)open one.
var (
	doneStatuses = map[string]bool{"resolved": true, "completed": true}
	openStatuses = map[string]bool{
		"investigating": true, "identified": true, "monitoring": true, "in_progress": true,
		"scheduled": true, "verifying": true,
	}
)

// incident is an official incident as a parser read it. Known marks documents that state
// whether the incident is resolved (the JSON APIs); feeds leave it to the updates.
type incident struct {
	outcry.OfficialIncident
	known bool
}

// finish sorts the updates and derives what the document left implicit: Start is the
// earliest update (or the start the document gave, when earlier; for maintenance the
// scheduled start, else the first "in progress" update); Resolved and End come from the
// document when it says, else from the last resolving update not followed by one that
// reopens the incident.
func finish(in *incident) {
	slices.SortStableFunc(in.Updates, func(a, b outcry.OfficialUpdate) int { return a.At.Compare(b.At) })
	in.Updates = slices.CompactFunc(in.Updates, func(a, b outcry.OfficialUpdate) bool { return a == b })
	if in.Updates == nil {
		in.Updates = []outcry.OfficialUpdate{}
	}
	for i := range in.Updates {
		in.Updates[i].At = in.Updates[i].At.UTC()
	}
	if in.Impact == "" && isMaintenance(in.Updates) {
		in.Impact = "maintenance"
	}
	switch {
	case in.Impact == "maintenance":
		// A maintenance starts when it is scheduled for (or goes in progress), not when
		// it was announced days before.
		if in.Start.IsZero() {
			for _, u := range in.Updates {
				if u.Status == "in_progress" {
					in.Start = u.At
					break
				}
			}
		}
		if in.Start.IsZero() && len(in.Updates) > 0 {
			in.Start = in.Updates[0].At
		}
	case len(in.Updates) > 0 && !in.Updates[0].At.IsZero() && (in.Start.IsZero() || in.Updates[0].At.Before(in.Start)):
		in.Start = in.Updates[0].At
	}
	in.Start = in.Start.UTC()

	resolved, end := false, time.Time{}
	for _, u := range in.Updates {
		switch {
		case doneStatuses[u.Status]:
			resolved, end = true, u.At
		case openStatuses[u.Status]:
			resolved, end = false, time.Time{}
		}
	}
	if in.known {
		resolved = in.Resolved
		if in.End != nil {
			end = *in.End
		} else if resolved && end.IsZero() && len(in.Updates) > 0 {
			end = in.Updates[len(in.Updates)-1].At
		}
	}
	in.Resolved = resolved
	in.End = nil
	if resolved {
		if end.IsZero() || end.Before(in.Start) {
			end = in.Start
		}
		e := end.UTC()
		in.End = &e
	}
}

func isMaintenance(us []outcry.OfficialUpdate) bool {
	for _, u := range us {
		switch u.Status {
		case "scheduled", "in_progress", "verifying", "completed":
			return true
		}
	}
	return false
}

// normStatus lowercases a status and joins its words with underscores, the Statuspage
// API spelling ("In progress" -> "in_progress").
func normStatus(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.Trim(strings.TrimSpace(s), ":-–—[]"))), "_")
}
