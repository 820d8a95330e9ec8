//go:build e2e

package main

// The browser test (make e2e): starts `outcry serve --demo` as a real process on a free
// loopback port, loads the overview in Debian's headless chromium over the DevTools
// protocol, and asserts from the DOM that the charts drew with data and that every
// request the page made stayed on the app's own origin. It keeps screenshots in
// e2e-artifacts/.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestE2EDashboard(t *testing.T) {
	bin := os.Getenv("OUTCRY_BIN")
	if bin == "" {
		t.Fatal("OUTCRY_BIN must name the outcry binary (make e2e sets it)")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("chromium not found at %s (make e2e installs Debian's chromium)", chromium)
	}
	artifacts := os.Getenv("OUTCRY_E2E_OUT")
	if artifacts == "" {
		artifacts = filepath.Join("..", "..", "e2e-artifacts")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()

	// 1. The server, as a user starts it, in the afternoon of the scenario: ChatGPT,
	// Perplexity and Claude all down.
	base, _ := startServe(t, bin, nil, "--demo", "--demo-from", "15:20", "--demo-speed", "60")

	// 2. Chromium with the DevTools protocol on a random port.
	cdp := startChromium(t, ctx, chromium)
	page := cdp.newPage(t, ctx)
	page.call(t, ctx, "Network.enable", nil)
	page.call(t, ctx, "Page.enable", nil)
	page.call(t, ctx, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 1366, "height": 1800, "deviceScaleFactor": 1, "mobile": false})
	page.call(t, ctx, "Page.navigate", map[string]any{"url": base + "/"})

	// 3. Wait until every chart drew and has data.
	type chartState struct {
		Drawn  string `json:"drawn"`
		Canvas int    `json:"canvas"`
		Series []int  `json:"series"`
	}
	const probe = `JSON.stringify(Array.from(document.querySelectorAll('.chart')).map(function (e) {
		var inst = (typeof echarts !== 'undefined') ? echarts.getInstanceByDom(e) : null;
		var series = inst ? (inst.getOption().series || []).map(function (s) { return (s.data || []).length; }) : [];
		return {drawn: e.getAttribute('data-drawn') || '', canvas: e.querySelectorAll('canvas').length, series: series};
	}))`
	var charts []chartState
	deadline := time.Now().Add(90 * time.Second)
	for {
		var raw string
		page.eval(t, ctx, probe, &raw)
		charts = nil
		_ = json.Unmarshal([]byte(raw), &charts)
		ok := len(charts) > 0
		points := 0
		for _, c := range charts {
			ok = ok && c.Drawn == "true" && c.Canvas > 0 && len(c.Series) > 0
			for _, n := range c.Series {
				points += n
			}
		}
		if ok && points > 0 {
			t.Logf("charts drew: %+v", charts)
			break
		}
		if time.Now().After(deadline) {
			page.screenshot(t, ctx, filepath.Join(artifacts, "overview-failed.png"))
			t.Fatalf("charts did not draw with data within 90s: %+v", charts)
		}
		time.Sleep(500 * time.Millisecond)
	}

	// 4. The page says it is simulated and shows the afternoon outages.
	var text string
	page.eval(t, ctx, `document.body.innerText`, &text)
	if !strings.Contains(strings.ToLower(text), "simulated") {
		t.Errorf("no 'simulated data' banner in the page text")
	}
	waitOutages(t, ctx, base, []string{"chatgpt", "claude", "perplexity"})
	// Let the page's live refresh pick up the latest state before the screenshot.
	page.call(t, ctx, "Page.reload", nil)
	time.Sleep(4 * time.Second)
	page.eval(t, ctx, `document.body.innerText`, &text)
	for _, name := range []string{"ChatGPT", "Claude", "Perplexity"} {
		if !strings.Contains(text, name) {
			t.Errorf("overview does not name %s", name)
		}
	}
	page.screenshot(t, ctx, filepath.Join(artifacts, "overview.png"))

	// 5. Nothing came from outside the app.
	for _, u := range page.requests() {
		if strings.HasPrefix(u, base+"/") || strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
			continue
		}
		t.Errorf("the page requested %s, outside the app", u)
	}
	if len(page.requests()) < 3 {
		t.Errorf("saw only %d requests; the network log is not working", len(page.requests()))
	}
	// The incident page of the correlated event renders too.
	var incs []struct {
		ID      string `json:"id"`
		Service string `json:"service"`
		EventID string `json:"event_id"`
	}
	getJSON(t, ctx, base+"/api/v1/incidents?state=open", &incs)
	for _, in := range incs {
		if in.Service == "claude" {
			page.call(t, ctx, "Page.navigate", map[string]any{"url": base + "/incidents/" + in.ID})
			time.Sleep(3 * time.Second)
			page.eval(t, ctx, `document.body.innerText`, &text)
			if !strings.Contains(strings.ToLower(text), "spillover") && !strings.Contains(strings.ToLower(text), "shared") {
				t.Errorf("the Claude incident page gives no correlation reading")
			}
			page.screenshot(t, ctx, filepath.Join(artifacts, "incident-claude.png"))
		}
	}
	for _, u := range page.requests() {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page requested %s, outside the app", u)
		}
	}
}

