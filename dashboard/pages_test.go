package dashboard

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// pageTargets are every page, with data that carries hostile text, authors and URLs.
var pageTargets = []string{
	"/",
	"/?range=7d",
	"/services/chatgpt",
	"/services/claude?range=7d",
	"/services/github",
	"/incidents/chatgpt-20240604-1414",
	"/incidents/chatgpt-20240604-0649",
	"/events/ev-20240604-1414",
	"/search",
	"/search?q=chatgpt+down&range=24h",
	"/search?q=chatgpt&service=chatgpt&complaints=true&sort=newest",
	"/search?q=%28broken",
	"/sources",
	"/nowhere",
	"/services/nope",
	"/ui/fragments/cards",
	"/ui/fragments/incidents",
	"/ui/fragments/sources",
}

// parsedPage is what a browser would build from the HTML.
type parsedPage struct {
	doc     *html.Node
	text    string
	scripts []string
	styles  []string
	links   []*html.Node
}

func parsePage(t *testing.T, body string) parsedPage {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	p := parsedPage{doc: doc}
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			switch n.Data {
			case "script":
				p.scripts = append(p.scripts, attr(n, "src"))
			case "link":
				p.styles = append(p.styles, attr(n, "href"))
			case "style":
				p.styles = append(p.styles, "<inline style element>")
			case "a":
				p.links = append(p.links, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	p.text = text.String()
	return p
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestPagesEscapeHostileInput renders every page with post text, author, URL, official
// titles and source messages that try to inject markup, and checks from the parsed DOM
// that nothing executable came out while the text itself is still shown.
func TestPagesEscapeHostileInput(t *testing.T) {
	h := newTestServer(newFake(), func(c *Config) { c.Demo = true }).Handler()
	for _, target := range pageTargets {
		t.Run(target, func(t *testing.T) {
			w := do(t, h, "GET", target)
			if w.Code >= 500 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Fatalf("Content-Type %q", ct)
			}
			if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
				t.Errorf("CSP %q", csp)
			}
			body := w.Body.String()
			for _, raw := range []string{"<script>alert", "<img src=x", "onerror=alert(1)>", "<b>not bold</b>", "<i>errors</i>"} {
				if strings.Contains(body, raw) {
					t.Errorf("raw %q in page", raw)
				}
			}
			p := parsePage(t, body)
			for _, src := range p.scripts {
				if src == "" {
					t.Errorf("inline <script> element")
				} else if !strings.HasPrefix(src, "/assets/") {
					t.Errorf("script from outside the app: %q", src)
				}
			}
			for _, href := range p.styles {
				if !strings.HasPrefix(href, "/assets/") {
					t.Errorf("style/link from outside the app: %q", href)
				}
			}
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					if n.Data == "img" || n.Data == "iframe" || n.Data == "object" {
						t.Errorf("unexpected <%s> element", n.Data)
					}
					for _, a := range n.Attr {
						if strings.HasPrefix(a.Key, "on") {
							t.Errorf("event handler attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
						}
						if a.Key == "style" {
							t.Errorf("inline style attribute on <%s> (blocked by the CSP)", n.Data)
						}
						if (a.Key == "href" || a.Key == "src" || a.Key == "action") && isScriptURL(a.Val) {
							t.Errorf("%s=%q on <%s>", a.Key, a.Val, n.Data)
						}
					}
					if n.Data == "a" && attr(n, "target") == "_blank" && !strings.Contains(attr(n, "rel"), "noopener") {
						t.Errorf("target=_blank without rel=noopener: %s", attr(n, "href"))
					}
					if n.Data == "a" {
						if href := attr(n, "href"); strings.HasPrefix(href, "//") || (strings.Contains(href, "://") && attr(n, "target") != "_blank") {
							t.Errorf("external link %q not opened with rel=noopener target=_blank", href)
						}
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(p.doc)
		})
	}
}

func isScriptURL(v string) bool {
	v = strings.ToLower(strings.Join(strings.Fields(v), ""))
	return strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:")
}

// TestHostileTextIsShownAsText checks escaping did not drop the content: the hostile
// strings are visible as text where a post or status title is rendered.
func TestHostileTextIsShownAsText(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	cases := map[string][]string{
		"/incidents/chatgpt-20240604-1414": {hostileText, hostileAuthor},
		"/services/chatgpt":                {hostileText, hostileAuthor, hostileTitle},
		"/search?q=chatgpt+down&range=24h": {hostileAuthor, `<script>alert("text")</script>`},
		"/sources":                         {"network unreachable <script>x</script>"},
		"/incidents/chatgpt-20240604-0649": {hostileTitle},
		"/events/ev-20240604-1414":         {"80 posts mention switching to claude <b>not bold</b>"},
		"/services/nope":                   {`unknown service "nope"`},
	}
	for target, wants := range cases {
		p := parsePage(t, do(t, h, "GET", target).Body.String())
		for _, want := range wants {
			if !strings.Contains(p.text, want) {
				t.Errorf("%s: text %q not shown", target, want)
			}
		}
	}
}

// TestSearchQueryEchoIsEscaped: the query comes back only as the input's value.
func TestSearchQueryEchoIsEscaped(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	q := `"><script>alert(1)</script>`
	p := parsePage(t, do(t, h, "GET", "/search?q="+url.QueryEscape(q)).Body.String())
	var value string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "name") == "q" {
			value = attr(n, "value")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.doc)
	if value != q {
		t.Errorf("input value %q, want %q", value, q)
	}
	if len(p.scripts) > 2 {
		t.Errorf("scripts %q", p.scripts)
	}
}

// TestSearchHighlights checks that <mark> wraps exactly the matched words and that the
// javascript: URL of the hostile post is not a link.
func TestSearchHighlights(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	w := do(t, h, "GET", "/search?q=chatgpt+down&range=24h")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	p := parsePage(t, w.Body.String())
	var marks []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "mark" && n.FirstChild != nil {
			marks = append(marks, n.FirstChild.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.doc)
	if strings.Join(marks, ",") != "ChatGPT,down" {
		t.Errorf("marks = %q, want ChatGPT,down", marks)
	}
	for _, a := range p.links {
		if strings.Contains(attr(a, "href"), "alert") {
			t.Errorf("link to %q", attr(a, "href"))
		}
	}
	if !strings.Contains(w.Body.String(), `data-option=`) {
		t.Error("no histogram chart")
	}
}

// TestDemoBanner: shown in demo mode only.
func TestDemoBanner(t *testing.T) {
	for _, demo := range []bool{true, false} {
		h := newTestServer(newFake(), func(c *Config) { c.Demo = demo }).Handler()
		for _, target := range []string{"/", "/services/chatgpt", "/sources"} {
			has := strings.Contains(do(t, h, "GET", target).Body.String(), "Simulated data.")
			if has != demo {
				t.Errorf("demo=%v %s: banner shown=%v", demo, target, has)
			}
		}
	}
}

// TestChartsAreLocalAndDrawable checks go-echarts' asset list points at the embedded
// ECharts, every referenced asset is served, and each chart option parses with
// non-empty series on a UTC time axis.
func TestChartsAreLocalAndDrawable(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	for _, target := range []string{"/", "/services/chatgpt", "/incidents/chatgpt-20240604-1414", "/events/ev-20240604-1414", "/search?q=chatgpt"} {
		w := do(t, h, "GET", target)
		p := parsePage(t, w.Body.String())
		if len(p.scripts) != 2 || p.scripts[0] != "/assets/echarts.min.js" || p.scripts[1] != "/assets/app.js" {
			t.Errorf("%s: scripts %q", target, p.scripts)
		}
		for _, asset := range append(p.scripts, p.styles...) {
			if aw := do(t, h, "GET", asset); aw.Code != 200 || aw.Body.Len() == 0 {
				t.Errorf("%s: asset %s: %d", target, asset, aw.Code)
			}
		}
		charts := 0
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && strings.Contains(attr(n, "class"), "chart") && attr(n, "data-option") != "" {
				charts++
				var opt struct {
					UseUTC bool `json:"useUTC"`
					Series []struct {
						Data []any `json:"data"`
					} `json:"series"`
					XAxis []struct {
						Type string `json:"type"`
					} `json:"xAxis"`
				}
				if err := json.Unmarshal([]byte(attr(n, "data-option")), &opt); err != nil {
					t.Errorf("%s: option: %v", target, err)
					return
				}
				if !opt.UseUTC || len(opt.Series) == 0 || len(opt.Series[0].Data) == 0 || len(opt.XAxis) == 0 || opt.XAxis[0].Type != "time" {
					t.Errorf("%s: chart option not drawable: %+v", target, opt)
				}
				if src := attr(n, "data-src"); src != "" {
					cw := do(t, h, "GET", src)
					if cw.Code != 200 || !json.Valid(cw.Body.Bytes()) {
						t.Errorf("%s: refresh %s: %d", target, src, cw.Code)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(p.doc)
		if charts != 1 {
			t.Errorf("%s: %d charts, want 1", target, charts)
		}
		if strings.Contains(w.Body.String(), "go-echarts.github.io") || strings.Contains(w.Body.String(), "cdn") {
			t.Errorf("%s: page mentions a CDN", target)
		}
	}
	// The embedded ECharts is the real library.
	w := do(t, h, "GET", "/assets/echarts.min.js")
	if !strings.Contains(w.Body.String(), "Apache Software Foundation") || w.Body.Len() < 500_000 {
		t.Errorf("echarts.min.js looks wrong (%d bytes)", w.Body.Len())
	}
	if ct := w.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("echarts.min.js Content-Type %q", ct)
	}
	if w := do(t, h, "GET", "/assets/ECHARTS-LICENSE"); w.Code != 200 || !strings.Contains(w.Body.String(), "Apache License") {
		t.Errorf("licence not served: %d", w.Code)
	}
	etag := w.Header().Get("ETag")
	if w := do(t, h, "GET", "/assets/echarts.min.js", func(r *http.Request) { r.Header.Set("If-None-Match", etag) }); w.Code != 304 {
		t.Errorf("conditional asset GET: %d", w.Code)
	}
	for _, bad := range []string{"/assets/../server.go", "/assets/%2e%2e/server.go", "/assets/README.md", "/assets/", "/assets/nope.js"} {
		if w := do(t, h, "GET", bad); w.Code == 200 || strings.Contains(w.Body.String(), "package dashboard") {
			t.Errorf("%s: %d", bad, w.Code)
		}
	}
}

// TestAppScriptNeedsNoInlineCode guards the CSP decision: app.js uses no eval-like
// constructs and pages carry options as data, not code.
func TestAppScriptNeedsNoInlineCode(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	js := do(t, h, "GET", "/assets/app.js").Body.String()
	for _, bad := range []string{"eval(", "new Function", "document.write", "setTimeout(\"", "setInterval(\""} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}

func TestPageStatuses(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	tests := map[string]int{
		"/":                                200,
		"/services/chatgpt":                200,
		"/services/nope":                   404,
		"/incidents/nope":                  404,
		"/events/nope":                     404,
		"/search?q=%28broken":              400,
		"/search?q=ok&range=2y":            400,
		"/?range=1y":                       400,
		"/services/chatgpt?bogus=1":        400,
		"/nowhere":                         404,
		"/incidents/chatgpt-20240604-1414": 200,
	}
	for target, want := range tests {
		if w := do(t, h, "GET", target); w.Code != want {
			t.Errorf("%s: %d, want %d", target, w.Code, want)
		}
	}
	if w := do(t, h, "POST", "/"); w.Code != 405 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("POST /: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
}

// TestSearchFacetLinksKeepTheQuery checks facet links add a filter and keep the rest.
func TestSearchFacetLinksKeepTheQuery(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	p := parsePage(t, do(t, h, "GET", "/search?q=panne&range=24h").Body.String())
	found := false
	for _, a := range p.links {
		href := attr(a, "href")
		if !strings.HasPrefix(href, "/search?") {
			continue
		}
		u, err := url.Parse(href)
		if err != nil {
			t.Fatal(err)
		}
		if u.Query().Get("service") == "claude" {
			found = true
			if u.Query().Get("q") != "panne" || u.Query().Get("range") != "24h" {
				t.Errorf("facet link lost the query: %s", href)
			}
		}
	}
	if !found {
		t.Error("no facet link for claude")
	}
}
