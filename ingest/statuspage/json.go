package statuspage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest/rss"
)

// flexTime is a JSON time that may be null, "" or RFC 3339.
type flexTime struct{ time.Time }

func (t *flexTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	t.Time = v.UTC()
	return nil
}

// jsonIncident is the union of a Statuspage API incident (incident_updates) and an
// incident.io proxy incident (updates).
type jsonIncident struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Status       string   `json:"status"`
	Impact       string   `json:"impact"`
	Shortlink    string   `json:"shortlink"`
	Permalink    string   `json:"permalink"`
	CreatedAt    flexTime `json:"created_at"`
	StartedAt    flexTime `json:"started_at"`
	ResolvedAt   flexTime `json:"resolved_at"`
	PublishedAt  flexTime `json:"published_at"`
	ScheduledFor flexTime `json:"scheduled_for"`

	IncidentUpdates []struct {
		Status    string   `json:"status"`
		Body      string   `json:"body"`
		CreatedAt flexTime `json:"created_at"`
		DisplayAt flexTime `json:"display_at"`
	} `json:"incident_updates"`

	Updates []struct {
		ToStatus         string   `json:"to_status"`
		MessageString    string   `json:"message_string"`
		PublishedAt      flexTime `json:"published_at"`
		ComponentImpacts []struct {
			Status string `json:"status"`
		} `json:"component_impacts"`
	} `json:"updates"`
	AffectedComponents []struct {
		Status string `json:"status"`
	} `json:"affected_components"`
}

// instatusIncident is an entry of Instatus' summary.json activeIncidents.
type instatusIncident struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Status  string   `json:"status"`
	Impact  string   `json:"impact"`
	URL     string   `json:"url"`
	Started flexTime `json:"started"`
}

type jsonDoc struct {
	Page *struct {
		URL string `json:"url"`
	} `json:"page"`
	Incidents             []jsonIncident `json:"incidents"`
	ScheduledMaintenances []jsonIncident `json:"scheduled_maintenances"`
	Incident              *jsonIncident  `json:"incident"`
	Summary               *struct {
		PublicURL             string         `json:"public_url"`
		OngoingIncidents      []jsonIncident `json:"ongoing_incidents"`
		ScheduledMaintenances []jsonIncident `json:"scheduled_maintenances"`
	} `json:"summary"`
	ActiveIncidents    []instatusIncident `json:"activeIncidents"`
	ActiveMaintenances []instatusIncident `json:"activeMaintenances"`
}

func parseJSON(pageURL string, body []byte) ([]incident, error) {
	body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	var doc jsonDoc
	if body[0] == '[' {
		if err := json.Unmarshal(body, &doc.Incidents); err != nil {
			return nil, fmt.Errorf("parse json: %w", err)
		}
	} else if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("parse json: %w", err)
	}
	base := pageBase(pageURL)
	if doc.Page != nil && doc.Page.URL != "" {
		base = strings.TrimRight(doc.Page.URL, "/")
	}
	var out []incident
	add := func(list []jsonIncident, maintenance bool) {
		for _, j := range list {
			out = append(out, fromJSON(base, j, maintenance))
		}
	}
	add(doc.Incidents, false)
	add(doc.ScheduledMaintenances, true)
	if doc.Incident != nil {
		add([]jsonIncident{*doc.Incident}, false)
	}
	if doc.Summary != nil {
		if doc.Summary.PublicURL != "" {
			base = strings.TrimRight(doc.Summary.PublicURL, "/")
		}
		add(doc.Summary.OngoingIncidents, false)
		add(doc.Summary.ScheduledMaintenances, true)
	}
	for _, list := range [][]instatusIncident{doc.ActiveIncidents, doc.ActiveMaintenances} {
		for _, j := range list {
			out = append(out, fromInstatus(j))
		}
	}
	if out == nil && doc.Incidents == nil && doc.ScheduledMaintenances == nil && doc.Incident == nil &&
		doc.Summary == nil && doc.ActiveIncidents == nil && doc.ActiveMaintenances == nil {
		return nil, errors.New("parse json: no incidents, scheduled_maintenances, incident, summary or activeIncidents")
	}
	return out, nil
}

// pageBase is scheme://host of the polled URL, for building incident links.
func pageBase(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func fromJSON(base string, j jsonIncident, maintenance bool) incident {
	in := incident{known: j.Status != ""}
	in.ID = j.ID
	in.Title = rss.HTMLText(j.Name)
	in.Impact = strings.ToLower(strings.TrimSpace(j.Impact))
	switch {
	case j.Permalink != "":
		in.URL = j.Permalink
	case base != "" && j.ID != "":
		in.URL = base + "/incidents/" + j.ID
	default:
		in.URL = j.Shortlink
	}
	for _, u := range j.IncidentUpdates {
		at := u.DisplayAt.Time
		if at.IsZero() {
			at = u.CreatedAt.Time
		}
		in.Updates = append(in.Updates, outcry.OfficialUpdate{At: at, Status: normStatus(u.Status), Body: rss.HTMLText(u.Body)})
	}
	var states []string
	for _, u := range j.Updates {
		in.Updates = append(in.Updates, outcry.OfficialUpdate{At: u.PublishedAt.Time, Status: ioStatus(u.ToStatus), Body: rss.HTMLText(u.MessageString)})
		for _, c := range u.ComponentImpacts {
			states = append(states, "("+c.Status+")")
		}
	}
	for _, c := range j.AffectedComponents {
		states = append(states, "("+c.Status+")")
	}
	if in.Impact == "" {
		in.Impact = worstImpact(states)
	}
	if maintenance {
		in.Impact = "maintenance"
	}
	if maintenance {
		for _, t := range []time.Time{j.ScheduledFor.Time, j.StartedAt.Time} {
			if !t.IsZero() {
				in.Start = t
				break
			}
		}
	}
	if len(in.Updates) == 0 && in.Start.IsZero() {
		for _, t := range []time.Time{j.StartedAt.Time, j.PublishedAt.Time, j.ScheduledFor.Time, j.CreatedAt.Time} {
			if !t.IsZero() {
				in.Start = t
				break
			}
		}
	}
	status := ioStatus(j.Status)
	in.Resolved = status == "resolved" || status == "completed" || status == "postmortem"
	if in.Resolved && !j.ResolvedAt.IsZero() {
		r := j.ResolvedAt.Time
		in.End = &r
	}
	return in
}

// ioStatus maps incident.io's status names to the Statuspage ones.
func ioStatus(s string) string {
	s = normStatus(s)
	switch s {
	case "maintenance_scheduled":
		return "scheduled"
	case "maintenance_in_progress":
		return "in_progress"
	case "maintenance_complete", "maintenance_completed":
		return "completed"
	}
	return s
}

func fromInstatus(j instatusIncident) incident {
	status := normStatus(j.Status)
	in := incident{known: status != ""}
	in.ID = j.ID
	in.Title = rss.HTMLText(j.Name)
	in.URL = j.URL
	in.Impact = impactOf(j.Impact)
	in.Start = j.Started.Time
	in.Updates = []outcry.OfficialUpdate{{At: j.Started.Time, Status: status}}
	in.Resolved = status == "resolved" || status == "completed"
	return in
}
