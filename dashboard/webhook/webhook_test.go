package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/outcry/outcry"
)

var t0 = time.Date(2024, 6, 4, 14, 14, 0, 0, time.UTC)

func incident(id, service string, st outcry.Status, peak int) outcry.Incident {
	return outcry.Incident{ID: id, Service: service, State: outcry.StateOpen, Status: st, Start: t0, Peak: peak,
		PeakAt: t0.Add(10 * time.Minute), Complaints: 300, Authors: 280, UpdatedAt: t0.Add(10 * time.Minute)}
}

// receiver records what an httptest server got.
type receiver struct {
	mu    sync.Mutex
	reqs  []*http.Request
	bodys [][]byte
	// answer returns the status (and headers) for the n-th request (0-based).
	answer func(n int, w http.ResponseWriter) int
	got    chan struct{}
}

func newReceiver(answer func(n int, w http.ResponseWriter) int) *receiver {
	return &receiver{answer: answer, got: make(chan struct{}, 100)}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	n := len(rc.reqs)
	rc.reqs = append(rc.reqs, r)
	rc.bodys = append(rc.bodys, body)
	rc.mu.Unlock()
	status := 200
	if rc.answer != nil {
		status = rc.answer(n, w)
	}
	w.WriteHeader(status)
	rc.got <- struct{}{}
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

// run starts d.Run and returns a stop func that cancels and waits for it.
func run(t *testing.T, d *Dispatcher) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

func waitFor(t *testing.T, rc *receiver, n int) {
	t.Helper()
	for rc.count() < n {
		select {
		case <-rc.got:
		case <-time.After(10 * time.Second):
			t.Fatalf("got %d requests, want %d", rc.count(), n)
		}
	}
}

func TestDeliverySignedJSON(t *testing.T) {
	rc := newReceiver(nil)
	srv := httptest.NewServer(rc)
	defer srv.Close()
	const secret = "hunter2-secret"
	d := New(Config{Hooks: []Hook{{URL: srv.URL + "/hook/abc", Secret: secret}}, DashboardURL: "http://127.0.0.1:8080/",
		ServiceNames: map[string]string{"chatgpt": "ChatGPT"}}, nil)
	stop := run(t, d)
	defer stop()
	ev := &outcry.Event{ID: "ev1", Onsets: []outcry.Onset{{Service: "chatgpt"}, {Service: "claude"}}, Hypothesis: outcry.HypothesisSpillover}
	d.Notify(KindOpened, incident("chatgpt-1", "chatgpt", outcry.StatusOutage, 61), ev)
	waitFor(t, rc, 1)

	r, body := rc.reqs[0], rc.bodys[0]
	if r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" || r.URL.Path != "/hook/abc" {
		t.Errorf("request %s %s %s", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
	}
	if !Verify(secret, body, r.Header.Get("X-Outcry-Signature")) {
		t.Errorf("signature %q does not verify", r.Header.Get("X-Outcry-Signature"))
	}
	if Verify("wrong", body, r.Header.Get("X-Outcry-Signature")) || Verify(secret, append(body, ' '), r.Header.Get("X-Outcry-Signature")) {
		t.Error("signature verifies with the wrong secret or body")
	}
	if !strings.HasPrefix(r.Header.Get("X-Outcry-Signature"), "sha256=") || len(r.Header.Get("X-Outcry-Delivery")) != 32 {
		t.Errorf("headers %v", r.Header)
	}
	if r.Header.Get("X-Outcry-Event") != "incident.opened" {
		t.Errorf("X-Outcry-Event %q", r.Header.Get("X-Outcry-Event"))
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Event != "incident.opened" || p.Incident.ID != "chatgpt-1" || p.Service != "chatgpt" || p.Name != "ChatGPT" ||
		p.DeliveryID != r.Header.Get("X-Outcry-Delivery") || p.Correlated == nil || p.URL != "http://127.0.0.1:8080/incidents/chatgpt-1" {
		t.Errorf("payload %+v", p)
	}
	want := "ChatGPT: outage detected since 14:14 UTC (peak 61 complaints/min); correlated with claude (spillover)"
	if p.Text != want {
		t.Errorf("text %q, want %q", p.Text, want)
	}
	for _, k := range []string{`"languages":{}`, `"official":[]`, `"problems":[]`} {
		if !bytes.Contains(body, []byte(k)) {
			t.Errorf("body lacks %s", k)
		}
	}
}

func TestSlackBody(t *testing.T) {
	rc := newReceiver(nil)
	srv := httptest.NewServer(rc)
	defer srv.Close()
	d := New(Config{Hooks: []Hook{{URL: srv.URL, Format: FormatSlack}}, DashboardURL: "http://dash",
		ServiceNames: map[string]string{"x": "X <@channel> & co"}}, nil)
	stop := run(t, d)
	defer stop()
	inc := incident("x-1", "x", outcry.StatusDegraded, 9)
	end := t0.Add(2*time.Hour + 53*time.Minute)
	inc.End, inc.State = &end, outcry.StateResolved
	d.Notify(KindResolved, inc, nil)
	waitFor(t, rc, 1)
	if rc.reqs[0].Header.Get("X-Outcry-Signature") != "" {
		t.Error("signed without a secret")
	}
	var sb struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text *struct {
				Type, Text string
			} `json:"text"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(rc.bodys[0], &sb); err != nil {
		t.Fatal(err)
	}
	if sb.Text != "X <@channel> & co: resolved after 2h53m (peak 9 complaints/min)" {
		t.Errorf("text %q", sb.Text)
	}
	if len(sb.Blocks) != 3 || sb.Blocks[0].Type != "section" || sb.Blocks[0].Text.Type != "mrkdwn" {
		t.Fatalf("blocks %s", rc.bodys[0])
	}
	if strings.Contains(sb.Blocks[0].Text.Text, "<@channel>") || !strings.Contains(sb.Blocks[0].Text.Text, "&lt;@channel&gt; &amp; co") {
		t.Errorf("mrkdwn not escaped: %q", sb.Blocks[0].Text.Text)
	}
	if !strings.Contains(string(mustUnescape(t, rc.bodys[0])), "<http://dash/incidents/x-1|details>") {
		t.Errorf("no details link: %s", rc.bodys[0])
	}
}

func TestRetriesOn500ThenSucceeds(t *testing.T) {
	rc := newReceiver(func(n int, w http.ResponseWriter) int {
		if n < 2 {
			return 500
		}
		return 204
	})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	d := New(Config{Hooks: []Hook{{URL: srv.URL, Secret: "s"}}, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}, nil)
	stop := run(t, d)
	d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
	waitFor(t, rc, 3)
	waitStats(t, d, func(s Stats) bool { return s.Delivered == 1 })
	stop()
	ids := map[string]bool{}
	for i, r := range rc.reqs {
		ids[r.Header.Get("X-Outcry-Delivery")] = true
		if !Verify("s", rc.bodys[i], r.Header.Get("X-Outcry-Signature")) {
			t.Errorf("attempt %d: bad signature", i)
		}
	}
	if len(ids) != 1 {
		t.Errorf("retries used %d delivery ids, want the same one", len(ids))
	}
	if s := d.Stats(); s.Delivered != 1 || s.Failed != 0 || rc.count() != 3 {
		t.Errorf("stats %+v, requests %d", s, rc.count())
	}
}

func TestNoRetryOnClientError(t *testing.T) {
	for _, code := range []int{400, 401, 404, 410, 422} {
		rc := newReceiver(func(int, http.ResponseWriter) int { return code })
		srv := httptest.NewServer(rc)
		d := New(Config{Hooks: []Hook{{URL: srv.URL}}, MinBackoff: time.Millisecond}, nil)
		stop := run(t, d)
		d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
		waitFor(t, rc, 1)
		waitStats(t, d, func(s Stats) bool { return s.Failed == 1 })
		stop()
		srv.Close()
		if rc.count() != 1 || d.Stats().Failed != 1 {
			t.Errorf("%d: %d requests, stats %+v", code, rc.count(), d.Stats())
		}
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	rc := newReceiver(nil)
	target := httptest.NewServer(rc)
	defer target.Close()
	redir := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer redir.Close()
	d := New(Config{Hooks: []Hook{{URL: redir.URL}}}, nil)
	stop := run(t, d)
	d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
	waitStats(t, d, func(s Stats) bool { return s.Failed == 1 })
	stop()
	if rc.count() != 0 || d.Stats().Failed != 1 {
		t.Errorf("redirect followed: %d requests, %+v", rc.count(), d.Stats())
	}
}

// waitStats polls until the dispatcher has recorded an outcome (real-time tests only:
// the receiver has answered, the dispatcher goroutine is finishing its bookkeeping).
func waitStats(t *testing.T, d *Dispatcher, ok func(Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok(d.Stats()) {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v", d.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}

func mustUnescape(t *testing.T, body []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return buf.Bytes()
}

// roundTrip answers requests in memory, so synctest's fake clock drives the backoff.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// script is a synctest receiver: it records the fake time of each attempt.
type script struct {
	mu     sync.Mutex
	times  []time.Duration
	bodies [][]byte
	kinds  []string
	start  time.Time
	answer func(n int) (int, http.Header, error)
}

func (s *script) client() *http.Client {
	return &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.times)
		s.times = append(s.times, time.Since(s.start))
		s.bodies = append(s.bodies, body)
		s.kinds = append(s.kinds, r.Header.Get("X-Outcry-Event"))
		s.mu.Unlock()
		code, h, err := 200, http.Header{}, error(nil)
		if s.answer != nil {
			code, h, err = s.answer(n)
		}
		if err != nil {
			return nil, err
		}
		return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})}
}

func (s *script) attempts() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.times...)
}

func TestBackoffSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sc := &script{start: time.Now(), answer: func(n int) (int, http.Header, error) {
			switch n {
			case 0:
				return 500, nil, nil
			case 1:
				return 0, nil, errors.New("connection refused")
			case 2:
				return 503, nil, nil
			case 3:
				return 429, http.Header{"Retry-After": {"30"}}, nil
			case 4:
				return 502, nil, nil
			}
			return 200, nil, nil
		}}
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.example/x"}}, Client: sc.client(), MaxAttempts: 10,
			MinBackoff: time.Second, MaxBackoff: 5 * time.Second}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
		time.Sleep(time.Hour)
		synctest.Wait()
		// 1 s, 2 s, 4 s, then Retry-After 30 s beats the 5 s cap, then the cap.
		want := []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second, 37 * time.Second, 42 * time.Second}
		got := sc.attempts()
		if len(got) != len(want) {
			t.Fatalf("attempts at %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("attempt %d at %v, want %v", i, got[i], want[i])
			}
		}
		if s := d.Stats(); s.Delivered != 1 {
			t.Errorf("stats %+v", s)
		}
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sc := &script{start: time.Now(), answer: func(int) (int, http.Header, error) { return 500, nil, nil }}
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.example/x"}}, Client: sc.client(), MaxAttempts: 4,
			MinBackoff: time.Second, MaxBackoff: time.Minute}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
		time.Sleep(time.Hour)
		synctest.Wait()
		if n := len(sc.attempts()); n != 4 {
			t.Errorf("%d attempts, want 4", n)
		}
		if s := d.Stats(); s.Failed != 1 || s.Delivered != 0 {
			t.Errorf("stats %+v", s)
		}
		cancel()
		<-done
	})
}

// TestRetriesUntilMaxAge: by default a receiver down for an hour gets the alert when it
// is back (it used to be dropped after 6 tries, about 30 s), in order with the alerts
// queued behind it; one down for longer than OutboxMaxAge does not get stale news.
func TestRetriesUntilMaxAge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		sc := &script{start: start, answer: func(int) (int, http.Header, error) {
			if time.Since(start) < time.Hour {
				return 503, nil, nil
			}
			return 200, nil, nil
		}}
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.example/x"}}, Client: sc.client()}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
		d.Notify(KindResolved, incident("a", "chatgpt", outcry.StatusOK, 5), nil)
		time.Sleep(30 * time.Minute)
		synctest.Wait()
		if _, _, _, pending := d.AlertCounts(); pending != 2 {
			t.Errorf("while the receiver is down: %d pending, want 2", pending)
		}
		time.Sleep(90 * time.Minute)
		synctest.Wait()
		if _, _, _, pending := d.AlertCounts(); pending != 0 {
			t.Errorf("after delivery: %d pending", pending)
		}
		if s := d.Stats(); s.Delivered != 2 || s.Failed != 0 {
			t.Errorf("after a 1 h receiver outage: stats %+v, attempts %d", s, len(sc.attempts()))
		}
		cancel()
		<-done
	})
	synctest.Test(t, func(t *testing.T) {
		sc := &script{start: time.Now(), answer: func(int) (int, http.Header, error) { return 503, nil, nil }}
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.example/x"}}, Client: sc.client(), OutboxMaxAge: time.Hour}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
		time.Sleep(3 * time.Hour)
		synctest.Wait()
		last := sc.attempts()[len(sc.attempts())-1]
		if s := d.Stats(); s.Failed != 1 || s.Delivered != 0 || last > time.Hour {
			t.Errorf("receiver down past max age: stats %+v, last attempt at %v", s, last)
		}
		cancel()
		<-done
	})
}

func TestOneDeliveryPerStateChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sc := &script{start: time.Now()}
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.example/x"}}, Client: sc.client()}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		inc := incident("chatgpt-1", "chatgpt", outcry.StatusDegraded, 10)
		d.Notify(KindOpened, inc, nil)
		d.Notify(KindOpened, inc, nil) // detector restarted, says it again
		inc.Complaints += 50
		d.Notify(KindUpdated, inc, nil) // nothing material changed since opening... but it is an update
		d.Notify(KindUpdated, inc, nil) // the same update twice
		inc.Status = outcry.StatusOutage
		d.Notify(KindUpdated, inc, nil)
		inc.Peak = 40
		d.Notify(KindUpdated, inc, nil)
		d.Notify(KindUpdated, inc, nil)
		inc.State = outcry.StateResolved
		d.Notify(KindResolved, inc, nil)
		d.Notify(KindResolved, inc, nil)
		d.Notify("exploded", inc, nil) // unknown kinds are refused
		synctest.Wait()
		want := []string{"incident.opened", "incident.updated", "incident.updated", "incident.updated", "incident.resolved"}
		sc.mu.Lock()
		got := append([]string(nil), sc.kinds...)
		sc.mu.Unlock()
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("deliveries %v, want %v", got, want)
		}
		if s := d.Stats(); s.Duplicates != 4 || s.Delivered != 5 {
			t.Errorf("stats %+v", s)
		}
		cancel()
		<-done
	})
}

func TestMute(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sc := &script{start: time.Now()}
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.example/x"}}, Client: sc.client(), Mute: []string{"github"}}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()

		d.Notify(KindOpened, incident("gh-1", "github", outcry.StatusOutage, 5), nil) // muted by config
		d.Mute("claude", time.Now().Add(time.Hour))
		d.Notify(KindOpened, incident("claude-1", "claude", outcry.StatusOutage, 5), nil) // muted for an hour
		synctest.Wait()
		if n := len(sc.attempts()); n != 0 {
			t.Fatalf("%d deliveries while muted", n)
		}
		time.Sleep(time.Hour)
		d.Notify(KindOpened, incident("claude-2", "claude", outcry.StatusOutage, 5), nil) // mute expired
		d.Mute("github", time.Time{})                                                     // unmute
		d.Notify(KindOpened, incident("gh-2", "github", outcry.StatusOutage, 5), nil)
		synctest.Wait()
		if n := len(sc.attempts()); n != 2 {
			t.Errorf("%d deliveries after the mutes ended, want 2", n)
		}
		if s := d.Stats(); s.Muted != 2 {
			t.Errorf("stats %+v", s)
		}
		cancel()
		<-done
	})
}

func TestServicesFilterAndFanOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		all, ai := &script{start: time.Now()}, &script{start: time.Now()}
		d := New(Config{Hooks: []Hook{
			{URL: "https://all.example/x", Format: FormatSlack},
			{URL: "https://ai.example/x", Services: []string{"chatgpt", "claude"}},
		}}, nil)
		// One client routes by host to the two scripts.
		d.client = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
			if r.URL.Host == "ai.example" {
				return ai.client().Transport.RoundTrip(r)
			}
			return all.client().Transport.RoundTrip(r)
		})}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		d.Notify(KindOpened, incident("c-1", "chatgpt", outcry.StatusOutage, 5), nil)
		d.Notify(KindOpened, incident("g-1", "github", outcry.StatusOutage, 5), nil)
		synctest.Wait()
		if len(all.attempts()) != 2 || len(ai.attempts()) != 1 {
			t.Errorf("all got %d, ai got %d", len(all.attempts()), len(ai.attempts()))
		}
		cancel()
		<-done
	})
}

func TestQueueIsBoundedAndRunDropsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sc := &script{start: time.Now(), answer: func(int) (int, http.Header, error) { return 503, nil, nil }}
		var logs bytes.Buffer
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.example/x"}}, Client: sc.client(), QueueSize: 2, MaxAttempts: 100},
			slog.New(slog.NewTextHandler(&logs, nil)))
		for i := range 5 {
			d.Notify(KindOpened, incident("i"+string(rune('0'+i)), "chatgpt", outcry.StatusOutage, 5), nil)
		}
		if s := d.Stats(); s.Queued != 2 || s.Dropped != 3 {
			t.Fatalf("stats %+v", s)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		time.Sleep(10 * time.Second) // first delivery is retrying
		synctest.Wait()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		// In flight + still queued: both dropped, with a log line.
		if s := d.Stats(); s.Dropped != 5 || s.Delivered != 0 {
			t.Errorf("stats %+v", s)
		}
		if !strings.Contains(logs.String(), "stopping with undelivered alerts") {
			t.Errorf("no drop log line:\n%s", logs.String())
		}
		if err := d.Run(context.Background()); err == nil {
			t.Error("second Run accepted")
		}
	})
}

// TestSecretsNeverLogged: neither the secret nor the hook URL's path (where Slack-style
// URLs keep their token) appears in any log line, on success or failure.
func TestSecretsNeverLogged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const secret, token = "topsecret-hmac", "T000/B000/XXXXtoken"
		sc := &script{start: time.Now(), answer: func(n int) (int, http.Header, error) {
			if n == 0 {
				return 0, nil, errors.New("dial tcp: connection refused")
			}
			if n == 1 {
				return 500, nil, nil
			}
			return 200, nil, nil
		}}
		var logs bytes.Buffer
		d := New(Config{Hooks: []Hook{{URL: "https://hooks.slack.example/services/" + token + "?k=" + token, Secret: secret},
			{URL: "ftp://bad.example/" + token, Secret: secret}}, Client: sc.client(), MinBackoff: time.Second},
			slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		d.Notify(KindOpened, incident("a", "chatgpt", outcry.StatusOutage, 5), nil)
		time.Sleep(time.Minute)
		synctest.Wait()
		cancel()
		<-done
		out := logs.String()
		if strings.Contains(out, secret) || strings.Contains(out, "XXXXtoken") || strings.Contains(out, "/services/") {
			t.Errorf("logs leak a secret:\n%s", out)
		}
		if !strings.Contains(out, "https://hooks.slack.example") || !strings.Contains(out, "webhook delivered") {
			t.Errorf("logs do not name the hook by host:\n%s", out)
		}
	})
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		hook Hook
		ok   bool
	}{
		{Hook{URL: "https://hooks.example/x"}, true},
		{Hook{URL: "http://127.0.0.1:9000/x", Format: "slack"}, true},
		{Hook{URL: "ftp://x/y"}, false},
		{Hook{URL: "/relative"}, false},
		{Hook{URL: "https://x/y", Format: "xml"}, false},
	} {
		err := Config{Hooks: []Hook{tt.hook}}.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, outcry.ErrInvalid)) {
			t.Errorf("%+v: %v", tt.hook, err)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 6, 4, 14, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "30": 30 * time.Second, "-5": 0, "soon": 0,
		"Tue, 04 Jun 2024 14:02:00 GMT": 2 * time.Minute, "Tue, 04 Jun 2024 13:00:00 GMT": 0,
		"99999999999999999999": 0,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("%q: %v, want %v", v, got, want)
		}
	}
}
