package statuspage

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest/rss"
)

// parseFeed reads an Atom or RSS status feed: one incident per entry (Statuspage,
// incident.io, Instatus) or one entry per update, merged by incident link.
func parseFeed(pageURL string, body []byte) ([]incident, error) {
	feed, err := rss.ParseFeed(body)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(pageURL)
	var feedTime time.Time
	if feed.UpdatedParsed != nil {
		feedTime = *feed.UpdatedParsed
	}
	var out []incident
	index := map[string]int{}
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		in := parseEntry(base, it, feedTime)
		if in.ID == "" {
			continue
		}
		if i, ok := index[in.ID]; ok {
			merge(&out[i], in)
			continue
		}
		index[in.ID] = len(out)
		out = append(out, in)
	}
	return out, nil
}

// merge folds another entry of the same incident (feeds with one item per update) into
// in. Feeds list newest first, so in keeps its title and link.
func merge(in *incident, other incident) {
	in.Updates = append(in.Updates, other.Updates...)
	if in.URL == "" {
		in.URL = other.URL
	}
	if in.Title == "" {
		in.Title = other.Title
	}
	if !other.Start.IsZero() && (in.Start.IsZero() || other.Start.Before(in.Start)) {
		in.Start = other.Start
	}
	if in.Impact == "" {
		in.Impact = other.Impact
	}
}

var (
	// "Status: Resolved", the first bold of an incident.io item.
	incidentIOStatus = regexp.MustCompile(`(?i)^status:\s*(.+)$`)
	// "[Resolved] Database issues", the title of generic per-update feeds.
	titleStatus = regexp.MustCompile(`^\s*\[([A-Za-z][A-Za-z _-]{1,30})\]\s*(.*)$`)
	// "Video generation (Partial outage)", an incident.io affected component.
	componentImpact = regexp.MustCompile(`\(([^()]+)\)\s*$`)
)

func parseEntry(base *url.URL, it *gofeed.Item, feedTime time.Time) incident {
	var in incident
	link := entryLink(base, it)
	in.URL = link
	in.ID = incidentKey(link, it)
	in.Title = rss.HTMLText(it.Title)

	var published, updated time.Time
	if it.PublishedParsed != nil {
		published = it.PublishedParsed.UTC()
	}
	if it.UpdatedParsed != nil {
		updated = it.UpdatedParsed.UTC()
	}
	latest := updated
	if latest.IsZero() || published.After(latest) {
		latest = published
	}
	ref := latest
	if ref.IsZero() {
		ref = feedTime
	}

	content := it.Content
	if strings.TrimSpace(content) == "" {
		content = it.Description
	}
	paras, items := paragraphs(content)

	// incident.io: the item is the incident's current state.
	if len(paras) > 0 {
		if m := incidentIOStatus.FindStringSubmatch(paras[0].strong); m != nil {
			body := paras[0].text
			for _, p := range paras[1:] {
				body += " " + p.strong + " " + p.text
			}
			if i := strings.Index(strings.ToLower(body), "affected components"); i >= 0 {
				body = body[:i]
			}
			in.Updates = []outcry.OfficialUpdate{{At: latest, Status: normStatus(m[1]), Body: cleanBody(body)}}
			in.Impact = worstImpact(items)
			switch {
			case !published.IsZero() && !updated.IsZero() && published.Before(updated):
				in.Start = published
			default:
				if t, ok := ulidTime(path.Base(in.ID)); ok && !t.After(latest) && latest.Sub(t) < 90*24*time.Hour {
					in.Start = t
				} else {
					in.Start = latest
				}
			}
			return in
		}
	}

	// Statuspage / Instatus: one paragraph per update with the status in bold.
	fallback := published
	if fallback.IsZero() {
		fallback = ref
	}
	for _, p := range paras {
		if p.strong == "" {
			continue
		}
		u := outcry.OfficialUpdate{Status: normStatus(p.strong), Body: cleanBody(p.text)}
		if t, ok := parseWhen(p.small, ref); ok {
			u.At = t
		} else {
			u.At = fallback
		}
		in.Updates = append(in.Updates, u)
	}
	if len(in.Updates) > 0 {
		return in
	}

	// Generic: one item per update, status (if any) in the title.
	status := "update"
	if m := titleStatus.FindStringSubmatch(in.Title); m != nil {
		status, in.Title = normStatus(m[1]), strings.TrimSpace(m[2])
	}
	text := rss.HTMLText(content)
	if text == "" && status == "update" && in.Title == "" {
		return incident{}
	}
	in.Updates = []outcry.OfficialUpdate{{At: latest, Status: status, Body: text}}
	if in.ID == "" {
		in.ID = hashKey(in.Title + "\x00" + latest.Format(time.RFC3339))
	}
	return in
}

// cleanBody strips the " - " Statuspage puts between status and body.
func cleanBody(s string) string {
	s = rss.HTMLText(s)
	return strings.TrimSpace(strings.TrimLeft(s, "-–—: "))
}

func worstImpact(components []string) string {
	rank := map[string]int{"minor": 1, "major": 2, "critical": 3}
	worst := ""
	for _, c := range components {
		m := componentImpact.FindStringSubmatch(c)
		if m == nil {
			continue
		}
		if imp := impactOf(m[1]); rank[imp] > rank[worst] {
			worst = imp
		}
	}
	return worst
}

