package main

// Hostile input and exposure against the real `serve` wiring: a real Bleve index in a
// temporary data directory, real detection, the real HTTP server on loopback. See
// docs/RELIABILITY.md ("Hostile input", "Exposure") for what these tests establish.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/dashboard/webhook"
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

// hostileServe runs serve in-process on 127.0.0.1:0 unless o says otherwise (logging at
// debug level unless o says otherwise), keeping its log output for the tests that
// inspect it. stop cancels serve and reports how it returned; it also runs at cleanup.
func hostileServe(t *testing.T, o serveOptions, getenv func(string) string) hostileServer {
	t.Helper()
	return serveForTest(t, o, getenv, 15*time.Second)
}

// serveForTest is hostileServe with the time stop allows serve to return.
func serveForTest(t *testing.T, o serveOptions, getenv func(string) string, stopWithin time.Duration) hostileServer {
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
			case <-time.After(stopWithin):
				stopErr = fmt.Errorf("serve did not return within %s of cancellation", stopWithin)
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
	t.Logf("%d pages and fragments, %d chart and API responses checked; %d incidents, %d events over the hostile data", len(pages), len(jsons), len(incs), len(evs))
	for _, marker := range []string{"xss-svc", "xss-text", "xss-author", "xss-url", "xss-official"} {
		if !carried[marker] {
			t.Errorf("no JSON response carried %s: the payloads did not reach the API", marker)
		}
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
}

// hostileBound is the time any single hostile request must answer within. The server's
// own per-request budget is 10 s (dashboard.Config.RequestTimeout); measured answers
// are in milliseconds, so 5 s leaves room for -race on two shared cores.
const hostileBound = 5 * time.Second

// hostileRaw sends one raw HTTP/1.1 request (exact bytes: no client-side cleaning or
// escaping) and reads the response.
func hostileRaw(t *testing.T, addr, raw string, body io.Reader) (*http.Response, []byte, time.Duration) {
	t.Helper()
	start := time.Now()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatalf("dial: %v (server down?)", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatalf("write: %v", err)
	}
	if body != nil {
		go func() { _, _ = io.Copy(c, body) }() // the server may answer (and close) before reading it
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	resp.Body.Close()
	return resp, b, time.Since(start)
}

func hostileGetLine(target string) string {
	return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
}

// hostileAttack is one hostile request and the answer it must get.
type hostileAttack struct {
	name   string
	raw    string    // the request's bytes up to the body
	body   io.Reader // sent after raw, if any
	status []int     // acceptable statuses
	code   string    // JSON error code expected; "" with page for HTML, neither for net/http's own plain answers
	page   bool      // an HTML page (error page or escaped results)
	has    string    // the error message must contain this (the parameter it names)
}

func hostileAttacks() []hostileAttack {
	var a []hostileAttack
	get := func(name, target string, status int, code, has string) {
		a = append(a, hostileAttack{name: name, raw: hostileGetLine(target), status: []int{status}, code: code, has: has})
	}
	search := func(name, q string, status ...int) {
		a = append(a, hostileAttack{name: "api search " + name, raw: hostileGetLine("/api/v1/search?q=" + url.QueryEscape(q)), status: status, code: map[bool]string{true: "invalid"}[slices.Contains(status, 400) && !slices.Contains(status, 200)]})
		a = append(a, hostileAttack{name: "page search " + name, raw: hostileGetLine("/search?q=" + url.QueryEscape(q)), status: status, page: true})
	}

	// Sizes.
	get("9 KiB query string", "/api/v1/search?q="+strings.Repeat("a", 9<<10), 414, "uri_too_long", "8192")
	get("9 KiB page URL", "/search?q="+strings.Repeat("%3Cscript%3E", 800), 414, "", "")
	a[len(a)-1].page = true
	a = append(a,
		hostileAttack{name: "1 MiB request line", raw: hostileGetLine("/api/v1/search?q=" + strings.Repeat("a", 1<<20)), status: []int{431}},
		hostileAttack{name: "64 KiB header", raw: "GET /api/v1/services HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("b", 64<<10) + "\r\nConnection: close\r\n\r\n", status: []int{431}},
		hostileAttack{name: "10 MiB body announced, GET", raw: "GET /api/v1/services HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\nConnection: close\r\n\r\n",
			body: io.LimitReader(zeroReader{}, 1<<20), status: []int{413}, code: "too_large"},
		hostileAttack{name: "10 MiB body, POST", raw: "POST /api/v1/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\nConnection: close\r\n\r\n",
			body: io.LimitReader(zeroReader{}, 10<<20), status: []int{413}, code: "too_large"},
		hostileAttack{name: "chunked body", raw: "POST /api/v1/services HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
			body: strings.NewReader("4\r\nabcd\r\n0\r\n\r\n"), status: []int{413}, code: "too_large"},
		hostileAttack{name: "body on a page", raw: "POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\n",
			body: strings.NewReader("q=x"), status: []int{413}, page: true},
		hostileAttack{name: "raw NUL in the request line", raw: "GET /api/v1/incidents/a\x00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", status: []int{400}},
		hostileAttack{name: "absolute-form URL to another host", raw: "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n",
			status: []int{404}, page: true},
	)
	get("700 repeated parameters", "/api/v1/incidents?"+strings.Repeat("state=open&", 700), 400, "invalid", `"state"`)
	get("unknown parameter", "/api/v1/services/chatgpt/series?stp=5m", 400, "invalid", `"stp"`)

	// Bleve query syntax abuse.
	search("match all", "*", 200)
	search("short wildcard", "a*", 400)
	search("leading wildcard", "*own", 400)
	search("wildcard bomb", "do*"+strings.Repeat("?*", 30), 200, 400)
	search("bounded wildcard", "do*", 200)
	search("many wildcards", strings.TrimSpace(strings.Repeat("do* ch* cl* zo* er* lo* ", 10)), 200, 400)
	search("regexp all", "/.*/", 400)
	// Each of these cost Bleve's automaton builder seconds of CPU that no timeout
	// stopped (5 s, 87 s, 3 s, 3.3 s measured) before index.checkAutomaton.
	search("regexp subset-construction bomb", "/do.*a"+strings.Repeat(".", 56)+"/", 400)
	search("regexp nested counted repetition", "/do(.{0,30}){0,30}/", 400)
	search("regexp unicode classes", `/do\pL{12}/`, 400)
	search("wildcard subset-construction bomb", "do*a"+strings.Repeat("?", 40)+"z", 200, 400)
	// Trailing '?' are punctuation ("is chatgpt down?"), so this one is just "do*a".
	search("wildcard bomb ending in ?", "do*a"+strings.Repeat("?", 40), 200)
	search("regexp counted repetition", "/do[a-z]{1,1000}/", 400)
	search("regexp nested stars", "/do((((((((a*)*)*)*)*)*)*)*)/", 200, 400)
	search("regexp alternation blowup", "/do(a|aa|aaa|aaaa)*(b|bb|bbb)*(.|..)*x/", 200, 400)
	search("regexp long", "/do"+strings.Repeat(".", 70)+"/", 400)
	search("regexp unbalanced", "/do(/", 400)
	search("deeply nested groups", strings.Repeat("(", 400)+"down"+strings.Repeat(")", 400), 200, 400)
	// Bleve's parser reads an unmatched "(" as part of a term: 200, never a 500.
	search("unbalanced groups", strings.Repeat("(", 500)+"down", 200, 400)
	search("huge fuzziness", "chatgpt~50", 400)
	search("max fuzziness on many terms", strings.TrimSpace(strings.Repeat("down~2 chatgpt~2 error~2 broken~2 ", 15)), 200, 400)
	search("phrase slop", `"chatgpt is down"~1000000`, 200, 400)
	search("many terms", strings.Repeat("w ", 300), 400)
	search("1 KiB of one term", strings.Repeat("x", 1024), 200)
	search("over 1 KiB", strings.Repeat("x", 1025), 400)
	search("unknown field", "nope:x", 400)
	search("numeric range", "text:>3", 400)
	search("bad time range", `created_at:>"yesterday"`, 400)
	search("extreme time range", `created_at:>"0001-01-01T00:00:00Z" created_at:<"9999-12-31T23:59:59Z"`, 200)
	search("NUL", "\x00", 200, 400)
	search("operators only", "+-+-!!^^~~", 200, 400)
	search("boosts", "down^1000000000000", 200, 400)
	search("script", `<script>alert("q")</script>`, 200, 400)
	a = append(a, hostileAttack{name: "api search invalid UTF-8", raw: hostileGetLine("/api/v1/search?q=%ff%fe"), status: []int{400}, code: "invalid", has: "UTF-8"})

	// Path traversal in ids.
	for _, p := range []string{"/api/v1/incidents/", "/api/v1/events/", "/api/v1/services/"} {
		for _, id := range []string{"..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e%2e", "x%00y", "%00", "..%5c..%5cwindows%5cwin.ini", "%252e%252e%252fetc", strings.Repeat("a", 5000)} {
			get("traversal "+p+id[:min(len(id), 20)], p+id, 404, "not_found", "")
		}
	}
	for _, p := range []string{"/incidents/", "/events/", "/services/"} {
		a = append(a, hostileAttack{name: "page traversal " + p, raw: hostileGetLine(p + "..%2f..%2fetc%2fpasswd"), status: []int{404}, page: true})
		a = append(a, hostileAttack{name: "page NUL " + p, raw: hostileGetLine(p + "%00%3Cscript%3E"), status: []int{404}, page: true})
	}
	get("series of a traversal id", "/api/v1/services/..%2fchatgpt/series", 404, "not_found", "")
	get("asset traversal", "/assets/..%2f..%2fgo.mod", 404, "", "")
	a[len(a)-1].page = true
	a = append(a,
		// The mux cleans dot segments and redirects on this host; nothing is read.
		hostileAttack{name: "dot segments", raw: hostileGetLine("/api/v1/incidents/../../../etc/passwd"), status: []int{301, 307, 308}},
		hostileAttack{name: "asset dot segments", raw: hostileGetLine("/assets/../../go.mod"), status: []int{301, 307, 308}},
	)

	// Malformed RFC 3339 times.
	for _, v := range []string{"2024-13-45T25:61:61Z", "2024-06-04", "2024-06-04T14:00:00", "2024-06-04T14:00:00+99:99", "10000-01-01T00:00:00Z",
		"0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "-2024-06-04T14:00:00Z", "2024-06-04T14:00:00Zjunk", "%00", "%ff", "1717500000", "now", "2024-06-04%2014:00:00Z",
		"2024-06-04T14:00:00.%2BZ", "2024-06-04T24:00:00Z", "2024-02-30T00:00:00Z"} {
		get("from="+v, "/api/v1/services/chatgpt/series?from="+v, 400, "invalid", `"from"`)
		get("incidents to="+v, "/api/v1/incidents?to="+v, 400, "invalid", `"to"`)
		get("search from="+v, "/api/v1/search?q=down&from="+v, 400, "invalid", `"from"`)
	}
	get("from after to", "/api/v1/events?from=2024-06-04T15:00:00Z&to=2024-06-04T14:00:00Z", 400, "invalid", `"from"`)
	get("range beyond 31 days", "/api/v1/search?q=down&from=2000-01-01T00:00:00Z&to=2024-01-01T00:00:00Z", 400, "invalid", `"from"`)

	// Negative or enormous limits, offsets and steps.
	for _, v := range []string{"-1", "0", "1001", "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "1e3", "0x10", "1.5", "five", "%00"} {
		get("limit="+v, "/api/v1/incidents?limit="+url.QueryEscape(v), 400, "invalid", `"limit"`)
		get("search limit="+v, "/api/v1/search?q=down&limit="+url.QueryEscape(v), 400, "invalid", `"limit"`)
	}
	for _, v := range []string{"-1", "10001", "99999999999999999999999", "9223372036854775807", "1e9"} {
		get("offset="+v, "/api/v1/events?offset="+url.QueryEscape(v), 400, "invalid", `"offset"`)
		get("search offset="+v, "/api/v1/search?q=down&offset="+url.QueryEscape(v), 400, "invalid", `"offset"`)
	}
	get("search page beyond the window", "/api/v1/search?q=down&offset=9990&limit=50", 400, "invalid", `"offset"`)
	for _, v := range []string{"-5m", "0", "0s", "1ns", "30s", "90s", "25h", "9223372036854775807ns", "2562048h", "99999999999h", "1e9h", "P1D"} {
		get("step="+v, "/api/v1/services/chatgpt/series?step="+url.QueryEscape(v), 400, "invalid", `"step"`)
		get("search step="+v, "/api/v1/search?q=down&step="+url.QueryEscape(v), 400, "invalid", `"step"`)
	}
	get("too many points", "/api/v1/services/chatgpt/series?from=2024-05-05T00:00:00Z&to=2024-06-04T00:00:00Z&step=1m", 400, "invalid", `"step"`)
	for _, v := range []string{"-1h", "999999d", "%3Cscript%3E"} {
		a = append(a, hostileAttack{name: "page range=" + v, raw: hostileGetLine("/?range=" + v), status: []int{400}, page: true})
	}
	get("chart range", "/ui/charts/overview?range=100y", 400, "invalid", `"range"`)
	return a
}

// zeroReader is an endless body.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestHostileRequests sends every attack of hostileAttacks to a running serve over a
// real index: each gets its status with a JSON error naming the parameter (or an
// escaped HTML page, or net/http's own plain 400/431 before any handler runs), within
// hostileBound, and the server answers /healthz and a real search after each.
func TestHostileRequests(t *testing.T) {
	dir := t.TempDir()
	cfgPath := hostileConfig(t, dir, "")
	data := filepath.Join(dir, "data")
	hostileData(t, cfgPath, data)
	srv := hostileServe(t, serveOptions{configPath: cfgPath, dataDir: data}, nil)
	addr := strings.TrimPrefix(srv.base, "http://")

	var slowest time.Duration
	slowName := ""
	attacks := hostileAttacks()
	for _, at := range attacks {
		resp, body, took := hostileRaw(t, addr, at.raw, at.body)
		if took > slowest {
			slowest, slowName = took, at.name
		}
		if strings.HasPrefix(at.name, "api search") {
			t.Logf("%-40s %d %6.1f ms", at.name, resp.StatusCode, float64(took.Microseconds())/1000)
		}
		if took > hostileBound {
			t.Errorf("%s: took %s (bound %s)", at.name, took, hostileBound)
		}
		if !slices.Contains(at.status, resp.StatusCode) {
			t.Errorf("%s: status %d, want %v: %.300s", at.name, resp.StatusCode, at.status, body)
		}
		ct := resp.Header.Get("Content-Type")
		switch {
		case at.code != "" && resp.StatusCode >= 400:
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if !strings.HasPrefix(ct, "application/json") || json.Unmarshal(body, &e) != nil || e.Error.Code != at.code || e.Error.Message == "" {
				t.Errorf("%s: not a JSON %q error: %s %.300s", at.name, at.code, ct, body)
			} else if !strings.Contains(e.Error.Message, at.has) {
				t.Errorf("%s: message %q does not name %s", at.name, e.Error.Message, at.has)
			}
		case at.page:
			if !strings.HasPrefix(ct, "text/html") {
				t.Errorf("%s: Content-Type %q", at.name, ct)
			}
			probs, _ := hostileMarkup(body)
			for _, p := range probs {
				t.Errorf("%s: %s", at.name, p)
			}
		case resp.StatusCode == 301 || resp.StatusCode == 307 || resp.StatusCode == 308:
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
				t.Errorf("%s: redirect to %q", at.name, loc)
			}
		}
		if strings.Contains(string(body), "module github.com") || strings.Contains(string(body), "root:x:") {
			t.Errorf("%s: a file leaked", at.name)
		}
		// Still up, and still searching.
		if r, b, _ := hostileRaw(t, addr, hostileGetLine("/healthz"), nil); r.StatusCode != 200 {
			t.Fatalf("after %s: /healthz %d %s", at.name, r.StatusCode, b)
		}
	}
	resp, body := hostileGet(t, srv.base+"/api/v1/search?q=down")
	var res struct{ Total int }
	if resp.StatusCode != 200 || json.Unmarshal(body, &res) != nil || res.Total == 0 {
		t.Fatalf("search after the attacks: %d %s", resp.StatusCode, body)
	}
	t.Logf("%d hostile requests; slowest %s (%s); bound %s", len(attacks), slowest, slowName, hostileBound)
	if err := srv.stop(); err != nil {
		t.Fatalf("serve after the attacks: %v", err)
	}
}

// hostileQuietConfig is a config with no source at all: serve reaches nothing.
func hostileQuietConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	path := filepath.Join(dir, "quiet.yaml")
	if err := os.WriteFile(path, []byte("sources: []\n"+extra), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeDefaultAddrIsLoopback: with no --addr and no server.addr, serve listens on
// 127.0.0.1:8080 (or, when another process holds that port, says it cannot listen
// there); isLoopback classifies addresses as the refusal below relies on.
func TestServeDefaultAddrIsLoopback(t *testing.T) {
	dir := t.TempDir()
	cfg := hostileQuietConfig(t, dir, "")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	logs := &syncBuffer{}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs, getenv: func(string) string { return "" }}
	o := serveOptions{configPath: cfg, dataDir: filepath.Join(dir, "data"), logLevel: "warn", ready: func(a string) { ready <- a }}
	go func() { done <- serve(ctx, e, o) }()
	select {
	case addr := <-ready:
		if addr != "127.0.0.1:8080" {
			t.Errorf("default listen address %s, want 127.0.0.1:8080", addr)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "cannot listen on 127.0.0.1:8080") {
			t.Fatalf("serve with the default address: %v", err)
		}
		t.Logf("127.0.0.1:8080 is busy here; serve tried it: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	for _, tt := range []struct {
		addr     string
		loopback bool
		err      bool
	}{
		{"127.0.0.1:8080", true, false}, {"127.1.2.3:0", true, false}, {"localhost:0", true, false}, {"[::1]:0", true, false},
		{"0.0.0.0:8080", false, false}, {":8080", false, false}, {"[::]:0", false, false}, {"192.0.2.10:80", false, false},
		{"[::ffff:127.0.0.1]:0", true, false}, {"example.com:80", false, true}, {"localhost.evil.example:80", false, true}, {"127.0.0.1", false, true},
	} {
		lb, err := isLoopback(tt.addr)
		if lb != tt.loopback || (err != nil) != tt.err {
			t.Errorf("isLoopback(%q) = %v, %v", tt.addr, lb, err)
		}
	}
}

// TestServeRefusesOpenBindWithoutToken: binding beyond loopback with no API token is a
// usage error (exit 2) that names the remedies, before the data directory is touched;
// --insecure-no-auth overrides it and then the API answers without a token.
func TestServeRefusesOpenBindWithoutToken(t *testing.T) {
	dir := t.TempDir()
	cfg := hostileQuietConfig(t, dir, "")
	data := filepath.Join(dir, "data")
	// A serve that wrongly starts is stopped after a while and then fails the test
	// (exit 0) instead of hanging it.
	refused := func(args ...string) (int, string, string) {
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		var out, errb strings.Builder
		code := run(ctx, args, strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.10:0"} {
		code, _, stderr := refused("serve", "--config", cfg, "--data", data, "--addr", addr)
		if code != exitUsage || !strings.Contains(stderr, "OUTCRY_API_TOKEN") || !strings.Contains(stderr, "--insecure-no-auth") {
			t.Errorf("--addr %s: exit %d: %s", addr, code, stderr)
		}
	}
	// The config's server.addr is held to the same rule.
	open := hostileQuietConfig(t, t.TempDir(), "server:\n  addr: 0.0.0.0:0\n")
	if code, _, stderr := refused("serve", "--config", open, "--data", data); code != exitUsage || !strings.Contains(stderr, "not a loopback address") {
		t.Errorf("server.addr 0.0.0.0:0: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("a refused serve touched the data directory: %v", err)
	}

	srv := hostileServe(t, serveOptions{configPath: cfg, dataDir: data, addr: "0.0.0.0:0", noAuth: true, logLevel: "warn"}, nil)
	if resp, body := hostileGet(t, srv.base+"/api/v1/services"); resp.StatusCode != 200 {
		t.Errorf("--insecure-no-auth: API %d %s", resp.StatusCode, body)
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
}

// TestServeTokenOffLoopback: with OUTCRY_API_TOKEN (or the variable server.token_env
// names) set, serve binds 0.0.0.0 and then the JSON API and /metrics need the bearer
// token (401 without it or with a wrong one, never via ?token=), pages show only a
// login form until ?token= sets a session cookie (HttpOnly, SameSite=Strict, not the
// token itself), and /healthz and /assets stay open.
func TestServeTokenOffLoopback(t *testing.T) {
	const token = "tok-3f9c1b7e5a2d48c6"
	for _, tc := range []struct {
		name   string
		extra  string
		envVar string
	}{
		{"OUTCRY_API_TOKEN", "", "OUTCRY_API_TOKEN"},
		{"server.token_env", "server:\n  token_env: MY_DASHBOARD_TOKEN\n", "MY_DASHBOARD_TOKEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := hostileQuietConfig(t, dir, tc.extra)
			getenv := func(k string) string {
				if k == tc.envVar {
					return token
				}
				return ""
			}
			srv := hostileServe(t, serveOptions{configPath: cfg, dataDir: filepath.Join(dir, "data"), addr: "0.0.0.0:0", logLevel: "warn"}, getenv)
			b := srv.base
			for _, p := range []string{"/api/v1/services", "/api/v1/incidents", "/api/v1/search?q=down", "/api/v1/sources", "/metrics", "/ui/charts/overview", "/api/v1/services?token=" + token} {
				for _, auth := range []string{"", "Bearer wrong", "Bearer " + token + "x", "Basic " + token, token} {
					resp, body := hostileGet(t, b+p, "Authorization", auth)
					var e struct {
						Error struct{ Code string } `json:"error"`
					}
					if resp.StatusCode != 401 || json.Unmarshal(body, &e) != nil || e.Error.Code != "unauthorized" || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("%s with %q: %d %.200s", p, auth, resp.StatusCode, body)
					}
				}
				if strings.Contains(p, "token=") {
					continue
				}
				if resp, body := hostileGet(t, b+p, "Authorization", "Bearer "+token); resp.StatusCode != 200 {
					t.Errorf("%s with the token: %d %s", p, resp.StatusCode, body)
				}
			}
			for _, p := range []string{"/healthz", "/assets/app.js"} {
				if resp, _ := hostileGet(t, b+p); resp.StatusCode != 200 {
					t.Errorf("%s without a token: %d", p, resp.StatusCode)
				}
			}
			// Pages: a login form that shows no data, then the ?token= cookie flow.
			resp, body := hostileGet(t, b+"/services/chatgpt?range=7d")
			if resp.StatusCode != 401 || !strings.Contains(string(body), `name="token"`) || strings.Contains(string(body), "ChatGPT") {
				t.Fatalf("page without a session: %d %s", resp.StatusCode, body)
			}
			if resp, _ := hostileGet(t, b+"/services/chatgpt?token=wrong"); resp.StatusCode != 401 {
				t.Errorf("page with a wrong token: %d", resp.StatusCode)
			}
			resp, _ = hostileGet(t, b+"/services/chatgpt?range=7d&token="+token)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/services/chatgpt?range=7d" {
				t.Fatalf("?token=: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			cookies := resp.Cookies()
			if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode || strings.Contains(cookies[0].Value, token) {
				t.Fatalf("session cookie %+v", cookies)
			}
			cookie := cookies[0].Name + "=" + cookies[0].Value
			for _, p := range []string{"/services/chatgpt?range=7d", "/", "/search?q=down", "/sources", "/ui/fragments/cards", "/api/v1/services"} {
				if resp, body := hostileGet(t, b+p, "Cookie", cookie); resp.StatusCode != 200 {
					t.Errorf("%s with the session cookie: %d %.200s", p, resp.StatusCode, body)
				}
			}
			if resp, _ := hostileGet(t, b+"/", "Cookie", cookies[0].Name+"="+token); resp.StatusCode != 401 {
				t.Errorf("a cookie holding the raw token was accepted: %d", resp.StatusCode)
			}
			if err := srv.stop(); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(srv.logs.String(), token) {
				t.Errorf("the token appears in serve's log")
			}
		})
	}
}

// TestServeNeverFetchesRequestURLs: the dashboard has no outbound HTTP client (checked
// in its source), and a running serve given a local "canary" URL in every parameter of
// every route, in path ids, in headers and as an absolute-form request target never
// contacts the canary.
func TestServeNeverFetchesRequestURLs(t *testing.T) {
	// The source check: no HTTP client, dialer or raw socket in the dashboard
	// (dashboard/webhook posts to operator-configured URLs only and is checked apart).
	files, err := filepath.Glob(filepath.Join("..", "..", "dashboard", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("dashboard sources: %v", err)
	}
	outbound := regexp.MustCompile(`http\.(Get|Post|PostForm|Head|NewRequest\w*|DefaultClient|DefaultTransport|Client\b|Transport\b)|net\.Dial|\.Dial(Context)?\(|websocket\.Dial`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if m := outbound.FindString(line); m != "" && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d: outbound network use %q in the dashboard", f, i+1, m)
			}
		}
	}

	var hits atomic.Int64
	var first atomic.Value
	canary := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		first.CompareAndSwap(nil, r.Method+" "+r.URL.String())
	}))
	defer canary.Close()
	cu := canary.URL + "/canary"
	cHost := strings.TrimPrefix(canary.URL, "http://")

	dir := t.TempDir()
	cfgPath := hostileConfig(t, dir, "")
	data := filepath.Join(dir, "data")
	hostileData(t, cfgPath, data)
	srv := hostileServe(t, serveOptions{configPath: cfgPath, dataDir: data}, nil)
	addr := strings.TrimPrefix(srv.base, "http://")

	var incs []outcry.Incident
	_, body := hostileGet(t, srv.base+"/api/v1/incidents")
	if json.Unmarshal(body, &incs) != nil || len(incs) == 0 {
		t.Fatalf("no incidents: %s", body)
	}
	routes := []string{"/", "/search", "/sources", "/services/chatgpt", "/incidents/" + incs[0].ID, "/events/x",
		"/ui/fragments/cards", "/ui/fragments/incidents", "/ui/fragments/sources", "/ui/charts/overview", "/ui/charts/services/chatgpt",
		"/api/v1/services", "/api/v1/services/chatgpt", "/api/v1/services/chatgpt/series", "/api/v1/incidents", "/api/v1/incidents/" + incs[0].ID,
		"/api/v1/events", "/api/v1/search", "/api/v1/sources", "/api/v1/openapi.json", "/healthz", "/metrics", "/assets/app.js"}
	params := []string{"q", "service", "source", "lang", "from", "to", "step", "range", "limit", "offset", "state", "sort", "complaints", "token",
		"url", "callback", "redirect", "next", "feed", "webhook", "src", "image"}
	values := []string{cu, "http://" + cHost, cHost, "//" + cHost + "/x", "url:" + cu, `"` + cu + `"`, "/" + cu + "/"}
	n := 0
	send := func(raw string) {
		n++
		resp, _, _ := hostileRaw(t, addr, raw, nil)
		if resp.StatusCode >= 500 {
			t.Errorf("%q: %d", raw[:min(len(raw), 120)], resp.StatusCode)
		}
	}
	for _, r := range routes {
		for _, v := range values {
			q := url.Values{}
			for _, p := range params {
				q.Set(p, v)
			}
			send(hostileGetLine(r + "?" + q.Encode()))                             // every parameter at once (mostly refused as unknown)
			send(hostileGetLine(r + "?q=" + url.QueryEscape(v)))                   // and one that routes accept
			send(hostileGetLine(r + "?q=down&service=" + url.QueryEscape(v)))      // filters
			send(hostileGetLine(r + "?from=" + url.QueryEscape(v) + "&q=down"))    // times
			send(hostileGetLine(r + "?range=" + url.QueryEscape(v)))               // page ranges
			send(hostileGetLine(r + "?q=down&source=" + url.QueryEscape(v)))       // sources
			send(hostileGetLine(r + "?token=" + url.QueryEscape(v) + "&q=down"))   // the page-auth parameter
			send(hostileGetLine(r + "?q=down&lang=" + url.QueryEscape(v) + "&x=")) // languages
		}
		// Headers a proxy-aware server might follow.
		send("GET " + r + " HTTP/1.1\r\nHost: " + cHost + "\r\nReferer: " + cu + "\r\nOrigin: " + canary.URL +
			"\r\nX-Forwarded-Host: " + cHost + "\r\nX-Forwarded-For: 127.0.0.1\r\nForwarded: host=" + cHost +
			"\r\nX-Original-URL: " + cu + "\r\nX-Rewrite-URL: " + cu + "\r\nConnection: close\r\n\r\n")
	}
	for _, id := range []string{url.PathEscape(cu), url.PathEscape(cHost), url.QueryEscape(cu)} {
		for _, p := range []string{"/services/", "/incidents/", "/events/", "/api/v1/services/", "/api/v1/incidents/", "/api/v1/events/", "/ui/charts/services/", "/assets/"} {
			send(hostileGetLine(p + id))
		}
	}
	// Absolute-form targets, as sent to a forward proxy.
	for _, target := range []string{cu, canary.URL + "/api/v1/services", "http://" + cHost + "/"} {
		send("GET " + target + " HTTP/1.1\r\nHost: " + cHost + "\r\nConnection: close\r\n\r\n")
	}
	send("CONNECT " + cHost + " HTTP/1.1\r\nHost: " + cHost + "\r\n\r\n")

	// Every request above has been answered; anything the server started because of
	// one would have had the whole run to reach the canary. Stop serve so nothing is
	// left in flight, then count.
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	if h := hits.Load(); h != 0 {
		t.Fatalf("the canary received %d requests (first: %v)", h, first.Load())
	}
	t.Logf("%d requests carried the canary URL; the canary received none", n)
}

// TestServeNeverLogsSecrets runs the demo with webhooks configured (one receiver that
// verifies signatures, one that fails, one unreachable; hook URLs carrying a token in
// their path as Slack's do), an API token, and requests that present right and wrong
// tokens, at debug level; then no log line contains the webhook secret, the hook URL
// tokens or the API token, while the logs show the deliveries happened.
func TestServeNeverLogsSecrets(t *testing.T) {
	const (
		secret    = "whsec-7f3a9c2e1d5b4a68"
		apiToken  = "api-tok-c4e8a1f2b9d7"
		pathToken = "T0PATHSECRETB9X2"
	)
	var delivered, verified atomic.Int64
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		delivered.Add(1)
		if webhook.Verify(secret, body, r.Header.Get("X-Outcry-Signature")) {
			verified.Add(1)
		}
	}))
	defer good.Close()
	var failed atomic.Int64
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failed.Add(1)
		http.Error(w, "nope "+r.URL.Path, http.StatusInternalServerError)
	}))
	defer bad.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := "http://" + ln.Addr().String()
	ln.Close()

	dir := t.TempDir()
	cfg := hostileQuietConfig(t, dir, fmt.Sprintf(`alerts:
  webhooks:
    - url: %s/services/%s/hook
      format: slack
      secret_env: OUTCRY_WEBHOOK_SECRET
    - url: %s/hooks/%s
      secret_env: OUTCRY_WEBHOOK_SECRET
    - url: %s/x/%s
      secret_env: OUTCRY_WEBHOOK_SECRET
`, good.URL, pathToken, bad.URL, pathToken, unreachable, pathToken))
	getenv := func(k string) string {
		switch k {
		case "OUTCRY_WEBHOOK_SECRET":
			return secret
		case "OUTCRY_API_TOKEN":
			return apiToken
		}
		return ""
	}
	srv := hostileServe(t, serveOptions{configPath: cfg, dataDir: filepath.Join(dir, "demo"), demo: true, demoSpeed: 600, demoFrom: "06:30",
		scenario: "2024-06-04", seed: 1, scale: 0.5, logLevel: "debug"}, getenv)

	// Requests with right, wrong and misplaced tokens, and errors that get logged.
	for _, h := range [][]string{
		{"Authorization", "Bearer " + apiToken}, {"Authorization", "Bearer " + apiToken + "x"}, {"Authorization", "Basic " + apiToken},
		{"Authorization", "Bearer " + secret}, {"Cookie", "outcry_session=" + apiToken}, nil,
	} {
		for _, p := range []string{"/api/v1/services", "/api/v1/incidents?limit=-1", "/api/v1/search?q=%28", "/metrics", "/nowhere", "/?token=" + apiToken, "/?token=" + secret, "/api/v1/services?token=" + apiToken} {
			hostileGet(t, srv.base+p, h...)
		}
	}
	// Wait for the demo's morning outage to be delivered and for the failing hooks to
	// have been tried and logged.
	deadline := time.Now().Add(60 * time.Second)
	for verified.Load() == 0 || failed.Load() == 0 || !strings.Contains(srv.logs.String(), "retrying") {
		if time.Now().After(deadline) {
			t.Fatalf("no webhook traffic: delivered %d (verified %d), failed %d\n%s", delivered.Load(), verified.Load(), failed.Load(), srv.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	logs := srv.logs.String()
	for name, s := range map[string]string{"webhook secret": secret, "API token": apiToken, "hook URL token": pathToken} {
		if strings.Contains(logs, s) {
			for _, line := range strings.Split(logs, "\n") {
				if strings.Contains(line, s) {
					t.Errorf("the %s is logged: %s", name, line)
				}
			}
		}
	}
	if !strings.Contains(logs, "webhook delivered") {
		t.Errorf("no delivery logged:\n%s", logs)
	}
	t.Logf("%d deliveries (%d with a valid signature), %d failed attempts, %d log bytes checked", delivered.Load(), verified.Load(), failed.Load(), len(logs))
}
