package main

// Hostile input and exposure against the real `serve` wiring: a real Bleve index in a
// temporary data directory, real detection, the real HTTP server on loopback. See
// docs/RELIABILITY.md ("Hostile input", "Exposure") for what these tests establish.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/index"
)

// Attacker-chosen strings planted in the data. Each carries a marker ("xss-...") that
// must never reach a page as markup, only as text.
const (
	hostileSvcName = `Zorblax <script>alert('xss-svc')</script>"'><img src=x onerror=alert('xss-svc2')>`
	hostileSource  = `<i>src</i><script>alert('xss-src')</script>`
	hostileOffURL  = `javascript:alert('xss-official-url')`
	hostileTitle   = `Degraded <script>alert('xss-official')</script> "quoted" & more`
)

// hostileTexts, hostileAuthors and hostileURLs rotate over the spike's posts.
var (
	hostileTexts = []string{
		`%s is down again <script>alert('xss-text')</script> & nothing loads`,
		`%s down for everyone? "><img src=x onerror=alert('xss-text2')> can't log in`,
		`%s is not working </p></article><svg onload=alert('xss-text3')> error 502`,
		`%s outage {{.}} ${alert('xss-text4')} '; alert('xss-text5'); ' still down`,
		"%s down \u2028 line sep </script><script>alert('xss-text6')</script> broken",
	}
	hostileAuthors = []string{
		`"><img src=x onerror=alert('xss-author')>`,
		`<script>alert('xss-author2')</script>`,
		`' onmouseover='alert("xss-author3")`,
	}
	hostileURLs = []string{
		`javascript:alert('xss-url')`,
		` JaVaScRiPt:alert('xss-url2')`,
		`data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLXVybDMnKTwvc2NyaXB0Pg==`,
		`https://evil.example/p"onmouseover="alert('xss-url4')`,
		`//evil.example/xss-url5`,
		`vbscript:msgbox("xss-url6")`,
	}
)

