package webhook

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// Payload is the generic JSON body.
type Payload struct {
	// Event is "incident.opened", "incident.updated" or "incident.resolved".
	Event      string          `json:"event"`
	Kind       string          `json:"kind"`
	DeliveryID string          `json:"delivery_id"`
	SentAt     time.Time       `json:"sent_at"`
	Service    string          `json:"service"`
	Name       string          `json:"service_name"`
	Text       string          `json:"text"`
	URL        string          `json:"url,omitempty"`
	Incident   outcry.Incident `json:"incident"`
	// Correlated is the correlated event the incident belongs to, or null.
	Correlated *outcry.Event `json:"correlated_event"`
}

// slackBody is Slack's incoming-webhook shape: text (the notification fallback) and
// Block Kit blocks.
type slackBody struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
	Fields   []slackText `json:"fields,omitempty"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func (d *Dispatcher) name(id string) string {
	if n := d.cfg.ServiceNames[id]; n != "" {
		return n
	}
	return id
}

func (d *Dispatcher) link(inc outcry.Incident) string {
	if d.cfg.DashboardURL == "" {
		return ""
	}
	return strings.TrimRight(d.cfg.DashboardURL, "/") + "/incidents/" + url.PathEscape(inc.ID)
}

// summary is the one-line message both formats carry.
func (d *Dispatcher) summary(del delivery) string {
	inc := del.inc
	name := d.name(inc.Service)
	var b strings.Builder
	switch del.kind {
	case KindOpened:
		fmt.Fprintf(&b, "%s: %s detected since %s (peak %d complaints/min)", name, inc.Status, inc.Start.UTC().Format("15:04 UTC"), inc.Peak)
	case KindUpdated:
		fmt.Fprintf(&b, "%s: now %s since %s (peak %d complaints/min, %d complaints)", name, inc.Status, inc.Start.UTC().Format("15:04 UTC"), inc.Peak, inc.Complaints)
	case KindResolved:
		dur := "an unknown time"
		if inc.End != nil {
			dur = inc.End.Sub(inc.Start).Round(time.Minute).String()
			dur = strings.TrimSuffix(dur, "0s")
		}
		fmt.Fprintf(&b, "%s: resolved after %s (peak %d complaints/min)", name, dur, inc.Peak)
	}
	if inc.LeadSeconds != nil {
		lead := time.Duration(*inc.LeadSeconds * float64(time.Second)).Round(time.Minute)
		switch {
		case lead > 0:
			fmt.Fprintf(&b, "; the status page acknowledged it %s later", strings.TrimSuffix(lead.String(), "0s"))
		case lead < 0:
			fmt.Fprintf(&b, "; the status page reported it %s earlier", strings.TrimSuffix((-lead).String(), "0s"))
		}
	}
	if ev := del.ev; ev != nil && len(ev.Onsets) > 1 {
		var others []string
		for _, on := range ev.Onsets {
			if on.Service != inc.Service {
				others = append(others, d.name(on.Service))
			}
		}
		fmt.Fprintf(&b, "; correlated with %s (%s)", strings.Join(others, ", "), ev.Hypothesis)
	}
	return b.String()
}

// body renders a delivery in a hook's format.
func (d *Dispatcher) body(format string, del delivery) ([]byte, error) {
	text := d.summary(del)
	link := d.link(del.inc)
	if format == FormatSlack {
		return json.Marshal(d.slack(del, text, link))
	}
	inc := del.inc
	if inc.Languages == nil {
		inc.Languages = map[string]int{}
	}
	if inc.Sources == nil {
		inc.Sources = map[string]int{}
	}
	if inc.Problems == nil {
		inc.Problems = []outcry.ProblemCount{}
	}
	if inc.Official == nil {
		inc.Official = []outcry.OfficialRef{}
	}
	return json.Marshal(Payload{
		Event: "incident." + del.kind, Kind: del.kind, DeliveryID: del.id, SentAt: d.cfg.Clock().UTC(),
		Service: inc.Service, Name: d.name(inc.Service), Text: text, URL: link, Incident: inc, Correlated: del.ev,
	})
}

// mrkdwn escapes the three characters Slack treats as markup.
func mrkdwn(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func (d *Dispatcher) slack(del delivery, text, link string) slackBody {
	inc := del.inc
	icon := map[string]string{KindOpened: ":red_circle:", KindUpdated: ":large_orange_circle:", KindResolved: ":large_green_circle:"}[del.kind]
	fields := []slackText{
		{Type: "mrkdwn", Text: "*Status*\n" + mrkdwn(string(inc.Status)) + " (" + mrkdwn(string(inc.State)) + ")"},
		{Type: "mrkdwn", Text: "*Since*\n" + inc.Start.UTC().Format("2006-01-02 15:04 UTC")},
		{Type: "mrkdwn", Text: "*Peak*\n" + strconv.Itoa(inc.Peak) + " complaints/min"},
		{Type: "mrkdwn", Text: "*Complaints*\n" + strconv.Itoa(inc.Complaints) + " from " + strconv.Itoa(inc.Authors) + " authors"},
	}
	blocks := []slackBlock{
		{Type: "section", Text: &slackText{Type: "mrkdwn", Text: icon + " *" + mrkdwn(text) + "*"}},
		{Type: "section", Fields: fields},
	}
	ctx := "Outcry · incident " + mrkdwn(inc.ID)
	if link != "" {
		ctx += " · <" + mrkdwn(link) + "|details>"
	}
	blocks = append(blocks, slackBlock{Type: "context", Elements: []slackText{{Type: "mrkdwn", Text: ctx}}})
	return slackBody{Text: text, Blocks: blocks}
}