func waitOutages(t *testing.T, ctx context.Context, base string, ids []string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var svcs []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		getJSON(t, ctx, base+"/api/v1/services", &svcs)
		down := map[string]bool{}
		for _, s := range svcs {
			down[s.ID] = s.Status == "outage"
		}
		all := true
		for _, id := range ids {
			all = all && down[id]
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not all of %v in outage after 90s: %v", ids, down)
		}
		time.Sleep(time.Second)
	}
}

// cdpConn is a minimal Chrome DevTools Protocol client over the browser websocket,
// using flattened sessions for pages.
type cdpConn struct {
	ws     *websocket.Conn
	mu     sync.Mutex
	nextID int
	waits  map[int]chan cdpMsg
	events chan cdpMsg
	reqMu  sync.Mutex
	reqs   []string
}

type cdpMsg struct {
	ID        int                       `json:"id,omitempty"`
	Method    string                    `json:"method,omitempty"`
	Params    json.RawMessage           `json:"params,omitempty"`
	Result    json.RawMessage           `json:"result,omitempty"`
	Error     *struct{ Message string } `json:"error,omitempty"`
	SessionID string                    `json:"sessionId,omitempty"`
}

func startChromium(t *testing.T, ctx context.Context, chromium string) *cdpConn {
	t.Helper()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-quic", "--user-data-dir="+profile, "--remote-debugging-port=0", "about:blank")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var port, path string
	for i := 0; i < 200; i++ {
		b, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort"))
		if err == nil {
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if len(lines) == 2 {
				port, path = lines[0], lines[1]
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if port == "" {
		t.Fatal("chromium did not open its DevTools port")
	}
	ws, _, err := websocket.Dial(ctx, "ws://127.0.0.1:"+port+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(64 << 20)
	c := &cdpConn{ws: ws, waits: map[int]chan cdpMsg{}, events: make(chan cdpMsg, 1024)}
	go c.read(ctx)
	t.Cleanup(func() { ws.Close(websocket.StatusNormalClosure, "") })
	return c
}

func (c *cdpConn) read(ctx context.Context) {
	for {
		_, data, err := c.ws.Read(ctx)
		if err != nil {
			return
		}
		var m cdpMsg
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		if m.ID != 0 {
			c.mu.Lock()
			ch := c.waits[m.ID]
			delete(c.waits, m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		if m.Method == "Network.requestWillBeSent" {
			var p struct {
				Request struct{ URL string } `json:"request"`
			}
			if json.Unmarshal(m.Params, &p) == nil {
				c.reqMu.Lock()
				c.reqs = append(c.reqs, p.Request.URL)
				c.reqMu.Unlock()
			}
		}
	}
}

func (c *cdpConn) send(ctx context.Context, session, method string, params any) (json.RawMessage, error) {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan cdpMsg, 1)
	c.waits[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	b, _ := json.Marshal(msg)
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		return nil, err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		return m.Result, nil
	case <-time.After(60 * time.Second):
		return nil, fmt.Errorf("%s: no answer", method)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type cdpPage struct {
	c       *cdpConn
	session string
}

func (c *cdpConn) newPage(t *testing.T, ctx context.Context) *cdpPage {
	t.Helper()
	res, err := c.send(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err != nil {
		t.Fatal(err)
	}
	var tgt struct{ TargetID string }
	json.Unmarshal(res, &tgt)
	res, err = c.send(ctx, "", "Target.attachToTarget", map[string]any{"targetId": tgt.TargetID, "flatten": true})
	if err != nil {
		t.Fatal(err)
	}
	var att struct{ SessionID string }
	json.Unmarshal(res, &att)
	return &cdpPage{c: c, session: att.SessionID}
}

func (p *cdpPage) call(t *testing.T, ctx context.Context, method string, params any) json.RawMessage {
	t.Helper()
	res, err := p.c.send(ctx, p.session, method, params)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (p *cdpPage) eval(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	res := p.call(t, ctx, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Result.Value) > 0 {
		json.Unmarshal(r.Result.Value, out)
	}
}

func (p *cdpPage) screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	res := p.call(t, ctx, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true})
	var r struct{ Data string }
	json.Unmarshal(res, &r)
	b, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil || len(b) == 0 {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(b))
}

func (p *cdpPage) requests() []string {
	p.c.reqMu.Lock()
	defer p.c.reqMu.Unlock()
	return append([]string(nil), p.c.reqs...)
}