// impactOf maps a component state, in any vendor's spelling, to a Statuspage impact.
func impactOf(state string) string {
	s := strings.ToLower(strings.NewReplacer("_", "", " ", "", "-", "").Replace(state))
	switch s {
	case "fulloutage", "majoroutage", "outage":
		return "critical"
	case "partialoutage":
		return "major"
	case "degradedperformance", "degraded":
		return "minor"
	case "undermaintenance", "maintenance":
		return "maintenance"
	}
	return ""
}

// entryLink returns the entry's http(s) link with doubled slashes in the path removed
// (incident.io feeds link "https://status.openai.com//incidents/...").
func entryLink(base *url.URL, it *gofeed.Item) string {
	cands := append([]string{it.Link}, it.Links...)
	if strings.HasPrefix(it.GUID, "http") {
		cands = append(cands, it.GUID)
	}
	for _, l := range cands {
		u, err := url.Parse(strings.TrimSpace(l))
		if err != nil || l == "" {
			continue
		}
		if !u.IsAbs() && base != nil {
			u = base.ResolveReference(u)
		}
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			for strings.Contains(u.Path, "//") {
				u.Path = strings.ReplaceAll(u.Path, "//", "/")
			}
			u.RawPath = ""
			u.Fragment = ""
			return u.String()
		}
	}
	return ""
}

// incidentKey names an entry's incident: the path segment after /incidents/ or /incident/
// in its link (the vendor id, e.g. "rs49lmsh6xxw"), else the tail of its id
// ("tag:status.openai.com,2005:Incident/21098420" -> "21098420"), else the link's last
// path segment.
func incidentKey(link string, it *gofeed.Item) string {
	if k := keyFromPath(link); k != "" {
		return k
	}
	guid := strings.TrimSpace(it.GUID)
	if strings.HasPrefix(guid, "http") {
		if k := keyFromPath(guid); k != "" {
			return k
		}
	}
	if i := strings.LastIndexAny(guid, "/:"); i >= 0 && i < len(guid)-1 {
		return guid[i+1:]
	}
	if guid != "" {
		return guid
	}
	if u, err := url.Parse(link); err == nil && strings.Trim(u.Path, "/") != "" {
		return path.Base(u.Path)
	}
	return ""
}

func keyFromPath(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := 0; i < len(segs)-1; i++ {
		if s := strings.ToLower(segs[i]); s == "incidents" || s == "incident" || s == "maintenances" || s == "maintenance" {
			return segs[i+1]
		}
	}
	return ""
}

func hashKey(s string) string {
	h := sha256.Sum256([]byte(s))
	return "h" + hex.EncodeToString(h[:8])
}

// para is one paragraph of a timeline: the first bold text (the status), the <small> or
// <time> text (the date) and everything else (the body).
type para struct {
	strong, small, text string
}

// paragraphs splits an entry's HTML into paragraphs and also returns the text of every
// list item (incident.io lists affected components that way).
func paragraphs(s string) ([]para, []string) {
	z := html.NewTokenizer(strings.NewReader(s))
	var out []para
	var items []string
	var strong, small, text, item strings.Builder
	strongDepth, smallDepth, itemDepth := 0, 0, 0
	strongDone := false
	flush := func() {
		p := para{strong: rss.HTMLText(strong.String()), small: rss.HTMLText(small.String()), text: text.String()}
		if p.strong != "" || p.small != "" || strings.TrimSpace(p.text) != "" {
			out = append(out, p)
		}
		strong.Reset()
		small.Reset()
		text.Reset()
		strongDone = false
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return out, items
		case html.TextToken:
			t := string(z.Raw())
			switch {
			case smallDepth > 0:
				small.WriteString(t)
			case strongDepth > 0 && !strongDone:
				strong.WriteString(t)
			default:
				text.WriteString(t)
				if itemDepth > 0 {
					item.WriteString(t)
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			start := tt == html.StartTagToken
			end := tt == html.EndTagToken
			switch a {
			case atom.P:
				flush()
			case atom.Strong, atom.B:
				if start && !strongDone && smallDepth == 0 {
					strongDepth++
				} else if end && strongDepth > 0 {
					strongDepth--
					if strongDepth == 0 {
						strongDone = true
					}
				} else {
					text.WriteString(string(z.Raw()))
				}
			case atom.Small, atom.Time:
				if start {
					smallDepth++
				} else if end && smallDepth > 0 {
					smallDepth--
				}
			case atom.Li:
				if start {
					itemDepth++
					item.Reset()
				} else if end && itemDepth > 0 {
					itemDepth--
					if t := rss.HTMLText(item.String()); t != "" {
						items = append(items, t)
					}
				}
				text.WriteString(" ")
			case atom.Br, atom.Div, atom.Ul, atom.Ol, atom.Tr, atom.Td:
				if smallDepth > 0 {
					small.WriteString(" ")
				} else {
					text.WriteString(" ")
				}
			default:
				// Inline markup of the body (links, emphasis) is kept for HTMLText.
				if smallDepth == 0 && (strongDepth == 0 || strongDone) {
					text.WriteString(string(z.Raw()))
				}
			}
		}
	}
}
