package dashboard

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageData is what every page template receives; Body is the page's own view.
type pageData struct {
	Title   string
	Nav     string
	Demo    bool
	Version string
	Now     time.Time
	Refresh int
	Scripts []string
	Body    any
}

// mustParsePages parses every page once, each with layout.html and partials.html; a template error is a build bug that the tests
// catch, hence the panic.
func mustParsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range []string{"overview", "service", "incident", "event", "search", "sources", "error", "login"} {
		t := template.New(name).Funcs(templateFuncs())
		pages[name] = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html"))
	}
	return pages
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"utc":         fmtTime,
		"iso":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"since":       func(now, t time.Time) string { return humanDuration(now.Sub(t)) },
		"dur":         humanDuration,
		"secs":        func(f float64) string { return humanDuration(time.Duration(finite(f) * float64(time.Second))) },
		"lead":        leadText,
		"link":        safeLink,
		"highlight":   highlight,
		"statusClass": func(st outcry.Status) string { return "st-" + string(validStatus(st)) },
		"f1":          func(f float64) string { return fmt.Sprintf("%.1f", finite(f)) },
		"f2":          func(f float64) string { return fmt.Sprintf("%.2f", finite(f)) },
		"pct":         func(f float64) string { return fmt.Sprintf("%.0f%%", 100*clamp01(f)) },
		"sortedKV":    sortedKV,
		"healthClass": func(state string) string { return "h-" + strings.Map(slugRune, state) },
		"spark":       sparkline,
		"deref":       func(t *time.Time) time.Time { return *t },
	}
}

func slugRune(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
		return r
	}
	return -1
}

// fmtTime prints a time for people, always in UTC; "—" for the zero time.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// leadText says who was first: the crowd or the vendor's status page.
func leadText(lead *float64) string {
	if lead == nil {
		return "no official incident linked"
	}
	d := time.Duration(finite(*lead) * float64(time.Second))
	switch {
	case d >= time.Minute:
		return "the crowd was " + humanDuration(d) + " ahead of the status page"
	case d <= -time.Minute:
		return "the status page was " + humanDuration(-d) + " ahead of the crowd"
	}
	return "the crowd and the status page agreed within a minute"
}

// safeLink returns u when it is an absolute http(s) URL, else "": javascript:, data:
// and relative links from posts are never made clickable, nor are hosts with
// characters no host name has (url.Parse accepts "evil.example(x", which the page
// would then carry as an unparsable "evil.example%28x").
func safeLink(u string) string {
	if u == "" || len(u) > 2048 {
		return ""
	}
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil {
		return ""
	}
	for _, r := range p.Host {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._:[]", r) || r >= utf8.RuneSelf) {
			return ""
		}
	}
	return p.String()
}

// highlight escapes text and wraps the matched byte spans in <mark>. Spans that are out
// of range are clamped, reversed ones dropped, and a span that cuts a UTF-8 sequence is
// widened to the whole character; overlaps merge.
func highlight(text string, spans []outcry.Span) template.HTML {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var ok []outcry.Span
	for _, sp := range spans {
		st, en := max(sp.Start, 0), min(sp.End, len(text))
		for st > 0 && st < len(text) && !utf8.RuneStart(text[st]) {
			st--
		}
		for en < len(text) && en > st && !utf8.RuneStart(text[en]) {
			en++
		}
		if st < en {
			ok = append(ok, outcry.Span{Start: st, End: en})
		}
	}
	slices.SortFunc(ok, func(a, b outcry.Span) int { return a.Start - b.Start })
	var b strings.Builder
	pos := 0
	for _, sp := range ok {
		if sp.End <= pos {
			continue
		}
		sp.Start = max(sp.Start, pos)
		b.WriteString(html.EscapeString(text[pos:sp.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[sp.Start:sp.End]))
		b.WriteString("</mark>")
		pos = sp.End
	}
	b.WriteString(html.EscapeString(text[pos:]))
	return template.HTML(b.String()) //nolint:gosec // every byte of text went through html.EscapeString
}

// kv is one row of a count table.
type kv struct {
	Key   string
	Count int
}

// sortedKV orders a count map by count, then key.
func sortedKV(m map[string]int) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{k, v})
	}
	slices.SortFunc(out, func(a, b kv) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// sparkline draws counts as an SVG polyline path (no script, no inline style).
func sparkline(pts []seriesPoint) template.HTML {
	const w, h = 120.0, 28.0
	if len(pts) < 2 {
		return template.HTML(`<svg class="spark" viewBox="0 0 120 28" aria-hidden="true"></svg>`)
	}
	top := 1.0
	for _, p := range pts {
		top = math.Max(top, math.Max(float64(p.Count), p.Baseline))
	}
	path := func(v func(seriesPoint) float64) string {
		var b strings.Builder
		for i, p := range pts {
			x := w * float64(i) / float64(len(pts)-1)
			y := h - 1 - (h-2)*v(p)/top
			if i == 0 {
				fmt.Fprintf(&b, "M%.1f %.1f", x, y)
			} else {
				fmt.Fprintf(&b, "L%.1f %.1f", x, y)
			}
		}
		return b.String()
	}
	return template.HTML(`<svg class="spark" viewBox="0 0 120 28" preserveAspectRatio="none" aria-hidden="true">` +
		`<path class="spark-base" d="` + path(baselineOf) + `"/>` +
		`<path class="spark-line" d="` + path(countOf) + `"/></svg>`)
}

// renderPage executes a page into a buffer first, so a template failure becomes a clean
// error page instead of half a page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	d.Demo = s.cfg.Demo
	d.Version = s.cfg.Version
	d.Now = s.now()
	if d.Refresh == 0 && s.cfg.Refresh > 0 {
		d.Refresh = int(s.cfg.Refresh / time.Second)
	}
	d.Scripts = appendUnique(d.Scripts, assetsHost+"app.js")
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		s.log.ErrorContext(r.Context(), "render failed", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderFragment executes one named template of a page (for live refresh).
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, data any) error {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}

func appendUnique(list []string, more ...string) []string {
	for _, m := range more {
		if !slices.Contains(list, m) {
			list = append(list, m)
		}
	}
	return list
}

// errorView is the error page's body.
type errorView struct {
	Status  int
	Code    string
	Message string
}

// renderError shows err as an HTML page with the status writeError would use.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg, internal, ok := classify(err)
	if !ok {
		return
	}
	if internal {
		s.log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
	}
	s.renderPage(w, r, status, "error", pageData{
		Title:   http.StatusText(status),
		Refresh: -1,
		Body:    errorView{Status: status, Code: code, Message: msg},
	})
}

// renderLogin asks for the dashboard token.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request) {
	s.renderPage(w, r, http.StatusUnauthorized, "login", pageData{Title: "Sign in", Refresh: -1, Body: localPath(r.URL.Path)})
}