// hostileConfig writes a config with no network source: the catalog gains a service
// whose display name is hostile, and a replay source with a hostile name feeds hostile
// posts through the live pipeline.
func hostileConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	live := filepath.Join(dir, "live.jsonl")
	var b strings.Builder
	for i := range 20 {
		p := map[string]any{
			"id": fmt.Sprintf("live-%d", i), "author": hostileAuthors[i%len(hostileAuthors)],
			"text":       fmt.Sprintf(hostileTexts[i%len(hostileTexts)], "Zorblax"),
			"url":        hostileURLs[i%len(hostileURLs)],
			"lang":       `en"><b>x</b>`,
			"created_at": "2024-06-04T07:00:00Z",
		}
		line, _ := json.Marshal(p)
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(live, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	name, _ := json.Marshal(hostileSvcName)
	src, _ := json.Marshal(hostileSource)
	cfg := fmt.Sprintf(`sources:
  - type: replay
    name: %s
    files: [%q]
services:
  - id: zorblax
    name: %s
    aliases: [zorblax]
    status_page: "https://status.zorblax.example/?a=\"><script>alert('xss-status-page')</script>"
%s`, src, live, name, extra)
	path := filepath.Join(dir, "outcry.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// hostileData fills dataDir with five hours of quiet complaints and then a 40-minute
// spike of hostile posts about chatgpt, claude and zorblax ending now, an official
// incident with a hostile title and a javascript: link, and runs `outcry detect --save`
// so that incidents and a correlated event exist.
func hostileData(t *testing.T, cfgPath, dataDir string) {
	t.Helper()
	ctx := t.Context()
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalog(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := detect.NewMatcher(cat)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := openIndexConfig(dataDir, false, index.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	sink := &matchSink{matcher: m, index: ix}
	now := time.Now().UTC().Truncate(time.Minute)
	names := map[string]string{"chatgpt": "ChatGPT", "claude": "Claude", "zorblax": "Zorblax"}
	var posts []outcry.Post
	n := 0
	for _, svc := range []string{"chatgpt", "claude", "zorblax"} {
		for m := 300; m > 40; m -= 4 {
			n++
			posts = append(posts, outcry.Post{ID: fmt.Sprintf("quiet-%d", n), Source: "import", Author: fmt.Sprintf("user%d", n),
				Text: names[svc] + " is down for me", Lang: "en", CreatedAt: now.Add(-time.Duration(m) * time.Minute)})
		}
		for m := 40; m > 0; m-- {
			for k := range 25 {
				n++
				posts = append(posts, outcry.Post{
					ID: fmt.Sprintf("hostile-%d", n), Source: hostileSource,
					Author:    fmt.Sprintf("%s%d", hostileAuthors[n%len(hostileAuthors)], n),
					Text:      fmt.Sprintf(hostileTexts[n%len(hostileTexts)], names[svc]),
					URL:       hostileURLs[n%len(hostileURLs)],
					Lang:      []string{"en", "fr", `<b>de</b>`}[n%3],
					CreatedAt: now.Add(-time.Duration(m)*time.Minute + time.Duration(k)*time.Second),
				})
			}
		}
	}
	if _, err := sink.AddPosts(ctx, "import", posts, ""); err != nil {
		t.Fatal(err)
	}
	start := now.Add(-35 * time.Minute)
	off := []outcry.OfficialIncident{{
		ID: "status:hostile", Service: "chatgpt", Source: hostileSource, Title: hostileTitle, URL: hostileOffURL,
		Impact: `major"><script>alert('xss-impact')</script>`, Start: start,
		Updates: []outcry.OfficialUpdate{{At: start, Status: `<b>investigating</b>`, Body: `We are looking <img src=x onerror=alert('xss-update')>`}},
	}}
	if err := ix.RecordOfficial(ctx, "status", off, "c1"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "detect", "--data", dataDir, "--save", "--json", "--events")
	if code != 0 {
		t.Fatalf("detect --save: %d %s", code, stderr)
	}
	var res detectOutput
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	svcs := map[string]bool{}
	for _, inc := range res.Incidents {
		svcs[inc.Service] = true
	}
	if !svcs["chatgpt"] || !svcs["claude"] || !svcs["zorblax"] || len(res.Events) == 0 {
		t.Fatalf("detection over the hostile data found %d incidents (%v) and %d events", len(res.Incidents), svcs, len(res.Events))
	}
}

// hostileServer is one running `serve` with its logs.
type hostileServer struct {
	base string
	logs *syncBuffer
	stop func() error
}

// hostileServe runs serve in-process like startServeInProcess, keeping its log output
// (at debug level unless o says otherwise) for the tests that inspect it.
func hostileServe(t *testing.T, o serveOptions, getenv func(string) string) hostileServer {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	o.ready = func(addr string) { ready <- addr }
	if o.addr == "" {
		o.addr = "127.0.0.1:0"
	}
	if o.logLevel == "" {
		o.logLevel = "debug"
	}
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	logs := &syncBuffer{}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs, getenv: getenv}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, e, o) }()
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(15 * time.Second):
				stopErr = fmt.Errorf("serve did not return within 15s of cancellation")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	select {
	case addr := <-ready:
		host, port, _ := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return hostileServer{base: "http://" + addr, logs: logs, stop: stop}
	case err := <-done:
		cancel()
		t.Fatalf("serve failed to start: %v\n%s", err, logs.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	return hostileServer{}
}

// hostileGet fetches base+target without following redirects.
func hostileGet(t *testing.T, target string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return resp, body
}

// hostileMarkup finds markup a browser would act on in a page: scripts that are not the
// app's assets, event-handler or style attributes, URL attributes holding
// javascript:/data:/vbscript: or another host without rel=noopener, embedding elements,
// and data-option values that are not a JSON object. It returns the page's text.
func hostileMarkup(body []byte) (problems []string, text string) {
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		return []string{"unparsable: " + err.Error()}, ""
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			get := func(k string) string {
				for _, a := range n.Attr {
					if a.Key == k {
						return a.Val
					}
				}
				return ""
			}
			switch n.Data {
			case "script":
				if !strings.HasPrefix(get("src"), "/assets/") || n.FirstChild != nil {
					problems = append(problems, "script element not an app asset: src="+get("src"))
				}
			case "img", "iframe", "object", "embed", "svg", "math", "base", "style", "frame", "textarea", "video", "audio":
				if n.Data != "svg" || !strings.Contains(get("class"), "spark") {
					problems = append(problems, "<"+n.Data+"> element")
				}
			case "a":
				href := get("href")
				if strings.Contains(href, "://") && (get("target") != "_blank" || !strings.Contains(get("rel"), "noopener")) {
					problems = append(problems, "external link without rel=noopener: "+href)
				}
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "style", k == "srcdoc", k == "formaction":
					problems = append(problems, fmt.Sprintf("attribute %s=%q on <%s>", k, a.Val, n.Data))
				case k == "href" || k == "src" || k == "action" || k == "data-src":
					if !hostileURLOK(a.Val) {
						problems = append(problems, fmt.Sprintf("%s=%q on <%s>", k, a.Val, n.Data))
					}
				case k == "data-option":
					var v map[string]any
					if json.Unmarshal([]byte(a.Val), &v) != nil {
						problems = append(problems, "data-option is not a JSON object")
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return problems, b.String()
}

// hostileURLOK accepts only what the app itself links to: same-origin paths, queries,
// fragments and absolute http(s) URLs.
func hostileURLOK(v string) bool {
	v = strings.TrimSpace(v)
	switch {
	case v == "" || strings.HasPrefix(v, "?") || strings.HasPrefix(v, "#"):
		return true
	case strings.HasPrefix(v, "/"):
		return !strings.HasPrefix(v, "//") && !strings.HasPrefix(v, `/\`)
	}
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// TestHostileContentOnEveryPage plants script, attribute-breakout and script-URL
// payloads in post text, author, URL, language and source, in a service's display
// name and status page, and in an official incident, through the real index and
// detection, then fetches every page, fragment, chart and API response of a running
// serve: markup is escaped (the payload shows as text), no link carries a script URL,
// chart options are inert JSON data.
func TestHostileContentOnEveryPage(t *testing.T) {
	dir := t.TempDir()
	cfgPath := hostileConfig(t, dir, "")
	data := filepath.Join(dir, "data")
	hostileData(t, cfgPath, data)
	srv := hostileServe(t, serveOptions{configPath: cfgPath, dataDir: data}, nil)

	var incs []outcry.Incident
	if resp, body := hostileGet(t, srv.base+"/api/v1/incidents?limit=100"); resp.StatusCode != 200 || json.Unmarshal(body, &incs) != nil || len(incs) == 0 {
		t.Fatalf("incidents: %d %s", resp.StatusCode, body)
	}
	var evs []outcry.Event
	if resp, body := hostileGet(t, srv.base+"/api/v1/events"); resp.StatusCode != 200 || json.Unmarshal(body, &evs) != nil || len(evs) == 0 {
		t.Fatalf("events: %d %s", resp.StatusCode, body)
	}
	// The replay source's hostile posts went through the live pipeline.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var h []outcry.SourceHealth
		_, body := hostileGet(t, srv.base+"/api/v1/sources")
		if json.Unmarshal(body, &h) == nil && len(h) == 1 && h[0].PostsStored > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replay source stored nothing: %s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Pages and fragments, with the hostile text each must show as text.
	pages := map[string][]string{
		"/":                                    {"Zorblax <script>alert('xss-svc')</script>"},
		"/?range=6h":                           nil,
		"/?range=7d":                           nil,
		"/services/zorblax":                    {hostileSvcName, "alert('xss-text"},
		"/services/chatgpt?range=7d":           {hostileTitle},
		"/search?q=down&range=24h&sort=newest": {"alert('xss-text", "onerror=alert('xss-author')"},
		"/search?q=zorblax&sort=newest":        {"alert('xss-text"},
		"/search?q=%3Cscript%3Ealert(1)":       nil,
		`/search?q=%22%3E%3Cimg+src%3Dx%3E`:    nil,
		"/search?q=down&source=" + url.QueryEscape(hostileSource) + "&lang=" + url.QueryEscape("<b>de</b>"): nil,
		"/sources":                nil,
		"/ui/fragments/cards":     nil,
		"/ui/fragments/incidents": nil,
		"/ui/fragments/sources":   nil,
	}
	for _, inc := range incs {
		pages["/incidents/"+url.PathEscape(inc.ID)] = []string{"alert('xss-text"}
		if inc.Service == "chatgpt" {
			pages["/incidents/"+url.PathEscape(inc.ID)] = []string{"alert('xss-text", "onerror=alert('xss-author')"}
		}
	}
	for _, ev := range evs {
		pages["/events/"+url.PathEscape(ev.ID)] = nil
	}
	for target, wants := range pages {
		resp, body := hostileGet(t, srv.base+target)
		// A query Bleve cannot parse is a 400 page; everything else renders.
		if resp.StatusCode != 200 && !(resp.StatusCode == 400 && strings.HasPrefix(target, "/search?")) {
			t.Errorf("%s: %d %s", target, resp.StatusCode, body)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q", target, ct)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		probs, text := hostileMarkup(body)
		for _, p := range probs {
			t.Errorf("%s: %s", target, p)
		}
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q not shown as text", target, w)
			}
		}
		if strings.Contains(string(body), "<script>alert") || strings.Contains(string(body), "<img src=x") {
			t.Errorf("%s: raw payload in the HTML", target)
		}
	}

	// Charts and the JSON API: valid JSON, no raw angle brackets (encoding/json escapes
	// them), the payloads present as data.
	jsons := []string{"/ui/charts/overview", "/ui/charts/overview?range=7d", "/ui/charts/services/zorblax", "/ui/charts/services/chatgpt?range=7d",
		"/api/v1/services", "/api/v1/services/zorblax", "/api/v1/services/chatgpt", "/api/v1/incidents", "/api/v1/events", "/api/v1/sources",
		"/api/v1/search?q=down", "/api/v1/search?q=zorblax&complaints=true", "/api/v1/services/zorblax/series"}
	for _, inc := range incs {
		jsons = append(jsons, "/api/v1/incidents/"+url.PathEscape(inc.ID))
	}
	carried := map[string]bool{}
	for _, target := range jsons {
		resp, body := hostileGet(t, srv.base+target)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %q", target, resp.StatusCode, resp.Header.Get("Content-Type"))
			continue
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("%s: not JSON: %v", target, err)
		}
		if strings.ContainsAny(string(body), "<>") {
			t.Errorf("%s: raw < or > in JSON", target)
		}
		s := string(body)
		for _, marker := range []string{"xss-svc", "xss-text", "xss-author", "xss-url", "xss-official"} {
			if strings.Contains(s, marker) {
				carried[marker] = true
			}
		}
	}
	for _, marker := range []string{"xss-svc", "xss-text", "xss-author", "xss-url", "xss-official"} {
		if !carried[marker] {
			t.Errorf("no JSON response carried %s: the payloads did not reach the API", marker)
		}
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
}
