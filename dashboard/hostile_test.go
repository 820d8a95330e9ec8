package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hostileDOMProblems parses an HTML page or fragment the way a browser would and lists
// everything in it that could run code or leave the app: script elements that are inline
// or not under /assets/, event-handler and style attributes, javascript:/data:/vbscript:
// or scheme-relative URLs in any URL attribute, external links without rel=noopener,
// embedding elements, <base>, <meta http-equiv>, and chart options (data-option) that are
// not a JSON object. Fragments are parsed in a <body> context.
func hostileDOMProblems(body string) []string {
	var doc *html.Node
	var err error
	if strings.Contains(body, "<html") {
		doc, err = html.Parse(strings.NewReader(body))
	} else {
		ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
		var nodes []*html.Node
		nodes, err = html.ParseFragment(strings.NewReader(body), ctx)
		doc = &html.Node{Type: html.DocumentNode}
		for _, n := range nodes {
			doc.AppendChild(n)
		}
	}
	if err != nil {
		return []string{"unparsable HTML: " + err.Error()}
	}
	var out []string
	bad := func(format string, a ...string) {
		s := format
		for _, x := range a {
			s = strings.Replace(s, "%s", x, 1)
		}
		out = append(out, s)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				src := attr(n, "src")
				if src == "" || !strings.HasPrefix(src, "/assets/") || n.FirstChild != nil {
					bad("script element (src %s) not an app asset", src)
				}
			case "img", "iframe", "object", "embed", "frame", "frameset", "base", "applet", "style", "form", "input", "textarea", "button", "audio", "video", "source":
				// The templates use form/input for search and login only: their
				// attributes are checked below; the rest never appear.
				if n.Data != "form" && n.Data != "input" && n.Data != "button" {
					bad("<%s> element", n.Data)
				}
			case "meta":
				if attr(n, "http-equiv") != "" {
					bad("<meta http-equiv=%s>", attr(n, "http-equiv"))
				}
			case "link":
				if !strings.HasPrefix(attr(n, "href"), "/assets/") {
					bad("<link href=%s> outside the app", attr(n, "href"))
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					bad("event handler %s=%s on <%s>", key, a.Val, n.Data)
				case key == "style":
					bad("style attribute on <%s>", n.Data)
				case key == "srcdoc" || key == "formaction" || key == "xlink:href":
					bad("%s attribute on <%s>", key, n.Data)
				case key == "href" || key == "src" || key == "action" || key == "data-src":
					if !hostileSafeURL(a.Val) {
						bad("%s=%s on <%s>", key, a.Val, n.Data)
					}
					if key == "data-src" && !strings.HasPrefix(a.Val, "/ui/") {
						bad("data-src=%s is not a /ui/ refresh URL", a.Val)
					}
				case key == "data-option":
					var v map[string]any
					if err := json.Unmarshal([]byte(a.Val), &v); err != nil {
						bad("data-option is not a JSON object: %s", err.Error())
					}
				}
			}
			if n.Data == "a" {
				href := attr(n, "href")
				if strings.Contains(href, "://") && (attr(n, "target") != "_blank" || !strings.Contains(attr(n, "rel"), "noopener")) {
					bad("external link %s without target=_blank rel=noopener", href)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// hostileSafeURL accepts the URLs the app emits: empty, a same-origin path ("/x", not
// "//host"), a query ("?x") or fragment ("#x"), or an absolute http(s) URL with a host.
func hostileSafeURL(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "?") || strings.HasPrefix(v, "#") {
		return true
	}
	if strings.HasPrefix(v, "/") {
		return !strings.HasPrefix(v, "//") && !strings.HasPrefix(v, `/\`)
	}
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// domText is the text a browser shows for an HTML document.
func domText(body string) string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return ""
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// hostileFake is the fixture backend with attacker-chosen strings in every field that
// reaches a page: post text, author, URL, language and source; the display name of the
// busiest service (charts, cards, titles); an official incident's title and URL; and a
// source's health message.
func hostileFake(text, author, link, name, title string) *fakeBackend {
	f := newFake()
	hostileSet(f, text, author, link, name, title)
	return f
}

// hostileSet resets f's fixture data and plants the strings (see hostileFake), so that
// one server can render many inputs.
func hostileSet(f *fakeBackend, text, author, link, name, title string) {
	fresh := newFake()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.services, f.posts, f.official, f.health, f.events = fresh.services, fresh.posts, fresh.official, fresh.health, fresh.events
	p := &f.posts[0]
	p.Text, p.Author, p.URL, p.Source, p.Lang = "chatgpt "+text, author, link, "src"+author, "en"
	f.posts[1].URL = link
	f.services[0].Name = name
	f.services[0].StatusPage = link
	f.official[0].Title = title
	f.official[0].URL = link
	f.official[0].Updates[0].Body = text
	f.health[0].Message = text
	f.health[0].Name = "hn" + name
	f.events[0].Evidence = append(f.events[0].Evidence, text)
}

// hostileTargets are every page and fragment that shows data, and the chart endpoints.
var hostileTargets = []string{
	"/", "/services/chatgpt", "/incidents/chatgpt-20240604-1414", "/incidents/chatgpt-20240604-0649", "/events/ev-20240604-1414",
	"/search?q=chatgpt&service=chatgpt&sort=newest&range=24h", "/sources",
	"/ui/fragments/cards", "/ui/fragments/incidents", "/ui/fragments/sources",
	"/ui/charts/overview?range=7d", "/ui/charts/services/chatgpt",
}

// hostileCheckTarget renders one target and returns what is wrong with it.
func hostileCheckTarget(h http.Handler, target string) (string, []string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	body := w.Body.String()
	var probs []string
	if w.Code != 200 {
		return body, []string{"status " + itoa(w.Code) + ": " + body}
	}
	ct := w.Header().Get("Content-Type")
	if strings.HasPrefix(target, "/ui/charts/") {
		if !strings.HasPrefix(ct, "application/json") || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			probs = append(probs, "chart JSON served as "+ct+" without nosniff")
		}
		var v map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			probs = append(probs, "chart body is not a JSON object: "+err.Error())
		}
		// encoding/json escapes <, > and & so the option stays inert even if some
		// client inserted it as HTML.
		if bytes.ContainsAny(w.Body.Bytes(), "<>") {
			probs = append(probs, "raw < or > in chart JSON")
		}
		return body, probs
	}
	if !strings.HasPrefix(ct, "text/html") {
		probs = append(probs, "Content-Type "+ct)
	}
	return body, append(probs, hostileDOMProblems(body)...)
}

// Hostile strings: markup, attribute breakouts, script URLs, template syntax, JSON and
// JS string breakouts, line separators, and ECharts formatter syntax.
var hostileStrings = []string{
	`<script>alert("xss-1")</script>`,
	`"><img src=x onerror=alert('xss-2')>`,
	`' onmouseover='alert(3)' x='`,
	`</div></p></textarea></title></script><svg onload=alert(4)>`,
	`javascript:alert('xss-5')`,
	` JaVaScRiPt:alert(6)`,
	`data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==`,
	`https://evil.example/"onmouseover="alert(8)`,
	`//evil.example/x`,
	`{{.}} {{template "layout" .}} ${alert(9)} {a|b} {@x}`,
	`"}]}</script><script>alert(10)</script>`,
	"line\u2028sep\u2029ara\x00tor\ufeff",
	`&lt;script&gt;alert(11)&lt;/script&gt; &amp;`,
	`<a href="javascript:alert(12)">click</a>`,
	"\xff\xfe<script>alert(13)</script>",
}

// TestHostileStringsOnEveryPage puts each hostile string in every field of every page
// and fragment at once and checks the DOM a browser builds: nothing executable, no
// attribute injection, no script link, charts as JSON data only, the text still shown.
func TestHostileStringsOnEveryPage(t *testing.T) {
	for i, s := range hostileStrings {
		f := hostileFake(s, s, s, s, s)
		h := newTestServer(f).Handler()
		for _, target := range hostileTargets {
			body, probs := hostileCheckTarget(h, target)
			for _, p := range probs {
				t.Errorf("string %d on %s: %s", i, target, p)
			}
			if strings.HasPrefix(target, "/ui/charts/") || !utf8.ValidString(s) || strings.ContainsAny(s, "\x00") {
				continue
			}
			// Escaping must not lose the content: the post text is shown as text.
			if target == "/incidents/chatgpt-20240604-1414" && !strings.Contains(domText(body), "chatgpt "+s) {
				t.Errorf("string %d on %s: post text not shown as text", i, target)
			}
		}
	}
}

// TestHostileChartOptionMatchesEndpoint: the option a page carries in data-option is,
// after the browser decodes the attribute, exactly the JSON the refresh endpoint serves,
// with the hostile service name intact as data.
func TestHostileChartOptionMatchesEndpoint(t *testing.T) {
	name := `</script><script>alert("chart")</script>"'&{b}`
	h := newTestServer(hostileFake("x", "y", "javascript:z", name, "t")).Handler()
	for page, endpoint := range map[string]string{
		"/":                 "/ui/charts/overview?range=24h",
		"/services/chatgpt": "/ui/charts/services/chatgpt?range=24h",
	} {
		w := do(t, h, "GET", page)
		doc, err := html.Parse(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		var opt, src string
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && attr(n, "data-option") != "" {
				opt, src = attr(n, "data-option"), attr(n, "data-src")
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if src != endpoint {
			t.Errorf("%s: data-src %q, want %q", page, src, endpoint)
		}
		cw := do(t, h, "GET", endpoint)
		if opt != strings.TrimSpace(cw.Body.String()) {
			t.Errorf("%s: data-option differs from %s:\n%s\n%s", page, endpoint, opt, cw.Body)
		}
		var v struct {
			Series []struct {
				Name     string `json:"name"`
				MarkArea struct {
					Data [][]struct {
						Name string `json:"name"`
					} `json:"data"`
				} `json:"markArea"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(opt), &v); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		found := false
		for _, s := range v.Series {
			found = found || s.Name == name
			for _, d := range s.MarkArea.Data {
				found = found || len(d) > 0 && strings.HasPrefix(d[0].Name, name)
			}
		}
		if !found {
			t.Errorf("%s: the service name is not carried as chart data: %s", page, opt)
		}
	}
}

// TestHostileLinksNeutralised: every script-bearing URL in a post, a status page or an
// official incident is shown, if at all, as text; only http(s) URLs become links.
func TestHostileLinksNeutralised(t *testing.T) {
	for _, link := range []string{"javascript:alert(1)", " javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)",
		"data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/", "/relative", "https://user:pw@evil.example/",
		"http:evil", "https:/evil", "ftp://x.example/", "\x00javascript:alert(1)"} {
		h := newTestServer(hostileFake("text", "a", link, "ChatGPT", "title")).Handler()
		for _, target := range []string{"/incidents/chatgpt-20240604-1414", "/incidents/chatgpt-20240604-0649", "/services/chatgpt", "/search?q=chatgpt&range=24h"} {
			w := do(t, h, "GET", target)
			doc, err := html.Parse(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode && n.Data == "a" {
					href := attr(n, "href")
					if !hostileSafeURL(href) || strings.Contains(strings.ToLower(href), "script") || strings.Contains(href, "evil") {
						t.Errorf("%q on %s: link %q", link, target, href)
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
		}
	}
}

// FuzzRenderPages renders the pages, fragments and a chart with fuzzed post text,
// author, URL, service name and official title. Invariants: every target answers 200; pages
// and fragments hold nothing executable (hostileDOMProblems); chart JSON is a JSON
// object with no raw < or >; printable post text is shown as text on the incident page.
func FuzzRenderPages(f *testing.F) {
	// TestHostileStringsOnEveryPage runs every hostileStrings entry; the fuzzer starts
	// from a mix of them.
	hs := hostileStrings
	f.Add(hs[0], hs[1], hs[4], hs[10], hs[3])
	f.Add(hs[12], hs[2], hs[7], hs[9], hs[14])
	f.Add("ChatGPT down", "bob", "https://x.example/p?a=1&b=2", "ChatGPT", "Elevated errors")
	f.Add("落ちてる", "", "", "", "")
	fake := newFake()
	h := newTestServer(fake).Handler() // parsing the templates once, not per input
	// The overview and the service page draw day- and week-long charts of every
	// service (10–20 ms each); the fuzzer renders the rest, where the same fields show,
	// and one service chart. TestHostileStringsOnEveryPage covers all of them.
	var targets []string
	for _, tg := range hostileTargets {
		if tg != "/" && tg != "/services/chatgpt" && !strings.HasPrefix(tg, "/ui/charts/overview") {
			targets = append(targets, tg)
		}
	}
	f.Fuzz(func(t *testing.T, text, author, link, name, title string) {
		hostileSet(fake, text, author, link, name, title)
		for _, target := range targets {
			body, probs := hostileCheckTarget(h, target)
			if len(probs) > 0 {
				t.Fatalf("%s: %s", target, strings.Join(probs, "; "))
			}
			if target == "/incidents/chatgpt-20240604-1414" && hostilePrintable(text) && !strings.Contains(domText(body), "chatgpt "+text) {
				t.Fatalf("%s: post text %q not shown", target, text)
			}
		}
	})
}

// hostilePrintable reports text a browser shows unchanged: valid UTF-8, printable runes
// and single spaces (HTML collapses nothing inside text nodes, but the parser rewrites
// NUL and CR).
func hostilePrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// apiFuzzParams are every query parameter some route accepts ("token" is the auth
// middleware's); any other name must be refused with a 400 on routes that read their
// parameters.
var apiFuzzParams = map[string]bool{
	"from": true, "to": true, "step": true, "service": true, "state": true, "limit": true, "offset": true,
	"q": true, "source": true, "lang": true, "complaints": true, "sort": true, "range": true, "token": true,
}

// apiFuzzProblem checks the response invariants of any GET and returns what is wrong
// ("" when nothing): no 5xx; JSON with the error shape (code matching the status) on API
// paths and HTML without executable content on pages; an unknown or non-UTF-8 parameter
// is never answered 200 by a route that reads parameters; a path the mux cleans is
// redirected on this host only.
func apiFuzzProblem(path, rawQuery string, w *httptest.ResponseRecorder) string {
	body := w.Body.Bytes()
	where := path + "?" + rawQuery
	switch w.Code {
	case 200, 400, 404, 405, 414:
	case 301, 307, 308:
		loc := w.Header().Get("Location")
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
			return fmt.Sprintf("%s: redirect off-site to %q", where, loc)
		}
		return ""
	default:
		return fmt.Sprintf("%s: status %d: %s", where, w.Code, body)
	}
	opaque := path == "/healthz" || path == "/metrics" || path == "/api/v1/openapi.json" || strings.HasPrefix(path, "/assets/")
	if w.Code == 200 && !opaque {
		q, _ := url.ParseQuery(rawQuery)
		for k, vs := range q {
			if !apiFuzzParams[k] {
				return fmt.Sprintf("%s: unknown parameter %q accepted", where, k)
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					return fmt.Sprintf("%s: non-UTF-8 %s accepted", where, k)
				}
			}
		}
	}
	ct := w.Header().Get("Content-Type")
	if isAPI(path) {
		if path == "/metrics" && w.Code == 200 {
			return ""
		}
		if !strings.HasPrefix(ct, "application/json") {
			return fmt.Sprintf("%s: %d with Content-Type %q", where, w.Code, ct)
		}
		if !json.Valid(body) {
			return fmt.Sprintf("%s: body is not JSON: %s", where, body)
		}
		if w.Code >= 400 {
			var e errorBody
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			want := map[int]string{400: "invalid", 404: "not_found", 405: "method_not_allowed", 414: "uri_too_long"}[w.Code]
			if err := dec.Decode(&e); err != nil || e.Error.Code != want || e.Error.Message == "" {
				return fmt.Sprintf("%s: %d body is not the error shape with code %q: %s", where, w.Code, want, body)
			}
		}
		return ""
	}
	if strings.HasPrefix(path, "/assets/") && w.Code == 200 {
		return ""
	}
	if !strings.HasPrefix(ct, "text/html") {
		return fmt.Sprintf("%s: page with Content-Type %q", where, ct)
	}
	if probs := hostileDOMProblems(string(body)); len(probs) > 0 {
		return fmt.Sprintf("%s: %s", where, strings.Join(probs, "; "))
	}
	return ""
}

// TestAPIFuzzProblemCatches keeps apiFuzzProblem honest: it must flag the responses a
// broken server would give, and pass a good one.
func TestAPIFuzzProblemCatches(t *testing.T) {
	rec := func(status int, ctype, body string, hdr ...string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(status)
		w.WriteString(body)
		return w
	}
	bad := []struct {
		path, query string
		w           *httptest.ResponseRecorder
	}{
		{"/api/v1/incidents", "", rec(500, "application/json", `{"error":{"code":"internal","message":"x"}}`)},
		{"/api/v1/incidents", "bogus=1", rec(200, "application/json", `[]`)},
		{"/api/v1/incidents", "limit=%ff", rec(200, "application/json", `[]`)},
		{"/api/v1/incidents", "", rec(400, "application/json", `{"message":"x"}`)},
		{"/api/v1/incidents", "", rec(400, "application/json", `{"error":{"code":"not_found","message":"x"}}`)},
		{"/api/v1/incidents", "", rec(404, "text/html", `<p>nope</p>`)},
		{"/search", "", rec(200, "text/html", `<p onclick="x()">hi</p>`)},
		{"/search", "", rec(200, "text/html", `<a href="javascript:x()">hi</a>`)},
		{"/x/../y", "", rec(301, "", "", "Location", "//evil.example/")},
	}
	for _, b := range bad {
		if apiFuzzProblem(b.path, b.query, b.w) == "" {
			t.Errorf("apiFuzzProblem accepted a bad response for %s?%s: %d %s", b.path, b.query, b.w.Code, b.w.Body)
		}
	}
	h := newTestServer(newFake()).Handler()
	for _, target := range []string{"/api/v1/incidents?limit=-1", "/api/v1/search?q=chatgpt", "/search?q=%3Cscript%3E", "/nowhere?x=1"} {
		u, _ := url.Parse(target)
		if p := apiFuzzProblem(u.Path, u.RawQuery, do(t, h, "GET", target)); p != "" {
			t.Errorf("good response flagged: %s", p)
		}
	}
}
